#include "loyalty/service/pos/pos_housekeeping_service.h"

#include "loyalty/store/pos/claim_attempt_store.h"
#include "loyalty/store/pos/purchase_store.h"
#include "loyalty/store/pos/quote_hold_store.h"

namespace patron::service {
namespace {

constexpr int kBatch = 5000;

}  // namespace

PosHousekeepingService::PosHousekeepingService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<HousekeepingReport> PosHousekeepingService::run() {
    const core::Timestamp now = clock_.now();
    return database_.transact_for<HousekeepingReport>([&](soci::session& sql) -> core::Result<HousekeepingReport> {
        return HousekeepingReport{store::forget_idempotency_keys(sql, now - kIdempotencyKeyLife, kBatch) +
                                      store::forget_batch_answers(sql, now - kIdempotencyKeyLife, kBatch),
                                  store::purge_quote_holds(sql, now - kQuoteHoldLife, kBatch),
                                  store::forget_failed_claims(sql, now - std::chrono::hours(24), kBatch)};
    });
}

}  // namespace patron::service
