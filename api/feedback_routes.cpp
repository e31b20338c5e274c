#include "api/feedback_routes.h"

#include <nlohmann/json.hpp>

#include "api/member_documents.h"
#include "api/report_routes.h"
#include "api/request_body.h"
#include "loyalty/core/csv_writer.h"
#include "loyalty/core/feedback_report_document.h"
#include "loyalty/core/member_profile.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr Roles kReportReaders = service::kReportReaders;
constexpr std::size_t kFeedbackBodyMax = 8 * 1024;  // 1000 characters of comment are at most 4000 bytes.

json encode_comments(const service::FeedbackCommentPage& page) {
    json comments = json::array();
    for (const service::FeedbackComment& comment : page.comments) comments.push_back(feedback_answer_document(comment));
    return {{"comments", comments},
            {"masked", page.masked},
            {"next_before", page.next_before ? json(*page.next_before) : json(nullptr)}};
}

// The page as CSV, a row per comment; the next page is the one before the last row's purchase_id
// while pages come back full. A comment is the customer's free text: CsvWriter disarms any that
// a spreadsheet would take for a formula.
std::string comments_csv(const service::FeedbackCommentPage& page) {
    core::CsvWriter csv;
    for (const char* column : {"purchase_id", "store", "visit_day", "answered_at", "nps", "csat", "ces", "comment"}) {
        csv.text(column);
    }
    csv.end_row();
    for (const service::FeedbackComment& comment : page.comments) {
        const store::FeedbackEntry& entry = comment.entry;
        csv.number(entry.purchase_id).text(entry.store_code).text(core::format_date(entry.visit_day));
        csv.text(core::format_utc(entry.answered_at, core::TimeFormat::kRfc3339));
        csv.number_or_blank(entry.nps).number_or_blank(entry.csat).number_or_blank(entry.ces);
        csv.text(comment.comment.value_or("")).end_row();
    }
    return csv.csv();
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
                        {"currency_exponent", currency_exponent(purchase.currency)},
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

// segment=CODE (a rule-based segment's code or an RFM segment's name) and by_segment=rfm.
core::Result<core::FeedbackSegments> feedback_segments(const std::map<std::string, std::string>& parameters) {
    core::FeedbackSegments segments;
    if (const auto segment = parameters.find("segment"); segment != parameters.end()) {
        if (segment->second.empty()) return core::fail(ErrorCode::kValidationFailed, "segment is a code", "segment");
        segments.segment = segment->second;
    }
    if (const auto by = parameters.find("by_segment"); by != parameters.end()) {
        if (by->second != "rfm") return core::fail(ErrorCode::kValidationFailed, "by_segment is rfm", "by_segment");
        segments.by_rfm_segment = true;
    }
    return segments;
}

}  // namespace

std::vector<Route> feedback_routes(service::FeedbackService& feedback, service::FeedbackReportService& reports) {
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
         [&reports](const HttpRequest& request, const CallContext& context) {
             const auto segments = feedback_segments(request.query_params);
             if (!segments) return error_response(segments.error());
             return report_handler(
                 "feedback",
                 [&](const service::StaffIdentity& staff, const core::ReportRequest& asked) {
                     return reports.report(staff, asked, *segments);
                 },
                 core::feedback_report_json, core::feedback_report_csv)(request, context);
         },
         Expense::kReadsReport},
        {"GET", "/v1/reports/feedback/comments", Caller::kStaff, kReportReaders, true,
         [&feedback](const HttpRequest& request, const CallContext& context) {
             return with_report_request(request, [&](const core::ReportRequest& asked) {
                 const auto window = page_window(request, service::kFeedbackCommentsPageDefault,
                                                 service::kFeedbackCommentsPageMax, "a purchase id from next_before");
                 if (!window) return error_response(window.error());
                 const auto page = feedback.comments(*context.staff, asked, window->before, window->limit);
                 if (!page) return error_response(page.error());
                 return report_response(page->query, "feedback-comments", *page, encode_comments, comments_csv);
             });
         },
         Expense::kReadsReport},
    };
}

}  // namespace patron::api
