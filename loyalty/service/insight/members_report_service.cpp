#include "loyalty/service/insight/members_report_service.h"

#include "loyalty/service/insight/report_scope.h"
#include "loyalty/store/insight/members_report_store.h"

namespace patron::service {
namespace {

// The instants that bound the periods, which follow one another: each one's first local day's
// start, then the end of the last one's last day.
std::vector<core::Timestamp> bounds_of(const std::vector<core::ReportPeriod>& periods, const core::TimeZone& zone) {
    std::vector<core::Timestamp> bounds;
    for (const core::ReportPeriod& period : periods) bounds.push_back(zone.day_start(period.first));
    if (!periods.empty()) bounds.push_back(core::day_end(zone, periods.back().last));
    return bounds;
}

}  // namespace

MembersReportService::MembersReportService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<core::MembersReport> MembersReportService::report(const StaffIdentity& staff,
                                                               const core::ReportRequest& request) {
    if (auto allowed = check_report_reader(staff); !allowed) return std::unexpected(allowed.error());
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
        const auto bounds =
            bounds_of(core::report_periods(inputs.query.from, inputs.query.to, inputs.query.by), *scope->zone);
        const std::vector<core::Timestamp> whole{bounds.front(), bounds.back()};
        inputs.periods.resize(bounds.size() - 1);
        store::count_enrolments_and_tier_moves(sql, program_id, bounds, inputs.periods);
        // The range's purchases are read once and counted per period and as one total, in which
        // a member buying in two periods is one buyer.
        const auto facts = store::member_purchases_between(sql, program_id, whole.front(), whole.back());
        const auto first_purchases = store::first_purchases_between(sql, program_id, whole.front(), whole.back());
        const bool per_store = inputs.query.per_store();
        core::count_buyers(facts, bounds, first_purchases, per_store, inputs.store_id, inputs.periods);
        std::vector<core::MembersPeriodCounts> total(1);
        for (const core::MembersPeriodCounts& period : inputs.periods) {
            total.front().enrolled += period.enrolled;
            total.front().tier_ups += period.tier_ups;
            total.front().tier_downs += period.tier_downs;
        }
        core::count_buyers(facts, whole, first_purchases, per_store, inputs.store_id, total);
        inputs.total = std::move(total.front());
        inputs.snapshot = store::count_member_snapshot(sql, program_id, scope->ends());
        return core::build_members_report(inputs);
    });
}

}  // namespace patron::service
