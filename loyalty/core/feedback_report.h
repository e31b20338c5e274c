// The feedback report's arithmetic: answers counted per store and local day (a tally), tallies
// rolled up into the report's periods (core/report_query.h: the query every report shares), and
// the figures shown from them in integers only:
//   NPS       = (promoters 9-10 - detractors 0-6) * 100 / NPS answers, in tenths of a point;
//   CSAT      = the share of 4-5 answers in tenths of a percent, and the mean answer x 100;
//   CES       = the mean answer x 100.
// Each rounded half away from zero; a figure is absent when no answer feeds it. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/report_query.h"
#include "loyalty/core/rounded_ratio.h"
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

// A store's tally on one local day, as the database counts it, of one RFM segment's members when
// the report asks for rows per segment.
struct FeedbackDayTally {
    std::string store;  // The store's code.
    LocalDate day{};
    FeedbackTally tally;
    std::string segment = {};  // The RFM segment ("none": no score, or no member); empty: not asked.
};

// One row of the report: a store's (or all stores') tally in one period, of all the answers the
// report counts or of one RFM segment's members.
struct FeedbackReportRow {
    std::string store;  // Empty in the rows that total all stores.
    ReportPeriod period;
    FeedbackTally tally;
    std::string segment = {};  // Empty in the rows of every segment.
};

// Which members' answers the report counts, by the memberships materialised at the last insight
// refresh (not the member's segment when they answered): `segment` keeps only the members of a
// rule-based segment or an RFM segment of that code; `by_rfm_segment` adds rows per RFM segment.
struct FeedbackSegments {
    std::optional<std::string> segment;
    bool by_rfm_segment = false;

    bool asked() const { return segment.has_value() || by_rfm_segment; }
};

// Per period of the query with answers: all stores together first (store ""), then each store
// with answers by code when the query asks for stores (only the named one when it names one: the
// programme's row stays whole); then the same per RFM segment when the days carry one. Days
// outside the query's range are left out.
std::vector<FeedbackReportRow> feedback_report_rows(const std::vector<FeedbackDayTally>& days,
                                                    const ReportQuery& query);

struct FeedbackReport {
    ReportQuery query;
    std::string time_zone;
    std::vector<FeedbackReportRow> rows;
    FeedbackSegments segments = {};
};

}  // namespace patron::core
