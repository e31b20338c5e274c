#include "api/report_routes.h"

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/members_report_document.h"
#include "loyalty/core/points_report_document.h"

namespace patron::api {
namespace {

constexpr Roles kReportReaders = service::kReportReaders;

// The shared query of a report request, or the refusal naming the parameter.
template <typename F>
HttpResponse with_report_request(const HttpRequest& request, F&& then) {
    const auto parsed = core::parse_report_request(request.query_params, request.header("accept"));
    if (!parsed) return error_response(parsed.error());
    return then(*parsed);
}

}  // namespace

HttpResponse csv_report_response(const core::ReportQuery& query, const std::string& name, std::string csv) {
    const std::string file = name + "-" + core::format_date(query.from) + "-" + core::format_date(query.to) + ".csv";
    return HttpResponse{200,
                        std::move(csv),
                        "text/csv; charset=utf-8",
                        {{"Content-Disposition", "attachment; filename=\"" + file + "\""}},
                        {}};
}

std::vector<Route> report_routes(service::PointsReportService& points, service::MembersReportService& members) {
    return {
        {"GET", "/v1/reports/points", Caller::kStaff, kReportReaders, true,
         [&points](const HttpRequest& request, const CallContext& context) {
             return with_report_request(request, [&](const core::ReportRequest& asked) {
                 const auto report = points.report(*context.staff, asked);
                 if (!report) return error_response(report.error());
                 return report_response(report->query, "points", *report, core::points_report_json,
                                        core::points_report_csv);
             });
         }},
        {"GET", "/v1/reports/members", Caller::kStaff, kReportReaders, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             return with_report_request(request, [&](const core::ReportRequest& asked) {
                 const auto report = members.report(*context.staff, asked);
                 if (!report) return error_response(report.error());
                 return report_response(report->query, "members", *report, core::members_report_json,
                                        core::members_report_csv);
             });
         }},
    };
}

}  // namespace patron::api
