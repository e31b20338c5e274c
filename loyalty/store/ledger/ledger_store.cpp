#include "loyalty/store/ledger/ledger_store.h"

#include <soci/soci.h>

#include <cassert>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"

namespace patron::store {

namespace {

// One transfer's row of an INSERT INTO the book's transfers: kinds, rule ids and notes escaped by
// the client library, the rest integers of our own; an unbalanced transfer aborts the process.
std::string transfer_row(soci::session& sql, const std::string& program, const std::string& purchase,
                         const core::LedgerTransfer& transfer, const std::string& at) {
    if (!transfer.balanced()) {
        std::cerr << "ledger invariant broken: transfer '" << transfer.kind << "' does not balance\n";
        std::abort();
    }
    return "(" + program + ", " + sql_text(sql, transfer.kind) + ", " + purchase + ", " +
           sql_text(sql, transfer.rule_id) + ", " + std::to_string(transfer.rule_version) + ", " +
           (transfer.note.empty() ? std::string("NULL") : sql_text(sql, transfer.note)) + ", " + at + ")";
}

std::string transfers_insert(LedgerBook book) {
    return std::string("INSERT INTO ") + (book == LedgerBook::kCashback ? "cashback_transfers" : "ledger_transfers") +
           " (program_id, kind, purchase_id, rule_id, rule_version, note, created_at) VALUES ";
}

}  // namespace

std::string transfer_insert(soci::session& sql, long long program_id, const std::string& purchase,
                            const core::LedgerTransfer& transfer, core::Timestamp now) {
    return transfers_insert(LedgerBook::kPoints) +
           transfer_row(sql, std::to_string(program_id), purchase, transfer, sql_text(sql, to_sql_time(now)));
}

void insert_entries(soci::session& sql, std::span<const core::LedgerTransfer> transfers, std::span<const long long> ids,
                    LedgerBook book) {
    if (ids.size() != transfers.size()) throw std::logic_error("one id per transfer");
    // Account names come from an enum and numbers are integers: nothing here needs escaping.
    std::string entries = std::string("INSERT INTO ") +
                          (book == LedgerBook::kCashback ? "cashback_entries" : "ledger_entries") +
                          " (transfer_id, account, member_id, amount) VALUES ";
    bool first = true;
    for (std::size_t t = 0; t < transfers.size(); ++t) {
        for (const core::LedgerEntry& entry : transfers[t].entries) {
            entries += (first ? "(" : ", (") + std::to_string(ids[t]) + ", '" +
                       std::string(core::account_name(entry.account)) + "', " + sql_number_or_null(entry.member_id) +
                       ", " + std::to_string(entry.amount) + ")";
            first = false;
        }
    }
    if (!first) write(sql, std::move(entries));
}

std::vector<long long> insert_transfers(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                                        const std::vector<core::LedgerTransfer>& transfers, core::Timestamp now,
                                        LedgerBook book) {
    if (transfers.empty()) return {};
    const std::string program = std::to_string(program_id);
    const std::string purchase = sql_number_or_null(purchase_id);
    const std::string at = sql_text(sql, to_sql_time(now));
    // Every transfer in one statement that returns their ids in the order of its rows; every
    // entry in a second.
    std::string query = transfers_insert(book);
    for (std::size_t i = 0; i < transfers.size(); ++i) {
        query += (i == 0 ? "" : ", ") + transfer_row(sql, program, purchase, transfers[i], at);
    }
    query += " RETURNING id";
    std::vector<long long> ids(transfers.size());
    soci::statement insert(sql);
    insert.exchange(soci::into(ids));
    insert.alloc();
    insert.prepare(query);
    insert.define_and_bind();
    insert.execute(true);
    if (ids.size() != transfers.size()) throw std::logic_error("INSERT ... RETURNING gave fewer ids than rows");
    insert_entries(sql, transfers, ids, book);
    return ids;
}

long long ledger_balance(soci::session& sql, long long member_id, core::LedgerAccount account) {
    long long balance = 0;
    soci::indicator indicator = soci::i_null;
    const std::string name(core::account_name(account));
    sql << "SELECT SUM(amount) FROM ledger_entries WHERE member_id = :member AND account = :account",
        soci::into(balance, indicator), soci::use(member_id), soci::use(name);
    return indicator == soci::i_ok ? balance : 0;
}

namespace {

// Runs a query whose rows are (member or transfer id, expected, found) and describes each row.

}  // namespace

void collect_discrepancies(soci::session& sql, const std::string& query, const std::string& what,
                           std::vector<std::string>& out) {
    soci::rowset<soci::row> rows = sql.prepare << query;
    for (const soci::row& row : rows) {
        out.push_back(what + " " + std::to_string(integer_at(row, 0)) + ": expected " +
                      std::to_string(integer_at(row, 1)) + ", found " + std::to_string(integer_at(row, 2)));
    }
}

std::vector<std::string> ledger_discrepancies(soci::session& sql) {
    std::vector<std::string> found;
    collect_discrepancies(
        sql,
        "SELECT CAST(transfer_id AS SIGNED), CAST(0 AS SIGNED), CAST(SUM(amount) AS SIGNED) FROM ledger_entries"
        " GROUP BY transfer_id HAVING SUM(amount) <> 0",
        "transfer (entries must sum to zero)", found);
    collect_discrepancies(
        sql,
        "SELECT CAST(a.member_id AS SIGNED), CAST(COALESCE(SUM(e.amount), 0) AS SIGNED),"
        " CAST(a.points_available AS SIGNED) FROM member_accounts a LEFT JOIN ledger_entries e"
        " ON e.member_id = a.member_id AND e.account = 'member_available'"
        " GROUP BY a.member_id, a.points_available HAVING COALESCE(SUM(e.amount), 0) <> a.points_available",
        "member available points (ledger vs balance)", found);
    collect_discrepancies(
        sql,
        "SELECT CAST(a.member_id AS SIGNED), CAST(COALESCE(SUM(e.amount), 0) AS SIGNED),"
        " CAST(a.points_pending AS SIGNED) FROM member_accounts a LEFT JOIN ledger_entries e"
        " ON e.member_id = a.member_id AND e.account = 'member_pending'"
        " GROUP BY a.member_id, a.points_pending HAVING COALESCE(SUM(e.amount), 0) <> a.points_pending",
        "member pending points (ledger vs balance)", found);
    // A negative balance (a return of points already spent) has no lots behind it.
    collect_discrepancies(sql,
                          "SELECT CAST(a.member_id AS SIGNED), CAST(GREATEST(a.points_available, 0) AS SIGNED),"
                          " CAST(COALESCE(SUM(l.remaining), 0) AS SIGNED) FROM member_accounts a LEFT JOIN point_lots l"
                          " ON l.member_id = a.member_id AND l.state = 'available'"
                          " GROUP BY a.member_id, a.points_available"
                          " HAVING COALESCE(SUM(l.remaining), 0) <> GREATEST(a.points_available, 0)",
                          "member available points (lots vs balance)", found);
    collect_discrepancies(
        sql,
        "SELECT CAST(a.member_id AS SIGNED), CAST(a.points_pending AS SIGNED),"
        " CAST(COALESCE(SUM(l.remaining), 0) AS SIGNED) FROM member_accounts a LEFT JOIN point_lots l"
        " ON l.member_id = a.member_id AND l.state = 'pending'"
        " GROUP BY a.member_id, a.points_pending HAVING COALESCE(SUM(l.remaining), 0) <> a.points_pending",
        "member pending points (lots vs balance)", found);
    collect_discrepancies(sql,
                          "SELECT CAST(id AS SIGNED), CAST(earned AS SIGNED), CAST(remaining AS SIGNED) FROM point_lots"
                          " WHERE remaining < 0 OR remaining > earned OR (state = 'closed' AND remaining <> 0)",
                          "lot (remaining must lie in 0..earned, and be 0 once closed)", found);
    return found;
}

std::vector<ProgramOutstanding> ledger_outstanding(soci::session& sql) {
    soci::rowset<soci::row> rows =
        sql.prepare << "SELECT p.code,"
                       " CAST(COALESCE(SUM(CASE WHEN e.account = 'member_available' THEN e.amount END), 0) AS SIGNED),"
                       " CAST(COALESCE(SUM(CASE WHEN e.account = 'member_pending' THEN e.amount END), 0) AS SIGNED)"
                       " FROM programs p LEFT JOIN ledger_transfers t ON t.program_id = p.id"
                       " LEFT JOIN ledger_entries e ON e.transfer_id = t.id"
                       " AND e.account IN ('member_available', 'member_pending')"
                       " GROUP BY p.id, p.code ORDER BY p.code";
    std::vector<ProgramOutstanding> found;
    for (const soci::row& row : rows) {
        found.push_back({row.get<std::string>(0), integer_at(row, 1), integer_at(row, 2)});
    }
    return found;
}

}  // namespace patron::store
