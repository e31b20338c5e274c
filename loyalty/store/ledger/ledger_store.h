// Writes ledger transfers (append-only) and reads balances back from the entries.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loyalty/core/ledger.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// The points ledger, or the cashback wallet's own (same shape, its own tables).
enum class LedgerBook { kPoints, kCashback };

// Appends balanced transfers and returns their ids in order; an unbalanced transfer is a broken
// invariant and aborts the process.
std::vector<long long> insert_transfers(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                                        const std::vector<core::LedgerTransfer>& transfers, core::Timestamp now,
                                        LedgerBook book = LedgerBook::kPoints);

// The INSERT of one points transfer as complete SQL text, for the store's runner (write_batch.h),
// its purchase given as SQL (an id, NULL, or an expression of our own); an unbalanced transfer
// aborts the process. Its entries are insert_entries' to write.
std::string transfer_insert(soci::session& sql, long long program_id, const std::string& purchase,
                            const core::LedgerTransfer& transfer, core::Timestamp now);

// Writes the entries of transfers already written under `ids` (one per transfer, in order), with
// write(): with the COMMIT of a unit that defers its writes.
void insert_entries(soci::session& sql, std::span<const core::LedgerTransfer> transfers, std::span<const long long> ids,
                    LedgerBook book = LedgerBook::kPoints);

// The sum of a member's entries on one account: what the cached balance must equal.
long long ledger_balance(soci::session& sql, long long member_id, core::LedgerAccount account);

// Every way the ledger, the cached balances and the lots disagree, one readable line each;
// empty when the books are right. Used by `patronctl verify`.
std::vector<std::string> ledger_discrepancies(soci::session& sql);

// A programme's points outstanding as its ledger sums them: the members' available and pending
// accounts over every entry ever written (what the points report's last `outstanding` must equal).
struct ProgramOutstanding {
    std::string program;  // Its code.
    long long available = 0;
    long long pending = 0;
};

// Every programme's, by code; one full pass over the ledger, as verify's own checks make.
std::vector<ProgramOutstanding> ledger_outstanding(soci::session& sql);

// Runs a query whose rows are (id, expected, found) and adds one line per row to `out`.
void collect_discrepancies(soci::session& sql, const std::string& query, const std::string& what,
                           std::vector<std::string>& out);

}  // namespace patron::store
