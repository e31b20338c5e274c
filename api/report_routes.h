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

namespace patron::api {

std::vector<Route> report_routes(service::PointsReportService& points, service::MembersReportService& members);

// CSV text as an attachment named "<name>-<from>-<to>.csv".
HttpResponse csv_report_response(const core::ReportQuery& query, const std::string& name, std::string csv);

// A report in the format its query asked for, encoded by to_json or to_csv.
template <typename Report, typename ToJson, typename ToCsv>
HttpResponse report_response(const core::ReportQuery& query, const std::string& name, const Report& report,
                             ToJson&& to_json, ToCsv&& to_csv) {
    if (query.format == core::ReportFormat::kCsv) return csv_report_response(query, name, to_csv(report));
    return json_response(200, to_json(report));
}

}  // namespace patron::api
