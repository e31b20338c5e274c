#include "loyalty/store/members/member_history_store.h"

#include <soci/soci.h>

#include <limits>
#include <string>

#include "loyalty/core/draws.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {

namespace {

// The purchase of a history row (its seven purchase columns from `first`), when it has one.
std::optional<core::HistoryPurchase> purchase_of(const soci::row& row, std::size_t first) {
    if (row.get<std::string>(first).empty()) return std::nullopt;
    return core::HistoryPurchase{row.get<std::string>(first),     row.get<std::string>(first + 1),
                                 row.get<std::string>(first + 2), row.get<std::string>(first + 3),
                                 row.get<long long>(first + 4),   row.get<std::string>(first + 5),
                                 row.get<std::string>(first + 6)};
}

// A row's last columns, read by purchase_of.
constexpr const char* kPurchaseColumns =
    " IFNULL(p.kind, ''), IFNULL(s.code, ''), IFNULL(p.receipt, ''),"
    " IFNULL(DATE_FORMAT(p.business_day, '%Y-%m-%d'), ''), IFNULL(p.total, 0), IFNULL(p.currency, ''),"
    " IFNULL(s.name, '')";

// The tables of a book and the member's account in it. Names are constants: nothing here comes
// from a request.
struct BookTables {
    std::string entries;
    std::string transfers;
    std::string available;
};

BookTables tables_of(core::HistoryBook book) {
    if (book == core::HistoryBook::kCashback) return {"cashback_entries", "cashback_transfers", "member_cashback"};
    return {"ledger_entries", "ledger_transfers", "member_available"};
}

// What a movement of transfer t did to the member's entries e, and its purchase p at store s:
// the columns read_movement reads.
std::string movement_columns(const BookTables& tables) {
    return std::string(
               "SELECT CAST(t.id AS SIGNED), t.kind, IFNULL(t.rule_id, ''),"
               " CAST(IFNULL(t.rule_version, 0) AS SIGNED), IFNULL(t.note, ''), DATE_FORMAT(t.created_at, ") +
           kSqlTimeFormat + "), CAST(SUM(IF(e.account = '" + tables.available +
           "', e.amount, 0)) AS SIGNED), CAST(SUM(IF(e.account = 'member_pending', e.amount, 0)) AS SIGNED)," +
           kPurchaseColumns;
}

core::HistoryItem read_movement(const soci::row& row, core::HistoryBook book) {
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
    return item;
}

constexpr const char* kPurchaseJoins =
    " LEFT JOIN purchases p ON p.id = t.purchase_id LEFT JOIN stores s ON s.id = p.store_id";

// The member's newest entries before a transfer, newest first, at most as many as a page looks at
// (read through the index on member and transfer).
std::string entry_window(const BookTables& tables) {
    return "SELECT transfer_id FROM " + tables.entries +
           " WHERE member_id = :member AND transfer_id < :before ORDER BY transfer_id DESC LIMIT " +
           std::to_string(kMovementEntriesScannedMax);
}

// " WHERE k.kind IN ('earn', 'release')", or nothing when any kind goes. The kinds are constants
// of the core's table, never a client's text.
std::string kind_condition(std::span<const char* const> kinds) {
    if (kinds.empty()) return "";
    std::string condition = " WHERE k.kind IN (";
    for (std::size_t i = 0; i < kinds.size(); ++i) condition += (i == 0 ? "'" : ", '") + std::string(kinds[i]) + "'";
    return condition + ")";
}

// The three sources of a member's stamp list, by their place (`seq`) among changes of one
// instant: the stamps given or taken, then the reward they filled, then a reward revoked.
struct StampSource {
    const char* columns;  // id, seq, card_id, kind, stamps, at, purchase_id
    const char* table;
    const char* at;  // The column that times the change.
    const char* only;
};

constexpr StampSource kStampSources[] = {
    {"id, 0 AS seq, card_id, kind, stamps, created_at AS at, purchase_id, item", "stamp_events", "created_at", ""},
    {"id, 1, card_id, 'reward', goal, created_at, purchase_id, NULL", "stamp_rewards", "created_at", ""},
    {"id, 2, card_id, 'revoked', goal, revoked_at, NULL, NULL", "stamp_rewards", "revoked_at",
     " AND status = 'revoked'"},
};

// A stamp list id is the source row's id times this, plus the source's place.
constexpr long long kStampIdSpread = 4;

// Where a page of the stamp list starts: before the change at `at`, of source `seq`, row `id`.
struct StampCursor {
    std::string at;
    long long seq = static_cast<long long>(std::size(kStampSources));
    long long id = 0;
};

std::optional<StampCursor> stamp_cursor(soci::session& sql, long long member_id, long long before) {
    if (before <= 0) return StampCursor{"9999-12-31 23:59:59.999999"};
    StampCursor cursor{"", before % kStampIdSpread, before / kStampIdSpread};
    if (cursor.seq >= static_cast<long long>(std::size(kStampSources))) return std::nullopt;
    const StampSource& source = kStampSources[cursor.seq];
    soci::indicator found = soci::i_null;
    sql << std::string("SELECT DATE_FORMAT(") + source.at + ", " + kSqlTimeFormat + ") FROM " + source.table +
               " WHERE id = :id AND member_id = :member" + source.only,
        soci::into(cursor.at, found), soci::use(cursor.id), soci::use(member_id);
    if (!sql.got_data() || found != soci::i_ok) return std::nullopt;
    return cursor;
}

// One source's changes before the cursor, newest first: its own index on member and time orders them.
std::string stamp_branch(std::size_t seq, const StampCursor& cursor, int limit) {
    const StampSource& source = kStampSources[seq];
    const long long place = static_cast<long long>(seq);
    // At the cursor's instant, a source placed before the cursor's comes after it in the list.
    const std::string same_instant = place < cursor.seq    ? "TRUE"
                                     : place == cursor.seq ? "id < " + std::to_string(cursor.id)
                                                           : "FALSE";
    const std::string n = std::to_string(seq);
    return std::string("(SELECT ") + source.columns + " FROM " + source.table + " WHERE member_id = :m" + n +
           source.only + " AND " + source.at + " <= :a" + n + " AND (" + source.at + " < :b" + n + " OR " +
           same_instant + ") ORDER BY " + source.at + " DESC, id DESC LIMIT " + std::to_string(limit) + ")";
}

}  // namespace

std::vector<core::HistoryItem> member_history(soci::session& sql, long long member_id, long long before_transfer_id,
                                              int limit, core::HistoryBook book) {
    const BookTables tables = tables_of(book);
    std::vector<core::HistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare << movement_columns(tables) << " FROM " << tables.entries << " e JOIN " << tables.transfers
                     << " t ON t.id = e.transfer_id" << kPurchaseJoins
                     << " WHERE e.member_id = :member AND t.id < :before GROUP BY t.id ORDER BY t.id DESC LIMIT "
                     << limit,
         soci::use(member_id), soci::use(before_transfer_id));
    for (const soci::row& row : rows) items.push_back(read_movement(row, book));
    return items;
}

MovementPage member_movements(soci::session& sql, long long member_id, core::HistoryBook book,
                              std::span<const char* const> kinds, long long before, int limit) {
    const BookTables tables = tables_of(book);
    const long long older_than = before > 0 ? before : std::numeric_limits<long long>::max();
    MovementPage page;
    soci::rowset<soci::row> rows =
        (sql.prepare << movement_columns(tables) << " FROM (SELECT DISTINCT w.transfer_id FROM ("
                     << entry_window(tables) << ") w JOIN " << tables.transfers << " k ON k.id = w.transfer_id"
                     << kind_condition(kinds) << " ORDER BY w.transfer_id DESC LIMIT " << limit << ") page JOIN "
                     << tables.transfers << " t ON t.id = page.transfer_id JOIN " << tables.entries
                     << " e ON e.transfer_id = t.id AND e.member_id = :owner" << kPurchaseJoins
                     << " GROUP BY t.id ORDER BY t.id DESC",
         soci::use(member_id), soci::use(older_than), soci::use(member_id));
    for (const soci::row& row : rows) page.items.push_back(read_movement(row, book));
    if (page.items.size() >= static_cast<std::size_t>(limit)) return page;
    long long scanned = 0;
    long long oldest = 0;
    sql << "SELECT COUNT(*), CAST(IFNULL(MIN(transfer_id), 0) AS SIGNED) FROM (" + entry_window(tables) + ") w",
        soci::into(scanned), soci::into(oldest), soci::use(member_id), soci::use(older_than);
    if (scanned >= kMovementEntriesScannedMax) page.scanned_to = oldest;
    return page;
}

std::vector<core::StampHistoryItem> stamp_history(soci::session& sql, long long member_id, int limit,
                                                  long long before) {
    const auto cursor = stamp_cursor(sql, member_id, before);
    if (!cursor) return {};
    std::vector<core::StampHistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(h.id AS SIGNED), CAST(h.seq AS SIGNED), h.card_id, h.kind,"
                        " CAST(h.stamps AS SIGNED), DATE_FORMAT(h.at, "
                     << kSqlTimeFormat << "), h.item," << kPurchaseColumns << " FROM ("
                     << stamp_branch(0, *cursor, limit) << " UNION ALL " << stamp_branch(1, *cursor, limit)
                     << " UNION ALL " << stamp_branch(2, *cursor, limit)
                     << ") h LEFT JOIN purchases p ON p.id = h.purchase_id LEFT JOIN stores s ON s.id = p.store_id"
                        " ORDER BY h.at DESC, h.seq DESC, h.id DESC LIMIT "
                     << limit,
         soci::use(member_id), soci::use(cursor->at), soci::use(cursor->at), soci::use(member_id),
         soci::use(cursor->at), soci::use(cursor->at), soci::use(member_id), soci::use(cursor->at),
         soci::use(cursor->at));
    for (const soci::row& row : rows) {
        core::StampHistoryItem item;
        item.id = row.get<long long>(0) * kStampIdSpread + row.get<long long>(1);
        item.card_id = row.get<std::string>(2);
        item.kind = row.get<std::string>(3);
        item.stamps = row.get<long long>(4);
        item.at = from_sql_time(row.get<std::string>(5)).value_or(core::Timestamp{});
        if (row.get_indicator(6) == soci::i_ok) item.item = row.get<std::string>(6);
        // A return's events name the purchase whose stamps they took: not the receipt to show.
        if (item.kind == "earn" || item.kind == "reward") item.purchase = purchase_of(row, 7);
        items.push_back(std::move(item));
    }
    return items;
}

std::vector<core::CouponHistoryItem> coupon_history(soci::session& sql, long long member_id, int limit,
                                                    long long before) {
    const long long older_than = before > 0 ? before : std::numeric_limits<long long>::max();
    std::vector<core::CouponHistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(r.id AS SIGNED), c.code, CAST(r.campaign_id AS SIGNED), r.campaign_version,"
                        " r.discount, r.bonus_points, r.status, DATE_FORMAT(r.created_at, "
                     << kSqlTimeFormat << ")," << kPurchaseColumns
                     << " FROM coupon_redemptions r JOIN coupon_codes c ON c.id = r.code_id"
                        " LEFT JOIN purchases p ON p.id = r.purchase_id LEFT JOIN stores s ON s.id = p.store_id"
                        " WHERE r.member_id = :member AND r.id < :before ORDER BY r.id DESC LIMIT "
                     << limit,
         soci::use(member_id), soci::use(older_than));
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

std::vector<core::DrawHistoryItem> draw_history(soci::session& sql, long long member_id, int limit, long long before) {
    const long long older_than = before > 0 ? before : std::numeric_limits<long long>::max();
    std::vector<core::DrawHistoryItem> items;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(e.id AS SIGNED), CAST(e.draw_id AS SIGNED),"
                        " IFNULL(JSON_VALUE(d.terms, '$.name'), ''), IFNULL(c.code, ''), e.earned, e.entries,"
                        " DATE_FORMAT(e.created_at, "
                     << kSqlTimeFormat << ")," << kPurchaseColumns
                     << " FROM draw_entries e JOIN draws d ON d.id = e.draw_id"
                        " LEFT JOIN draw_codes c ON c.id = e.code_id"
                        " LEFT JOIN purchases p ON p.id = e.purchase_id LEFT JOIN stores s ON s.id = p.store_id"
                        " WHERE e.member_id = :member AND e.id < :before ORDER BY e.id DESC LIMIT "
                     << limit,
         soci::use(member_id), soci::use(older_than));
    for (const soci::row& row : rows) {
        core::DrawHistoryItem item;
        item.id = row.get<long long>(0);
        item.draw_id = row.get<long long>(1);
        item.draw_name = row.get<std::string>(2);
        const std::string code = row.get<std::string>(3);
        item.code = code.empty() ? code : core::shown_draw_code(code);
        item.earned = row.get<long long>(4);
        item.entries = row.get<long long>(5);
        item.at = from_sql_time(row.get<std::string>(6)).value_or(core::Timestamp{});
        item.purchase = purchase_of(row, 7);
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace patron::store
