#include "api/feedback_routes.h"

#include <csv.h>

#include <nlohmann/json.hpp>

#include "api/request_body.h"
#include "loyalty/core/member_profile.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr Roles kReportReaders = kRoleAdmin | kRoleMarketer | kRoleAnalyst;
constexpr std::size_t kFeedbackBodyMax = 8 * 1024;  // 1000 characters of comment are at most 4000 bytes.

json optional_number(const std::optional<std::int64_t>& value) { return value ? json(*value) : json(nullptr); }
json optional_score(const std::optional<int>& value) { return value ? json(*value) : json(nullptr); }

// A CSV table (RFC 4180, CRLF), written cell by cell. The report routes' shared writer will take
// its place; the columns and their order are this report's own.
class CsvTable {
  public:
    explicit CsvTable(const std::vector<std::string>& header) { add_row(header); }
    void add_row(const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) text_ += ',';
            std::string cell(cells[i].size() * 2 + 2, '\0');
            cell.resize(csv_write(cell.data(), cell.size(), cells[i].data(), cells[i].size()));
            text_ += cell;
        }
        text_ += "\r\n";
    }
    const std::string& text() const { return text_; }

  private:
    std::string text_;
};

std::string cell(const std::optional<std::int64_t>& value) { return value ? std::to_string(*value) : std::string(); }

json encode_report_row(const core::FeedbackReportRow& row) {
    const core::FeedbackTally& tally = row.tally;
    const core::FeedbackFigures figures = core::feedback_figures(tally);
    return {{"period", core::format_date(row.period)},
            {"store", row.store.empty() ? json(nullptr) : json(row.store)},
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

std::string report_csv(const service::FeedbackReport& report) {
    CsvTable table({"period", "store", "responses", "nps_answers", "promoters", "detractors", "nps_x10", "csat_answers",
                    "csat_satisfied", "csat_satisfied_share_x10", "csat_mean_x100", "ces_answers", "ces_mean_x100"});
    for (const core::FeedbackReportRow& row : report.rows) {
        const core::FeedbackTally& tally = row.tally;
        const core::FeedbackFigures figures = core::feedback_figures(tally);
        table.add_row({core::format_date(row.period), row.store.empty() ? "all" : row.store,
                       std::to_string(tally.responses), std::to_string(tally.nps_answers),
                       std::to_string(tally.promoters), std::to_string(tally.detractors), cell(figures.nps_x10),
                       std::to_string(tally.csat_answers), std::to_string(tally.csat_satisfied),
                       cell(figures.csat_satisfied_x10), cell(figures.csat_mean_x100),
                       std::to_string(tally.ces_answers), cell(figures.ces_mean_x100)});
    }
    return table.text();
}

HttpResponse report_response(const core::Result<service::FeedbackReport>& report) {
    if (!report) return error_response(report.error());
    const core::FeedbackReportRequest& request = report->request;
    const std::string range = core::format_date(request.from) + "-to-" + core::format_date(request.to);
    if (request.csv) {
        return HttpResponse{200,
                            report_csv(*report),
                            "text/csv; charset=utf-8",
                            {{"Content-Disposition", "attachment; filename=\"feedback-" + range + ".csv\""}},
                            {}};
    }
    json rows = json::array();
    for (const core::FeedbackReportRow& row : report->rows) rows.push_back(encode_report_row(row));
    return json_response(200, {{"from", core::format_date(request.from)},
                               {"to", core::format_date(request.to)},
                               {"by", core::to_string(request.by)},
                               {"store", request.store ? json(*request.store) : json(nullptr)},
                               {"time_zone", report->time_zone},
                               {"rows", rows}});
}

json encode_comments(const service::FeedbackCommentPage& page) {
    json comments = json::array();
    for (const service::FeedbackComment& comment : page.comments) {
        const store::FeedbackEntry& entry = comment.entry;
        comments.push_back({{"purchase_id", entry.purchase_id},
                            {"store", entry.store_code},
                            {"visit_day", core::format_date(entry.visit_day)},
                            {"answered_at", core::format_utc(entry.answered_at, core::TimeFormat::kRfc3339)},
                            {"nps", optional_score(entry.nps)},
                            {"csat", optional_score(entry.csat)},
                            {"ces", optional_score(entry.ces)},
                            {"comment", comment.comment ? json(*comment.comment) : json(nullptr)}});
    }
    return {{"comments", comments},
            {"masked", page.masked},
            {"next_before", page.next_before ? json(*page.next_before) : json(nullptr)}};
}

json encode_awaiting(const std::vector<service::FeedbackPurchase>& purchases) {
    json list = json::array();
    for (const service::FeedbackPurchase& purchase : purchases) {
        list.push_back({{"purchase_id", purchase.purchase_id},
                        {"store", {{"code", purchase.store_code}, {"name", purchase.store_name}}},
                        {"business_day", core::format_date(purchase.business_day)},
                        {"received_at", core::format_utc(purchase.received_at, core::TimeFormat::kRfc3339)},
                        {"total", purchase.total},
                        {"currency", purchase.currency},
                        {"answer_until", core::format_utc(purchase.answer_until, core::TimeFormat::kRfc3339)}});
    }
    return {{"purchases", list}};
}

json encode_topic(const service::FeedbackTopic& topic) {
    return {{"store", {{"code", topic.store_code}, {"name", topic.store_name}}},
            {"business_day", core::format_date(topic.business_day)},
            {"answer_until", core::format_utc(topic.answer_until, core::TimeFormat::kRfc3339)},
            {"answered", topic.answered}};
}

json encode_given(const service::FeedbackGiven& given) {
    return {{"purchase_id", given.purchase_id},
            {"answered_at", core::format_utc(given.answered_at, core::TimeFormat::kRfc3339)}};
}

}  // namespace

std::vector<Route> feedback_routes(service::FeedbackService& feedback) {
    return {
        {"GET", "/v1/me/feedback", Caller::kMember, kNoRoles, true,
         [&feedback](const HttpRequest&, const CallContext& context) {
             return answer(feedback.awaiting(*context.member), 200, encode_awaiting);
         }},
        {"POST", "/v1/me/purchases/:id/feedback", Caller::kMember, kNoRoles, true,
         [&feedback](const HttpRequest& request, const CallContext& context) {
             const auto id = parse_id(request.param("id"));
             if (!id) return error_response({ErrorCode::kNotFound, "no purchase of yours to rate with this id", "id"});
             return with_request(request, core::decode_feedback_answer, [&](const core::FeedbackAnswer& sent) {
                 return answer(feedback.answer_own(*context.member, *id, sent), 201, encode_given);
             });
         },
         Expense::kOrdinary, kFeedbackBodyMax},
        {"GET", "/v1/feedback/:token", Caller::kAnyone, kNoRoles, true,
         [&feedback](const HttpRequest& request, const CallContext&) {
             return answer(feedback.topic(request.param("token")), 200, encode_topic);
         },
         Expense::kChecksToken},
        {"POST", "/v1/feedback/:token", Caller::kAnyone, kNoRoles, true,
         [&feedback](const HttpRequest& request, const CallContext&) {
             return with_request(request, core::decode_feedback_answer, [&](const core::FeedbackAnswer& sent) {
                 return answer(feedback.answer_by_link(request.param("token"), sent), 201, encode_given);
             });
         },
         Expense::kChecksToken, kFeedbackBodyMax},
        {"GET", "/v1/reports/feedback", Caller::kStaff, kReportReaders, true,
         [&feedback](const HttpRequest& request, const CallContext& context) {
             return report_response(feedback.report(*context.staff, request.query_params));
         }},
        {"GET", "/v1/reports/feedback/comments", Caller::kStaff, kReportReaders, true,
         [&feedback](const HttpRequest& request, const CallContext& context) {
             const auto window = page_window(request, service::kFeedbackCommentsPageDefault,
                                             service::kFeedbackCommentsPageMax, "a purchase id from next_before");
             if (!window) return error_response(window.error());
             return answer(feedback.comments(*context.staff, request.query_params, window->before, window->limit), 200,
                           encode_comments);
         }},
    };
}

}  // namespace patron::api
