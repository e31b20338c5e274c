#include "loyalty/store/fraud/till_watch_store.h"

#include <soci/soci.h>

#include <limits>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {

std::vector<long long> programs_with_fraud_policy(soci::session& sql) {
    std::vector<long long> ids;
    soci::rowset<long long> rows = (sql.prepare << "SELECT CAST(id AS SIGNED) FROM programs"
                                                   " WHERE fraud_policy_version > 0 ORDER BY id");
    for (const long long id : rows) ids.push_back(id);
    return ids;
}

std::vector<TillTotals> till_totals(soci::session& sql, long long program_id, core::Timestamp from,
                                    core::Timestamp until, std::int64_t points_min, std::int64_t cashback_min,
                                    int limit) {
    constexpr long long kNever = std::numeric_limits<long long>::max();
    const std::string start = to_sql_time(from);
    const std::string end = to_sql_time(until);
    const long long points_floor = points_min > 0 ? points_min : kNever;
    const long long cashback_floor = cashback_min > 0 ? cashback_min : kNever;
    std::vector<TillTotals> tills;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(p.store_id AS SIGNED), s.code, p.terminal, COUNT(*),"
                        " CAST(SUM(p.points_earned) AS SIGNED) AS points, CAST(SUM(p.cashback_earned) AS SIGNED)"
                        " FROM purchases p JOIN stores s ON s.id = p.store_id"
                        " WHERE p.program_id = :program AND p.received_at > :start AND p.received_at <= :until"
                        " AND p.kind = 'purchase' GROUP BY p.store_id, s.code, p.terminal"
                        " HAVING SUM(p.points_earned) >= :points OR SUM(p.cashback_earned) >= :cashback"
                        " ORDER BY points DESC LIMIT :limit",
         soci::use(program_id), soci::use(start), soci::use(end), soci::use(points_floor), soci::use(cashback_floor),
         soci::use(limit));
    for (const soci::row& row : rows) {
        tills.push_back(TillTotals{row.get<long long>(0), row.get<std::string>(1), row.get<std::string>(2),
                                   row.get<long long>(3), row.get<long long>(4), row.get<long long>(5)});
    }
    return tills;
}

TillHistory till_history(soci::session& sql, long long store_id, const std::string& terminal, core::Timestamp since,
                         core::Timestamp before) {
    // Business days are the store's own: a day before the UTC one bounds the index's range.
    const std::string day = core::format_date(
        std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(since) - std::chrono::days(1)});
    const std::string from = to_sql_time(since);
    const std::string until = to_sql_time(before);
    TillHistory history;
    soci::indicator points_i = soci::i_null;
    soci::indicator cashback_i = soci::i_null;
    sql << "SELECT COUNT(DISTINCT DATE_FORMAT(received_at, '%Y-%m-%d %H')), CAST(SUM(points_earned) AS SIGNED),"
           " CAST(SUM(cashback_earned) AS SIGNED) FROM purchases WHERE store_id = :store AND terminal = :terminal"
           " AND business_day >= :day AND received_at > :since AND received_at <= :before AND kind = 'purchase'",
        soci::into(history.hours), soci::into(history.points, points_i), soci::into(history.cashback, cashback_i),
        soci::use(store_id), soci::use(terminal), soci::use(day), soci::use(from), soci::use(until);
    if (points_i != soci::i_ok) history.points = 0;
    if (cashback_i != soci::i_ok) history.cashback = 0;
    return history;
}

bool till_signalled_since(soci::session& sql, long long program_id, long long store_id, const std::string& terminal,
                          core::Timestamp since) {
    // The keys are "till:<store id>:<terminal>:<hour>": a prefix range of the unique key, the
    // terminal's LIKE wildcards escaped.
    std::string prefix = "till:" + std::to_string(store_id) + ":";
    for (const char c : terminal) {
        if (c == '%' || c == '_' || c == '\\') prefix += '\\';
        prefix += c;
    }
    prefix += ":%";
    const std::string from = to_sql_time(since);
    int found = 0;
    sql << "SELECT EXISTS (SELECT 1 FROM fraud_signals WHERE program_id = :program AND kind = 'terminal_outlier'"
           " AND subject_key LIKE :prefix AND raised_at > :since)",
        soci::into(found), soci::use(program_id), soci::use(prefix), soci::use(from);
    return found != 0;
}

}  // namespace patron::store
