#include "loyalty/service/insight/members_report_service.h"

#include "loyalty/service/insight/points_report_service.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/store/insight/members_report_store.h"

namespace patron::service {
namespace {

std::vector<store::InstantSpan> spans_of(const std::vector<core::ReportPeriod>& periods, const core::TimeZone& zone) {
    std::vector<store::InstantSpan> spans;
    for (const core::ReportPeriod& period : periods) {
        spans.push_back({zone.day_start(period.first), core::day_end(zone, period.last)});
    }
    return spans;
}

// The counts of `spans`, with their stores' purchases when the query asks for stores.
std::vector<core::MembersPeriodCounts> count_spans(soci::session& sql, long long program_id,
                                                   const std::vector<store::InstantSpan>& spans,
                                                   const ReportScope& scope) {
    std::vector<core::MembersPeriodCounts> counts(spans.size());
    store::count_enrolments_and_tier_moves(sql, program_id, spans, counts);
    store::count_buyers(sql, program_id, spans, std::nullopt, false, counts);
    if (scope.query.per_store()) store::count_buyers(sql, program_id, spans, scope.store_id, true, counts);
    return counts;
}

}  // namespace

MembersReportService::MembersReportService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<core::MembersReport> MembersReportService::report(const StaffIdentity& staff,
                                                               const core::ReportRequest& request) {
    if (!may(staff, kReportReaders))
        return core::fail(core::ErrorCode::kForbidden, "reports are for admins, marketers and analysts");
    return report_of_program(staff.program_id, request);
}

core::Result<core::MembersReport> MembersReportService::report_of_program(long long program_id,
                                                                          const core::ReportRequest& request) {
    const core::Timestamp now = clock_.now();
    return database_.transact_for<core::MembersReport>([&](soci::session& sql) -> core::Result<core::MembersReport> {
        const auto scope = settle_report_scope(sql, program_id, request, now);
        if (!scope) return std::unexpected(scope.error());
        core::MembersReportInputs inputs;
        inputs.query = scope->query;
        inputs.time_zone = scope->zone->name();
        inputs.currency = scope->currency;
        inputs.store_codes = scope->store_codes;
        inputs.store_id = scope->store_id;
        const auto periods = core::report_periods(scope->query.from, scope->query.to, scope->query.by);
        inputs.periods = count_spans(sql, program_id, spans_of(periods, *scope->zone), *scope);
        if (scope->query.by == core::PeriodSize::kTotal) {
            inputs.total = inputs.periods.front();
        } else {
            const auto whole = core::report_periods(scope->query.from, scope->query.to, core::PeriodSize::kTotal);
            inputs.total = count_spans(sql, program_id, spans_of(whole, *scope->zone), *scope).front();
        }
        inputs.snapshot = store::count_member_snapshot(sql, program_id, scope->ends());
        return core::build_members_report(inputs);
    });
}

}  // namespace patron::service
