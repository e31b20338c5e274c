// What is kept for a while (nonces, sign-in attempts, Idempotency-Keys, kept write and batch
// answers, quote holds, failed claims) is forgotten in batches, each a short transaction of its
// own so that no lock is held long, batch after batch until one comes back short or the run's
// time is up (what is left waits for the next run): a single batch a minute could fall behind a
// busy programme (a soak writes some 12,000 nonces a minute). Not for use inside
// Database::enclose, where the batches would become one long transaction.
#pragma once

#include <algorithm>
#include <chrono>

#include "loyalty/core/error.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

// A run stops starting batches after this long, so that stopping patrond never waits on a backlog.
inline constexpr std::chrono::seconds kForgetRunBudget{5};

// Runs forget(sql, batch), which deletes at most `batch` (at least 1) old rows and says how many it
// did, until a batch is short or `budget` has passed; how many rows went.
template <class Forget>
core::Result<long long> forget_in_batches(store::Database& database, int batch, Forget&& forget,
                                          std::chrono::steady_clock::duration budget = kForgetRunBudget) {
    batch = std::max(batch, 1);
    const auto until = std::chrono::steady_clock::now() + budget;
    long long forgotten = 0;
    for (;;) {
        auto done = database.run_for<long long>(
            [&](soci::session& sql) -> core::Result<long long> { return forget(sql, batch); });
        if (!done) return std::unexpected(done.error());
        forgotten += *done;
        if (*done < batch || std::chrono::steady_clock::now() >= until) return forgotten;
    }
}

}  // namespace patron::service
