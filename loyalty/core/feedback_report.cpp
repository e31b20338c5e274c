#include "loyalty/core/feedback_report.h"

#include <algorithm>
#include <chrono>

#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

using std::chrono::sys_days;

Result<LocalDate> date_parameter(const std::map<std::string, std::string>& query, const char* name,
                                 LocalDate fallback) {
    const auto it = query.find(name);
    if (it == query.end()) return fallback;
    const auto date = parse_date(it->second);
    if (!date) return fail(ErrorCode::kValidationFailed, "must be a date YYYY-MM-DD", name);
    return *date;
}

}  // namespace

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

std::int64_t rounded_ratio(std::int64_t numerator, std::int64_t scale, std::int64_t denominator) {
    const std::int64_t scaled = numerator * scale;
    const std::int64_t magnitude = ((scaled < 0 ? -scaled : scaled) * 2 + denominator) / (2 * denominator);
    return scaled < 0 ? -magnitude : magnitude;
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

LocalDate feedback_period_start(LocalDate date, FeedbackPeriod period, LocalDate range_from) {
    switch (period) {
        case FeedbackPeriod::kDay:
            return date;
        case FeedbackPeriod::kWeek: {
            const sys_days day{date};
            const unsigned since_monday = std::chrono::weekday{day}.iso_encoding() - 1;
            return LocalDate{day - std::chrono::days(since_monday)};
        }
        case FeedbackPeriod::kMonth:
            return LocalDate{date.year(), date.month(), std::chrono::day{1}};
        case FeedbackPeriod::kTotal:
            return range_from;
    }
    return date;
}

const char* to_string(FeedbackPeriod period) {
    switch (period) {
        case FeedbackPeriod::kDay:
            return "day";
        case FeedbackPeriod::kWeek:
            return "week";
        case FeedbackPeriod::kMonth:
            return "month";
        case FeedbackPeriod::kTotal:
            return "total";
    }
    return "day";
}

Result<FeedbackReportRequest> parse_feedback_report_request(const std::map<std::string, std::string>& query,
                                                            LocalDate today) {
    FeedbackReportRequest request;
    const auto to = date_parameter(query, "to", today);
    if (!to) return std::unexpected(to.error());
    const auto from =
        date_parameter(query, "from", LocalDate{sys_days{*to} - std::chrono::days(kFeedbackReportDaysDefault - 1)});
    if (!from) return std::unexpected(from.error());
    if (sys_days{*from} > sys_days{*to}) return fail(ErrorCode::kValidationFailed, "must not be before from", "to");
    if ((sys_days{*to} - sys_days{*from}).count() >= kFeedbackReportDaysMax) {
        return fail(ErrorCode::kValidationFailed,
                    "the range is at most " + std::to_string(kFeedbackReportDaysMax) + " days", "from");
    }
    request.from = *from;
    request.to = *to;
    if (const auto it = query.find("by"); it != query.end()) {
        static constexpr FeedbackPeriod kPeriods[] = {FeedbackPeriod::kDay, FeedbackPeriod::kWeek,
                                                      FeedbackPeriod::kMonth, FeedbackPeriod::kTotal};
        const auto found = std::find_if(std::begin(kPeriods), std::end(kPeriods),
                                        [&](FeedbackPeriod period) { return it->second == to_string(period); });
        if (found == std::end(kPeriods))
            return fail(ErrorCode::kValidationFailed, "must be day, week, month or total", "by");
        request.by = *found;
    }
    if (const auto it = query.find("store"); it != query.end()) {
        if (it->second.empty() || it->second.size() > 32) {
            return fail(ErrorCode::kValidationFailed, "must be a store code", "store");
        }
        request.store = it->second;
    }
    if (const auto it = query.find("format"); it != query.end()) {
        if (it->second != "json" && it->second != "csv") {
            return fail(ErrorCode::kValidationFailed, "must be json or csv", "format");
        }
        request.csv = it->second == "csv";
    }
    return request;
}

std::vector<FeedbackReportRow> feedback_report_rows(const std::vector<FeedbackDayTally>& days, FeedbackPeriod by,
                                                    LocalDate from) {
    // Keyed by (period, store): "" sorts first, so each period's total leads its stores.
    std::map<std::pair<sys_days, std::string>, FeedbackTally> rolled;
    for (const FeedbackDayTally& day : days) {
        const sys_days period{feedback_period_start(day.day, by, from)};
        rolled[{period, day.store}] += day.tally;
        rolled[{period, ""}] += day.tally;
    }
    std::vector<FeedbackReportRow> rows;
    rows.reserve(rolled.size());
    for (const auto& [key, tally] : rolled) rows.push_back({key.second, LocalDate{key.first}, tally});
    return rows;
}

}  // namespace patron::core
