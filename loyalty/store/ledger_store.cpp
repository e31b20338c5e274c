#include "loyalty/store/ledger_store.h"

#include <soci/soci.h>

#include <cassert>
#include <cstdlib>
#include <iostream>

#include "loyalty/store/sql_time.h"

namespace patron::store {

void insert_transfers(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                      const std::vector<core::LedgerTransfer>& transfers, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    const long long purchase = purchase_id.value_or(0);
    soci::indicator purchase_indicator = purchase_id ? soci::i_ok : soci::i_null;
    for (const core::LedgerTransfer& transfer : transfers) {
        if (!transfer.balanced()) {
            std::cerr << "ledger invariant broken: transfer '" << transfer.kind << "' does not balance\n";
            std::abort();
        }
        sql << "INSERT INTO ledger_transfers (program_id, kind, purchase_id, rule_id, rule_version, created_at)"
               " VALUES (:program, :kind, :purchase, :rule, :version, :created)",
            soci::use(program_id), soci::use(transfer.kind), soci::use(purchase, purchase_indicator),
            soci::use(transfer.rule_id), soci::use(transfer.rule_version), soci::use(created);
        long long transfer_id = 0;
        sql << "SELECT LAST_INSERT_ID()", soci::into(transfer_id);
        // Account names come from an enum and numbers are integers: nothing here needs escaping.
        std::string query = "INSERT INTO ledger_entries (transfer_id, account, member_id, amount) VALUES ";
        for (std::size_t i = 0; i < transfer.entries.size(); ++i) {
            const core::LedgerEntry& entry = transfer.entries[i];
            query += (i == 0 ? "(" : ", (") + std::to_string(transfer_id) + ", '" +
                     std::string(core::account_name(entry.account)) + "', " +
                     (entry.member_id ? std::to_string(*entry.member_id) : "NULL") + ", " +
                     std::to_string(entry.amount) + ")";
        }
        sql << query;
    }
}

long long ledger_balance(soci::session& sql, long long member_id, core::LedgerAccount account) {
    long long balance = 0;
    soci::indicator indicator = soci::i_null;
    const std::string name(core::account_name(account));
    sql << "SELECT SUM(amount) FROM ledger_entries WHERE member_id = :member AND account = :account",
        soci::into(balance, indicator), soci::use(member_id), soci::use(name);
    return indicator == soci::i_ok ? balance : 0;
}

}  // namespace patron::store
