// Reports (issue 17), read-only, for admins, marketers and analysts: each takes the query every
// report shares (core/report_query.h) and answers JSON, or CSV for format=csv or Accept: text/csv.
#pragma once

#include <string>
#include <vector>

#include "api/http_types.h"
#include "api/router.h"
#include "loyalty/core/report_query.h"
#include "loyalty/service/insight/members_report_service.h"
#include "loyalty/service/insight/points_report_service.h"
#include "loyalty/service/insight/rewards_report_service.h"

namespace patron::api {

std::vector<Route> report_routes(service::PointsReportService& points, service::MembersReportService& members,
                                 service::RewardsReportService& rewards);

// The shared query of a report request, or the refusal naming the parameter.
template <typename F>
HttpResponse with_report_request(const HttpRequest& request, F&& then) {
    const auto parsed = core::parse_report_request(request.query_params, request.header("accept"));
    if (!parsed) return error_response(parsed.error());
    return then(*parsed);
}

// CSV text as an attachment named "<name>-<from>-<to>.csv".
HttpResponse csv_report_response(const core::ReportQuery& query, const std::string& name, std::string csv);

// A report in the format its query asked for, encoded by to_json or to_csv.
template <typename Report, typename ToJson, typename ToCsv>
HttpResponse report_response(const core::ReportQuery& query, const std::string& name, const Report& report,
                             ToJson&& to_json, ToCsv&& to_csv) {
    if (query.format == core::ReportFormat::kCsv) return csv_report_response(query, name, to_csv(report));
    return json_response(200, to_json(report));
}

// The handler of a report's route: the shared query read, the report made by
// `make(staff, request)` (a Result with its `query`), and answered as report_response answers.
template <typename Make, typename ToJson, typename ToCsv>
Handler report_handler(std::string name, Make make, ToJson to_json, ToCsv to_csv) {
    return [name = std::move(name), make, to_json, to_csv](const HttpRequest& request, const CallContext& context) {
        return with_report_request(request, [&](const core::ReportRequest& asked) {
            const auto report = make(*context.staff, asked);
            if (!report) return error_response(report.error());
            return report_response(report->query, name, *report, to_json, to_csv);
        });
    };
}

}  // namespace patron::api
