#include "api/effectiveness_routes.h"

#include "api/report_routes.h"
#include "loyalty/core/effectiveness_document.h"

namespace patron::api {

std::vector<Route> effectiveness_routes(service::EffectivenessReportService& reports) {
    return {
        {"GET", "/v1/reports/campaigns/:kind/:id/effectiveness", Caller::kStaff, service::kReportReaders, true,
         [&reports](const HttpRequest& request, const CallContext& context) {
             const auto kind = core::parse_campaign_kind(request.param("kind"));
             if (!kind) {
                 return error_response({core::ErrorCode::kNotFound, "the kind of campaign is rule or coupon", "kind"});
             }
             return with_report_request(request, [&](const core::ReportRequest& asked) {
                 const auto report = reports.report(*context.staff, *kind, request.param("id"), asked);
                 if (!report) return error_response(report.error());
                 return report_response(report->query, "effectiveness", *report, core::effectiveness_report_json,
                                        core::effectiveness_report_csv);
             });
         },
         Expense::kReadsReport},
    };
}

}  // namespace patron::api
