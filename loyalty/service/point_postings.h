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

struct Credited {
    long long transfer_id = 0;
    long long lot_id = 0;
};

// Writes the transfer and a lot of `points` (pending or not, dated by the policy).
Credited credit_lot(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer, long long points,
                    bool pending, const core::PointsPolicy& policy);

// Writes the transfer and takes `points` from the member's lots, those expiring first; the transfer id.
long long debit_lots(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer,
                     long long points);

// After `credited` points reached the member's available balance, which stood at `balance_before`:
// while that balance was negative (a return charged spent points), the credit first repays it, so
// the lots hold exactly the positive part of the balance. Records the repayment under the transfer.
void repay_negative_balance(soci::session& sql, long long member_id, long long transfer_id, long long balance_before,
                            long long credited);

}  // namespace patron::service
