// The feedback report's arithmetic: answers counted per store and local day (a tally), tallies
// rolled up into periods (day, ISO week from Monday, calendar month, or the whole range), and the
// figures shown from them in integers only:
//   NPS       = (promoters 9-10 - detractors 0-6) * 100 / NPS answers, in tenths of a point;
//   CSAT      = the share of 4-5 answers in tenths of a percent, and the mean answer x 100;
//   CES       = the mean answer x 100.
// Each rounded half away from zero; a figure is absent when no answer feeds it. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

struct FeedbackTally {
    std::int64_t responses = 0;
    std::int64_t nps_answers = 0;
    std::int64_t promoters = 0;   // NPS 9-10.
    std::int64_t detractors = 0;  // NPS 0-6.
    std::int64_t csat_answers = 0;
    std::int64_t csat_satisfied = 0;  // CSAT 4-5.
    std::int64_t csat_sum = 0;
    std::int64_t ces_answers = 0;
    std::int64_t ces_sum = 0;

    FeedbackTally& operator+=(const FeedbackTally& other);
    bool operator==(const FeedbackTally&) const = default;
};

struct FeedbackFigures {
    std::optional<std::int64_t> nps_x10;             // -1000 to 1000: 12.5 is 125.
    std::optional<std::int64_t> csat_satisfied_x10;  // 0 to 1000: 87.5 % is 875.
    std::optional<std::int64_t> csat_mean_x100;      // 100 to 500.
    std::optional<std::int64_t> ces_mean_x100;       // 100 to 700.
};

FeedbackFigures feedback_figures(const FeedbackTally& tally);

// numerator * scale / denominator rounded half away from zero; denominator > 0.
std::int64_t rounded_ratio(std::int64_t numerator, std::int64_t scale, std::int64_t denominator);

enum class FeedbackPeriod { kDay, kWeek, kMonth, kTotal };

// The first day of the period `date` falls in; the whole range's for kTotal.
LocalDate feedback_period_start(LocalDate date, FeedbackPeriod period, LocalDate range_from);

// The feedback report's request, with the parameters every report takes: from/to are inclusive
// local dates of the programme's time zone (at most 366 days; the last 30 days to `today` when
// absent), `by` the period, `store` a store code, `format` json or csv. Problems are
// VALIDATION_FAILED by parameter. Kept apart under feedback names so that the reports' shared
// parameter reading can replace this struct and its parser without touching the arithmetic.
struct FeedbackReportRequest {
    LocalDate from{};
    LocalDate to{};
    FeedbackPeriod by = FeedbackPeriod::kDay;
    std::optional<std::string> store;
    bool csv = false;
};

inline constexpr int kFeedbackReportDaysMax = 366;
inline constexpr int kFeedbackReportDaysDefault = 30;

Result<FeedbackReportRequest> parse_feedback_report_request(const std::map<std::string, std::string>& query,
                                                            LocalDate today);

const char* to_string(FeedbackPeriod period);

// One row of the report: a store's (or, with a segment later, a group's) tally in one period.
// The grouping is the seam for segments: today rows are keyed by store only.
struct FeedbackDayTally {
    std::string store;  // The store's code.
    LocalDate day{};
    FeedbackTally tally;
};

struct FeedbackReportRow {
    std::string store;  // Empty in the rows that total all stores.
    LocalDate period{};
    FeedbackTally tally;
};

// Per period: all stores together first (store ""), then each store by code.
std::vector<FeedbackReportRow> feedback_report_rows(const std::vector<FeedbackDayTally>& days, FeedbackPeriod by,
                                                    LocalDate from);

}  // namespace patron::core
