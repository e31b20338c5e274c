#include "loyalty/service/pos/pos_housekeeping_service.h"

#include "loyalty/service/runtime/forget_in_batches.h"
#include "loyalty/store/pos/claim_attempt_store.h"
#include "loyalty/store/pos/purchase_store.h"
#include "loyalty/store/pos/quote_hold_store.h"

namespace patron::service {

PosHousekeepingService::PosHousekeepingService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<HousekeepingReport> PosHousekeepingService::run(int batch) {
    const core::Timestamp now = clock_.now();
    HousekeepingReport report;
    struct Kind {
        long long& count;
        core::Timestamp before;
        long long (*forget)(soci::session&, core::Timestamp, int);
    };
    // Each kind is drained in batches of its own; what one forgot stays forgotten if a later one fails.
    for (const Kind& kind : {Kind{report.idempotency_keys, now - kIdempotencyKeyLife, store::forget_idempotency_keys},
                             Kind{report.idempotency_keys, now - kIdempotencyKeyLife, store::forget_batch_answers},
                             Kind{report.quote_holds, now - kQuoteHoldLife, store::purge_quote_holds},
                             Kind{report.failed_claims, now - std::chrono::hours(24), store::forget_failed_claims},
                             Kind{report.claims, now - std::chrono::hours(24), store::forget_purchase_claims}}) {
        auto forgotten = forget_in_batches(
            database_, batch, [&](soci::session& sql, int limit) { return kind.forget(sql, kind.before, limit); });
        if (!forgotten) return std::unexpected(forgotten.error());
        kind.count += *forgotten;
    }
    return report;
}

}  // namespace patron::service
