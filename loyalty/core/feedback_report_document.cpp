#include "loyalty/core/feedback_report_document.h"

#include "loyalty/core/csv_writer.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/report_document.h"

namespace patron::core {
namespace {

using nlohmann::json;

json optional_number(const std::optional<std::int64_t>& value) { return value ? json(*value) : json(nullptr); }

json row_json(const FeedbackReportRow& row) {
    const FeedbackTally& tally = row.tally;
    const FeedbackFigures figures = feedback_figures(tally);
    return {{"period", row.period.name},
            {"from", format_date(row.period.first)},
            {"to", format_date(row.period.last)},
            {"store", row.store.empty() ? json(nullptr) : json(row.store)},
            {"segment", row.segment.empty() ? json(nullptr) : json(row.segment)},
            {"responses", tally.responses},
            {"nps",
             {{"answers", tally.nps_answers},
              {"promoters", tally.promoters},
              {"passives", tally.nps_answers - tally.promoters - tally.detractors},
              {"detractors", tally.detractors},
              {"score_x10", optional_number(figures.nps_x10)}}},
            {"csat",
             {{"answers", tally.csat_answers},
              {"satisfied", tally.csat_satisfied},
              {"satisfied_share_x10", optional_number(figures.csat_satisfied_x10)},
              {"mean_x100", optional_number(figures.csat_mean_x100)}}},
            {"ces", {{"answers", tally.ces_answers}, {"mean_x100", optional_number(figures.ces_mean_x100)}}}};
}

constexpr const char* kCsvColumns[] = {"period",
                                       "from",
                                       "to",
                                       "scope",
                                       "store",
                                       "responses",
                                       "nps_answers",
                                       "promoters",
                                       "detractors",
                                       "nps_x10",
                                       "csat_answers",
                                       "csat_satisfied",
                                       "csat_satisfied_share_x10",
                                       "csat_mean_x100",
                                       "ces_answers",
                                       "ces_mean_x100"};

void row_csv(CsvWriter& csv, const FeedbackReportRow& row, const FeedbackSegments& segments) {
    const FeedbackTally& tally = row.tally;
    const FeedbackFigures figures = feedback_figures(tally);
    csv.text(row.period.name).text(format_date(row.period.first)).text(format_date(row.period.last));
    csv.text(row.store.empty() ? "all" : "store").text(row.store);
    csv.number(tally.responses).number(tally.nps_answers).number(tally.promoters).number(tally.detractors);
    csv.number_or_blank(figures.nps_x10).number(tally.csat_answers).number(tally.csat_satisfied);
    csv.number_or_blank(figures.csat_satisfied_x10).number_or_blank(figures.csat_mean_x100);
    csv.number(tally.ces_answers).number_or_blank(figures.ces_mean_x100);
    if (segments.by_rfm_segment) csv.text(row.segment);
    csv.end_row();
}

}  // namespace

json feedback_report_json(const FeedbackReport& report) {
    json rows = json::array();
    for (const FeedbackReportRow& row : report.rows) rows.push_back(row_json(row));
    json document = report_heading("feedback", report.query, report.time_zone);
    document["segment"] = report.segments.segment ? json(*report.segments.segment) : json(nullptr);
    document["by_segment"] = report.segments.by_rfm_segment ? json("rfm") : json(nullptr);
    document["rows"] = std::move(rows);
    return document;
}

std::string feedback_report_csv(const FeedbackReport& report) {
    CsvWriter csv;
    for (const char* column : kCsvColumns) csv.text(column);
    // The segment column only with rows per segment, so the report's CSV stays as it was otherwise.
    if (report.segments.by_rfm_segment) csv.text("segment");
    csv.end_row();
    for (const FeedbackReportRow& row : report.rows) row_csv(csv, row, report.segments);
    return csv.csv();
}

}  // namespace patron::core
