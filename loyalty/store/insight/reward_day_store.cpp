#include "loyalty/store/insight/reward_day_store.h"

#include <soci/soci.h>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/integer_column.h"

namespace patron::store {
namespace {

constexpr std::size_t kRowsPerInsert = 2000;

std::string book_name(core::HistoryBook book) { return book == core::HistoryBook::kCashback ? "cashback" : "points"; }

// Text read back from the database, quoted for a literal.
std::string quoted(const std::string& text) {
    std::string literal = "'";
    for (const char c : text) {
        if (c == '\'' || c == '\\') literal += '\\';
        literal += c;
    }
    return literal + "'";
}

}  // namespace

std::string reward_transfers_table(core::HistoryBook book) {
    return book == core::HistoryBook::kCashback ? "cashback_transfers" : "ledger_transfers";
}

std::string reward_entries_table(core::HistoryBook book) {
    return book == core::HistoryBook::kCashback ? "cashback_entries" : "ledger_entries";
}

std::string first_of_its_purchase(core::HistoryBook book) {
    return "(t.purchase_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + reward_transfers_table(book) +
           " o WHERE o.purchase_id = t.purchase_id AND o.kind = t.kind AND IFNULL(o.rule_id, '') = IFNULL(t.rule_id, "
           "'') AND o.id < t.id))";
}

std::vector<core::RewardMovement> reward_movements(soci::session& sql, long long program_id, core::HistoryBook book,
                                                   long long after_id, long long through_id) {
    // Microseconds since 1970 by arithmetic on the DATETIME itself, whatever the session's zone.
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', t.created_at) AS SIGNED),"
                        " IFNULL(t.rule_id, ''), t.kind, CAST(IFNULL(p.store_id, 0) AS SIGNED),"
                        " CAST(e.member_id AS SIGNED), CAST(SUM(e.amount) AS SIGNED), CAST(" +
                            first_of_its_purchase(book) + " AS SIGNED) FROM " + reward_transfers_table(book) +
                            " t JOIN " + reward_entries_table(book) +
                            " e ON e.transfer_id = t.id AND e.member_id IS NOT NULL"
                            " LEFT JOIN purchases p ON p.id = t.purchase_id"
                            " WHERE t.id > :after AND t.id <= :through AND t.program_id = :program"
                            " AND t.kind IN ('earn', 'reverse') GROUP BY t.id, e.member_id",
         soci::use(after_id), soci::use(through_id), soci::use(program_id));
    std::vector<core::RewardMovement> movements;
    for (const soci::row& row : rows) {
        movements.push_back({core::Timestamp{std::chrono::microseconds{integer_at(row, 0)}}, row.get<std::string>(1),
                             row.get<std::string>(2), integer_at(row, 3), integer_at(row, 4), integer_at(row, 5),
                             integer_at(row, 6) != 0});
    }
    return movements;
}

void add_reward_days(soci::session& sql, long long program_id, core::HistoryBook book, const core::RewardDays& days) {
    const std::string prefix = "(" + std::to_string(program_id) + ", '" + book_name(book) + "', '";
    std::string values;
    std::size_t count = 0;
    const auto flush = [&] {
        if (count == 0) return;
        sql << "INSERT INTO reward_days (program_id, book, day, rule_key, kind, store_id, member_id, amount, purchases)"
               " VALUES " +
                   values +
                   " ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount), purchases = purchases + "
                   "VALUES(purchases)";
        values.clear();
        count = 0;
    };
    for (const auto& [key, totals] : days) {
        values += std::string(count == 0 ? "" : ", ") + prefix + core::format_date(key.day) + "', " +
                  quoted(key.rule_key) + ", " + quoted(key.kind) + ", " + std::to_string(key.store_id) + ", " +
                  std::to_string(key.member_id) + ", " + std::to_string(totals.amount) + ", " +
                  std::to_string(totals.purchases) + ")";
        if (++count == kRowsPerInsert) flush();
    }
    flush();
}

void clear_reward_days(soci::session& sql, long long program_id, core::HistoryBook book) {
    const std::string name = book_name(book);
    sql << "DELETE FROM reward_days WHERE program_id = :program AND book = :book", soci::use(program_id),
        soci::use(name);
}

}  // namespace patron::store
