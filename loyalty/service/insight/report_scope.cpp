#include "loyalty/service/insight/report_scope.h"

#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {

core::Result<ReportScope> settle_report_scope(soci::session& sql, long long program_id,
                                              const core::ReportRequest& request, core::Timestamp now) {
    ReportScope scope;
    scope.zone = program_time_zone(sql, program_id);
    auto query = core::settle_report_dates(request, core::local_date(*scope.zone, now));
    if (!query) return std::unexpected(query.error());
    scope.query = std::move(*query);
    if (scope.query.store) {
        // Codes are compared exactly, whatever the column's collation: S001 is not s001.
        const auto store = store::find_store_by_code(sql, program_id, *scope.query.store);
        if (!store || store->code != *scope.query.store) {
            return core::fail(core::ErrorCode::kValidationFailed, "the programme has no store " + *scope.query.store,
                              "store");
        }
        scope.store_id = store->id;
    }
    return scope;
}

}  // namespace patron::service
