#include "loyalty/core/tiers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/engine.h"
#include "loyalty/core/points.h"

namespace patron::core {
namespace {

using namespace std::chrono;

Timestamp at(int y, unsigned m, unsigned d) { return Timestamp{sys_days{year{y} / month{m} / day{d}}}; }

const TimeZone& kUtc = *utc_time_zone();

TierPolicy policy(const char* document) { return parse_tier_policy(nlohmann::json::parse(document), 1).value(); }

const char* kPoints = R"({"tiers": [{"name": "Bronze", "threshold": 0}, {"name": "Silver", "threshold": 100},
                                    {"name": "Gold", "threshold": 300}]})";

TEST(TierPolicy, DefaultsToTwelveRollingMonthsOfPointsOneStepDown) {
    const TierPolicy tiers = policy(kPoints);
    EXPECT_EQ(tiers.measure, TierMeasure::kPoints);
    EXPECT_EQ(tiers.window, TierWindow::kRolling);
    EXPECT_EQ(tiers.window_months, 12);
    EXPECT_EQ(tiers.downgrade, DowngradeMode::kOneStep);
    EXPECT_EQ(tiers.qualified_index(99), 0);
    EXPECT_EQ(tiers.qualified_index(100), 1);
    EXPECT_EQ(tiers.qualified_index(5000), 2);
    EXPECT_EQ(parse_tier_policy(tier_policy_document(tiers), 1)->tiers.size(), 3u) << "round trip";
}

TEST(TierPolicy, WindowsAndSecuredPeriods) {
    const TierPolicy rolling = policy(kPoints);
    EXPECT_EQ(measuring_window(rolling, at(2026, 11, 22), kUtc).from, at(2025, 11, 22));
    EXPECT_EQ(secured_until(rolling, at(2026, 11, 22), kUtc), at(2027, 11, 22));
    const TierPolicy yearly =
        policy(R"({"window": {"kind": "calendar_year"}, "tiers": [{"name": "A", "threshold": 0}]})");
    EXPECT_EQ(measuring_window(yearly, at(2026, 11, 22), kUtc).from, at(2026, 1, 1));
    EXPECT_EQ(measuring_window(yearly, at(2027, 1, 1), kUtc).from, at(2026, 1, 1)) << "a period ending on 1 January";
    EXPECT_EQ(secured_until(yearly, at(2026, 11, 22), kUtc), at(2028, 1, 1)) << "this year and the next";
}

TEST(TierPolicy, ReviewsKeepLowerOrRaise) {
    const TierPolicy tiers = policy(kPoints);
    const Timestamp end = at(2027, 11, 22);
    EXPECT_EQ(review_tier(tiers, "Gold", 350, end, end, kUtc).tier, "Gold");
    EXPECT_EQ(review_tier(tiers, "Gold", 350, end, end, kUtc).secured_until, at(2028, 11, 22));
    EXPECT_EQ(review_tier(tiers, "Gold", 0, end, end, kUtc).tier, "Silver");
    TierPolicy straight = tiers;
    straight.downgrade = DowngradeMode::kToQualified;
    EXPECT_EQ(review_tier(straight, "Gold", 0, end, end, kUtc).tier, "Bronze");
    EXPECT_EQ(review_tier(straight, "Silver", 400, end, end, kUtc).tier, "Gold");
    EXPECT_EQ(review_tier(tiers, "Gold", 0, end, at(2029, 1, 1), kUtc).secured_until, at(2030, 1, 1))
        << "a late review secures from when it ran";
}

TEST(TierPolicy, TheEngineUpgradesOnTheQualifyingPurchase) {
    auto rules =
        parse_rule_set(nlohmann::json::parse(R"({"rules": [{"id": "b", "points": 1, "per_amount": 1000}]})"), 3)
            .value();
    rules.tiers = std::make_shared<const TierPolicy>(policy(kPoints));
    Purchase purchase{};
    purchase.currency = *find_currency("IRR");
    purchase.lines = {{1, "A", "x", 1000, 20000, 20000, 0}};
    purchase.total = 20000;
    MemberState member;
    member.tier = "Bronze";
    member.tier_progress = 80;
    const auto outcome = evaluate(purchase, member, rules, Timestamp{});
    ASSERT_EQ(outcome->effects.size(), 2u);
    EXPECT_EQ(outcome->effects[1].kind, EffectKind::kTierChange);
    EXPECT_EQ(outcome->effects[1].tier, "Silver");
    EXPECT_EQ(outcome->effects[1].amount, 100);
    member.tier_progress = 79;
    EXPECT_EQ(evaluate(purchase, member, rules, Timestamp{})->effects.size(), 1u);
    member.identified = false;
    member.tier_progress = 500;
    EXPECT_EQ(evaluate(purchase, member, rules, Timestamp{})->effects.size(), 1u) << "anonymous: no tiers";
}

}  // namespace
}  // namespace patron::core
