#include "loyalty/core/points.h"

#include <gtest/gtest.h>

#include "loyalty/core/engine.h"
#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

Timestamp at(const char* date, int hour = 0) {
    return std::chrono::sys_days{*parse_date(date)} + std::chrono::hours(hour);
}

TEST(Lots, ExpireAtTheEndOfTheDayWholeCalendarMonthsAfterEarningClampedToTheMonthsEnd) {
    EXPECT_EQ(add_months(*parse_date("2026-01-31"), 1), *parse_date("2026-02-28"));
    EXPECT_EQ(add_months(*parse_date("2028-01-31"), 1), *parse_date("2028-02-29"));
    EXPECT_EQ(add_months(*parse_date("2026-11-22"), 12), *parse_date("2027-11-22"));
    EXPECT_EQ(add_months(*parse_date("2026-12-15"), 3), *parse_date("2027-03-15"));
    EXPECT_EQ(add_months(*parse_date("2027-03-31"), -1), *parse_date("2027-02-28"));
    const PointsPolicy policy{std::chrono::hours(24 * 14), 12, 1000, 10, NegativeBalancePolicy::kAllow};
    const LotDates dates = lot_dates(at("2026-11-22", 18), policy, *utc_time_zone());
    EXPECT_EQ(dates.pending_until, at("2026-12-06", 18)) << "the hold is a duration, not days";
    EXPECT_EQ(dates.expires_at, at("2027-11-23")) << "spendable to the end of 22 November a year later";
}

TEST(Lots, SpendingTakesFromTheLotsThatExpireFirst) {
    const std::vector<LotBalance> lots = {
        {1, 100, at("2027-06-01")}, {2, 50, at("2027-01-01")}, {3, 70, at("2027-01-01")}, {4, 0, at("2026-12-01")}};
    const auto takes = take_from_lots(lots, 140);
    ASSERT_EQ(takes.size(), 3U);
    EXPECT_EQ(takes[0].lot_id, 2);
    EXPECT_EQ(takes[0].points, 50);
    EXPECT_EQ(takes[1].lot_id, 3);
    EXPECT_EQ(takes[1].points, 70);
    EXPECT_EQ(takes[2].lot_id, 1);
    EXPECT_EQ(takes[2].points, 20);
    EXPECT_TRUE(take_from_lots(lots, 0).empty());
}

struct RedemptionCase {
    const char* name;
    std::int64_t points;
    std::int64_t available;
    std::int64_t total;
    const char* code;  // nullptr: allowed.
};

TEST(Redemption, IsCheckedAgainstBalanceMinimumAndTotal) {
    const PointsPolicy policy{std::chrono::seconds(0), 12, 1000, 10, NegativeBalancePolicy::kAllow};
    const RedemptionCase cases[] = {
        {"affordable", 100, 150, 900000, nullptr},
        {"exactly everything", 150, 150, 150000, nullptr},
        {"below the minimum", 9, 150, 900000, "REDEMPTION_BELOW_MINIMUM"},
        {"more than the balance", 151, 150, 900000, "POINTS_INSUFFICIENT"},
        {"negative balance", 10, -20, 900000, "POINTS_INSUFFICIENT"},
        {"worth more than the purchase", 100, 150, 99999, "REDEMPTION_EXCEEDS_TOTAL"},
    };
    for (const RedemptionCase& c : cases) {
        SCOPED_TRACE(c.name);
        const auto redemption = plan_redemption(c.points, c.available, c.total, policy);
        if (c.code == nullptr) {
            ASSERT_TRUE(redemption.has_value()) << redemption.error().message;
            EXPECT_EQ(redemption->value_minor, c.points * 1000);
        } else {
            ASSERT_FALSE(redemption.has_value());
            EXPECT_EQ(code_name(redemption.error().code), c.code);
            EXPECT_EQ(redemption.error().field, "redeem_points");
        }
    }
    EXPECT_EQ(code_name(plan_redemption(10, 100, 900000, PointsPolicy{}).error().code), "NOT_AVAILABLE");
}

TEST(Redemption, ThePartPaidWithPointsEarnsNothing) {
    Purchase purchase{};
    purchase.currency = *find_currency("IRR");
    purchase.lines = {{1, "COF-1", "coffee", 2000, 450000, 900000, 0}};
    purchase.total = 900000;
    purchase.redeem_points = 300;  // Worth 300,000 IRR.
    RuleSet rules;
    rules.version = 4;
    Rule base;
    base.id = "base";
    base.name = "Club points";
    base.points = 1;
    base.per_amount = 10000;
    rules.rules = {base};
    rules.points.point_value_minor = 1000;
    MemberState state;
    state.points_available = 500;
    const auto outcome = evaluate(purchase, state, rules, Timestamp{});
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->points_redeemed(), 300);
    EXPECT_EQ(outcome->redeemed_value(), 300000);
    EXPECT_EQ(outcome->points_earned(), 60);
    EXPECT_EQ(outcome->effects[0].receipt_line, "Points used: -300 (300,000 IRR)");

    purchase.redeem_points = 501;
    EXPECT_EQ(evaluate(purchase, state, rules, Timestamp{}).error().code, ErrorCode::kPointsInsufficient);
}

}  // namespace
}  // namespace patron::core
