#include "loyalty/core/feedback_report.h"

#include <map>
#include <tuple>

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
    // Keyed by (period, segment, store): "" sorts first, so each period's total leads its
    // stores, and every segment's rows follow those of all segments.
    std::map<std::tuple<std::size_t, std::string, std::string>, FeedbackTally> rolled;
    for (const FeedbackDayTally& day : days) {
        const auto period = period_index(periods, day.day);
        if (!period) continue;
        const bool store_row = query.per_store() && query.store.value_or(day.store) == day.store;
        const auto add = [&](const std::string& segment) {
            rolled[{*period, segment, ""}] += day.tally;
            if (store_row) rolled[{*period, segment, day.store}] += day.tally;
        };
        add("");
        if (!day.segment.empty()) add(day.segment);
    }
    std::vector<FeedbackReportRow> rows;
    rows.reserve(rolled.size());
    for (const auto& [key, tally] : rolled) {
        rows.push_back({std::get<2>(key), periods[std::get<0>(key)], tally, std::get<1>(key)});
    }
    return rows;
}

}  // namespace patron::core
