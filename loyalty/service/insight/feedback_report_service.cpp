#include "loyalty/service/insight/feedback_report_service.h"

#include "loyalty/service/insight/report_scope.h"
#include "loyalty/store/insight/feedback_store.h"

namespace patron::service {

FeedbackReportService::FeedbackReportService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<core::FeedbackReport> FeedbackReportService::report(const StaffIdentity& staff,
                                                                 const core::ReportRequest& request) {
    if (!may(staff, kReportReaders)) {
        return core::fail(core::ErrorCode::kForbidden, "reports are for admins, marketers and analysts");
    }
    return report_of_program(staff.program_id, request);
}

core::Result<core::FeedbackReport> FeedbackReportService::report_of_program(long long program_id,
                                                                            const core::ReportRequest& request) {
    const core::Timestamp now = clock_.now();
    return database_.run_for<core::FeedbackReport>([&](soci::session& sql) -> core::Result<core::FeedbackReport> {
        const auto scope = settle_report_scope(sql, program_id, request, now);
        if (!scope) return std::unexpected(scope.error());
        // Every store's answers: the programme's rows stay whole when the query names a store.
        const auto days = store::feedback_day_tallies(sql, program_id, scope->query.from, scope->query.to);
        return core::FeedbackReport{scope->query, scope->zone->name(), core::feedback_report_rows(days, scope->query)};
    });
}

}  // namespace patron::service
