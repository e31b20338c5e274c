// The audit log's chains (migration 0042): each programme's entries are sealed one after another,
// in the transaction that writes them, by links numbered from 1 whose MAC covers the previous
// link's and every column of the entry (crypto::ChainKey, keyed from the keys file). The rows of
// audit_log and audit_seals are never updated nor deleted (triggers refuse it); verification
// finds what was done to them behind the triggers' back, by whoever lacked the keys.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/chain_mac.h"

namespace soci {
class session;
class row;
}

namespace patron::store {

// An entry's columns as the log keeps them, in the form the link's MAC covers.
struct AuditColumns {
    long long id = 0;
    long long program_id = 0;
    std::string created_at;  // DATETIME(6) text, as to_sql_time() writes it.
    std::string actor;
    std::optional<long long> staff_user_id;
    std::string action;
    std::string entity;
    long long entity_id = 0;
    std::optional<long long> member_id;
    std::string fields;
};

// The columns of an entry in the form AuditColumns holds them, for a SELECT (or an INSERT's
// RETURNING) of audit_log under `alias` ("a." or ""), and the entry read back from a row whose
// columns start at `first`: the insert seals the row as MariaDB stored it, verification reads it
// the same way.
std::string audit_entry_columns(const std::string& alias);
AuditColumns audit_entry_of(const soci::row& row, std::size_t first);

// What a link's MAC covers besides the previous link: the link's number and the entry's columns,
// each one's length before it (a missing value has none), so that no two entries read alike.
std::string audit_link_message(long long seq, const AuditColumns& entry);

// Seals an entry just inserted in this transaction as the next link of its programme's chain;
// waits for (and then holds, until the transaction ends) the lock on the chain's head.
void seal_audit_entry(soci::session& sql, const crypto::ChainKey& key, const AuditColumns& entry);

// Seals at most `batch` of the entries written before the chains existed, of one programme, in id
// order, as the next links of its chain. Answers how many it sealed, or nullopt once no programme
// has any left (the caller runs it in a transaction of its own until then).
std::optional<long long> seal_legacy_audit_entries(soci::session& sql, const crypto::ChainKey& key, int batch = 1000);

struct AuditChainReport {
    struct Chain {
        long long program_id = 0;
        long long links = 0;
        std::string head_mac;  // Hex of the last link's MAC: written down elsewhere, it proves later that
                               // the log has only grown since (nothing verifiable here can).
    };
    std::vector<Chain> chains;
    // One line per entry changed, removed or reordered, per entry without a link, per head that
    // is not its chain's last link; the first broken entry of each programme comes first.
    // At most kAuditProblemsListed per programme, then one line saying how many more.
    std::vector<std::string> problems;
    long long legacy_unsealed = 0;  // Entries from before the chains that patrond has not sealed yet.
};

inline constexpr int kAuditProblemsListed = 100;

// Walks every programme's chain from its first link, `page` links per read: every programme with a
// head, a seal or an entry. Run it in one consistent snapshot (REPEATABLE READ), or links
// committed while it reads look like links beyond their head.
AuditChainReport verify_audit_chains(soci::session& sql, const crypto::ChainKey& key, int page = 5000);

}  // namespace patron::store
