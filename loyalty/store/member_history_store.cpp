#include "loyalty/store/member_history_store.h"

#include <soci/soci.h>

#include "loyalty/store/sql_time.h"

namespace patron::store {

std::vector<core::HistoryItem> member_history(soci::session& sql, long long member_id, long long before_transfer_id,
                                              int limit) {
    std::vector<core::HistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT CAST(t.id AS SIGNED), t.kind, IFNULL(t.rule_id, ''), CAST(IFNULL(t.rule_version, 0) AS SIGNED),"
                " IFNULL(t.note, ''), DATE_FORMAT(t.created_at, "
             << kSqlTimeFormat
             << "),"
                " CAST(SUM(IF(e.account = 'member_available', e.amount, 0)) AS SIGNED),"
                " CAST(SUM(IF(e.account = 'member_pending', e.amount, 0)) AS SIGNED),"
                " IFNULL(p.kind, ''), IFNULL(s.code, ''), IFNULL(p.receipt, ''),"
                " IFNULL(DATE_FORMAT(p.business_day, '%Y-%m-%d'), ''), IFNULL(p.total, 0),"
                " IFNULL(p.currency, '')"
                " FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id"
                " LEFT JOIN purchases p ON p.id = t.purchase_id LEFT JOIN stores s ON s.id = p.store_id"
                " WHERE e.member_id = :member AND t.id < :before"
                " GROUP BY t.id ORDER BY t.id DESC LIMIT "
             << limit,
         soci::use(member_id), soci::use(before_transfer_id));
    for (const soci::row& row : rows) {
        core::HistoryItem item;
        item.transfer_id = row.get<long long>(0);
        item.kind = row.get<std::string>(1);
        item.rule_id = row.get<std::string>(2);
        item.rule_version = static_cast<int>(row.get<long long>(3));
        item.note = row.get<std::string>(4);
        item.at = from_sql_time(row.get<std::string>(5)).value_or(core::Timestamp{});
        item.available = row.get<long long>(6);
        item.pending = row.get<long long>(7);
        if (!row.get<std::string>(8).empty()) {
            item.purchase =
                core::HistoryPurchase{row.get<std::string>(8),  row.get<std::string>(9), row.get<std::string>(10),
                                      row.get<std::string>(11), row.get<long long>(12),  row.get<std::string>(13)};
        }
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace patron::store
