#include "loyalty/service/insight/feedback_report_service.h"

#include "loyalty/service/insight/report_scope.h"
#include "loyalty/store/insight/feedback_store.h"
#include "loyalty/store/insight/segment_store.h"

namespace patron::service {
namespace {

// A rule-based segment of the programme by its code, else an RFM segment of that name.
core::Result<store::FeedbackMembers> feedback_members(soci::session& sql, long long program_id,
                                                      const core::FeedbackSegments& segments) {
    store::FeedbackMembers members;
    members.by_rfm_segment = segments.by_rfm_segment;
    if (!segments.segment) return members;
    if (const auto segment = store::find_segment(sql, program_id, *segments.segment)) {
        members.segment_id = segment->id;
    } else if (const auto rfm = core::segment_from_code(*segments.segment)) {
        members.rfm_segment = *rfm;
    } else {
        return core::fail(core::ErrorCode::kValidationFailed, "no segment and no RFM segment has this code", "segment",
                          core::reason(core::ReasonKind::kUnknownName));
    }
    return members;
}

}  // namespace

FeedbackReportService::FeedbackReportService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<core::FeedbackReport> FeedbackReportService::report(const StaffIdentity& staff,
                                                                 const core::ReportRequest& request,
                                                                 const core::FeedbackSegments& segments) {
    if (auto allowed = check_report_reader(staff); !allowed) return std::unexpected(allowed.error());
    return report_of_program(staff.program_id, request, segments);
}

core::Result<core::FeedbackReport> FeedbackReportService::report_of_program(long long program_id,
                                                                            const core::ReportRequest& request,
                                                                            const core::FeedbackSegments& segments) {
    const core::Timestamp now = clock_.now();
    return database_.run_for<core::FeedbackReport>([&](soci::session& sql) -> core::Result<core::FeedbackReport> {
        const auto scope = settle_report_scope(sql, program_id, request, now);
        if (!scope) return std::unexpected(scope.error());
        // Every store's answers: the programme's rows stay whole when the query names a store.
        const auto members = feedback_members(sql, program_id, segments);
        if (!members) return std::unexpected(members.error());
        const auto days = store::feedback_day_tallies(sql, program_id, scope->query.from, scope->query.to, *members);
        return core::FeedbackReport{scope->query, scope->zone->name(), core::feedback_report_rows(days, scope->query),
                                    segments};
    });
}

}  // namespace patron::service
