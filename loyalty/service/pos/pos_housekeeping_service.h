// What the POS side forgets on a schedule: Idempotency-Keys once they are 7 days old (offline
// terminals retry within that; the receipt key keeps every operation exactly-once after it),
// batch answers with them, quote holds a day after they ran out, and members' failed claims after
// a day. patrond runs it every minute, in small batches (forget_in_batches).
#pragma once

#include <chrono>

#include "loyalty/core/error.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

inline constexpr std::chrono::hours kIdempotencyKeyLife{7 * 24};
inline constexpr std::chrono::hours kQuoteHoldLife{24};  // After it ran out, for the commit's explanation.

struct HousekeepingReport {
    long long idempotency_keys = 0;  // On operations and on batch answers.
    long long quote_holds = 0;
    long long failed_claims = 0;  // Members' failed claims older than a day.
    long long claims = 0;         // Claims that credited a purchase, older than a day (the fraud watch's).
};

class PosHousekeepingService {
  public:
    PosHousekeepingService(store::Database& database, const Clock& clock);
    // Forgets all that is old, `batch` rows of a kind to a transaction.
    core::Result<HousekeepingReport> run(int batch = 5000);

  private:
    store::Database& database_;
    const Clock& clock_;
};

}  // namespace patron::service
