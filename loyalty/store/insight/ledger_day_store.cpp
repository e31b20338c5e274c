#include "loyalty/store/insight/ledger_day_store.h"

#include <soci/soci.h>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

// Table and account names are constants: nothing here comes from a request.
struct BookTables {
    std::string transfers;
    std::string entries;
    std::string available;  // The member account that counts as available.
};

BookTables tables_of(core::HistoryBook book) {
    if (book == core::HistoryBook::kCashback) return {"cashback_transfers", "cashback_entries", "member_cashback"};
    return {"ledger_transfers", "ledger_entries", "member_available"};
}

std::string book_name(core::HistoryBook book) { return book == core::HistoryBook::kCashback ? "cashback" : "points"; }

core::HistoryBook book_of(const std::string& name) {
    return name == "cashback" ? core::HistoryBook::kCashback : core::HistoryBook::kPoints;
}

constexpr std::size_t kRowsPerInsert = 2000;

std::string marks_table(DaySums sums) { return sums == DaySums::kRewardDays ? "reward_day_marks" : "ledger_day_marks"; }

// Rows (book, day, store_id, kind, transfers, gained, lost, available, pending) into `days`,
// dated `fixed_day` when given.
core::LedgerDays read_days(soci::rowset<soci::row>& rows, std::optional<core::LocalDate> fixed_day) {
    core::LedgerDays days;
    for (const soci::row& row : rows) {
        const core::LocalDate day =
            fixed_day ? *fixed_day : core::parse_date(row.get<std::string>(1)).value_or(core::LocalDate{});
        days[{book_of(row.get<std::string>(0)), day, row.get<long long>(2), row.get<std::string>(3)}] +=
            core::LedgerDayTotals{row.get<long long>(4), row.get<long long>(5), row.get<long long>(6),
                                  row.get<long long>(7), row.get<long long>(8)};
    }
    return days;
}

constexpr const char* kSums =
    " CAST(SUM(transfers) AS SIGNED), CAST(SUM(gained) AS SIGNED), CAST(SUM(lost) AS SIGNED),"
    " CAST(SUM(available) AS SIGNED), CAST(SUM(pending) AS SIGNED) FROM ledger_days";

}  // namespace

std::optional<LedgerDayMark> find_ledger_day_mark(soci::session& sql, long long program_id, core::HistoryBook book,
                                                  bool for_update, DaySums sums) {
    LedgerDayMark mark;
    const std::string name = book_name(book);
    sql << "SELECT time_zone, CAST(through_transfer_id AS SIGNED) FROM " + marks_table(sums) +
               " WHERE program_id = :program AND book = :book" + std::string(for_update ? " FOR UPDATE" : ""),
        soci::into(mark.time_zone), soci::into(mark.through_transfer_id), soci::use(program_id), soci::use(name);
    if (!sql.got_data()) return std::nullopt;
    return mark;
}

void ensure_ledger_day_mark(soci::session& sql, long long program_id, core::HistoryBook book,
                            const std::string& time_zone, core::Timestamp now, DaySums sums) {
    const std::string name = book_name(book);
    const std::string at = to_sql_time(now);
    sql << "INSERT IGNORE INTO " + marks_table(sums) +
               " (program_id, book, time_zone, through_transfer_id, rolled_at) VALUES (:program, :book, :zone, 0, :at)",
        soci::use(program_id), soci::use(name), soci::use(time_zone), soci::use(at);
}

void save_ledger_day_mark(soci::session& sql, long long program_id, core::HistoryBook book, const LedgerDayMark& mark,
                          core::Timestamp now, DaySums sums) {
    const std::string name = book_name(book);
    const std::string at = to_sql_time(now);
    sql << "INSERT INTO " + marks_table(sums) +
               " (program_id, book, time_zone, through_transfer_id, rolled_at)"
               " VALUES (:program, :book, :zone, :through, :at) ON DUPLICATE KEY UPDATE time_zone = VALUES(time_zone),"
               " through_transfer_id = VALUES(through_transfer_id), rolled_at = VALUES(rolled_at)",
        soci::use(program_id), soci::use(name), soci::use(mark.time_zone), soci::use(mark.through_transfer_id),
        soci::use(at);
}

long long last_transfer_before(soci::session& sql, long long program_id, core::HistoryBook book, long long after_id,
                               core::Timestamp cutoff) {
    long long last = 0;
    soci::indicator indicator = soci::i_null;
    const std::string before = to_sql_time(cutoff);
    sql << "SELECT CAST(MAX(id) AS SIGNED) FROM " + tables_of(book).transfers +
               " WHERE id > :after AND program_id = :program AND created_at < :cutoff",
        soci::into(last, indicator), soci::use(after_id), soci::use(program_id), soci::use(before);
    return indicator == soci::i_ok ? last : after_id;
}

std::vector<core::TransferMovement> transfer_movements(soci::session& sql, long long program_id, core::HistoryBook book,
                                                       long long after_id, long long through_id) {
    const BookTables tables = tables_of(book);
    // Microseconds since 1970 by arithmetic on the DATETIME itself, whatever the session's zone.
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(t.id AS SIGNED), t.kind,"
                        " CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', t.created_at) AS SIGNED),"
                        " CAST(IFNULL(p.store_id, 0) AS SIGNED),"
                        " CAST(SUM(IF(e.account = '" +
                            tables.available +
                            "', e.amount, 0)) AS SIGNED),"
                            " CAST(SUM(IF(e.account = 'member_pending', e.amount, 0)) AS SIGNED)"
                            " FROM " +
                            tables.transfers + " t JOIN " + tables.entries +
                            " e ON e.transfer_id = t.id LEFT JOIN purchases p ON p.id = t.purchase_id"
                            " WHERE t.id > :after AND t.id <= :through AND t.program_id = :program"
                            " GROUP BY t.id, t.kind, t.created_at, p.store_id ORDER BY t.id",
         soci::use(after_id), soci::use(through_id), soci::use(program_id));
    std::vector<core::TransferMovement> movements;
    for (const soci::row& row : rows) {
        movements.push_back({row.get<long long>(0), row.get<std::string>(1),
                             core::Timestamp{std::chrono::microseconds{row.get<long long>(2)}}, row.get<long long>(3),
                             row.get<long long>(4), row.get<long long>(5)});
    }
    return movements;
}

void add_ledger_days(soci::session& sql, long long program_id, const core::LedgerDays& days) {
    std::string values;
    std::size_t count = 0;
    const auto flush = [&] {
        if (count == 0) return;
        sql << "INSERT INTO ledger_days (program_id, book, day, store_id, kind, transfers, gained, lost, available,"
               " pending) VALUES " +
                   values +
                   " ON DUPLICATE KEY UPDATE transfers = transfers + VALUES(transfers), gained = gained + "
                   "VALUES(gained),"
                   " lost = lost + VALUES(lost), available = available + VALUES(available),"
                   " pending = pending + VALUES(pending)";
        values.clear();
        count = 0;
    };
    for (const auto& [key, totals] : days) {
        // Kinds are the ledger's own constants; quoted all the same, as text read back from the database.
        std::string kind;
        for (const char c : key.kind) {
            if (c == '\'' || c == '\\') kind += '\\';
            kind += c;
        }
        values += std::string(count == 0 ? "" : ", ") + "(" + std::to_string(program_id) + ", '" + book_name(key.book) +
                  "', '" + core::format_date(key.day) + "', " + std::to_string(key.store_id) + ", '" + kind + "', " +
                  std::to_string(totals.transfers) + ", " + std::to_string(totals.gained) + ", " +
                  std::to_string(totals.lost) + ", " + std::to_string(totals.available) + ", " +
                  std::to_string(totals.pending) + ")";
        if (++count == kRowsPerInsert) flush();
    }
    flush();
}

void clear_ledger_days(soci::session& sql, long long program_id, core::HistoryBook book) {
    const std::string name = book_name(book);
    sql << "DELETE FROM ledger_days WHERE program_id = :program AND book = :book", soci::use(program_id),
        soci::use(name);
}

core::LedgerDays ledger_days_between(soci::session& sql, long long program_id, core::LocalDate first,
                                     core::LocalDate last) {
    const std::string from = core::format_date(first);
    const std::string to = core::format_date(last);
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string("SELECT book, DATE_FORMAT(day, '%Y-%m-%d'), CAST(store_id AS SIGNED), kind,") +
                            kSums +
                            " WHERE program_id = :program AND day BETWEEN :first AND :last"
                            " GROUP BY book, day, store_id, kind",
         soci::use(program_id), soci::use(from), soci::use(to));
    return read_days(rows, std::nullopt);
}

core::LedgerDays ledger_days_before(soci::session& sql, long long program_id, core::LocalDate day) {
    const std::string before = core::format_date(day);
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string("SELECT book, '', CAST(store_id AS SIGNED), kind,") + kSums +
                            " WHERE program_id = :program AND day < :before GROUP BY book, store_id, kind",
         soci::use(program_id), soci::use(before));
    return read_days(rows, core::add_days(day, -1));
}

}  // namespace patron::store
