#include "loyalty/core/returns.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

// 3 coffees (900,000, 90 points in lot 11), a cake (300,000, 30 points in lot 11 and a 10-point
// bonus in lot 12); 40 points redeemed for 40,000 of the 1,200,000 total.
const std::vector<OriginalLine> kLines = {{1, 3000, 900000, 0}, {2, 1000, 300000, 0}};
const std::vector<LotShare> kShares = {{11, 1, 90}, {11, 2, 30}, {12, 2, 10}};

Result<ReturnPlan> plan(const std::vector<OriginalLine>& lines, std::vector<ReturnedLine> asked) {
    return plan_return(lines, asked, false, kShares, 40, 40000, 1200000);
}

TEST(ReturnPlan, APartialReturnTakesItsLinesShareOfEachLot) {
    const auto one_coffee = plan(kLines, {{1, 1000}});
    ASSERT_TRUE(one_coffee.has_value());
    EXPECT_EQ(one_coffee->amount, 300000);
    EXPECT_EQ(one_coffee->lot_points.at(11), 30);
    EXPECT_FALSE(one_coffee->lot_points.contains(12));
    EXPECT_EQ(one_coffee->refund_points, 10);  // 40 x 300,000 / 1,200,000
    EXPECT_EQ(one_coffee->refund_value, 10000);
}

TEST(ReturnPlan, ThirdsOfALineAddUpToTheLineExactly) {
    std::vector<OriginalLine> lines = kLines;
    lines[0].quantity_milli = 3000;
    std::int64_t points = 0, amount = 0, refunded = 0;
    for (int i = 0; i < 3; ++i) {  // One unit at a time of a 3-unit line that earned 7 points.
        const auto step = plan_return(lines, {{1, 1000}}, false, {{11, 1, 7}}, 7, 7001, 900000);
        ASSERT_TRUE(step.has_value());
        points += step->lot_points.contains(11) ? step->lot_points.at(11) : 0;
        amount += step->amount;
        refunded += step->refund_points;
        lines[0].returned_milli += 1000;
    }
    EXPECT_EQ(points, 7) << "2 + 2 + 3: rounded down each time, exact in total";
    EXPECT_EQ(amount, 900000);
    EXPECT_EQ(refunded, 7);
}

TEST(ReturnPlan, RefusesWhatTheReceiptDoesNotHave) {
    EXPECT_EQ(plan(kLines, {{3, 1000}}).error().code, ErrorCode::kLineNotInReceipt);
    EXPECT_EQ(plan(kLines, {{1, 1000}, {1, 1000}}).error().field, "lines[1].line");
    const auto too_many = plan(kLines, {{2, 1001}});
    EXPECT_EQ(too_many.error().code, ErrorCode::kReturnExceedsPurchase);
    EXPECT_EQ(too_many.error().message, "only 1 of this line can still be returned");
    std::vector<OriginalLine> partly = kLines;
    partly[0].returned_milli = 2500;
    EXPECT_EQ(plan(partly, {{1, 501}}).error().message, "only 0.5 of this line can still be returned");
}

TEST(ReturnPlan, ASkuReturnFillsThatSkusLinesInLineOrderUpToWhatIsLeft) {
    // Coffee on lines 1 (3 units, 1 returned before) and 3 (2 units); a cake on line 2.
    const std::vector<OriginalLine> lines = {
        {1, 3000, 900000, 1000, "COF-1"}, {2, 1000, 300000, 0, "CAKE-3"}, {3, 2000, 600000, 0, "COF-1"}};
    const std::vector<LotShare> shares = {{11, 1, 90}, {11, 2, 30}, {11, 3, 60}};
    const auto three = plan_return(lines, {{0, 3000, "COF-1"}}, false, shares, 0, 0, 1800000);
    ASSERT_TRUE(three.has_value()) << three.error().message;
    ASSERT_EQ(three->lines.size(), 2u);
    EXPECT_EQ(three->lines[0].line, 1);
    EXPECT_EQ(three->lines[0].quantity_milli, 2000) << "what line 1 still has";
    EXPECT_EQ(three->lines[1].line, 3);
    EXPECT_EQ(three->lines[1].quantity_milli, 1000);
    EXPECT_EQ(three->lot_points.at(11), 60 + 30);

    const auto mixed = plan_return(lines, {{1, 2000}, {0, 3000, "COF-1"}}, false, shares, 0, 0, 1800000);
    EXPECT_EQ(mixed.error().code, ErrorCode::kReturnExceedsPurchase) << "line 1 is taken by number first";
    EXPECT_EQ(mixed.error().field, "lines[1].quantity");
    EXPECT_EQ(mixed.error().message, "only 2 of SKU COF-1 can still be returned");
    EXPECT_EQ(plan_return(lines, {{0, 1000, "TEA-2"}}, false, shares, 0, 0, 1800000).error().field, "lines[0].sku");
}

TEST(ReturnPlan, AVoidTakesEverythingLeftAndNothingTwice) {
    std::vector<OriginalLine> partly = kLines;
    partly[1].returned_milli = 1000;  // The cake went back already.
    const auto voided = plan_return(partly, {}, true, kShares, 40, 40000, 1200000);
    ASSERT_TRUE(voided.has_value());
    ASSERT_EQ(voided->lines.size(), 1u);
    EXPECT_EQ(voided->lot_points.at(11), 90);
    EXPECT_EQ(voided->refund_points, 30);  // 40 - the 10 the cake's return gave back.
    partly[0].returned_milli = 3000;
    EXPECT_EQ(plan_return(partly, {}, true, kShares, 40, 40000, 1200000).error().code, ErrorCode::kAlreadyVoided);
}

TEST(LotReversal, TakesTheLotThenTheSpentPartByPolicyThenCallsTheRestExpired) {
    const LotReversal in_lot = plan_lot_reversal(30, {50, 0, false, 50}, NegativeBalancePolicy::kAllow);
    EXPECT_EQ(in_lot.from_lot, 30);
    EXPECT_EQ(in_lot.charged + in_lot.shortfall + in_lot.expired, 0);
    // 10 left in the lot, 15 spent, 5 expired; the member has 14 available (the lot's 10 among them).
    const LotReversal allow = plan_lot_reversal(30, {10, 15, false, 14}, NegativeBalancePolicy::kAllow);
    EXPECT_EQ(allow.from_lot, 10);
    EXPECT_EQ(allow.charged, 15) << "all of it: the balance goes to -11";
    EXPECT_EQ(allow.expired, 5);
    const LotReversal clamp = plan_lot_reversal(30, {10, 15, false, 14}, NegativeBalancePolicy::kClamp);
    EXPECT_EQ(clamp.charged, 4) << "down to zero";
    EXPECT_EQ(clamp.shortfall, 11);
    const LotReversal pending = plan_lot_reversal(30, {30, 0, true, 0}, NegativeBalancePolicy::kClamp);
    EXPECT_EQ(pending.from_lot, 30) << "a pending lot's points are not in the available balance";
}

TEST(Allocation, EachEarningIsSplitOverItsLinesAndAddsUpExactly) {
    Purchase purchase{};
    purchase.key = {"S1", "T1", *parse_date("2026-11-22"), "1"};
    purchase.currency = *find_currency("IRR");
    purchase.lines = {{1, "A", "coffee", 1000, 10001, 10001, 0},
                      {2, "B", "coffee", 1000, 10001, 10001, 0},
                      {3, "C", "tobacco", 1000, 10001, 10001, 0},
                      {4, "D", "coffee", 1000, 50000, 50000, 20000}};
    purchase.total = 60003;
    const auto rules = parse_rule_set(nlohmann::json::parse(R"({"rules": [
        {"id": "base", "points": 1, "per_amount": 1000, "conditions": {"exclude_categories": ["tobacco"]}},
        {"id": "bonus", "kind": "bonus", "points": 7, "conditions": {"categories": ["coffee"]}}]})"),
                                      1);
    ASSERT_TRUE(rules.has_value());
    const auto outcome = evaluate(purchase, MemberState{}, *rules, Timestamp{});
    ASSERT_EQ(outcome->effects.size(), 2u);
    EXPECT_EQ(outcome->effects[0].amount, 50);  // 50,002 / 1,000
    std::map<std::size_t, std::int64_t> per_effect;
    std::map<int, std::int64_t> base_by_line;
    for (const LineEarning& share : allocate_earnings(purchase, *outcome, *rules)) {
        per_effect[share.effect] += share.points;
        if (share.effect == 0) base_by_line[share.line] = share.points;
        EXPECT_NE(share.line, 3) << "the excluded line earned nothing";
    }
    EXPECT_EQ(per_effect[0], 50);
    EXPECT_EQ(per_effect[1], 7);
    EXPECT_EQ(base_by_line[4], 30) << "the discounted line by its net 30,000";
}

TEST(Expiry, EndOfTheFollowingQuarter) {
    using namespace std::chrono;
    const auto on = [](int y, unsigned m, unsigned d) { return LocalDate{year{y} / month{m} / day{d}}; };
    EXPECT_EQ(end_of_next_quarter(on(2026, 11, 22)), on(2027, 3, 31));
    EXPECT_EQ(end_of_next_quarter(on(2026, 1, 1)), on(2026, 6, 30));
    EXPECT_EQ(end_of_next_quarter(on(2026, 3, 31)), on(2026, 6, 30));
    EXPECT_EQ(end_of_next_quarter(on(2026, 7, 15)), on(2026, 12, 31));
    PointsPolicy policy;
    policy.expiry_mode = ExpiryMode::kQuarterEnd;
    EXPECT_EQ(lot_dates(Timestamp{sys_days{on(2026, 5, 5)}}, policy, *utc_time_zone()).expires_at,
              Timestamp{sys_days{on(2026, 10, 1)}});
}

}  // namespace
}  // namespace patron::core
