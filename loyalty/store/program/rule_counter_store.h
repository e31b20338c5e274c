// The counters rule limits are checked against: per member, rule and local period ("2026-11-22",
// "2026-11") the points given; per program and rule the points given in all (budget).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace patron::store {

// Points each rule gave the member in these periods, by rule id then period.
std::map<std::string, std::map<std::string, long long>> member_rule_usage(soci::session& sql, long long member_id,
                                                                          const std::vector<std::string>& periods);
void add_member_rule_usage(soci::session& sql, long long member_id, const std::string& rule_id,
                           const std::string& period, long long points);

// The budget used by each of these rules, with their rows locked (created at 0 when missing), in
// rule id order so that concurrent purchases take the locks in the same order.
std::map<std::string, long long> lock_rule_budgets(soci::session& sql, long long program_id,
                                                   std::vector<std::string> rule_ids);
// Creates the rule's budget counter at 0 unless it exists.
void ensure_rule_budget(soci::session& sql, long long program_id, const std::string& rule_id);
void add_rule_budget_use(soci::session& sql, long long program_id, const std::string& rule_id, long long points);

// A return took back `points` a rule had given the member in those periods: the caps and the
// campaign budget count them no more (never below zero).
void give_back_rule_usage(soci::session& sql, long long program_id, long long member_id, const std::string& rule_id,
                          const std::vector<std::string>& periods, long long points);

}  // namespace patron::store
