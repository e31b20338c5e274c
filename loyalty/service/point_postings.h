// Posting points to a member's account: a credit becomes a lot of its own, a debit is taken
// from the lots that expire first, each as one balanced ledger transfer. Callers run inside a
// transaction that holds the member's account lock, and move the cached balances themselves.
#pragma once

#include <optional>

#include "loyalty/core/ledger.h"
#include "loyalty/core/points.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::service {

struct Posting {
    long long program_id = 0;
    long long member_id = 0;
    std::optional<long long> purchase_id;
    core::Timestamp now;
};

// Writes the transfer and a lot of `points` (pending or not, dated by the policy); the transfer id.
long long credit_lot(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer, long long points,
                     bool pending, const core::PointsPolicy& policy);

// Writes the transfer and takes `points` from the member's lots, those expiring first; the transfer id.
long long debit_lots(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer,
                     long long points);

}  // namespace patron::service
