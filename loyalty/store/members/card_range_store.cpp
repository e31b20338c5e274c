#include "loyalty/store/members/card_range_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

// Ranges hold valid card numbers of one length, so within a length the text order of two numbers
// (ascii_bin) is the order of the digits before their check digits.
const std::string kRangeColumns = std::string("CAST(r.id AS SIGNED), CAST(r.program_id AS SIGNED), r.name, ") +
                                  "r.first_number, r.last_number, DATE_FORMAT(r.created_at, " + kSqlTimeFormat + ")";

// The cards numbered within the range whose ends are the placeholders (or columns) `first` and `last`.
std::string cards_between(const std::string& first, const std::string& last) {
    return "(SELECT COUNT(*) FROM cards c WHERE c.number BETWEEN " + first + " AND " + last +
           " AND CHAR_LENGTH(c.number) = CHAR_LENGTH(" + first + "))";
}

CardRangeRecord range_from(const soci::row& row) {
    return CardRangeRecord{row.get<long long>(0), row.get<long long>(1), row.get<std::string>(2),
                           core::CardRange{row.get<std::string>(3), row.get<std::string>(4)},
                           from_sql_time(row.get<std::string>(5)).value_or(core::Timestamp{})};
}

}  // namespace

void lock_card_ranges(soci::session& sql) {
    // A write, not SELECT ... FOR UPDATE: on Galera two registrations on two nodes then conflict.
    sql << "UPDATE card_range_registry SET write_mark = write_mark + 1 WHERE id = 1";
}

long long insert_card_range(soci::session& sql, const CardRangeRecord& range, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    sql << "INSERT INTO card_ranges (program_id, name, first_number, last_number, created_at)"
           " VALUES (:program, :name, :first, :last, :created)",
        soci::use(range.program_id), soci::use(range.name), soci::use(range.range.first), soci::use(range.range.last),
        soci::use(created);
    return last_insert_id(sql);
}

std::vector<CardRangeRecord> card_ranges_of_program(soci::session& sql, long long program_id) {
    std::vector<CardRangeRecord> ranges;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kRangeColumns << ", " << cards_between("r.first_number", "r.last_number")
                     << " FROM card_ranges r WHERE r.program_id = :program ORDER BY r.id",
         soci::use(program_id));
    for (const soci::row& row : rows) {
        CardRangeRecord range = range_from(row);
        range.issued = row.get<long long>(6);
        ranges.push_back(std::move(range));
    }
    return ranges;
}

std::vector<CardRangeRecord> card_ranges_of_length(soci::session& sql, std::size_t digits) {
    std::vector<CardRangeRecord> ranges;
    const int length = static_cast<int>(digits);
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT " << kRangeColumns
                                                << " FROM card_ranges r WHERE CHAR_LENGTH(r.first_number) = :length"
                                                   " ORDER BY r.id",
                                    soci::use(length));
    for (const soci::row& row : rows) ranges.push_back(range_from(row));
    return ranges;
}

long long count_card_ranges(soci::session& sql, long long program_id) {
    long long ranges = 0;
    sql << "SELECT COUNT(*) FROM card_ranges WHERE program_id = :program", soci::into(ranges), soci::use(program_id);
    return ranges;
}

long long count_cards_in_range(soci::session& sql, const core::CardRange& range) {
    long long cards = 0;
    sql << "SELECT " + cards_between(":first", ":last"), soci::into(cards), soci::use(range.first, "first"),
        soci::use(range.last, "last");
    return cards;
}

bool card_range_holds(soci::session& sql, const std::string& number) {
    long long holding = 0;
    sql << "SELECT COUNT(*) FROM card_ranges WHERE first_number <= :number AND last_number >= :number"
           " AND CHAR_LENGTH(first_number) = CHAR_LENGTH(:number)",
        soci::into(holding), soci::use(number, "number");
    return holding > 0;
}

}  // namespace patron::store
