#include "loyalty/core/member_scores.h"

#include <gtest/gtest.h>

#include <limits>

namespace patron::core {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

constexpr LocalDate kToday{year{2025}, month{6}, day{30}};

// A member who bought every `gap_days` days, `purchases` times, the last `recency_days` ago.
MemberActivity rhythm(std::int64_t member_id, int purchases, int gap_days, int recency_days,
                      std::int64_t spend_minor = 1000) {
    MemberActivity activity;
    activity.member_id = member_id;
    activity.purchases = purchases;
    activity.last_purchase = add_days(kToday, -recency_days);
    activity.first_purchase = add_days(*activity.last_purchase, -gap_days * (purchases - 1));
    activity.spend_minor = spend_minor;
    return activity;
}

TEST(ChurnRisk, WeeklyBuyerWhoStoppedThirtyDaysAgoIsHighRisk) {
    const ChurnRisk risk = churn_risk(30, 10, 63);  // Every 7 days: 9 gaps over 63 days.
    EXPECT_EQ(risk.probability_permille, 986);      // 1 - exp(-30/7).
    EXPECT_EQ(risk.band, ChurnBand::kHigh);
}

TEST(ChurnRisk, BuyerEverySixtyDaysLastSeenThirtyDaysAgoIsLowRisk) {
    const ChurnRisk risk = churn_risk(30, 5, 240);  // Every 60 days.
    EXPECT_EQ(risk.probability_permille, 393);      // 1 - exp(-30/60).
    EXPECT_EQ(risk.band, ChurnBand::kLow);
}

TEST(ChurnRisk, AMemberAtTheirMeanGapIsMediumAndAtTwiceItHigh) {
    EXPECT_EQ(churn_risk(20, 3, 40).probability_permille, 632);  // 1 - exp(-1).
    EXPECT_EQ(churn_risk(20, 3, 40).band, ChurnBand::kMedium);
    EXPECT_EQ(churn_risk(40, 3, 40).probability_permille, 865);  // 1 - exp(-2).
    EXPECT_EQ(churn_risk(40, 3, 40).band, ChurnBand::kHigh);
}

TEST(ChurnRisk, OnePurchaseIsMeasuredAgainstASixtyDayRhythm) {
    EXPECT_EQ(churn_risk(41, 1, 0).band, ChurnBand::kLow);
    EXPECT_EQ(churn_risk(42, 1, 0).band, ChurnBand::kMedium);
    EXPECT_EQ(churn_risk(96, 1, 0).band, ChurnBand::kMedium);
    EXPECT_EQ(churn_risk(97, 1, 0).band, ChurnBand::kHigh);
}

TEST(ChurnRisk, PurchasesOnOneDayCountAsAOneDayRhythmAndTodayIsNoRisk) {
    EXPECT_EQ(churn_risk(0, 4, 0).probability_permille, 0);
    EXPECT_EQ(churn_risk(1, 4, 0).probability_permille, 632);  // Mean gap floored at one day.
}

TEST(ChurnRisk, BandCutOffsAreInclusiveFromBelow) {
    EXPECT_EQ(churn_band(499), ChurnBand::kLow);
    EXPECT_EQ(churn_band(500), ChurnBand::kMedium);
    EXPECT_EQ(churn_band(799), ChurnBand::kMedium);
    EXPECT_EQ(churn_band(800), ChurnBand::kHigh);
}

TEST(Quintiles, TenDistinctValuesGoTwoToEachScore) {
    EXPECT_EQ(quintile_scores({10, 20, 30, 40, 50, 60, 70, 80, 90, 100}),
              (std::vector<int>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}));
    EXPECT_EQ(quintile_scores({50, 10, 40, 20, 30}), (std::vector<int>{5, 1, 4, 2, 3}));
}

TEST(Quintiles, TiesShareTheLowerScoreOfTheirGroup) {
    // Four values below 7 of ten: 1 + 5*4/10 = 3 for all three sevens.
    EXPECT_EQ(quintile_scores({1, 2, 3, 4, 7, 7, 7, 9, 10, 11}), (std::vector<int>{1, 1, 2, 2, 3, 3, 3, 4, 5, 5}));
    EXPECT_EQ(quintile_scores({5, 5, 5, 5}), (std::vector<int>{1, 1, 1, 1}));
    EXPECT_EQ(quintile_scores({1, 1, 1, 1, 2}), (std::vector<int>{1, 1, 1, 1, 5}));
}

TEST(Quintiles, ASingleMemberAndNoMembers) {
    EXPECT_EQ(quintile_scores({42}), (std::vector<int>{1}));
    EXPECT_TRUE(quintile_scores({}).empty());
}

struct SegmentCase {
    int r, f, m;
    RfmSegment expected;
};

TEST(RfmSegments, TheTableAppliesInItsDocumentedOrder) {
    const std::vector<SegmentCase> cases = {
        {5, 5, 5, RfmSegment::kChampions},      {4, 4, 4, RfmSegment::kChampions},
        {5, 5, 3, RfmSegment::kLoyal},   // Champions need M >= 4.
        {2, 5, 5, RfmSegment::kAtRisk},  // At risk comes before loyal.
        {1, 3, 1, RfmSegment::kAtRisk},         {3, 4, 1, RfmSegment::kLoyal},
        {5, 1, 5, RfmSegment::kPotential},      {4, 2, 1, RfmSegment::kPotential},
        {1, 1, 5, RfmSegment::kLost},  // Lost comes before hibernating.
        {1, 2, 1, RfmSegment::kHibernating},    {2, 1, 1, RfmSegment::kHibernating},
        {3, 3, 3, RfmSegment::kNeedsAttention}, {3, 1, 1, RfmSegment::kNeedsAttention},
        {5, 3, 5, RfmSegment::kNeedsAttention},
    };
    for (const SegmentCase& c : cases) {
        EXPECT_EQ(rfm_segment(c.r, c.f, c.m), c.expected) << c.r << c.f << c.m;
    }
}

TEST(RfmSegments, EveryScoreCombinationHasASegmentAndCodesRoundTrip) {
    for (int r = 1; r <= 5; ++r)
        for (int f = 1; f <= 5; ++f)
            for (int m = 1; m <= 5; ++m) EXPECT_NE(rfm_segment(r, f, m), RfmSegment::kNone);
    for (const RfmSegment segment : kAllSegments) EXPECT_EQ(segment_from_code(segment_code(segment)), segment);
    for (const ChurnBand band : kAllChurnBands) EXPECT_EQ(churn_band_from_code(churn_band_code(band)), band);
    EXPECT_FALSE(segment_from_code("vip").has_value());
}

TEST(CustomerValue, RewardCostAddsPointsAtTheirValueCashbackAndDiscounts) {
    MemberActivity activity;
    activity.spend_minor = 100'000 - 20'000;  // Bought 1,000.00, returned 200.00.
    activity.points_earned = 800 - 160;       // Earned 800 points, the return took 160 back.
    activity.cashback_minor = 1'500;
    activity.coupon_discount_minor = 2'000;
    const CustomerValue value = customer_value(activity, 5);
    EXPECT_EQ(value.spend_minor, 80'000);
    EXPECT_EQ(value.points_cost_minor, 3'200);
    EXPECT_EQ(value.reward_cost_minor, 6'700);
    EXPECT_EQ(value.net_value_minor, 73'300);
    EXPECT_FALSE(value.cost_minor.has_value());
    EXPECT_FALSE(value.margin_minor.has_value());
}

TEST(CustomerValue, MarginNeedsACostOnEveryLine) {
    MemberActivity activity;
    activity.spend_minor = 10'000;
    activity.cashback_minor = 500;
    activity.cost_minor = 6'000;
    activity.every_line_costed = true;
    CustomerValue value = customer_value(activity, 0);
    EXPECT_EQ(value.margin_minor, 4'000);
    EXPECT_EQ(value.net_margin_minor, 3'500);
    activity.every_line_costed = false;
    value = customer_value(activity, 0);
    EXPECT_EQ(value.cost_minor, 6'000);
    EXPECT_FALSE(value.margin_minor.has_value());
    EXPECT_FALSE(value.net_margin_minor.has_value());
}

TEST(CustomerValue, HugePointCostsSaturateInsteadOfWrapping) {
    MemberActivity activity;
    activity.points_earned = std::numeric_limits<std::int64_t>::max() / 2;
    const CustomerValue value = customer_value(activity, 1'000);
    EXPECT_EQ(value.points_cost_minor, std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(value.net_value_minor, -std::numeric_limits<std::int64_t>::max());
}

TEST(ScoreMembers, RanksOnlyBuyersInTheWindowAndNamesTheirSegments) {
    std::vector<MemberActivity> activities;
    for (int i = 1; i <= 10; ++i) {
        // Member i: i purchases every 3 days, last seen 11 - i days ago, spending i * 1000.
        activities.push_back(rhythm(i, i, 3, 11 - i, i * 1000));
    }
    MemberActivity idle;
    idle.member_id = 11;
    idle.spend_minor = -500;  // Only a return of an older purchase in the window.
    activities.push_back(idle);
    const std::vector<MemberScore> scores = score_members(activities, kToday, 0);
    ASSERT_EQ(scores.size(), 11U);
    EXPECT_EQ(scores[0].recency_days, 10);
    EXPECT_EQ(scores[0].r_score, 1);
    EXPECT_EQ(scores[0].f_score, 1);
    EXPECT_EQ(scores[0].segment, RfmSegment::kLost);
    EXPECT_EQ(scores[9].r_score, 5);
    EXPECT_EQ(scores[9].f_score, 5);
    EXPECT_EQ(scores[9].m_score, 5);
    EXPECT_EQ(scores[9].segment, RfmSegment::kChampions);
    EXPECT_EQ(scores[9].churn_band, ChurnBand::kLow);
    EXPECT_EQ(scores[10].segment, RfmSegment::kNone);
    EXPECT_EQ(scores[10].churn_band, ChurnBand::kNone);
    EXPECT_FALSE(scores[10].r_score.has_value());
    EXPECT_FALSE(scores[10].churn_permille.has_value());
    EXPECT_EQ(scores[10].value.net_value_minor, -500);
}

TEST(ScoreMembers, KnownChurnAnswersHoldThroughTheWholeScoring) {
    const std::vector<MemberScore> scores = score_members({rhythm(1, 12, 7, 30), rhythm(2, 5, 60, 30)}, kToday, 0);
    EXPECT_EQ(scores[0].churn_band, ChurnBand::kHigh);
    EXPECT_EQ(scores[1].churn_band, ChurnBand::kLow);
}

}  // namespace
}  // namespace patron::core
