#include "loyalty/store/members/member_history_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {

namespace {

// The purchase of a history row (its six purchase columns from `first`), when it has one.
std::optional<core::HistoryPurchase> purchase_of(const soci::row& row, std::size_t first) {
    if (row.get<std::string>(first).empty()) return std::nullopt;
    return core::HistoryPurchase{row.get<std::string>(first),     row.get<std::string>(first + 1),
                                 row.get<std::string>(first + 2), row.get<std::string>(first + 3),
                                 row.get<long long>(first + 4),   row.get<std::string>(first + 5)};
}

constexpr const char* kPurchaseColumns =
    " IFNULL(p.kind, ''), IFNULL(s.code, ''), IFNULL(p.receipt, ''),"
    " IFNULL(DATE_FORMAT(p.business_day, '%Y-%m-%d'), ''), IFNULL(p.total, 0), IFNULL(p.currency, '')";

}  // namespace

std::vector<core::HistoryItem> member_history(soci::session& sql, long long member_id, long long before_transfer_id,
                                              int limit, core::HistoryBook book) {
    const bool cashback = book == core::HistoryBook::kCashback;
    // Table and account names are constants: nothing here comes from a request.
    const std::string entries = cashback ? "cashback_entries" : "ledger_entries";
    const std::string transfers = cashback ? "cashback_transfers" : "ledger_transfers";
    const std::string available = cashback ? "member_cashback" : "member_available";
    std::vector<core::HistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT CAST(t.id AS SIGNED), t.kind, IFNULL(t.rule_id, ''), CAST(IFNULL(t.rule_version, 0) AS SIGNED),"
                " IFNULL(t.note, ''), DATE_FORMAT(t.created_at, "
             << kSqlTimeFormat
             << "),"
                " CAST(SUM(IF(e.account = '"
             << available
             << "', e.amount, 0)) AS SIGNED),"
                " CAST(SUM(IF(e.account = 'member_pending', e.amount, 0)) AS SIGNED),"
             << kPurchaseColumns << " FROM " << entries << " e JOIN " << transfers
             << " t ON t.id = e.transfer_id"
                " LEFT JOIN purchases p ON p.id = t.purchase_id LEFT JOIN stores s ON s.id = p.store_id"
                " WHERE e.member_id = :member AND t.id < :before"
                " GROUP BY t.id ORDER BY t.id DESC LIMIT "
             << limit,
         soci::use(member_id), soci::use(before_transfer_id));
    for (const soci::row& row : rows) {
        core::HistoryItem item;
        item.book = book;
        item.transfer_id = row.get<long long>(0);
        item.kind = row.get<std::string>(1);
        item.rule_id = row.get<std::string>(2);
        item.rule_version = static_cast<int>(row.get<long long>(3));
        item.note = row.get<std::string>(4);
        item.at = from_sql_time(row.get<std::string>(5)).value_or(core::Timestamp{});
        item.available = row.get<long long>(6);
        item.pending = row.get<long long>(7);
        item.purchase = purchase_of(row, 8);
        items.push_back(std::move(item));
    }
    return items;
}

std::vector<core::StampHistoryItem> stamp_history(soci::session& sql, long long member_id, int limit) {
    std::vector<core::StampHistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(h.id AS SIGNED), h.card_id, h.kind, CAST(h.stamps AS SIGNED), DATE_FORMAT(h.at, "
                     << kSqlTimeFormat << "),"
                     << kPurchaseColumns
                     // In one transaction the stamps come first, then the reward they filled.
                     << " FROM (SELECT id, 0 AS seq, card_id, kind, stamps, created_at AS at, purchase_id"
                        " FROM stamp_events WHERE member_id = :m1"
                        " UNION ALL SELECT id, 1, card_id, 'reward', goal, created_at, purchase_id FROM stamp_rewards"
                        " WHERE member_id = :m2"
                        " UNION ALL SELECT id, 2, card_id, 'revoked', goal, revoked_at, NULL FROM stamp_rewards"
                        " WHERE member_id = :m3 AND status = 'revoked') h"
                        " LEFT JOIN purchases p ON p.id = h.purchase_id LEFT JOIN stores s ON s.id = p.store_id"
                        " ORDER BY h.at DESC, h.seq DESC, h.id DESC LIMIT "
                     << limit,
         soci::use(member_id), soci::use(member_id), soci::use(member_id));
    for (const soci::row& row : rows) {
        core::StampHistoryItem item;
        item.id = row.get<long long>(0);
        item.card_id = row.get<std::string>(1);
        item.kind = row.get<std::string>(2);
        item.stamps = row.get<long long>(3);
        item.at = from_sql_time(row.get<std::string>(4)).value_or(core::Timestamp{});
        // A return's events name the purchase whose stamps they took: not the receipt to show.
        if (item.kind == "earn" || item.kind == "reward") item.purchase = purchase_of(row, 5);
        items.push_back(std::move(item));
    }
    return items;
}

std::vector<core::CouponHistoryItem> coupon_history(soci::session& sql, long long member_id, int limit) {
    std::vector<core::CouponHistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(r.id AS SIGNED), c.code, CAST(r.campaign_id AS SIGNED), r.campaign_version,"
                        " r.discount, r.bonus_points, r.status, DATE_FORMAT(r.created_at, "
                     << kSqlTimeFormat << ")," << kPurchaseColumns
                     << " FROM coupon_redemptions r JOIN coupon_codes c ON c.id = r.code_id"
                        " LEFT JOIN purchases p ON p.id = r.purchase_id LEFT JOIN stores s ON s.id = p.store_id"
                        " WHERE r.member_id = :member ORDER BY r.id DESC LIMIT "
                     << limit,
         soci::use(member_id));
    for (const soci::row& row : rows) {
        core::CouponHistoryItem item;
        item.id = row.get<long long>(0);
        item.code = row.get<std::string>(1);
        item.campaign_id = row.get<long long>(2);
        item.campaign_version = row.get<int>(3);
        item.discount = row.get<long long>(4);
        item.bonus_points = row.get<long long>(5);
        item.given_back = row.get<std::string>(6) == "given_back";
        item.at = from_sql_time(row.get<std::string>(7)).value_or(core::Timestamp{});
        item.purchase = purchase_of(row, 8);
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace patron::store
