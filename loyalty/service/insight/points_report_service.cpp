#include "loyalty/service/insight/points_report_service.h"

#include <limits>

#include "loyalty/core/ledger_days.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/store/insight/ledger_day_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::HistoryBook;
using std::chrono::sys_days;

// The days of one book: those the roll-up stored, when they are in the programme's zone, and the
// transfers after its mark read from the ledger. Days before `from` go to `before`.
void read_book(soci::session& sql, long long program_id, HistoryBook book, const core::TimeZone& zone,
               core::PointsReportInputs& inputs) {
    const auto mark = store::find_ledger_day_mark(sql, program_id, book, false);
    const bool stored = mark && mark->time_zone == zone.name();
    core::LedgerDays days;
    if (stored) {
        for (auto& [key, totals] : store::ledger_days_between(sql, program_id, inputs.query.from, inputs.query.to)) {
            if (key.book == book) days[key] += totals;
        }
        for (auto& [key, totals] : store::ledger_days_before(sql, program_id, inputs.query.from)) {
            if (key.book == book) inputs.before[key] += totals;
        }
    }
    const auto tail = store::transfer_movements(sql, program_id, book, stored ? mark->through_transfer_id : 0,
                                                std::numeric_limits<long long>::max());
    core::add_movements(days, book, tail, zone);
    for (auto& [key, totals] : days) {
        if (sys_days{key.day} < sys_days{inputs.query.from}) {
            inputs.before[key] += totals;
        } else {
            inputs.within[key] += totals;
        }
    }
}

}  // namespace

PointsReportService::PointsReportService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock), roll_up_(database, clock) {}

core::Result<core::PointsReport> PointsReportService::report(const StaffIdentity& staff,
                                                             const core::ReportRequest& request) {
    if (auto allowed = check_report_reader(staff); !allowed) return std::unexpected(allowed.error());
    return report_of_program(staff.program_id, request);
}

core::Result<core::PointsReport> PointsReportService::report_after_roll_up(long long program_id,
                                                                           const core::ReportRequest& request) {
    if (auto rolled = roll_up_.roll_up_program(program_id); !rolled) return std::unexpected(rolled.error());
    return report_of_program(program_id, request);
}

core::Result<core::PointsReport> PointsReportService::report_of_program(long long program_id,
                                                                        const core::ReportRequest& request) {
    const core::Timestamp now = clock_.now();
    return database_.transact_for<core::PointsReport>([&](soci::session& sql) -> core::Result<core::PointsReport> {
        const auto scope = settle_report_scope(sql, program_id, request, now);
        if (!scope) return std::unexpected(scope.error());
        core::PointsReportInputs inputs;
        inputs.query = scope->query;
        inputs.time_zone = scope->zone->name();
        inputs.currency = scope->currency;
        inputs.point_value_minor = store::find_points_policy(sql, program_id).point_value_minor;
        inputs.store_codes = scope->store_codes;
        inputs.store_id = scope->store_id;
        // Days and marks are read before the ledger's tail, in the snapshot the first read began.
        for (const HistoryBook book : {HistoryBook::kPoints, HistoryBook::kCashback}) {
            read_book(sql, program_id, book, *scope->zone, inputs);
        }
        return core::build_points_report(inputs);
    });
}

}  // namespace patron::service
