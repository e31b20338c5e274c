#include "loyalty/core/member_scores.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace patron::core {
namespace {

constexpr std::array<std::pair<RfmSegment, std::string_view>, 8> kSegmentCodes = {{
    {RfmSegment::kNone, "none"},
    {RfmSegment::kChampions, "champions"},
    {RfmSegment::kAtRisk, "at_risk"},
    {RfmSegment::kLoyal, "loyal"},
    {RfmSegment::kPotential, "potential"},
    {RfmSegment::kLost, "lost"},
    {RfmSegment::kHibernating, "hibernating"},
    {RfmSegment::kNeedsAttention, "needs_attention"},
}};

constexpr std::array<std::pair<ChurnBand, std::string_view>, 4> kBandCodes = {{
    {ChurnBand::kNone, "none"},
    {ChurnBand::kLow, "low"},
    {ChurnBand::kMedium, "medium"},
    {ChurnBand::kHigh, "high"},
}};

// The code of `value` in a table of (value, code) pairs; the first row's code for a value not listed.
template <typename Value, std::size_t N>
std::string_view code_of(const std::array<std::pair<Value, std::string_view>, N>& table, Value value) {
    for (const auto& [known, code] : table) {
        if (known == value) return code;
    }
    return table.front().second;
}

template <typename Value, std::size_t N>
std::optional<Value> value_of(const std::array<std::pair<Value, std::string_view>, N>& table, std::string_view code) {
    for (const auto& [value, known] : table) {
        if (known == code) return value;
    }
    return std::nullopt;
}

// One row of the segment table: each bound is inclusive, and the first matching row wins.
struct SegmentRow {
    RfmSegment segment;
    int r_min, r_max, f_min, f_max, m_min;
};
constexpr std::array<SegmentRow, 7> kSegmentTable = {{
    {RfmSegment::kChampions, 4, 5, 4, 5, 4},
    {RfmSegment::kAtRisk, 1, 2, 3, 5, 1},
    {RfmSegment::kLoyal, 1, 5, 4, 5, 1},
    {RfmSegment::kPotential, 4, 5, 1, 2, 1},
    {RfmSegment::kLost, 1, 1, 1, 1, 1},
    {RfmSegment::kHibernating, 1, 2, 1, 2, 1},
    {RfmSegment::kNeedsAttention, 1, 5, 1, 5, 1},
}};

std::int64_t saturate(__int128 value) {
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(std::clamp<__int128>(value, kMin, kMax));
}

int days_between(LocalDate from, LocalDate to) {
    return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}

}  // namespace

std::string_view segment_code(RfmSegment segment) { return code_of(kSegmentCodes, segment); }
std::optional<RfmSegment> segment_from_code(std::string_view code) { return value_of(kSegmentCodes, code); }

RfmSegment rfm_segment(int r, int f, int m) {
    for (const SegmentRow& row : kSegmentTable) {
        if (r >= row.r_min && r <= row.r_max && f >= row.f_min && f <= row.f_max && m >= row.m_min) return row.segment;
    }
    return RfmSegment::kNeedsAttention;
}

std::string_view churn_band_code(ChurnBand band) { return code_of(kBandCodes, band); }
std::optional<ChurnBand> churn_band_from_code(std::string_view code) { return value_of(kBandCodes, code); }

ChurnBand churn_band(int probability_permille) {
    if (probability_permille >= kChurnHighFromPermille) return ChurnBand::kHigh;
    if (probability_permille >= kChurnMediumFromPermille) return ChurnBand::kMedium;
    return ChurnBand::kLow;
}

ChurnRisk churn_risk(int recency_days, std::int64_t purchases, int first_to_last_days) {
    if (purchases < 1) return {};
    const double mean_gap_days =
        purchases == 1 ? kSinglePurchaseGapDays
                       : std::max(1.0, static_cast<double>(first_to_last_days) / static_cast<double>(purchases - 1));
    const double still_active = std::exp(-static_cast<double>(std::max(recency_days, 0)) / mean_gap_days);
    const int permille = static_cast<int>(std::lround((1.0 - still_active) * 1000.0));
    return {permille, churn_band(permille)};
}

std::vector<int> quintile_scores(const std::vector<std::int64_t>& values) {
    std::vector<std::int64_t> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const auto n = static_cast<std::int64_t>(sorted.size());
    std::vector<int> scores;
    scores.reserve(values.size());
    for (const std::int64_t value : values) {
        const std::int64_t below = std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin();
        scores.push_back(static_cast<int>(1 + 5 * below / n));
    }
    return scores;
}

CustomerValue customer_value(const MemberActivity& activity, std::int64_t point_value_minor) {
    CustomerValue value;
    value.spend_minor = activity.spend_minor;
    value.points_earned = activity.points_earned;
    value.cashback_minor = activity.cashback_minor;
    value.coupon_discount_minor = activity.coupon_discount_minor;
    value.points_cost_minor = saturate(static_cast<__int128>(activity.points_earned) * point_value_minor);
    value.reward_cost_minor = saturate(static_cast<__int128>(value.points_cost_minor) + activity.cashback_minor +
                                       activity.coupon_discount_minor);
    value.net_value_minor = saturate(static_cast<__int128>(value.spend_minor) - value.reward_cost_minor);
    value.cost_minor = activity.cost_minor;
    if (activity.cost_minor && activity.every_line_costed) {
        value.margin_minor = saturate(static_cast<__int128>(value.spend_minor) - *activity.cost_minor);
        value.net_margin_minor = saturate(static_cast<__int128>(*value.margin_minor) - value.reward_cost_minor);
    }
    return value;
}

std::vector<MemberScore> score_members(const std::vector<MemberActivity>& activities, LocalDate today,
                                       std::int64_t point_value_minor) {
    std::vector<MemberScore> scores;
    scores.reserve(activities.size());
    // Rank inputs of the members who bought in the window; recency is negated (more recent is better).
    std::vector<std::int64_t> recency, frequency, monetary;
    std::vector<std::size_t> ranked;
    for (std::size_t i = 0; i < activities.size(); ++i) {
        const MemberActivity& activity = activities[i];
        MemberScore score;
        score.member_id = activity.member_id;
        score.frequency = activity.purchases;
        score.monetary_minor = activity.spend_minor;
        score.value = customer_value(activity, point_value_minor);
        if (activity.purchases > 0 && activity.first_purchase && activity.last_purchase) {
            const int days_since = std::max(0, days_between(*activity.last_purchase, today));
            score.recency_days = days_since;
            const ChurnRisk risk = churn_risk(days_since, activity.purchases,
                                              days_between(*activity.first_purchase, *activity.last_purchase));
            score.churn_permille = risk.probability_permille;
            score.churn_band = risk.band;
            recency.push_back(-days_since);
            frequency.push_back(activity.purchases);
            monetary.push_back(activity.spend_minor);
            ranked.push_back(i);
        }
        scores.push_back(std::move(score));
    }
    const std::vector<int> r = quintile_scores(recency);
    const std::vector<int> f = quintile_scores(frequency);
    const std::vector<int> m = quintile_scores(monetary);
    for (std::size_t k = 0; k < ranked.size(); ++k) {
        MemberScore& score = scores[ranked[k]];
        score.r_score = r[k];
        score.f_score = f[k];
        score.m_score = m[k];
        score.segment = rfm_segment(r[k], f[k], m[k]);
    }
    return scores;
}

}  // namespace patron::core
