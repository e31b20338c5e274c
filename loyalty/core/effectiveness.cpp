#include "loyalty/core/effectiveness.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace patron::core {
namespace {

constexpr double kConfidence = 0.975;  // Two-sided 95%.

Comparison difference_of(double targeted, double holdout) {
    Comparison comparison{targeted, holdout, targeted - holdout, std::nullopt, std::nullopt};
    if (holdout != 0) comparison.relative = (targeted - holdout) / holdout;
    return comparison;
}

}  // namespace

std::optional<CampaignKind> parse_campaign_kind(std::string_view text) {
    if (text == "rule") return CampaignKind::kRule;
    if (text == "coupon") return CampaignKind::kCoupon;
    return std::nullopt;
}

std::string_view to_string(CampaignKind kind) { return kind == CampaignKind::kRule ? "rule" : "coupon"; }

double Sample::variance() const {
    if (count < 2) return 0;
    const double n = static_cast<double>(count);
    return std::max(0.0, (squares - sum * sum / n) / (n - 1.0));
}

double student_t_quantile(double probability, double degrees) {
    return boost::math::quantile(boost::math::students_t(degrees), probability);
}

Comparison compare_means(const Sample& targeted, const Sample& holdout) {
    Comparison comparison = difference_of(targeted.mean(), holdout.mean());
    if (targeted.count < 2 || holdout.count < 2) return comparison;
    const double a = targeted.variance() / static_cast<double>(targeted.count);
    const double b = holdout.variance() / static_cast<double>(holdout.count);
    if (a + b <= 0) return comparison;
    const double degrees =
        (a + b) * (a + b) /
        (a * a / static_cast<double>(targeted.count - 1) + b * b / static_cast<double>(holdout.count - 1));
    const double margin = student_t_quantile(kConfidence, degrees) * std::sqrt(a + b);
    comparison.interval = Interval{comparison.difference - margin, comparison.difference + margin};
    return comparison;
}

Comparison compare_shares(std::int64_t targeted_yes, std::int64_t targeted, std::int64_t holdout_yes,
                          std::int64_t holdout) {
    const double pt = targeted > 0 ? static_cast<double>(targeted_yes) / static_cast<double>(targeted) : 0;
    const double ph = holdout > 0 ? static_cast<double>(holdout_yes) / static_cast<double>(holdout) : 0;
    Comparison comparison = difference_of(pt, ph);
    if (targeted < 2 || holdout < 2) return comparison;
    const double spread = pt * (1 - pt) / static_cast<double>(targeted) + ph * (1 - ph) / static_cast<double>(holdout);
    if (spread <= 0) return comparison;
    const double margin = boost::math::quantile(boost::math::normal(), kConfidence) * std::sqrt(spread);
    comparison.interval = Interval{comparison.difference - margin, comparison.difference + margin};
    return comparison;
}

EffectivenessFigures effectiveness_figures(const EffectivenessReport& report) {
    const GroupTally& t = report.targeted;
    const GroupTally& h = report.holdout;
    EffectivenessFigures figures;
    figures.spend = compare_means(Sample{t.members, static_cast<double>(t.spend), t.spend_squares},
                                  Sample{h.members, static_cast<double>(h.spend), h.spend_squares});
    figures.visits =
        compare_means(Sample{t.members, static_cast<double>(t.visits), static_cast<double>(t.visits_squares)},
                      Sample{h.members, static_cast<double>(h.visits), static_cast<double>(h.visits_squares)});
    figures.purchase_rate = compare_shares(t.buyers, t.members, h.buyers, h.members);
    const double extra_spend = figures.spend.difference * static_cast<double>(t.members);
    if (t.members > 0 && h.members > 0 && extra_spend > 0) {
        figures.cost_per_uplift = static_cast<double>(report.cost.total()) / extra_spend;
    }
    return figures;
}

std::int64_t rounded(double x) {
    if (!std::isfinite(x)) return 0;
    constexpr double kLimit = 9e18;  // Inside int64 with room to spare.
    return static_cast<std::int64_t>(std::clamp(std::round(x), -kLimit, kLimit));
}

}  // namespace patron::core
