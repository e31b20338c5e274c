#include "loyalty/core/feedback_report.h"

#include <map>

namespace patron::core {

FeedbackTally& FeedbackTally::operator+=(const FeedbackTally& other) {
    responses += other.responses;
    nps_answers += other.nps_answers;
    promoters += other.promoters;
    detractors += other.detractors;
    csat_answers += other.csat_answers;
    csat_satisfied += other.csat_satisfied;
    csat_sum += other.csat_sum;
    ces_answers += other.ces_answers;
    ces_sum += other.ces_sum;
    return *this;
}

FeedbackFigures feedback_figures(const FeedbackTally& tally) {
    FeedbackFigures figures;
    if (tally.nps_answers > 0) {
        figures.nps_x10 = rounded_ratio(tally.promoters - tally.detractors, 1000, tally.nps_answers);
    }
    if (tally.csat_answers > 0) {
        figures.csat_satisfied_x10 = rounded_ratio(tally.csat_satisfied, 1000, tally.csat_answers);
        figures.csat_mean_x100 = rounded_ratio(tally.csat_sum, 100, tally.csat_answers);
    }
    if (tally.ces_answers > 0) figures.ces_mean_x100 = rounded_ratio(tally.ces_sum, 100, tally.ces_answers);
    return figures;
}

std::vector<FeedbackReportRow> feedback_report_rows(const std::vector<FeedbackDayTally>& days,
                                                    const ReportQuery& query) {
    const std::vector<ReportPeriod> periods = report_periods(query.from, query.to, query.by);
    // Keyed by (period, store): "" sorts first, so each period's total leads its stores.
    std::map<std::pair<std::size_t, std::string>, FeedbackTally> rolled;
    for (const FeedbackDayTally& day : days) {
        const auto period = period_index(periods, day.day);
        if (!period) continue;
        rolled[{*period, ""}] += day.tally;
        if (query.per_store() && query.store.value_or(day.store) == day.store)
            rolled[{*period, day.store}] += day.tally;
    }
    std::vector<FeedbackReportRow> rows;
    rows.reserve(rolled.size());
    for (const auto& [key, tally] : rolled) rows.push_back({key.second, periods[key.first], tally});
    return rows;
}

}  // namespace patron::core
