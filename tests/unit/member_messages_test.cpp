// Messages to members without a database or a gateway: which events make one, the channel her
// consents allow, the quiet hours in the programme's zone, and the words in Persian (Persian
// digits, Jalali dates) and English.
#include "loyalty/core/member_messages.h"

#include <gtest/gtest.h>

#include <set>

#include "loyalty/service/runtime/time_zones.h"

namespace patron {
namespace {

using core::MessageKind;

constexpr const char* kRlm = "\u200F";  // Opens every Persian text.
using nlohmann::json;
using namespace std::chrono_literals;

core::Timestamp at(const char* text) {
    std::tm tm{};
    strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return core::Timestamp{std::chrono::seconds(timegm(&tm))};
}

TEST(MemberMessages, TheEventsAMemberIsToldOfAndNoOthers) {
    using core::EventType;
    EXPECT_EQ(core::message_kind_of(EventType::kMemberEnrolled, json::object()), MessageKind::kWelcome);
    EXPECT_EQ(core::message_kind_of(EventType::kPointsExpiring, json::object()), MessageKind::kPointsExpiring);
    EXPECT_EQ(core::message_kind_of(EventType::kTierChanged, json{{"direction", "upgrade"}}),
              MessageKind::kTierReached);
    EXPECT_EQ(core::message_kind_of(EventType::kTierChanged, json{{"direction", "downgrade"}}), std::nullopt);
    EXPECT_EQ(core::message_kind_of(EventType::kStampCardCompleted, json::object()), MessageKind::kStampCardCompleted);
    EXPECT_EQ(core::message_kind_of(EventType::kCouponIssued, json{{"source", "segment"}}), MessageKind::kCouponIssued);
    EXPECT_EQ(core::message_kind_of(EventType::kCouponIssued, json{{"source", "staff"}}), MessageKind::kCouponIssued);
    EXPECT_EQ(core::message_kind_of(EventType::kCouponIssued, json{{"source", "stamp_card"}}), std::nullopt)
        << "told with the card it rewards";
    for (const auto type : {EventType::kPurchaseCommitted, EventType::kPointsExpired, EventType::kMemberUpdated,
                            EventType::kCashbackCredited, EventType::kRewardIssued, EventType::kMemberErased}) {
        EXPECT_EQ(core::message_kind_of(type, json::object()), std::nullopt) << core::to_string(type);
    }
    EXPECT_EQ(core::message_kind_of(EventType::kDrawWon, json{{"state", "won"}}), MessageKind::kDrawWon);
    EXPECT_EQ(core::message_kind_of(EventType::kDrawWon, json{{"state", "reserve"}}), std::nullopt)
        << "a reserve waits in line";
    for (const auto kind : {MessageKind::kWelcome, MessageKind::kPointsExpiring, MessageKind::kTierReached,
                            MessageKind::kStampCardCompleted, MessageKind::kCouponIssued, MessageKind::kTierAtRisk,
                            MessageKind::kDrawWon}) {
        EXPECT_EQ(core::parse_message_kind(core::to_string(kind)), kind);
    }
}

TEST(MemberMessages, AWinnerIsToldHerPrizeAndDrawByTheirNames) {
    const json data{{"draw_name", "Summer draw"}, {"prize", "Bicycle"}, {"state", "won"}};
    const auto english = core::compose_message(MessageKind::kDrawWon, data, {core::Language::kEnglish, "Cafe Club"});
    ASSERT_TRUE(english);
    EXPECT_EQ(english->text,
              "Congratulations! You won \"Bicycle\" in the Cafe Club draw \"Summer draw\". The club will be in touch "
              "about your prize.");
    const auto persian = core::compose_message(MessageKind::kDrawWon, data, {core::Language::kPersian, "کافه"});
    ASSERT_TRUE(persian);
    EXPECT_NE(persian->text.find("«Bicycle»"), std::string::npos) << persian->text;
    EXPECT_FALSE(core::compose_message(MessageKind::kDrawWon, json{{"draw_name", "Summer draw"}},
                                       {core::Language::kEnglish, "Cafe Club"}))
        << "nothing to tell without the prize";
}

TEST(MemberMessages, SmsFirstThenEmailOnlyWithTheMatchingConsentAndAWayToReachHer) {
    core::Consents both;
    both.marketing_sms = true;
    both.marketing_email = true;
    EXPECT_EQ(core::message_channel(both, true, true), core::MessageChannel::kSms);
    EXPECT_EQ(core::message_channel(both, false, true), core::MessageChannel::kEmail);
    core::Consents email_only;
    email_only.marketing_email = true;
    EXPECT_EQ(core::message_channel(email_only, true, true), core::MessageChannel::kEmail);
    EXPECT_EQ(core::message_channel(email_only, true, false), std::nullopt);
    EXPECT_EQ(core::message_channel(core::Consents{}, true, true), std::nullopt);
}

TEST(MemberMessages, QuietHoursAreTheProgrammesLocalNightAndEndTheNextMorning) {
    const core::FixedOffsetZone tehran("Asia/Tehran", 3h + 30min);
    const core::MessagePolicy night;  // 21:00 to 09:00.
    // 21:30 in Tehran: quiet until 09:00 the next morning (05:30 UTC).
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-18T18:00:00Z")), at("2026-11-19T05:30:00Z"));
    // 07:30 in Tehran: until 09:00 the same morning.
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T04:00:00Z")), at("2026-11-19T05:30:00Z"));
    // 09:00 sharp and the afternoon: not quiet; 20:59 neither.
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T05:30:00Z")), std::nullopt);
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T12:00:00Z")), std::nullopt);
    EXPECT_EQ(core::quiet_until(night, tehran, at("2026-11-19T17:29:00Z")), std::nullopt);
    // Quiet hours within one day (01:00 to 06:00), and none when both hours are the same.
    const core::MessagePolicy small_hours{3, 1, 6};
    EXPECT_EQ(core::quiet_until(small_hours, tehran, at("2026-11-18T22:00:00Z")), at("2026-11-19T02:30:00Z"));
    EXPECT_EQ(core::quiet_until(small_hours, tehran, at("2026-11-18T19:00:00Z")), std::nullopt);
    EXPECT_EQ(core::quiet_until(core::MessagePolicy{3, 0, 0}, tehran, at("2026-11-18T22:00:00Z")), std::nullopt);
}

TEST(MemberMessages, QuietHoursFollowTheWallClockOnTheDaysItChanges) {
    const auto london = service::locate_time_zone("Europe/London");
    ASSERT_NE(london, nullptr);
    const core::MessagePolicy night;  // 21:00 to 09:00.
    // 29 March 2026, the clocks go forward at 01:00 UTC: 08:30 BST is 07:30 UTC, still quiet, and
    // the quiet hours end at 09:00 BST, 08:00 UTC (not 09:00 UTC, nine hours after midnight).
    EXPECT_EQ(core::quiet_until(night, *london, at("2026-03-29T07:30:00Z")), at("2026-03-29T08:00:00Z"));
    EXPECT_EQ(core::quiet_until(night, *london, at("2026-03-29T08:00:00Z")), std::nullopt) << "09:00 BST";
    // 20:30 BST that evening is not quiet, 21:00 BST (20:00 UTC) is, until 09:00 BST the next day.
    EXPECT_EQ(core::quiet_until(night, *london, at("2026-03-29T19:30:00Z")), std::nullopt);
    EXPECT_EQ(core::quiet_until(night, *london, at("2026-03-29T20:00:00Z")), at("2026-03-30T08:00:00Z"));
    // 25 October 2026, the clocks go back at 01:00 UTC: 09:00 GMT is 09:00 UTC.
    EXPECT_EQ(core::quiet_until(night, *london, at("2026-10-25T08:30:00Z")), at("2026-10-25T09:00:00Z"));
    // The night before, 22:00 BST (21:00 UTC), ends at 09:00 GMT after the change.
    EXPECT_EQ(core::quiet_until(night, *london, at("2026-10-24T21:00:00Z")), at("2026-10-25T09:00:00Z"));
}

TEST(MemberMessages, TheWeeklyCapFreesAPlaceAWeekAfterTheMessageThatFilledIt) {
    const core::MessagePolicy strict;
    const core::MessagePolicy lenient{3, 21, 9, true};
    EXPECT_FALSE(core::message_passes_cap(MessageKind::kPointsExpiring, strict)) << "never more than the cap";
    EXPECT_FALSE(core::message_passes_cap(MessageKind::kTierAtRisk, strict));
    EXPECT_TRUE(core::message_passes_cap(MessageKind::kPointsExpiring, lenient));
    EXPECT_TRUE(core::message_passes_cap(MessageKind::kTierAtRisk, lenient));
    EXPECT_FALSE(core::message_passes_cap(MessageKind::kCouponIssued, lenient)) << "only warnings";
    EXPECT_FALSE(core::message_passes_cap(MessageKind::kWelcome, lenient));
    const std::vector<core::Timestamp> sent = {at("2026-11-10T10:00:00Z"), at("2026-11-12T10:00:00Z"),
                                               at("2026-11-14T10:00:00Z")};
    EXPECT_EQ(core::weekly_cap_frees_at(sent, 4), std::nullopt) << "a place now";
    EXPECT_EQ(core::weekly_cap_frees_at(sent, 3), at("2026-11-17T10:00:00Z")) << "when the first leaves the week";
    EXPECT_EQ(core::weekly_cap_frees_at(sent, 2), at("2026-11-19T10:00:00Z")) << "when two have left it";
    EXPECT_EQ(core::weekly_cap_frees_at({}, 1), std::nullopt);
}

TEST(MemberMessages, ATierIsLookedAtFourteenDaysAheadOrAtOnceButNotWithinThreeDays) {
    const core::Timestamp end = at("2027-11-19T00:00:00Z");
    EXPECT_EQ(core::tier_warning_at(end, at("2026-11-18T10:00:00Z")), at("2027-11-05T00:00:00Z"));
    EXPECT_EQ(core::tier_warning_at(end, at("2027-11-10T10:00:00Z")), at("2027-11-10T10:00:00Z")) << "a late review";
    EXPECT_EQ(core::tier_warning_at(end, at("2027-11-16T00:00:01Z")), std::nullopt) << "too late to help";
}

TEST(MemberMessages, ATierIsNewsOnlyAboveWhereSheWasAndAboveTheFirst) {
    core::TierPolicy policy;
    policy.tiers = {core::Tier{"Bronze", 0}, core::Tier{"Silver", 500}, core::Tier{"Gold", 2000}};
    EXPECT_TRUE(core::tier_reached_is_news(policy, "Bronze", "Silver"));
    EXPECT_TRUE(core::tier_reached_is_news(policy, "Member", "Gold")) << "from a tier the policy does not name";
    EXPECT_FALSE(core::tier_reached_is_news(policy, "Member", "Bronze")) << "the first tier, where everyone starts";
    EXPECT_FALSE(core::tier_reached_is_news(policy, "Gold", "Silver"));
    EXPECT_FALSE(core::tier_reached_is_news(policy, "Silver", "Silver"));
    EXPECT_FALSE(core::tier_reached_is_news(policy, "Bronze", "Platinum")) << "a tier the policy does not name";
    EXPECT_FALSE(core::tier_reached_is_news(core::TierPolicy{}, "Member", "Gold")) << "no tiers at all";
}

TEST(MemberMessages, PersianReadsPersianDigitsAndJalaliDatesAndEnglishReadsItsOwn) {
    const core::FixedOffsetZone tehran("Asia/Tehran", 3h + 30min);
    const json expiring{{"points", 80}, {"last_day", "2027-11-18"}, {"expires_at", "2027-11-18T20:30:00Z"}};
    const auto fa =
        core::compose_message(MessageKind::kPointsExpiring, expiring, {core::Language::kPersian, "باشگاه کافه"});
    ASSERT_TRUE(fa);
    EXPECT_EQ(fa->text, std::string(kRlm) +
                            "۸۰ امتیاز شما در باشگاه کافه پس از ۲۷ آبان ۱۴۰۶ منقضی می‌شود. تا آن روز از آن "
                            "استفاده "
                            "کنید.");
    const auto en =
        core::compose_message(MessageKind::kPointsExpiring, expiring, {core::Language::kEnglish, "Cafe Club"});
    ASSERT_TRUE(en);
    EXPECT_EQ(en->text, "Your 80 points at Cafe Club expire after 18 November 2027. Use them by then.");
    EXPECT_EQ(en->subject, "Cafe Club: points about to expire");
    // One point, and thousands grouped in each language.
    const auto one_point =
        core::compose_message(MessageKind::kPointsExpiring, {{"points", 1}, {"last_day", "2027-11-18"}},
                              {core::Language::kEnglish, "Cafe Club"});
    ASSERT_TRUE(one_point);
    EXPECT_EQ(one_point->text, "Your 1 point at Cafe Club expires after 18 November 2027. Use it by then.");
    const json many{{"points", 1234567}, {"last_day", "2027-11-18"}};
    const auto many_en =
        core::compose_message(MessageKind::kPointsExpiring, many, {core::Language::kEnglish, "Cafe Club"});
    ASSERT_TRUE(many_en);
    EXPECT_EQ(many_en->text.substr(0, 30), "Your 1,234,567 points at Cafe ");
    const auto many_fa =
        core::compose_message(MessageKind::kPointsExpiring, many, {core::Language::kPersian, "Cafe Club"});
    ASSERT_TRUE(many_fa);
    EXPECT_EQ(many_fa->text.rfind(std::string(kRlm) + "۱٬۲۳۴٬۵۶۷ امتیاز شما در Cafe Club", 0), 0u) << many_fa->text;

    EXPECT_EQ(core::date_text(core::LocalDate{2027y, std::chrono::March, 21d}, core::Language::kPersian),
              "۱ فروردین ۱۴۰۶");
    const auto tier = core::compose_message(MessageKind::kTierReached, json{{"to", "Gold"}, {"direction", "upgrade"}},
                                            {core::Language::kEnglish, "Cafe Club"});
    ASSERT_TRUE(tier);
    EXPECT_EQ(tier->text, "Congratulations: you have reached Gold at Cafe Club.");
    const auto two =
        core::compose_message(MessageKind::kStampCardCompleted, json{{"name", "Coffee"}, {"goal", 8}, {"rewards", 2}},
                              {core::Language::kPersian, "باشگاه کافه"});
    ASSERT_TRUE(two);
    EXPECT_EQ(two->text, std::string(kRlm) +
                             "کارت مهر «Coffee» شما در باشگاه کافه ۲ بار پر شد و جایزه‌هایتان آماده "
                             "است.");
    const auto one = core::compose_message(MessageKind::kStampCardCompleted, json{{"name", "Coffee"}, {"rewards", 1}},
                                           {core::Language::kEnglish, "Cafe Club"});
    ASSERT_TRUE(one);
    EXPECT_EQ(one->text, "You filled your stamp card \"Coffee\" at Cafe Club: your reward is ready.");
    // Every kind has words of its own in both languages, from the data its event carries, and none
    // from data that lacks what it tells.
    const std::vector<std::pair<MessageKind, json>> told = {
        {MessageKind::kWelcome, json::object()},
        {MessageKind::kPointsExpiring, expiring},
        {MessageKind::kTierReached, json{{"to", "Gold"}}},
        {MessageKind::kStampCardCompleted, json{{"name", "Coffee"}, {"rewards", 1}}},
        {MessageKind::kCouponIssued, json{{"source", "segment"}}}};
    for (const auto language : {core::Language::kPersian, core::Language::kEnglish}) {
        std::set<std::string> texts;
        for (const auto& [kind, data] : told) {
            const auto words = core::compose_message(kind, data, {language, "Club"});
            ASSERT_TRUE(words) << core::to_string(kind);
            EXPECT_GT(words->subject.size(), 8u) << core::to_string(kind);
            EXPECT_TRUE(texts.insert(words->text).second) << core::to_string(kind) << " has another's words";
            EXPECT_EQ(words->text.rfind(kRlm, 0) == 0, language == core::Language::kPersian);
        }
        EXPECT_EQ(texts.size(), told.size());
    }
    for (const auto& [kind, data] : std::vector<std::pair<MessageKind, json>>{
             {MessageKind::kPointsExpiring, json{{"points", 80}}},
             {MessageKind::kPointsExpiring, json{{"points", 0}, {"last_day", "2027-11-18"}}},
             {MessageKind::kTierReached, json{{"to", ""}}},
             {MessageKind::kStampCardCompleted, json{{"rewards", 1}}}}) {
        EXPECT_EQ(core::compose_message(kind, data, {core::Language::kEnglish, "Club"}), std::nullopt)
            << core::to_string(kind) << " " << data.dump();
    }
}

TEST(MemberMessages, ATierAboutToBeLostSaysWhatKeepsItByWhenInTheTiersOwnMeasure) {
    core::TierPolicy policy;
    policy.tiers = {core::Tier{"Bronze", 0}, core::Tier{"Silver", 500}, core::Tier{"Gold", 2000}};
    EXPECT_EQ(core::tier_at_risk(policy, "Gold", 2000), std::nullopt) << "kept";
    EXPECT_EQ(core::tier_at_risk(policy, "Bronze", 0), std::nullopt) << "nothing to lose";
    EXPECT_EQ(core::tier_at_risk(policy, "Member", 0), std::nullopt) << "a tier the policy does not name";
    const auto gold = core::tier_at_risk(policy, "Gold", 100);
    ASSERT_TRUE(gold);
    EXPECT_EQ(gold->falls_to, "Silver") << "one step";
    EXPECT_EQ(gold->needed, 1900);
    policy.downgrade = core::DowngradeMode::kToQualified;
    EXPECT_EQ(core::tier_at_risk(policy, "Gold", 100)->falls_to, "Bronze") << "to what the value qualifies for";

    const core::FixedOffsetZone tehran("Asia/Tehran", 3h + 30min);
    const core::Timestamp period_end = at("2026-12-17T20:30:00Z");  // Midnight in Tehran: 17 December is her last day.
    std::string currency = "IRR";
    const auto words = [&](core::TierMeasure measure, std::int64_t needed, core::Language language) {
        const json data = core::tier_at_risk_data({"Gold", "Silver", needed}, measure, currency, period_end, tehran);
        return core::compose_message(MessageKind::kTierAtRisk, data, {language, "Cafe Club"}).value().text;
    };
    EXPECT_EQ(words(core::TierMeasure::kPoints, 1200, core::Language::kEnglish),
              "Keep your Gold tier at Cafe Club: earn 1,200 more points by 17 December 2026, or it becomes Silver.");
    EXPECT_EQ(words(core::TierMeasure::kVisits, 1, core::Language::kEnglish),
              "Keep your Gold tier at Cafe Club: visit once more by 17 December 2026, or it becomes Silver.");
    EXPECT_EQ(words(core::TierMeasure::kAmount, 1500000, core::Language::kEnglish),
              "Keep your Gold tier at Cafe Club: spend 1,500,000 IRR more by 17 December 2026, or it becomes Silver.");
    currency = "EUR";
    EXPECT_EQ(words(core::TierMeasure::kAmount, 1250, core::Language::kEnglish),
              "Keep your Gold tier at Cafe Club: spend 12.50 EUR more by 17 December 2026, or it becomes Silver.");
    currency = "IRR";
    EXPECT_EQ(words(core::TierMeasure::kPoints, 120, core::Language::kPersian),
              std::string(kRlm) +
                  "برای نگه داشتن سطح Gold در Cafe Club، ۱۲۰ امتیاز دیگر تا ۲۶ آذر ۱۴۰۵ بگیرید؛ وگرنه سطح شما Silver "
                  "می‌شود.");
    EXPECT_EQ(words(core::TierMeasure::kVisits, 3, core::Language::kPersian),
              std::string(kRlm) +
                  "برای نگه داشتن سطح Gold در Cafe Club، ۳ بار دیگر تا ۲۶ آذر ۱۴۰۵ خرید کنید؛ وگرنه سطح شما Silver "
                  "می‌شود.");
    // Out of date once her last day has gone.
    const json data =
        core::tier_at_risk_data({"Gold", "Silver", 5}, core::TierMeasure::kPoints, "IRR", period_end, tehran);
    EXPECT_EQ(data["period_end"], "2026-12-17T20:30:00.000000Z");
    EXPECT_FALSE(core::message_out_of_date(MessageKind::kTierAtRisk, data, tehran, at("2026-12-17T20:29:00Z")));
    EXPECT_TRUE(core::message_out_of_date(MessageKind::kTierAtRisk, data, tehran, at("2026-12-17T20:30:00Z")));
}

TEST(MemberMessages, PointsWhoseLastDayHasGoneAreNoLongerWorthTelling) {
    const core::FixedOffsetZone tehran("Asia/Tehran", 3h + 30min);
    const json expiring{{"points", 80}, {"last_day", "2027-11-18"}};
    // 23:59 on the last day in Tehran is still in time; 00:00 the day after is not.
    EXPECT_FALSE(core::message_out_of_date(MessageKind::kPointsExpiring, expiring, tehran, at("2027-11-18T20:29:00Z")));
    EXPECT_TRUE(core::message_out_of_date(MessageKind::kPointsExpiring, expiring, tehran, at("2027-11-18T20:30:00Z")));
    EXPECT_FALSE(core::message_out_of_date(MessageKind::kWelcome, expiring, tehran, at("2030-01-01T00:00:00Z")));
}

}  // namespace
}  // namespace patron
