// Member scores for insight: RFM quintiles and named segments, churn risk against the member's
// own purchase rhythm, and customer value net of what the programme gave back. Pure arithmetic
// over what a refresh read of each member's window; the formulas are the ones the README documents.
// Money and points stay integers; only the churn probability (a score, not money) uses a double.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "loyalty/core/time_zone.h"

namespace patron::core {

// What a member did in the window, as the refresh reads it. Dates are the programme's local dates.
struct MemberActivity {
    std::int64_t member_id = 0;
    std::int64_t purchases = 0;               // Purchases (not voided) in the window.
    std::optional<LocalDate> first_purchase;  // Local date of the first of them.
    std::optional<LocalDate> last_purchase;   // Local date of the last of them.
    std::int64_t spend_minor = 0;             // Purchase totals less returns and voids in the window.
    std::int64_t points_earned = 0;           // Points the purchases earned, less what returns took back.
    std::int64_t cashback_minor = 0;          // Cashback credited, less what returns took back.
    std::int64_t coupon_discount_minor = 0;   // Discounts of coupons redeemed and not given back.
    std::optional<std::int64_t> cost_minor;   // Line costs the till sent (kept quantities); none sent: nullopt.
    bool every_line_costed = false;           // Whether every line in the window carried a cost.
};

// Named RFM segments; the code is what the table and the API carry.
enum class RfmSegment { kNone, kChampions, kAtRisk, kLoyal, kPotential, kLost, kHibernating, kNeedsAttention };
std::string_view segment_code(RfmSegment segment);
std::optional<RfmSegment> segment_from_code(std::string_view code);
inline constexpr RfmSegment kAllSegments[] = {
    RfmSegment::kChampions, RfmSegment::kAtRisk,      RfmSegment::kLoyal,          RfmSegment::kPotential,
    RfmSegment::kLost,      RfmSegment::kHibernating, RfmSegment::kNeedsAttention, RfmSegment::kNone};

// The segment of quintile scores r, f, m (1..5): the first row of the documented table that
// matches, in this order: champions (R>=4, F>=4, M>=4), at_risk (R<=2, F>=3), loyal (F>=4),
// potential (R>=4, F<=2), lost (R=1, F=1), hibernating (R<=2, F<=2), needs_attention (the rest).
RfmSegment rfm_segment(int r, int f, int m);

enum class ChurnBand { kNone, kLow, kMedium, kHigh };
std::string_view churn_band_code(ChurnBand band);
std::optional<ChurnBand> churn_band_from_code(std::string_view code);
inline constexpr ChurnBand kAllChurnBands[] = {ChurnBand::kLow, ChurnBand::kMedium, ChurnBand::kHigh, ChurnBand::kNone};

// The rhythm assumed for a member with one purchase in the window, whose own gaps are unknown.
inline constexpr int kSinglePurchaseGapDays = 60;
// Band cut-offs on the probability in per-mille: low below 500, high from 800, medium between.
inline constexpr int kChurnMediumFromPermille = 500;
inline constexpr int kChurnHighFromPermille = 800;

struct ChurnRisk {
    int probability_permille = 0;
    ChurnBand band = ChurnBand::kNone;
};

// Exponential model of the member's rhythm: mean gap g = (last - first) / (purchases - 1) days
// (at least 1; kSinglePurchaseGapDays with one purchase); risk = 1 - exp(-recency / g).
ChurnRisk churn_risk(int recency_days, std::int64_t purchases, int first_to_last_days);
ChurnBand churn_band(int probability_permille);

// Quintile scores 1..5 of `values` where larger is better: 1 + floor(5 * b / n), b the number of
// values strictly below. Equal values get equal scores (the lower one of their tie).
std::vector<int> quintile_scores(const std::vector<std::int64_t>& values);

struct CustomerValue {
    std::int64_t spend_minor = 0;
    std::int64_t points_earned = 0;
    std::int64_t points_cost_minor = 0;  // Points earned at the programme's point value.
    std::int64_t cashback_minor = 0;
    std::int64_t coupon_discount_minor = 0;
    std::int64_t reward_cost_minor = 0;  // Points cost + cashback + coupon discounts.
    std::int64_t net_value_minor = 0;    // Spend - reward cost.
    std::optional<std::int64_t> cost_minor;
    std::optional<std::int64_t> margin_minor;      // Spend - cost, when every line carried a cost.
    std::optional<std::int64_t> net_margin_minor;  // Margin - reward cost.
};
// Sums saturate at the int64 range rather than wrap (they cannot get there with bounded inputs).
CustomerValue customer_value(const MemberActivity& activity, std::int64_t point_value_minor);

struct MemberScore {
    std::int64_t member_id = 0;
    std::optional<int> recency_days;  // Days from the last purchase to today; none: no purchase in the window.
    std::int64_t frequency = 0;
    std::int64_t monetary_minor = 0;
    std::optional<int> r_score;
    std::optional<int> f_score;
    std::optional<int> m_score;
    RfmSegment segment = RfmSegment::kNone;
    std::optional<int> churn_permille;
    ChurnBand churn_band = ChurnBand::kNone;
    CustomerValue value;
};

// Scores every member: quintiles rank only members with a purchase in the window (the others
// get segment none and churn band none, with their value still counted).
std::vector<MemberScore> score_members(const std::vector<MemberActivity>& activities, LocalDate today,
                                       std::int64_t point_value_minor);

}  // namespace patron::core
