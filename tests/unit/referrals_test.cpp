// Referrals' arithmetic with hand-computed results: the terms document (every problem by its JSON
// path, read back as written), codes drawn from random bytes and read back however people type
// them, the rule id of a referral's rewards, when a friend's purchase qualifies, the referrer's
// month (Jalali for a Persian programme), what a return leaves qualifying, and the history's words.
#include "loyalty/core/referrals.h"

#include <gtest/gtest.h>

#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "loyalty/core/member_history.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;

const FixedOffsetZone kTehran("Asia/Tehran", hours(3) + minutes(30));

const json kTerms = {{"state", "active"},
                     {"friend_reward", {{"points", 500}}},
                     {"referrer_reward", {{"cashback", 200000}}},
                     {"within_days", 30},
                     {"min_spend", 1000000},
                     {"per_referrer_per_month", 5},
                     {"same_till_minutes", 20}};

std::set<std::string> problem_fields(const json& document) {
    const auto decoded = decode_referral_terms(document);
    std::set<std::string> fields;
    if (decoded) return fields;
    for (const auto& problem : decoded.error().problems) fields.insert(problem.field);
    return fields;
}

TEST(Referrals, TermsAreReadAsWrittenAndEveryProblemIsNamedByItsPath) {
    const auto terms = decode_referral_terms(kTerms);
    ASSERT_TRUE(terms) << terms.error().message;
    EXPECT_TRUE(terms->active);
    EXPECT_EQ(terms->friend_reward, (ReferralReward{ReferralRewardKind::kPoints, 500}));
    EXPECT_EQ(terms->referrer_reward, (ReferralReward{ReferralRewardKind::kCashback, 200000}));
    EXPECT_EQ(terms->within_days, 30);
    EXPECT_EQ(terms->min_spend, 1000000);
    EXPECT_EQ(terms->per_referrer_per_month, 5);
    EXPECT_EQ(terms->same_till_minutes, 20);
    EXPECT_EQ(encode_referral_terms(*terms), kTerms);

    json bad = kTerms;
    bad["state"] = "on";
    bad["friend_reward"] = {{"points", 500}, {"cashback", 1}};
    bad["referrer_reward"] = {{"stars", 3}};
    bad["within_days"] = 367;
    bad["min_spend"] = -1;
    bad["per_referrer_per_month"] = 0;
    bad["same_till_minutes"] = 1441;
    bad["extra"] = true;
    EXPECT_EQ(problem_fields(bad), (std::set<std::string>{"state", "friend_reward", "referrer_reward",
                                                          "referrer_reward.stars", "within_days", "min_spend",
                                                          "per_referrer_per_month", "same_till_minutes", "extra"}));
    EXPECT_EQ(problem_fields(json{{"state", "paused"}}),
              (std::set<std::string>{"friend_reward", "referrer_reward", "within_days", "per_referrer_per_month"}));
    EXPECT_EQ(problem_fields(json::array()), (std::set<std::string>{"$"}));
    json points_zero = kTerms;
    points_zero["friend_reward"] = {{"points", 0}};
    EXPECT_EQ(problem_fields(points_zero), (std::set<std::string>{"friend_reward.points"}));

    const auto stored = parse_stored_referral_terms(kTerms.dump(), 4);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->version, 4);
    const auto none = parse_stored_referral_terms("", 0);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->active);
}

TEST(Referrals, CodesAreFortyRandomBitsInCrockfordsBase32ReadBackHoweverTyped) {
    EXPECT_EQ(referral_code_from(std::array<std::uint8_t, 5>{0, 0, 0, 0, 0}), "00000000");
    EXPECT_EQ(referral_code_from(std::array<std::uint8_t, 5>{0xff, 0xff, 0xff, 0xff, 0xff}), "ZZZZZZZZ");
    // 0x08 0x86 0x42 0x98 0xE8: 00001 00010 00011 00100 00101 00110 00111 01000.
    EXPECT_EQ(referral_code_from(std::array<std::uint8_t, 5>{0x08, 0x86, 0x42, 0x98, 0xE8}), "12345678");
    EXPECT_EQ(shown_referral_code("K7Q2M9XD"), "K7Q2-M9XD");

    EXPECT_EQ(read_referral_code("k7q2-m9xd"), "K7Q2M9XD");
    EXPECT_EQ(read_referral_code(" K7Q2 M9XD "), "K7Q2M9XD");
    EXPECT_EQ(read_referral_code("oIlO-0000"), "01100000") << "O reads 0; I and L read 1";
    EXPECT_EQ(read_referral_code("K7Q2M9X"), std::nullopt) << "too short";
    EXPECT_EQ(read_referral_code("K7Q2M9XDD"), std::nullopt) << "too long";
    EXPECT_EQ(read_referral_code("K7Q2M9XU"), std::nullopt) << "U is not in the alphabet";
    EXPECT_EQ(read_referral_code("K7Q2M9X!"), std::nullopt);
    EXPECT_EQ(read_referral_code(std::string(100, '-')), std::nullopt);
}

TEST(Referrals, ARewardsRuleIdNamesItsReferral) {
    EXPECT_EQ(referral_rule_id(12), "referral:12");
    EXPECT_EQ(referral_of_rule_id("referral:12"), 12);
    EXPECT_EQ(referral_of_rule_id("referral:"), std::nullopt);
    EXPECT_EQ(referral_of_rule_id("referral:12x"), std::nullopt);
    EXPECT_EQ(referral_of_rule_id("stamps:12"), std::nullopt);
}

TEST(Referrals, AFriendsPurchaseQualifiesAfterSheJoinedWithinHerDaysAtTheLeastTotalAndNotAtTheReferrersTill) {
    const ReferralTerms terms = *decode_referral_terms(kTerms);
    const Timestamp enrolled = sys_days{std::chrono::year{2026} / 12 / 1} + hours(9);
    const Timestamp by = referral_deadline(terms, enrolled);
    EXPECT_EQ(by, enrolled + days(30));
    const auto judge = [&](Timestamp at, std::int64_t total, bool same_till) {
        return judge_friend_purchase(terms, enrolled, by, FriendPurchase{at, total, same_till});
    };
    EXPECT_EQ(judge(enrolled + hours(1), 1000000, false), ReferralVerdict::kQualifies);
    EXPECT_EQ(judge(enrolled - hours(1), 1000000, false), ReferralVerdict::kTooEarly);
    EXPECT_EQ(judge(enrolled + hours(1), 999999, false), ReferralVerdict::kTooSmall);
    EXPECT_EQ(judge(by, 1000000, false), ReferralVerdict::kTooLate);
    EXPECT_EQ(judge(by - std::chrono::microseconds(1), 1000000, false), ReferralVerdict::kQualifies);
    EXPECT_EQ(judge(enrolled + hours(1), 1000000, true), ReferralVerdict::kSameTill);
    ReferralTerms unchecked = terms;
    unchecked.same_till_minutes = 0;
    unchecked.min_spend = 0;
    EXPECT_EQ(judge_friend_purchase(unchecked, enrolled, by, FriendPurchase{enrolled, 1, true}),
              ReferralVerdict::kQualifies);
    EXPECT_EQ(judge_friend_purchase(unchecked, enrolled, by, FriendPurchase{enrolled, 0, false}),
              ReferralVerdict::kTooSmall)
        << "a purchase of nothing never qualifies";

    EXPECT_TRUE(still_qualifies(terms, 1000000));
    EXPECT_FALSE(still_qualifies(terms, 999999));
    EXPECT_FALSE(still_qualifies(unchecked, 0)) << "returned whole";
    EXPECT_TRUE(still_qualifies(unchecked, 1));
}

TEST(Referrals, TheReferrersMonthIsTheProgrammesCalendarMonthInItsTimeZone) {
    // 2026-12-04 12:00 Tehran: Gregorian December; Jalali Azar 1405 (2026-11-22 to 2026-12-21).
    const Timestamp at = sys_days{std::chrono::year{2026} / 12 / 4} + hours(8) + minutes(30);
    const ReferralMonth gregorian = referral_month(kTehran, Calendar::kGregorian, at);
    EXPECT_EQ(gregorian.from, sys_days{std::chrono::year{2026} / 11 / 30} + hours(20) + minutes(30));
    EXPECT_EQ(gregorian.until, sys_days{std::chrono::year{2026} / 12 / 31} + hours(20) + minutes(30));
    const ReferralMonth jalali = referral_month(kTehran, Calendar::kJalali, at);
    EXPECT_EQ(jalali.from, sys_days{std::chrono::year{2026} / 11 / 21} + hours(20) + minutes(30));
    EXPECT_EQ(jalali.until, sys_days{std::chrono::year{2026} / 12 / 21} + hours(20) + minutes(30));
}

TEST(Referrals, TheHistoryTellsTheFriendAndTheReferrerWhatTheyWereGivenAndWhatWasTakenBack) {
    HistoryItem given{HistoryBook::kPoints, 1, "referral", "referral:3", 0, {}, 500, 0, std::nullopt, "friend"};
    EXPECT_EQ(describe(given, Language::kEnglish), "Welcome gift for joining through a friend: 500 points");
    HistoryItem referrer{HistoryBook::kCashback, 2,         "referral", "referral:3", 0, {}, 20000, 0,
                         std::nullopt,           "referrer"};
    EXPECT_EQ(describe(referrer, Language::kEnglish, Currency{"IRR", 0}), "Reward for inviting a friend: 20,000 IRR");
    HistoryItem back = given;
    back.available = -500;
    EXPECT_EQ(describe(back, Language::kEnglish),
              "Welcome gift for joining through a friend: 500 points taken back: the first purchase was returned");
    EXPECT_EQ(describe(given, Language::kPersian), "هدیه عضویت با دعوت دوست: ۵۰۰ امتیاز");
}

}  // namespace
}  // namespace patron::core
