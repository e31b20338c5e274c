#include "loyalty/store/insight/segment_addition_store.h"

#include <soci/soci.h>

#include <vector>

#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {

void add_to_segment(soci::session& sql, long long program_id, long long segment_id, long long member_id,
                    long long trigger_id, core::Timestamp now, core::Timestamp until) {
    const std::string added_at = to_sql_time(now);
    const std::string until_at = to_sql_time(until);
    sql << "INSERT INTO segment_additions (member_id, segment_id, program_id, trigger_id, added_at, until)"
           " VALUES (:member, :segment, :program, :trigger, :added, :until) ON DUPLICATE KEY UPDATE"
           " trigger_id = IF(VALUES(until) > until, VALUES(trigger_id), trigger_id),"
           " added_at = IF(VALUES(until) > until, VALUES(added_at), added_at),"
           " until = GREATEST(until, VALUES(until))",
        soci::use(member_id), soci::use(segment_id), soci::use(program_id), soci::use(trigger_id), soci::use(added_at),
        soci::use(until_at);
}

std::map<long long, std::set<long long>> segments_added(soci::session& sql, const std::vector<long long>& member_ids,
                                                        core::Timestamp now) {
    std::map<long long, std::set<long long>> added;
    if (member_ids.empty()) return added;
    const std::string at = to_sql_time(now);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(member_id AS SIGNED), CAST(segment_id AS SIGNED) FROM segment_additions"
                        " WHERE member_id IN ("
                     << id_list(member_ids) << ") AND until > :now",
         soci::use(at));
    for (const soci::row& row : rows) added[integer_at(row, 0)].insert(integer_at(row, 1));
    return added;
}

void move_segment_additions(soci::session& sql, long long from, long long into) {
    struct Addition {
        long long segment_id, program_id, trigger_id;
        core::Timestamp added_at, until;
    };
    std::vector<Addition> moved;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(segment_id AS SIGNED), CAST(program_id AS SIGNED), CAST(trigger_id AS SIGNED), "
                        "DATE_FORMAT(added_at, "
                     << kSqlTimeFormat << "), DATE_FORMAT(until, " << kSqlTimeFormat
                     << ") FROM segment_additions WHERE member_id = :from FOR UPDATE",
         soci::use(from));
    for (const soci::row& row : rows) {
        moved.push_back({integer_at(row, 0), integer_at(row, 1), integer_at(row, 2),
                         from_sql_time(row.get<std::string>(3)).value_or(core::Timestamp{}),
                         from_sql_time(row.get<std::string>(4)).value_or(core::Timestamp{})});
    }
    for (const Addition& addition : moved) {
        add_to_segment(sql, addition.program_id, addition.segment_id, into, addition.trigger_id, addition.added_at,
                       addition.until);
    }
    sql << "DELETE FROM segment_additions WHERE member_id = :from", soci::use(from);
}

long long forget_ended_additions(soci::session& sql, core::Timestamp before, std::size_t limit) {
    const std::string at = to_sql_time(before);
    const long long count = static_cast<long long>(limit);
    soci::statement statement =
        (sql.prepare << "DELETE FROM segment_additions WHERE until < :before ORDER BY until LIMIT :count",
         soci::use(at), soci::use(count));
    statement.execute(true);
    return statement.get_affected_rows();
}

long long delete_additions_of(soci::session& sql, long long segment_id, std::size_t limit) {
    const long long count = static_cast<long long>(limit);
    soci::statement statement =
        (sql.prepare << "DELETE FROM segment_additions WHERE segment_id = :segment LIMIT :count", soci::use(segment_id),
         soci::use(count));
    statement.execute(true);
    return statement.get_affected_rows();
}

}  // namespace patron::store
