#include "loyalty/store/ledger/cashback_store.h"

#include <soci/soci.h>

#include <sstream>

#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/ledger/ledger_store.h"

namespace patron::store {

void adjust_cashback(soci::session& sql, long long member_id, long long delta, long long shortfall,
                     core::Timestamp now) {
    const std::string updated = to_sql_time(now);
    sql << "UPDATE member_accounts SET cashback_balance = cashback_balance + :delta,"
           " cashback_shortfall = cashback_shortfall + :shortfall, updated_at = :updated WHERE member_id = :member",
        soci::use(delta), soci::use(shortfall), soci::use(updated), soci::use(member_id);
}

void insert_cashback_shares(soci::session& sql, long long purchase_id, const std::vector<core::LotShare>& shares) {
    if (shares.empty()) return;
    std::ostringstream query;  // Integers only: nothing to escape.
    query << "INSERT INTO cashback_line_earnings (purchase_id, transfer_id, line, amount) VALUES ";
    for (std::size_t i = 0; i < shares.size(); ++i) {
        query << (i == 0 ? "(" : ", (") << purchase_id << ", " << shares[i].lot_id << ", " << shares[i].line << ", "
              << shares[i].points << ")";
    }
    sql << query.str();
}

std::vector<core::LotShare> cashback_shares(soci::session& sql, long long purchase_id) {
    std::vector<core::LotShare> shares;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(transfer_id AS SIGNED), line, amount FROM cashback_line_earnings"
                        " WHERE purchase_id = :id ORDER BY transfer_id, line",
         soci::use(purchase_id));
    for (const soci::row& row : rows) {
        shares.push_back(core::LotShare{row.get<long long>(0), row.get<int>(1), row.get<long long>(2)});
    }
    return shares;
}

void record_purchase_cashback(soci::session& sql, long long purchase_id, const PurchaseCashback& cashback) {
    sql << "UPDATE purchases SET cashback_earned = :earned, cashback_spent = :spent WHERE id = :id",
        soci::use(cashback.earned), soci::use(cashback.spent), soci::use(purchase_id);
}

PurchaseCashback purchase_cashback(soci::session& sql, long long purchase_id) {
    PurchaseCashback cashback;
    sql << "SELECT cashback_earned, cashback_spent FROM purchases WHERE id = :id", soci::into(cashback.earned),
        soci::into(cashback.spent), soci::use(purchase_id);
    return cashback;
}

std::vector<CashbackEarning> cashback_earnings_of_purchase(soci::session& sql, long long purchase_id) {
    std::vector<CashbackEarning> earnings;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), rule_id, rule_version FROM cashback_transfers"
                        " WHERE purchase_id = :id AND kind = 'earn' ORDER BY id",
         soci::use(purchase_id));
    for (const soci::row& row : rows) {
        earnings.push_back(CashbackEarning{row.get<long long>(0), row.get<std::string>(1), row.get<int>(2)});
    }
    return earnings;
}

std::vector<std::string> cashback_discrepancies(soci::session& sql) {
    std::vector<std::string> found;
    collect_discrepancies(
        sql,
        "SELECT CAST(transfer_id AS SIGNED), CAST(0 AS SIGNED), CAST(SUM(amount) AS SIGNED) FROM cashback_entries"
        " GROUP BY transfer_id HAVING SUM(amount) <> 0",
        "cashback transfer (entries must sum to zero)", found);
    collect_discrepancies(
        sql,
        "SELECT CAST(a.member_id AS SIGNED), CAST(COALESCE(SUM(e.amount), 0) AS SIGNED),"
        " CAST(a.cashback_balance AS SIGNED) FROM member_accounts a LEFT JOIN cashback_entries e"
        " ON e.member_id = a.member_id AND e.account = 'member_cashback'"
        " GROUP BY a.member_id, a.cashback_balance HAVING COALESCE(SUM(e.amount), 0) <> a.cashback_balance",
        "member cashback wallet (ledger vs balance)", found);
    collect_discrepancies(
        sql,
        // A full stamp card's cashback is the purchase's too, but no line's: a return of lines never takes it.
        "SELECT CAST(p.id AS SIGNED), CAST(p.cashback_earned - COALESCE(r.cashback, 0) AS SIGNED),"
        " CAST(COALESCE(SUM(l.amount), 0) AS SIGNED) FROM purchases p JOIN cashback_line_earnings l"
        " ON l.purchase_id = p.id LEFT JOIN (SELECT purchase_id, SUM(cashback) AS cashback FROM stamp_rewards"
        " GROUP BY purchase_id) r ON r.purchase_id = p.id GROUP BY p.id, p.cashback_earned, r.cashback"
        " HAVING COALESCE(SUM(l.amount), 0) <> p.cashback_earned - COALESCE(r.cashback, 0)",
        "purchase cashback (earned vs its lines' shares)", found);
    collect_discrepancies(
        sql,
        "SELECT CAST(p.id AS SIGNED), CAST(p.cashback_earned AS SIGNED), CAST(SUM(-e.amount) AS SIGNED)"
        " FROM purchases p JOIN cashback_transfers t ON t.purchase_id = p.id AND t.kind = 'earn'"
        " JOIN cashback_entries e ON e.transfer_id = t.id AND e.account = 'program_cashback_issued'"
        " GROUP BY p.id, p.cashback_earned HAVING SUM(-e.amount) <> p.cashback_earned",
        "purchase cashback (earned vs its earning transfers)", found);
    // Returns never take back more than a purchase earned, nor give back more than it spent. (A
    // stamp card's reward a return revokes was earned by the purchase that filled the card, which
    // need not be the one returned: those are checked against the rewards themselves below.)
    collect_discrepancies(
        sql,
        "SELECT CAST(o.id AS SIGNED), CAST(o.cashback_earned AS SIGNED), CAST(SUM(-e.amount) AS SIGNED)"
        " FROM purchases o JOIN purchases r ON r.original_id = o.id"
        " JOIN cashback_transfers t ON t.purchase_id = r.id AND t.kind = 'reverse' AND t.rule_id NOT LIKE 'stamps:%'"
        " JOIN cashback_entries e ON e.transfer_id = t.id AND e.account = 'member_cashback'"
        " GROUP BY o.id, o.cashback_earned HAVING SUM(-e.amount) > o.cashback_earned",
        "purchase cashback (reversed beyond earned)", found);
    // A card's cashback taken back only by revoking its rewards, never beyond what they gave.
    collect_discrepancies(
        sql,
        "SELECT CAST(r.member_id AS SIGNED), CAST(r.revoked AS SIGNED), CAST(-COALESCE(t.taken, 0) AS SIGNED)"
        " FROM (SELECT member_id, card_id, SUM(IF(status = 'revoked', cashback, 0)) AS revoked"
        " FROM stamp_rewards GROUP BY member_id, card_id) r LEFT JOIN (SELECT e.member_id, SUBSTRING(t.rule_id, 8)"
        " AS card_id, SUM(e.amount) AS taken FROM cashback_transfers t JOIN cashback_entries e ON e.transfer_id = t.id"
        " AND e.account = 'member_cashback' WHERE t.kind = 'reverse' AND t.rule_id LIKE 'stamps:%'"
        " GROUP BY e.member_id, card_id) t ON t.member_id = r.member_id AND t.card_id = r.card_id"
        " WHERE -COALESCE(t.taken, 0) > r.revoked",
        "member stamp card cashback (taken back beyond the revoked rewards)", found);
    return found;
}

}  // namespace patron::store
