// Programs, their stores, and their published rule sets.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/points.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
class statement;
}

namespace patron::store {

struct ProgramRecord {
    long long id = 0;
    std::string code;
    std::string name;
    std::string currency;
    std::string country_calling_code;  // "98"
    std::string language;              // "fa"
    std::string card_prefix;           // "7001"
    std::string time_zone = "UTC";     // "Asia/Tehran": the programme's days, for expiry, tiers and reports.
};

struct StoreRecord {
    long long id = 0;
    long long program_id = 0;
    std::string code;
    std::string name;
    std::string currency;
    std::string time_zone;
};

struct RuleSetRecord {
    int version = 0;
    std::string document;
};

long long insert_program(soci::session& sql, const ProgramRecord& program, core::Timestamp now);
std::optional<ProgramRecord> find_program(soci::session& sql, long long id);
std::optional<ProgramRecord> find_program_by_code(soci::session& sql, const std::string& code);

// The program's points policy (hold, expiry, what a point pays, minimum, negative balances).
core::PointsPolicy find_points_policy(soci::session& sql, long long program_id);
struct ProgramPolicies {
    core::PointsPolicy points;
    int tier_policy_version = 0;  // 0: the program has no tiers.
    int fraud_policy_version = 0;  // 0: no fraud policy was ever set.
    std::string language;         // "fa", "en": the receipts' language.
    std::string time_zone;        // "Asia/Tehran": lot expiry and tier windows follow it.
    std::optional<int> rule_set_version = {};  // The rule set in force, when read with a time.
    long long settings_version = 0;            // programs.settings_version: raised by every change.
    // Every published rule set's start, when read with them (list_rule_sets); publishing one
    // raises the settings version, so a copy kept by that version knows which is in force when.
    std::vector<core::RuleSetStart> rule_sets = {};
};
// The version of the rule set a programme (an SQL expression naming its id) has in force at :at,
// -1 when none: a scalar subquery for a statement that binds :at.
std::string rule_set_in_force_column(const std::string& program_id);
// The points policy, the tier policy's version and the time zone, in one read (every purchase needs them).
ProgramPolicies find_program_policies(soci::session& sql, long long program_id);
// The same, and the version of the published rule set in force at `at` (none: nullopt), in one statement.
ProgramPolicies find_program_policies_in_force(soci::session& sql, long long program_id, core::Timestamp at);
struct ProgramProfile {
    std::string name;
    std::string currency;
    std::string language;
    std::string time_zone;
};
std::optional<ProgramProfile> find_program_profile(soci::session& sql, long long program_id, bool for_update);

// Every programme's id, in order (jobs that visit each programme).
std::vector<long long> program_ids(soci::session& sql);

void update_program_profile(soci::session& sql, long long program_id, const ProgramProfile& profile);
// Whether any purchase, return or void was ever committed in the program.
bool program_has_trading(soci::session& sql, long long program_id);

void set_points_policy(soci::session& sql, long long program_id, const core::PointsPolicy& policy);

long long insert_store(soci::session& sql, const StoreRecord& store, core::Timestamp now);
std::optional<StoreRecord> find_store(soci::session& sql, long long id);
std::optional<StoreRecord> find_store_by_code(soci::session& sql, long long program_id, const std::string& code);
std::vector<StoreRecord> stores_of_program(soci::session& sql, long long program_id);
// Store codes are unique across programs (a terminal's receipts name their store by code).
bool store_code_taken(soci::session& sql, const std::string& code);

// The version number the program's next published rule set gets (locks the program's versions).
int next_rule_set_version(soci::session& sql, long long program_id);
void insert_rule_set(soci::session& sql, long long program_id, const RuleSetRecord& rules,
                     core::Timestamp effective_from, core::Timestamp now);
// The newest version whose effective time is not after `at`.
std::optional<int> find_rule_set_version_in_force(soci::session& sql, long long program_id, core::Timestamp at);
std::optional<RuleSetRecord> find_rule_set(soci::session& sql, long long program_id, int version);

}  // namespace patron::store
