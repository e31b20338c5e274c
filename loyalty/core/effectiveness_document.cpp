#include "loyalty/core/effectiveness_document.h"

#include <vector>

#include "loyalty/core/csv_writer.h"
#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

using nlohmann::json;

// A figure as it is printed: each value times `scale`, rounded half away from zero.
struct PrintedComparison {
    std::string name;
    std::int64_t targeted = 0;
    std::int64_t holdout = 0;
    std::int64_t uplift = 0;
    std::optional<std::int64_t> relative_x10;  // Tenths of a percent.
    std::optional<std::int64_t> low;
    std::optional<std::int64_t> high;
    bool significant = false;
};

PrintedComparison printed(std::string name, const Comparison& comparison, double scale) {
    PrintedComparison out{std::move(name),
                          rounded(comparison.targeted * scale),
                          rounded(comparison.holdout * scale),
                          rounded(comparison.difference * scale),
                          std::nullopt,
                          std::nullopt,
                          std::nullopt,
                          comparison.significant()};
    if (comparison.relative) out.relative_x10 = rounded(*comparison.relative * 1000);
    if (comparison.interval) {
        out.low = rounded(comparison.interval->low * scale);
        out.high = rounded(comparison.interval->high * scale);
    }
    return out;
}

std::vector<PrintedComparison> printed_figures(const EffectivenessFigures& figures) {
    return {printed("spend_per_member", figures.spend, 1), printed("visits_per_member_x1000", figures.visits, 1000),
            printed("purchase_rate_x10", figures.purchase_rate, 1000)};
}

json optional_number(const std::optional<std::int64_t>& value) { return value ? json(*value) : json(nullptr); }

std::optional<std::int64_t> cost_per_uplift_x1000(const EffectivenessFigures& figures) {
    if (!figures.cost_per_uplift) return std::nullopt;
    return rounded(*figures.cost_per_uplift * 1000);
}

json group_json(const GroupTally& group) {
    return {{"members", group.members}, {"spend", group.spend}, {"visits", group.visits}, {"buyers", group.buyers}};
}

}  // namespace

json effectiveness_report_json(const EffectivenessReport& report) {
    const EffectivenessFigures figures = effectiveness_figures(report);
    json out = {{"report", "effectiveness"},
                {"kind", std::string(to_string(report.kind))},
                {"id", report.id},
                {"name", report.name.empty() ? json(nullptr) : json(report.name)},
                {"holdout_percent", optional_number(report.holdout_percent)},
                {"from", format_date(report.query.from)},
                {"to", format_date(report.query.to)},
                {"time_zone", report.time_zone},
                {"groups", {{"targeted", group_json(report.targeted)}, {"holdout", group_json(report.holdout)}}}};
    for (const PrintedComparison& figure : printed_figures(figures)) {
        out[figure.name] = {{"targeted", figure.targeted},
                            {"holdout", figure.holdout},
                            {"uplift", figure.uplift},
                            {"uplift_relative_x10", optional_number(figure.relative_x10)},
                            {"interval_low", optional_number(figure.low)},
                            {"interval_high", optional_number(figure.high)},
                            {"significant", figure.significant}};
    }
    out["reward_cost"] = {
        {"points", report.cost.points},     {"points_value", report.cost.points_value},
        {"cashback", report.cost.cashback}, {"discounts", report.cost.discounts},
        {"total", report.cost.total()},     {"per_uplift_x1000", optional_number(cost_per_uplift_x1000(figures))}};
    return out;
}

std::string effectiveness_report_csv(const EffectivenessReport& report) {
    const EffectivenessFigures figures = effectiveness_figures(report);
    CsvWriter csv;
    for (const char* column : {"figure", "targeted", "holdout", "uplift", "uplift_relative_x10", "interval_low",
                               "interval_high", "significant"}) {
        csv.text(column);
    }
    csv.end_row();
    csv.text("members").number(report.targeted.members).number(report.holdout.members);
    csv.blank().blank().blank().blank().blank().end_row();
    for (const PrintedComparison& figure : printed_figures(figures)) {
        csv.text(figure.name).number(figure.targeted).number(figure.holdout).number(figure.uplift);
        csv.number_or_blank(figure.relative_x10).number_or_blank(figure.low).number_or_blank(figure.high);
        csv.text(figure.significant ? "yes" : "no").end_row();
    }
    csv.text("reward_cost").number(report.cost.total()).blank().blank().blank().blank().blank().blank().end_row();
    csv.text("reward_cost_per_uplift_x1000").number_or_blank(cost_per_uplift_x1000(figures));
    csv.blank().blank().blank().blank().blank().blank().end_row();
    return csv.csv();
}

}  // namespace patron::core
