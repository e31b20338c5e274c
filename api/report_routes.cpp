#include "api/report_routes.h"

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/members_report_document.h"
#include "loyalty/core/points_report_document.h"
#include "loyalty/core/rewards_report_document.h"

namespace patron::api {
namespace {

constexpr Roles kReportReaders = service::kReportReaders;

}  // namespace

HttpResponse csv_report_response(const core::ReportQuery& query, const std::string& name, std::string csv) {
    const std::string file = name + "-" + core::format_date(query.from) + "-" + core::format_date(query.to) + ".csv";
    return HttpResponse{200,
                        std::move(csv),
                        "text/csv; charset=utf-8",
                        {{"Content-Disposition", "attachment; filename=\"" + file + "\""}},
                        {}};
}

std::vector<Route> report_routes(service::PointsReportService& points, service::MembersReportService& members,
                                 service::RewardsReportService& rewards) {
    return {
        {"GET", "/v1/reports/points", Caller::kStaff, kReportReaders, true,
         report_handler(
             "points",
             [&points](const service::StaffIdentity& staff, const core::ReportRequest& asked) {
                 return points.report(staff, asked);
             },
             core::points_report_json, core::points_report_csv),
         Expense::kReadsReport},
        {"GET", "/v1/reports/members", Caller::kStaff, kReportReaders, true,
         report_handler(
             "members",
             [&members](const service::StaffIdentity& staff, const core::ReportRequest& asked) {
                 return members.report(staff, asked);
             },
             core::members_report_json, core::members_report_csv),
         Expense::kReadsReport},
        {"GET", "/v1/reports/rewards", Caller::kStaff, kReportReaders, true,
         report_handler(
             "rewards",
             [&rewards](const service::StaffIdentity& staff, const core::ReportRequest& asked) {
                 return rewards.report(staff, asked);
             },
             core::rewards_report_json, core::rewards_report_csv),
         Expense::kReadsReport},
    };
}

}  // namespace patron::api
