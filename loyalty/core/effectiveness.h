// Campaign effectiveness against a hold-out (issue 17): the members a rule or coupon campaign
// found eligible, targeted or held out, compared on what they did afterwards, and whether the
// difference is larger than the noise. Pure arithmetic; docs/integration.md has the formulas.
//   spend and visits per member: Welch's two-sample 95% interval of the difference in means,
//     diff ± t(0.975, df) · se, se = √(s²t/nt + s²h/nh), df by Welch–Satterthwaite;
//   purchase rate (the share who bought at all): the two-proportion (Wald, unpooled) interval,
//     diff ± 1.959964 · √(pt(1−pt)/nt + ph(1−ph)/nh);
//   "significant" when the interval leaves out 0; no interval with fewer than 2 members in a group
//   (or no spread at all in either). The statistics use double; money comes out rounded to whole
//   minor units, other figures as scaled integers, half away from zero.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/report_query.h"

namespace patron::core {

// Rules of the rules document (earn and bonus rules, cashback rules, stamp cards: they share one
// id space) and coupon campaigns (by their number).
enum class CampaignKind { kRule, kCoupon };
std::optional<CampaignKind> parse_campaign_kind(std::string_view text);
std::string_view to_string(CampaignKind kind);

// One group's members and what they did in the report's range: sums over members, so the means
// and spreads follow without a row per member.
struct GroupTally {
    std::int64_t members = 0;
    std::int64_t spend = 0;    // Minor units.
    double spend_squares = 0;  // Sum over members of (their spend)².
    std::int64_t visits = 0;   // Purchases.
    std::int64_t visits_squares = 0;
    std::int64_t buyers = 0;  // Members with at least one purchase.
};

// A sample as its count, sum and sum of squares.
struct Sample {
    std::int64_t count = 0;
    double sum = 0;
    double squares = 0;

    double mean() const { return count > 0 ? sum / static_cast<double>(count) : 0.0; }
    // The unbiased (n − 1) variance; 0 below two values.
    double variance() const;
};

struct Interval {
    double low = 0;
    double high = 0;
    bool excludes_zero() const { return low > 0 || high < 0; }
};

// Targeted minus held out.
struct Comparison {
    double targeted = 0;
    double holdout = 0;
    double difference = 0;
    std::optional<double> relative;  // difference / holdout; none when the held-out figure is 0.
    std::optional<Interval> interval;
    bool significant() const { return interval && interval->excludes_zero(); }
};

// The quantile of Student's t distribution with `degrees` degrees of freedom (any real above 0),
// as Boost.Math computes it.
double student_t_quantile(double probability, double degrees);

// Welch's 95% interval of the difference in means.
Comparison compare_means(const Sample& targeted, const Sample& holdout);
// The 95% two-proportion interval of the difference in shares.
Comparison compare_shares(std::int64_t targeted_yes, std::int64_t targeted, std::int64_t holdout_yes,
                          std::int64_t holdout);

// What the campaign gave its targeted members in the range.
struct RewardCost {
    std::int64_t points = 0;        // Net of what returns took back.
    std::int64_t points_value = 0;  // Minor units: points x the programme's redemption value.
    std::int64_t cashback = 0;
    std::int64_t discounts = 0;
    std::int64_t total() const { return points_value + cashback + discounts; }
};

struct EffectivenessReport {
    ReportQuery query;  // The range and format; no periods, no store.
    std::string time_zone;
    CampaignKind kind = CampaignKind::kRule;
    std::string id;
    std::string name;  // The rule's or campaign's; empty when no published document names it any more.
    std::optional<std::int64_t> holdout_percent;
    GroupTally targeted;
    GroupTally holdout;
    RewardCost cost;
};

struct EffectivenessFigures {
    Comparison spend;
    Comparison visits;
    Comparison purchase_rate;
    // Reward cost / (spend uplift per member x targeted members): the cost of each minor unit of
    // extra spend. None when the uplift is not above 0.
    std::optional<double> cost_per_uplift;
};
EffectivenessFigures effectiveness_figures(const EffectivenessReport& report);

// x rounded half away from zero to a whole number (money in minor units, or a scaled figure).
std::int64_t rounded(double x);

}  // namespace patron::core
