#include "loyalty/store/program/rule_counter_store.h"

#include <soci/soci.h>

#include <algorithm>

namespace patron::store {

std::map<std::string, std::map<std::string, long long>> member_rule_usage(soci::session& sql, long long member_id,
                                                                          const std::vector<std::string>& periods) {
    std::map<std::string, std::map<std::string, long long>> usage;
    for (const std::string& period : periods) {
        soci::rowset<soci::row> rows =
            (sql.prepare
                 << "SELECT rule_id, points FROM member_rule_usage WHERE member_id = :member AND period = :period",
             soci::use(member_id, "member"), soci::use(period, "period"));
        for (const soci::row& row : rows) usage[row.get<std::string>(0)][period] = row.get<long long>(1);
    }
    return usage;
}

void add_member_rule_usage(soci::session& sql, long long member_id, const std::string& rule_id,
                           const std::string& period, long long points) {
    sql << "INSERT INTO member_rule_usage (member_id, rule_id, period, points) VALUES (:member, :rule, :period, "
           ":points)"
           " ON DUPLICATE KEY UPDATE points = points + VALUES(points)",
        soci::use(member_id, "member"), soci::use(rule_id, "rule"), soci::use(period, "period"),
        soci::use(points, "points");
}

std::map<std::string, long long> lock_rule_budgets(soci::session& sql, long long program_id,
                                                   std::vector<std::string> rule_ids) {
    std::sort(rule_ids.begin(), rule_ids.end());
    std::map<std::string, long long> used;
    for (const std::string& rule_id : rule_ids) {
        long long points = 0;
        const auto read = [&] {
            sql << "SELECT used FROM rule_budgets WHERE program_id = :program AND rule_id = :rule FOR UPDATE",
                soci::into(points), soci::use(program_id, "program"), soci::use(rule_id, "rule");
            return sql.got_data();
        };
        // Publishing creates the row; creating it here is the fallback, since concurrent inserts of
        // one key deadlock far more often than locking an existing row.
        if (!read()) {
            ensure_rule_budget(sql, program_id, rule_id);
            read();
        }
        used[rule_id] = points;
    }
    return used;
}

void ensure_rule_budget(soci::session& sql, long long program_id, const std::string& rule_id) {
    sql << "INSERT IGNORE INTO rule_budgets (program_id, rule_id, used) VALUES (:program, :rule, 0)",
        soci::use(program_id, "program"), soci::use(rule_id, "rule");
}

void add_rule_budget_use(soci::session& sql, long long program_id, const std::string& rule_id, long long points) {
    sql << "UPDATE rule_budgets SET used = used + :points WHERE program_id = :program AND rule_id = :rule",
        soci::use(points, "points"), soci::use(program_id, "program"), soci::use(rule_id, "rule");
}

void give_back_rule_usage(soci::session& sql, long long program_id, long long member_id, const std::string& rule_id,
                          const std::vector<std::string>& periods, long long points) {
    for (const std::string& period : periods) {
        sql << "UPDATE member_rule_usage SET points = GREATEST(points - :points, 0)"
               " WHERE member_id = :member AND rule_id = :rule AND period = :period",
            soci::use(points, "points"), soci::use(member_id, "member"), soci::use(rule_id, "rule"),
            soci::use(period, "period");
    }
    sql << "UPDATE rule_budgets SET used = GREATEST(used - :points, 0) WHERE program_id = :program AND rule_id = :rule",
        soci::use(points, "points"), soci::use(program_id, "program"), soci::use(rule_id, "rule");
}

}  // namespace patron::store
