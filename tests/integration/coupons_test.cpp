// Coupons against a real MariaDB: a campaign is drafted, given codes and published; the quote
// prices a code without using it; the commit redeems it with the purchase (the discount earns
// no points); a single-use code works once, even under 50 racing commits; a campaign's budget
// holds under load; a void gives the redemption back and a partial return keeps it unless the
// basket falls below the campaign's minimum. Nothing is written for a refused coupon.
#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>
#include <functional>
#include <latch>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "crypto/digest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/service/members/member_merge_service.h"
#include "loyalty/service/program/coupon_campaign_service.h"
#include "loyalty/store/events/outbox_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using nlohmann::json;

// The documents as the API decodes them for the service.
core::CouponCampaignDocument campaign_document(const json& document) {
    return core::decode_coupon_campaign_document(document).value();
}
core::CouponCodesRequest codes_request(const json& request) {
    return core::decode_coupon_codes_request(request).value();
}

// `verify` finds nothing after every test that does not tamper (VerifiedWorldTest).
class CouponsTest : public testing::VerifiedWorldTest {
  protected:
    // A published campaign with `codes` single-use codes (or the public code `public_code`).
    long long campaign(const json& document, const std::string& public_code = "") {
        const auto made = coupons.create(marketer, campaign_document(document));
        EXPECT_TRUE(made.has_value()) << (made ? "" : made.error().message);
        const json request = public_code.empty() ? json{{"count", 5}} : json{{"code", public_code}};
        EXPECT_TRUE(coupons.add_codes(marketer, made->id, codes_request(request)).has_value());
        EXPECT_TRUE(coupons.publish(marketer, made->id).has_value());
        return made->id;
    }
    std::string code_of(long long campaign_id, std::size_t index = 0) {
        return coupons.codes(marketer, campaign_id).value().at(index).code;
    }
    core::Result<service::CommitOutcome> commit(core::Purchase purchase, std::vector<std::string> codes) {
        purchase.coupons = std::move(codes);
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                      pos::encode_purchase_answer);
    }
    core::Result<service::CommitOutcome> take_back(const std::string& receipt, const std::string& original,
                                                   std::vector<core::ReturnedLine> lines, bool is_void = false) {
        core::ReturnRequest request = world.return_request(receipt, original, std::move(lines));
        request.is_void = is_void;
        if (is_void) request.key.business_day = *core::parse_date("2026-11-22");  // Voids happen the same day.
        return world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes(receipt)),
                                    pos::encode_purchase_answer);
    }

    // A till's purchase presenting `code` of campaign `id`, committed while another transaction holds
    // the campaign's row (as a commit that used the code does until it ends) and runs `meanwhile`
    // once the till waits; the statement the till waited at, and the till's outcome.
    std::pair<std::string, core::Result<service::CommitOutcome>> commit_while_campaign_held(
        long long id, const std::string& code, const std::function<void(soci::session&)>& meanwhile) {
        soci::session& other = world.db.raw();
        other.begin();
        long long held = 0;
        other << "SELECT redemptions FROM coupon_campaigns WHERE id = :id FOR UPDATE", soci::into(held), soci::use(id);
        core::Result<service::CommitOutcome> outcome = core::fail(ErrorCode::kInternal, "not run");
        std::thread till([&] { outcome = commit(world.purchase("held-" + code, 500000), {code}); });
        soci::session watcher(soci::mysql, *store::soci_connection_string(world.db.url()));
        std::string waiting;
        for (int i = 0; i < 1000 && waiting.empty(); ++i) {
            watcher << "SELECT IFNULL(MAX(info), '') FROM information_schema.processlist WHERE command = 'Query'"
                       " AND id <> CONNECTION_ID() AND time_ms > 200 AND info LIKE '%coupon\\_%'",
                soci::into(waiting);
            if (waiting.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        meanwhile(other);
        other.commit();
        till.join();
        return {waiting, outcome};
    }

    // `racers` purchases of 500,000 IRR presenting `code` at once, anonymous or with `card`: each
    // outcome's code.
    std::vector<std::string> race(int racers, const std::string& prefix, const std::string& code,
                                  const std::optional<std::string>& card = std::nullopt) {
        std::latch start(racers);
        std::vector<std::string> outcomes(static_cast<std::size_t>(racers));
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i) {
            threads.emplace_back([&, i] {
                const core::Purchase basket = card ? world.purchase(prefix + std::to_string(i), 500000, *card)
                                                   : world.purchase(prefix + std::to_string(i), 500000);
                start.arrive_and_wait();
                const auto done = commit(basket, {code});
                outcomes[static_cast<std::size_t>(i)] = done ? "OK" : std::string(core::code_name(done.error().code));
            });
        }
        for (std::thread& thread : threads) thread.join();
        return outcomes;
    }
};

const json kTenPercent = {{"name", "Ten percent"}, {"type", "percent_off_basket"}, {"percent", 10}};

TEST_F(CouponsTest, TheQuotePricesACodeAndTheCommitRedeemsItOnceWithFewerPointsEarned) {
    const long long id = campaign(kTenPercent);
    const std::string code = code_of(id);
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    core::Purchase basket = world.purchase("1", 1000000, sara.card_number);
    basket.coupons = {code};
    for (int i = 0; i < 2; ++i) {
        const auto quote = world.purchases.quote(world.terminal, basket);
        ASSERT_TRUE(quote.has_value()) << quote.error().message;
        ASSERT_EQ(quote->coupons_redeemed.size(), 1U);
        EXPECT_EQ(quote->coupons_redeemed[0].discount, 100000);
        EXPECT_EQ(quote->points_earned, 90) << "the discount earns nothing: 900,000 IRR at 1 point per 10,000";
    }
    const auto done = commit(world.purchase("1", 1000000, sara.card_number), {code});
    ASSERT_TRUE(done.has_value()) << done.error().message;
    const json answer = json::parse(done->body);
    EXPECT_EQ(answer["coupons"]["discount"], 100000);
    EXPECT_EQ(answer["coupons"]["redeemed"][0]["code"], code);
    EXPECT_EQ(answer["points"]["earned"], 90);
    bool printed = false;
    for (const auto& line : answer["receipt_lines"]) printed |= line.get<std::string>().starts_with("کوپن " + code);
    EXPECT_TRUE(printed) << answer["receipt_lines"];

    const long long purchases = world.db.count("purchases");
    const auto again = commit(world.purchase("2", 1000000, sara.card_number), {code});
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, ErrorCode::kCouponAlreadyUsed);
    EXPECT_EQ(again.error().field, "coupons[0]");
    EXPECT_EQ(world.db.count("purchases"), purchases) << "a refused coupon writes nothing";
    EXPECT_EQ(coupons.get(marketer, id)->redemptions, 1);
    const auto replay = commit(world.purchase("1", 1000000, sara.card_number), {code});
    ASSERT_TRUE(replay.has_value()) << "a retry of the same receipt replays, it is not a second use";
    EXPECT_EQ(replay->body, done->body);
}

TEST_F(CouponsTest, TheMembersHistoryTellsEachCouponTheyUsedAndWhetherItCameBack) {
    const std::string code = code_of(campaign(kTenPercent));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    ASSERT_TRUE(commit(world.purchase("1", 1000000, sara.card_number), {code}).has_value());
    auto page = world.members.history(world.program_id, sara.id, 0, 10);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->coupons.size(), 1U);
    EXPECT_EQ(page->coupon_descriptions[0], "کوپن " + code + ": ۱۰۰٬۰۰۰ ریال تخفیف با رسید 1 در Tehran");
    ASSERT_TRUE(take_back("v1", "1", {}, true).has_value());
    page = world.members.history(world.program_id, sara.id, 0, 10);
    EXPECT_TRUE(page->coupons[0].given_back);
    EXPECT_TRUE(page->coupon_descriptions[0].ends_with("(با مرجوعی بازگشت)")) << page->coupon_descriptions[0];
}

TEST_F(CouponsTest, OfFiftyRacingCommitsOfOneSingleUseCodeExactlyOneSucceeds) {
    const std::string code = code_of(campaign(kTenPercent));
    constexpr int kRacers = 50;
    const auto outcomes = race(kRacers, "race-", code);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "OK"), 1);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "COUPON_ALREADY_USED"), kRacers - 1);
    EXPECT_EQ(world.db.count("coupon_redemptions"), 1);
}

TEST_F(CouponsTest, ACampaignBudgetIsNeverExceededUnderLoad) {
    json document = {{"name", "50k off"}, {"type", "amount_off_basket"}, {"amount", 50000}};
    document["limits"] = {{"budget", 250000}};  // Five redemptions' worth.
    const long long id = campaign(document, "WINTER");
    constexpr int kRacers = 30;
    const auto outcomes = race(kRacers, "budget-", "winter");
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "OK"), 5);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "COUPON_LIMIT_REACHED"), kRacers - 5);
    EXPECT_EQ(coupons.get(marketer, id)->budget_used, 250000);
}

TEST_F(CouponsTest, EveryTillRedeemsAPublicCodeOfACampaignWithoutLimitsAndEachUseIsCountedOnce) {
    // Such a code is not locked by the commits that present it: its counters grow at their COMMITs.
    const long long id = campaign(kTenPercent, "SPRING");
    constexpr int kRacers = 30;
    const auto outcomes = race(kRacers, "spring-", "spring");
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "OK"), kRacers);
    EXPECT_EQ(world.db.count("coupon_redemptions"), kRacers);
    EXPECT_EQ(coupons.get(marketer, id)->redemptions, kRacers);
    EXPECT_EQ(coupons.get(marketer, id)->budget_used, kRacers * 50000);
    EXPECT_EQ(coupons.codes(marketer, id).value().at(0).redemptions, kRacers);
}

TEST_F(CouponsTest, ATillMeetsAnotherOnAPublicCodeOnlyAtItsCommit) {
    const long long id = campaign(kTenPercent, "SHARED");
    const auto [waited_at, outcome] = commit_while_campaign_held(id, "shared", [](soci::session&) {});
    // At the campaign's counter, sent with its COMMIT; not at a read of the code or the campaign.
    EXPECT_FALSE(waited_at.starts_with("SELECT")) << "the till waited at: " << waited_at.substr(0, 200);
    EXPECT_NE(waited_at.find("UPDATE coupon_campaigns SET redemptions = redemptions + 1"), std::string::npos)
        << "the till waited at: " << waited_at.substr(0, 200);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(coupons.get(marketer, id)->redemptions, 1);
}

TEST_F(CouponsTest, ACampaignEndedWhileATillPricedItsPublicCodeIsNotRedeemed) {
    // The till read the campaign, unlocked, while it was published; it ends before the till commits.
    const long long id = campaign(kTenPercent, "ENDING");
    const auto [waited_at, outcome] = commit_while_campaign_held(id, "ending", [id](soci::session& other) {
        other << "UPDATE coupon_campaigns SET status = 'ended' WHERE id = :id", soci::use(id);
    });
    ASSERT_FALSE(waited_at.empty()) << "the till never waited for the campaign's row";
    ASSERT_FALSE(outcome.has_value()) << "a campaign that ended first was redeemed";
    EXPECT_EQ(outcome.error().code, ErrorCode::kCouponNotFound) << "priced again by what is true now";
    EXPECT_EQ(world.db.count("coupon_redemptions"), 0);
    EXPECT_EQ(coupons.get(marketer, id)->redemptions, 0);
    EXPECT_EQ(world.db.count("purchases"), 0) << "nothing of the first try is kept";
}

TEST_F(CouponsTest, AMemberRacingTheirOwnTillsGetsAPublicCodeOnlyAsOftenAsTheirLimitAllows) {
    // No campaign lock here: the member's account lock, which each of their commits takes first, keeps
    // the count of their redemptions.
    json document = kTenPercent;
    document["limits"] = {{"per_member", 2}};
    const long long id = campaign(document, "TWICE");
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    constexpr int kRacers = 12;
    const auto outcomes = race(kRacers, "twice-", "twice", sara.card_number);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "OK"), 2);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "COUPON_LIMIT_REACHED"), kRacers - 2);
    EXPECT_EQ(coupons.get(marketer, id)->redemptions, 2);
}

TEST_F(CouponsTest, AVoidGivesTheCodeBackAndAPartialReturnRevokesOnlyBelowTheMinimum) {
    json document = kTenPercent;
    document["conditions"] = {{"min_basket", 600000}};
    const long long id = campaign(document);
    const std::string code = code_of(id);
    ASSERT_TRUE(commit(world.purchase("1", 1000000), {code}).has_value());
    const auto voided = take_back("v1", "1", {}, true);
    ASSERT_TRUE(voided.has_value()) << voided.error().message;
    EXPECT_EQ(json::parse(voided->body)["coupons"]["given_back"][0]["code"], code);
    EXPECT_EQ(coupons.get(marketer, id)->redemptions, 0);

    core::Purchase two_lines = world.purchase("2", 1000000);
    two_lines.lines = {{1, "COF-1", "coffee", 1000, 300000, 300000, 0}, {2, "CAKE", "bakery", 1000, 700000, 700000, 0}};
    ASSERT_TRUE(commit(two_lines, {code}).has_value()) << "usable again after the void";
    const auto small_return = take_back("r1", "2", {{1, 1000}});
    ASSERT_TRUE(small_return.has_value());
    EXPECT_TRUE(json::parse(small_return->body)["coupons"]["given_back"].empty()) << "700,000 left: above 600,000";
    const auto big_return = take_back("r2", "2", {{2, 1000}});
    ASSERT_TRUE(big_return.has_value());
    EXPECT_EQ(json::parse(big_return->body)["coupons"]["given_back"][0]["discount"], 100000) << "nothing left";
}

TEST_F(CouponsTest, EachRefusalReachesTheTillWithItsOwnCode) {
    json later = kTenPercent;
    later["valid_from"] = "2030-01-01T00:00:00Z";
    json elsewhere = kTenPercent;
    elsewhere["scope"] = {{"stores", {"S001"}}};
    json big = kTenPercent;
    big["conditions"] = {{"min_basket", 5000000}};
    const std::string not_yet = code_of(campaign(later));
    const std::string wrong_store = code_of(campaign(elsewhere));
    const std::string too_small = code_of(campaign(big));
    const auto code = [&](const std::string& coupon) {
        const auto done = commit(world.purchase("x-" + coupon, 100000), {coupon});
        return done ? std::string("OK") : std::string(core::code_name(done.error().code));
    };
    EXPECT_EQ(code(not_yet), "COUPON_NOT_YET_VALID");
    EXPECT_EQ(code(wrong_store), "COUPON_WRONG_STORE");
    EXPECT_EQ(code(too_small), "COUPON_BASKET_TOO_SMALL");
    EXPECT_EQ(code("NOSUCHCODE"), "COUPON_NOT_FOUND");
    const auto draft = coupons.create(marketer, campaign_document(kTenPercent));
    ASSERT_TRUE(coupons.add_codes(marketer, draft->id, codes_request({{"code", "DRAFTONLY"}})).has_value());
    EXPECT_EQ(code("DRAFTONLY"), "COUPON_NOT_FOUND") << "a draft's codes do not work yet";
    EXPECT_EQ(world.db.count("coupon_redemptions"), 0);
}

TEST_F(CouponsTest, BulkCodesAreDistinctUnambiguousAndAssignable) {
    const auto made = coupons.create(marketer, campaign_document(kTenPercent));
    const auto added =
        coupons.add_codes(marketer, made->id, codes_request({{"count", 2000}, {"length", 8}, {"prefix", "sum-"}}));
    ASSERT_TRUE(added.has_value()) << added.error().message;
    EXPECT_EQ(*added, 2000);
    const auto codes = coupons.codes(marketer, made->id).value();
    std::set<std::string> distinct;
    for (const auto& code : codes) {
        distinct.insert(code.code);
        ASSERT_EQ(code.code.size(), 12U);
        ASSERT_TRUE(code.code.starts_with("SUM-"));
        ASSERT_EQ(code.code.find_first_of("01IO", 4), std::string::npos) << code.code;
    }
    EXPECT_EQ(distinct.size(), 2000U);
    EXPECT_EQ(core::decode_coupon_codes_request({{"count", 5}, {"length", 5}}).error().field, "length");
    EXPECT_EQ(core::decode_coupon_codes_request({{"count", 0}}).error().field, "count");

    ASSERT_TRUE(coupons.publish(marketer, made->id).has_value());
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto reza = world.enrol("Reza Ahmadi", "09351112233", "reza@example.com");
    ASSERT_TRUE(coupons.assign(marketer, codes[0].code, core::CouponAssignment{sara.id}).has_value());
    ASSERT_TRUE(coupons.assign(marketer, codes[0].code, core::CouponAssignment{sara.id}).has_value());
    const auto issued = store::events_after(world.db.raw(), world.program_id, 0, 1000);
    ASSERT_EQ(std::ranges::count(issued, std::string("coupon_issued"), &store::OutboxEvent::type), 1)
        << "assigning it to her again tells nobody again";
    const auto event = std::ranges::find(issued, std::string("coupon_issued"), &store::OutboxEvent::type);
    EXPECT_EQ(event->member_id, sara.id);
    EXPECT_EQ(json::parse(event->data)["source"], "staff");
    EXPECT_EQ(json::parse(event->data)["campaign_id"], made->id);
    // Moved to Reza: he is told; then back to Sara: she is told again (it is hers anew).
    ASSERT_TRUE(coupons.assign(marketer, codes[1].code, core::CouponAssignment{reza.id}).has_value());
    ASSERT_TRUE(coupons.assign(marketer, codes[1].code, core::CouponAssignment{sara.id}).has_value());
    std::vector<long long> told;
    for (const auto& one : store::events_after(world.db.raw(), world.program_id, 0, 1000)) {
        if (one.type == "coupon_issued") told.push_back(one.member_id.value_or(0));
    }
    EXPECT_EQ(told, (std::vector<long long>{sara.id, reza.id, sara.id}));
    const auto other = commit(world.purchase("a1", 500000, reza.card_number), {codes[0].code});
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().code, ErrorCode::kCouponNotForMember);
    EXPECT_TRUE(commit(world.purchase("a2", 500000, sara.card_number), {codes[0].code}).has_value());
}

TEST_F(CouponsTest, AMergeGivesTheSurvivorTheOtherRecordsCouponsAndTheirUse) {
    json once_each = kTenPercent;
    once_each["limits"] = {{"per_member", 1}};
    const long long id = campaign(once_each);
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");
    ASSERT_TRUE(coupons.assign(marketer, code_of(id, 0), core::CouponAssignment{again.id}).has_value());
    ASSERT_TRUE(commit(world.purchase("m1", 500000, again.card_number), {code_of(id, 1)}).has_value());
    service::MemberMergeService merges(world.db.database(), world.keys, world.clock);
    ASSERT_TRUE(
        merges.merge({world.program_id, "Ali (support)", core::StaffRole::kSupport}, sara.id, again.id).has_value());
    const auto used = commit(world.purchase("m2", 500000, sara.card_number), {code_of(id, 0)});
    ASSERT_FALSE(used.has_value()) << "the code is Sara's now, but she used the campaign once already";
    EXPECT_EQ(used.error().code, ErrorCode::kCouponLimitReached);
}

TEST_F(CouponsTest, AReturnOfAPurchaseThatEarnedIntoTwoLotsChargesItsSpentPointsOnce) {
    campaign({{"name", "bonus"}, {"type", "bonus_points"}, {"amount", 25}}, "BONUS");
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    ASSERT_TRUE(commit(world.purchase("earlier", 500000, sara.card_number), {}).has_value());    // 50 points.
    ASSERT_TRUE(commit(world.purchase("1", 1000000, sara.card_number), {"BONUS"}).has_value());  // 25 + 100.
    core::Purchase spend = world.purchase("2", 1000000, sara.card_number);
    spend.redeem_points = 150;  // The oldest lot first (50), then lots of purchase 1.
    ASSERT_TRUE(commit(spend, {}).has_value());
    // Purchase 1's lots are partly spent: the return reverses what is left of them and charges the
    // spent part to the lots the member still holds, after the reversals (never counted twice).
    core::ReturnRequest whole = world.return_request("r1", "1", {{1, 1000}});
    ASSERT_TRUE(world.returns
                    .commit(world.terminal, whole, crypto::sha256(crypto::as_bytes(std::string("r1"))),
                            pos::encode_purchase_answer)
                    .has_value());
}

TEST_F(CouponsTest, VerifyFindsCountersThatDisagreeWithTheRedemptions) {
    const long long id = campaign(kTenPercent);
    const std::string code = code_of(id);
    ASSERT_TRUE(commit(world.purchase("1", 500000), {code}).has_value());
    EXPECT_TRUE(world.maintenance.verify()->empty());
    tampered_ = true;
    world.db.raw() << "UPDATE coupon_codes SET redemptions = 2 WHERE code = '" + code + "'";
    world.db.raw() << "UPDATE coupon_campaigns SET budget_used = budget_used + 1 WHERE id = " + std::to_string(id);
    const auto found = world.maintenance.verify().value();
    const auto mentions = [&](const std::string& what) {
        return std::any_of(found.begin(), found.end(), [&](const std::string& line) { return line.starts_with(what); });
    };
    EXPECT_TRUE(mentions("coupon code redemptions (rows vs counter)"));
    EXPECT_TRUE(mentions("single-use coupon code (used at most once)"));
    EXPECT_TRUE(mentions("coupon campaign budget used (rows vs counter)"));
}

}  // namespace
}  // namespace patron
