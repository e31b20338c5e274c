#include "loyalty/service/insight/report_scope.h"

#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {

core::Result<void> check_report_reader(const StaffIdentity& staff) {
    if (may(staff, kReportReaders)) return {};
    return core::fail(core::ErrorCode::kForbidden, "reports are for admins, marketers and analysts");
}

core::Timestamp ReportScope::starts() const { return zone->day_start(query.from); }

core::Timestamp ReportScope::ends() const { return core::day_end(*zone, query.to); }

core::Result<ReportScope> settle_report_scope(soci::session& sql, long long program_id,
                                              const core::ReportRequest& request, core::Timestamp now) {
    const auto profile = store::find_program_profile(sql, program_id, false);
    if (!profile) return core::fail(core::ErrorCode::kNotFound, "no such programme");
    ReportScope scope;
    scope.zone = locate_time_zone(profile->time_zone);
    scope.currency = profile->currency;
    auto query = core::settle_report_dates(request, core::local_date(*scope.zone, now));
    if (!query) return std::unexpected(query.error());
    scope.query = std::move(*query);
    for (const store::StoreRecord& known : store::stores_of_program(sql, program_id)) {
        scope.store_codes.emplace(known.id, known.code);
        // Codes are compared exactly, whatever the column's collation: S001 is not s001.
        if (scope.query.store == known.code) scope.store_id = known.id;
    }
    if (scope.query.store && !scope.store_id) {
        return core::fail(core::ErrorCode::kValidationFailed, "the programme has no store " + *scope.query.store,
                          "store");
    }
    return scope;
}

}  // namespace patron::service
