// Writes ledger transfers (append-only) and reads balances back from the entries.
#pragma once

#include <optional>
#include <vector>

#include "loyalty/core/ledger.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// Appends balanced transfers; an unbalanced one is a broken invariant and aborts (assert).
void insert_transfers(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                      const std::vector<core::LedgerTransfer>& transfers, core::Timestamp now);

// The sum of a member's entries on one account: what the cached balance must equal.
long long ledger_balance(soci::session& sql, long long member_id, core::LedgerAccount account);

}  // namespace patron::store
