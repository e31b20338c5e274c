// What is kept for a while (nonces, sign-in attempts, Idempotency-Keys, kept answers, quote
// holds) is forgotten in batches, each a short transaction of its own so that no lock is held
// long, and batch after batch until one comes back short: a single batch a minute could fall
// behind a busy programme (a soak writes some 12,000 nonces a minute).
#pragma once

#include "loyalty/core/error.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

// Runs forget(sql, batch), which deletes at most `batch` old rows and says how many it did,
// until a batch is short or `most` rows went in this call; how many rows went.
template <class Forget>
core::Result<long long> forget_in_batches(store::Database& database, int batch, Forget&& forget,
                                          long long most = 1'000'000) {
    long long forgotten = 0;
    while (forgotten < most) {
        auto done = database.run_for<long long>(
            [&](soci::session& sql) -> core::Result<long long> { return forget(sql, batch); });
        if (!done) return std::unexpected(done.error());
        forgotten += *done;
        if (*done < batch) break;
    }
    return forgotten;
}

}  // namespace patron::service
