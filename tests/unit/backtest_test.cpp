// The backtest's arithmetic without a database: the window a request means, the tier a member held
// at a past purchase, and a draft rated against purchases with known answers (a per-day cap that
// counts the window's own purchases, what points paid earning nothing, a stamp card filling,
// coupons left to their campaigns, and segment scopes and hold-outs judged per purchase's member).
#include "loyalty/core/backtest.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "tests/unit/sample_basket.h"

namespace patron::core {
namespace {

using nlohmann::json;

const FixedOffsetZone kTehran("Asia/Tehran", std::chrono::minutes(210));

LocalDate date(const char* text) { return *parse_date(text); }

TEST(BacktestWindow, DefaultsToTheThirtyDaysEndingYesterdayInTheProgrammesZone) {
    const auto window = backtest_window(std::nullopt, std::nullopt, date("2026-11-30"), kTehran);
    ASSERT_TRUE(window) << window.error().message;
    EXPECT_EQ(format_date(window->from), "2026-10-31");
    EXPECT_EQ(format_date(window->to), "2026-11-29");
    EXPECT_EQ(format_utc(window->starts_at, TimeFormat::kRfc3339), "2026-10-30T20:30:00.000000Z");
    EXPECT_EQ(format_utc(window->ends_at, TimeFormat::kRfc3339), "2026-11-29T20:30:00.000000Z");
}

TEST(BacktestWindow, RefusesAFutureEndAReversedWindowAndMoreThanAYear) {
    const LocalDate today = date("2026-11-30");
    EXPECT_EQ(backtest_window(std::nullopt, date("2026-12-01"), today, kTehran).error().field, "to");
    EXPECT_EQ(backtest_window(date("2026-11-20"), date("2026-11-10"), today, kTehran).error().field, "from");
    const auto long_window = backtest_window(date("2025-11-27"), date("2026-11-28"), today, kTehran);
    ASSERT_FALSE(long_window) << "367 days";
    EXPECT_EQ(long_window.error().field, "from");
    EXPECT_TRUE(backtest_window(date("2025-11-28"), date("2026-11-28"), today, kTehran)) << "366 days";
    EXPECT_TRUE(backtest_window(date("2026-11-30"), date("2026-11-30"), today, kTehran)) << "today so far";
}

TEST(BacktestTier, IsTheTierHeldWhenThePurchaseWasCommitted) {
    const Timestamp t0{std::chrono::seconds(1'790'000'000)};
    const auto at = [&](int hours) { return t0 + std::chrono::hours(hours); };
    const std::vector<TierChange> changes = {{"Member", "Silver", 10, at(10)}, {"Silver", "Gold", 20, at(20)}};
    EXPECT_EQ(tier_at(changes, "Gold", 5, at(5)), "Member") << "before any change";
    EXPECT_EQ(tier_at(changes, "Gold", 10, at(10)), "Member") << "the purchase that lifted the member";
    EXPECT_EQ(tier_at(changes, "Gold", 15, at(15)), "Silver");
    EXPECT_EQ(tier_at(changes, "Gold", 25, at(25)), "Gold");
    EXPECT_EQ(tier_at({}, "Silver", 25, at(25)), "Silver") << "no history: the current tier";
}

RuleSet draft() {
    auto parsed = parse_rule_set(json::parse(R"({
        "rules": [
          {"id": "base", "name": "Club points", "points": 1, "per_amount": 10000,
           "conditions": {"exclude_categories": ["gift_card"]}},
          {"id": "coffee2", "name": "Coffee double", "points": 1, "per_amount": 10000,
           "conditions": {"categories": ["coffee"]}, "limits": {"per_day": 100}}],
        "stamp_cards": [{"id": "visits", "name": "Visits", "goal": 2, "basis": "visit", "reward": {"points": 20}}]
    })"),
                                 0);
    EXPECT_TRUE(parsed);
    return *parsed;
}

PastPurchase past(std::int64_t id, std::int64_t member, const char* day, int hour) {
    PastPurchase purchase;
    purchase.id = id;
    purchase.member_id = member;
    purchase.purchase = basket();
    purchase.purchase.pos_time = local(day, hour, 0);
    purchase.received_at = purchase.purchase.pos_time.utc;
    purchase.tier = "Member";
    purchase.given.points["base"] = 115;
    return purchase;
}

const RuleComparison& rule(const BacktestReport& report, const std::string& id) {
    for (const RuleComparison& comparison : report.rules) {
        if (comparison.id == id) return comparison;
    }
    static const RuleComparison kNone;
    ADD_FAILURE() << "no rule " << id;
    return kNone;
}

TEST(Backtest, RatesTheDraftAgainstWhatThePublishedRulesGaveWithCapsCountingTheWindow) {
    Backtest backtest(draft());
    PastPurchase first = past(1, 7, "2026-11-22", 9);
    PastPurchase second = past(2, 7, "2026-11-22", 18);
    second.coupons = {CouponDiscount{"", 3, 1, 0, 50, ReceiptLine{}}};
    second.given.points["coupon:3"] = 50;  // The coupon's, not a rule's.
    second.given.stamps["visits"] = 1;
    PastPurchase third = past(3, 7, "2026-11-23", 9);
    third.returned = true;
    PastPurchase paid = past(4, 8, "2026-11-22", 12);
    paid.paid_otherwise = 165000;  // A tenth of the basket paid with points: it earns nothing.
    paid.given.points = {{"base", 103}, {"old", 5}};
    for (const PastPurchase& purchase : {first, second, third, paid}) backtest.rate(purchase);

    const BacktestReport report = backtest.report();
    EXPECT_EQ(report.rated, 4);
    EXPECT_EQ(report.returned, 1);
    // base 115 x 3 + 103; coffee2 90, then 10 under the day's cap of 100, 90 the next day, 81;
    // the visits card fills on the second visit (20 points).
    EXPECT_EQ(report.draft.points, 448 + 271 + 20);
    EXPECT_EQ(report.draft.stamps, 4);
    EXPECT_EQ(report.draft.stamp_rewards, 1);
    EXPECT_EQ(report.draft.purchases, 4);
    EXPECT_EQ(report.draft.members, 2);
    EXPECT_EQ(report.published.points, 448 + 5);
    EXPECT_EQ(report.published.stamps, 1);
    EXPECT_EQ(report.coupon_redemptions, 1);
    EXPECT_EQ(report.coupon_bonus_points, 50);

    const RuleComparison& coffee = rule(report, "coffee2");
    EXPECT_TRUE(coffee.in_draft);
    EXPECT_EQ(coffee.name, "Coffee double");
    EXPECT_EQ(coffee.draft.points, 271);
    EXPECT_EQ(coffee.draft.purchases, 4);
    EXPECT_EQ(coffee.published.points, 0);
    EXPECT_EQ(rule(report, "base").draft.points, rule(report, "base").published.points);
    const RuleComparison& visits = rule(report, "visits");
    EXPECT_EQ(visits.source, BacktestRuleKind::kStampCard);
    EXPECT_EQ(visits.draft.points, 20);
    EXPECT_EQ(visits.draft.members, 2);
    const RuleComparison& old = rule(report, "old");
    EXPECT_FALSE(old.in_draft);
    EXPECT_EQ(old.published.points, 5);
    EXPECT_EQ(old.published.members, 1);
    for (const RuleComparison& comparison : report.rules) EXPECT_FALSE(comparison.id.starts_with("coupon:"));
}

TEST(Backtest, ReportsTheDifferenceAndTheMoneyValueOfThePoints) {
    Backtest backtest(draft());
    backtest.rate(past(1, 7, "2026-11-22", 9));
    BacktestReport report = backtest.report();
    report.point_value_minor = 1000;
    const json document = backtest_json(report);
    EXPECT_EQ(document["totals"]["draft"]["points"], 115 + 90);
    EXPECT_EQ(document["totals"]["draft"]["points_value"], (115 + 90) * 1000);
    EXPECT_EQ(document["totals"]["published"]["points"], 115);
    EXPECT_EQ(document["totals"]["difference"]["points"], 90);
    EXPECT_EQ(document["totals"]["difference"]["points_value"], 90000);
    EXPECT_EQ(document["rules"][0]["kind"], "points");
    EXPECT_EQ(document["rules"][2]["kind"], "stamp_card");
}

TEST(Backtest, JudgesSegmentScopesAndHoldOutsByWhatEachPurchaseSaysOfItsMember) {
    auto rules = parse_rule_set(json::parse(R"({"rules": [
        {"id": "vip", "name": "VIP bonus", "kind": "bonus", "points": 50, "scope": {"segments": ["vip"]}},
        {"id": "trial", "name": "Trial", "kind": "bonus", "points": 30, "holdout": {"percent": 10}}]})"),
                                0);
    ASSERT_TRUE(rules);
    Backtest backtest(*rules);
    PastPurchase in_vip = past(1, 7, "2026-11-22", 9);
    in_vip.segments = {"vip"};
    PastPurchase held_out = past(2, 8, "2026-11-22", 9);
    held_out.held_out = {"trial"};
    for (const PastPurchase& purchase : {in_vip, held_out}) backtest.rate(purchase);

    const BacktestReport report = backtest.report();
    EXPECT_EQ(rule(report, "vip").draft.points, 50) << "only the segment's member";
    EXPECT_EQ(rule(report, "trial").draft.points, 30) << "not the held-out member";
    EXPECT_EQ(rule(report, "trial").draft.members, 1);
}

}  // namespace
}  // namespace patron::core
