#include "loyalty/store/program/program_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

std::optional<ProgramRecord> find_program_where(soci::session& sql, const std::string& condition,
                                                const std::string& value) {
    ProgramRecord program;
    sql << "SELECT id, code, name, currency, country_calling_code, language, card_prefix FROM programs WHERE " +
               condition + " = :v",
        soci::into(program.id), soci::into(program.code), soci::into(program.name), soci::into(program.currency),
        soci::into(program.country_calling_code), soci::into(program.language), soci::into(program.card_prefix),
        soci::use(value);
    if (!sql.got_data()) return std::nullopt;
    return program;
}

}  // namespace

long long insert_program(soci::session& sql, const ProgramRecord& program, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    sql << "INSERT INTO programs (code, name, currency, country_calling_code, language, card_prefix, time_zone,"
           " created_at) VALUES (:code, :name, :currency, :cc, :language, :prefix, :zone, :created)",
        soci::use(program.code), soci::use(program.name), soci::use(program.currency),
        soci::use(program.country_calling_code), soci::use(program.language), soci::use(program.card_prefix),
        soci::use(program.time_zone), soci::use(created);
    return last_insert_id(sql);
}

std::optional<ProgramRecord> find_program(soci::session& sql, long long id) {
    return find_program_where(sql, "id", std::to_string(id));
}

std::optional<ProgramRecord> find_program_by_code(soci::session& sql, const std::string& code) {
    return find_program_where(sql, "code", code);
}

core::PointsPolicy find_points_policy(soci::session& sql, long long program_id) {
    return find_program_policies(sql, program_id).points;
}

std::string rule_set_in_force_column(const std::string& program_id) {
    return "COALESCE((SELECT r.version FROM rule_sets r WHERE r.program_id = " + program_id +
           " AND r.effective_from <= :at ORDER BY r.effective_from DESC, r.version DESC LIMIT 1), -1)";
}

namespace {

// The columns of ProgramPolicies read from a programs row (alias p); with `rules_at`, also the rule set version in
// force then (the statement binds :at). Bind before the statement's uses, decode after it fetched a row.
class PolicyColumns {
  public:
    explicit PolicyColumns(std::optional<core::Timestamp> rules_at);
    std::string select_list() const;  // ", p.points_hold_s, ..."
    void bind(soci::statement& statement);
    void bind_uses(soci::statement& statement);  // :at, when the rule set version is read.
    ProgramPolicies decode() const;

  private:
    std::optional<core::Timestamp> rules_at_;
    std::string when_;
    ProgramPolicies policies_;
    int hold_s_ = 0, void_window_s_ = 0, claim_window_s_ = 0, quote_hold_s_ = 0, late_after_s_ = 0,
        feedback_window_s_ = 0, expiry_notice_s_ = 0, blind_returns_ = 0, returns_any_store_ = 0, version_ = -1;
    std::string negative_, expiry_mode_;
};

}  // namespace

PolicyColumns::PolicyColumns(std::optional<core::Timestamp> rules_at)
    : rules_at_(rules_at), when_(rules_at ? to_sql_time(*rules_at) : std::string()) {}

std::string PolicyColumns::select_list() const {
    return std::string(
               ", p.points_hold_s, p.points_expiry_months, p.point_value_minor, p.redeem_points_min,"
               " p.negative_balance_policy, p.points_expiry_mode, p.void_window_s, p.tier_policy_version,"
               " p.language, p.claim_window_s, p.quote_hold_s, p.blind_returns, p.returns_any_store,"
               " p.late_after_s, p.feedback_window_s, p.time_zone, p.expiry_notice_s, p.fraud_policy_version") +
           ", CAST(p.settings_version AS SIGNED)" + (rules_at_ ? ", " + rule_set_in_force_column("p.id") : ", -1");
}

void PolicyColumns::bind(soci::statement& statement) {
    statement.exchange(soci::into(hold_s_));
    statement.exchange(soci::into(policies_.points.expiry_months));
    statement.exchange(soci::into(policies_.points.point_value_minor));
    statement.exchange(soci::into(policies_.points.redeem_points_min));
    statement.exchange(soci::into(negative_));
    statement.exchange(soci::into(expiry_mode_));
    statement.exchange(soci::into(void_window_s_));
    statement.exchange(soci::into(policies_.tier_policy_version));
    statement.exchange(soci::into(policies_.language));
    statement.exchange(soci::into(claim_window_s_));
    statement.exchange(soci::into(quote_hold_s_));
    statement.exchange(soci::into(blind_returns_));
    statement.exchange(soci::into(returns_any_store_));
    statement.exchange(soci::into(late_after_s_));
    statement.exchange(soci::into(feedback_window_s_));
    statement.exchange(soci::into(policies_.time_zone));
    statement.exchange(soci::into(expiry_notice_s_));
    statement.exchange(soci::into(policies_.fraud_policy_version));
    statement.exchange(soci::into(policies_.settings_version));
    statement.exchange(soci::into(version_));
}

void PolicyColumns::bind_uses(soci::statement& statement) {
    if (rules_at_) statement.exchange(soci::use(when_, "at"));
}

ProgramPolicies PolicyColumns::decode() const {
    ProgramPolicies policies = policies_;
    core::PointsPolicy& policy = policies.points;
    policy.hold = std::chrono::seconds(hold_s_);
    policy.void_window = std::chrono::seconds(void_window_s_);
    policy.claim_window = std::chrono::seconds(claim_window_s_);
    policy.quote_hold = std::chrono::seconds(quote_hold_s_);
    policy.late_after = std::chrono::seconds(late_after_s_);
    policy.feedback_window = std::chrono::seconds(feedback_window_s_);
    policy.expiry_notice = std::chrono::seconds(expiry_notice_s_);
    policy.blind_returns = blind_returns_ != 0;
    policy.returns_any_store = returns_any_store_ != 0;
    policy.negative_balance =
        negative_ == "clamp" ? core::NegativeBalancePolicy::kClamp : core::NegativeBalancePolicy::kAllow;
    policy.expiry_mode = expiry_mode_ == "quarter_end" ? core::ExpiryMode::kQuarterEnd : core::ExpiryMode::kMonths;
    if (version_ >= 0) policies.rule_set_version = version_;  // -1: no rule set is in force.
    return policies;
}

namespace {

// The programme's policies; with `rules_at`, also the version of the rule set in force then, in
// the same statement (a purchase needs both).
ProgramPolicies read_program_policies(soci::session& sql, long long program_id,
                                      const std::optional<core::Timestamp>& rules_at) {
    PolicyColumns columns(rules_at);
    soci::statement statement(sql);
    statement.alloc();
    statement.prepare("SELECT p.id" + columns.select_list() + " FROM programs p WHERE p.id = :id");
    long long id = 0;
    statement.exchange(soci::into(id));
    columns.bind(statement);
    columns.bind_uses(statement);
    statement.exchange(soci::use(program_id, "id"));
    statement.define_and_bind();
    statement.execute(true);
    return columns.decode();
}

}  // namespace

ProgramPolicies find_program_policies(soci::session& sql, long long program_id) {
    return read_program_policies(sql, program_id, std::nullopt);
}

ProgramPolicies find_program_policies_in_force(soci::session& sql, long long program_id, core::Timestamp at) {
    return read_program_policies(sql, program_id, at);
}

void set_points_policy(soci::session& sql, long long program_id, const core::PointsPolicy& policy) {
    const int hold_s = static_cast<int>(policy.hold.count());
    const int void_window_s = static_cast<int>(policy.void_window.count());
    const int claim_window_s = static_cast<int>(policy.claim_window.count());
    const int quote_hold_s = static_cast<int>(policy.quote_hold.count());
    const int late_after_s = static_cast<int>(policy.late_after.count());
    const int feedback_window_s = static_cast<int>(policy.feedback_window.count());
    const int expiry_notice_s = static_cast<int>(policy.expiry_notice.count());
    const int blind_returns = policy.blind_returns ? 1 : 0;
    const int returns_any_store = policy.returns_any_store ? 1 : 0;
    const std::string negative = policy.negative_balance == core::NegativeBalancePolicy::kClamp ? "clamp" : "allow";
    const std::string expiry_mode = policy.expiry_mode == core::ExpiryMode::kQuarterEnd ? "quarter_end" : "months";
    sql << "UPDATE programs SET points_hold_s = :hold, points_expiry_months = :months, point_value_minor = :value,"
           " redeem_points_min = :minimum, negative_balance_policy = :negative, points_expiry_mode = :mode,"
           " void_window_s = :void_window, claim_window_s = :claim_window, quote_hold_s = :quote_hold,"
           " blind_returns = :blind, returns_any_store = :any_store, late_after_s = :late_after,"
           " feedback_window_s = :feedback_window, expiry_notice_s = :notice, settings_version = settings_version + 1 "
           "WHERE id = :id",
        soci::use(hold_s), soci::use(policy.expiry_months), soci::use(policy.point_value_minor),
        soci::use(policy.redeem_points_min), soci::use(negative), soci::use(expiry_mode), soci::use(void_window_s),
        soci::use(claim_window_s), soci::use(quote_hold_s), soci::use(blind_returns), soci::use(returns_any_store),
        soci::use(late_after_s), soci::use(feedback_window_s), soci::use(expiry_notice_s), soci::use(program_id);
}

long long insert_store(soci::session& sql, const StoreRecord& store, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    sql << "INSERT INTO stores (program_id, code, name, currency, time_zone, created_at)"
           " VALUES (:program, :code, :name, :currency, :tz, :created)",
        soci::use(store.program_id), soci::use(store.code), soci::use(store.name), soci::use(store.currency),
        soci::use(store.time_zone), soci::use(created);
    return last_insert_id(sql);
}

std::optional<StoreRecord> find_store(soci::session& sql, long long id) {
    StoreRecord store;
    sql << "SELECT id, program_id, code, name, currency, time_zone FROM stores WHERE id = :id", soci::into(store.id),
        soci::into(store.program_id), soci::into(store.code), soci::into(store.name), soci::into(store.currency),
        soci::into(store.time_zone), soci::use(id);
    if (!sql.got_data()) return std::nullopt;
    return store;
}

std::optional<StoreRecord> find_store_by_code(soci::session& sql, long long program_id, const std::string& code) {
    StoreRecord store;
    sql << "SELECT id, program_id, code, name, currency, time_zone FROM stores"
           " WHERE program_id = :program AND code = :code",
        soci::into(store.id), soci::into(store.program_id), soci::into(store.code), soci::into(store.name),
        soci::into(store.currency), soci::into(store.time_zone), soci::use(program_id), soci::use(code);
    if (!sql.got_data()) return std::nullopt;
    return store;
}

bool store_code_taken(soci::session& sql, const std::string& code) {
    int taken = 0;
    sql << "SELECT COUNT(*) FROM stores WHERE code = :code", soci::into(taken), soci::use(code);
    return taken > 0;
}

std::vector<StoreRecord> stores_of_program(soci::session& sql, long long program_id) {
    std::vector<StoreRecord> stores;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT CAST(id AS SIGNED), CAST(program_id AS SIGNED), code, name,"
                                                   " currency, time_zone FROM stores WHERE program_id = :program"
                                                   " ORDER BY code",
                                    soci::use(program_id));
    for (const soci::row& row : rows) {
        stores.push_back(StoreRecord{row.get<long long>(0), row.get<long long>(1), row.get<std::string>(2),
                                     row.get<std::string>(3), row.get<std::string>(4), row.get<std::string>(5)});
    }
    return stores;
}

int next_rule_set_version(soci::session& sql, long long program_id) {
    int version = 0;
    soci::indicator indicator = soci::i_null;
    sql << "SELECT MAX(version) FROM rule_sets WHERE program_id = :program FOR UPDATE", soci::into(version, indicator),
        soci::use(program_id);
    return indicator == soci::i_ok ? version + 1 : 1;
}

void insert_rule_set(soci::session& sql, long long program_id, const RuleSetRecord& rules,
                     core::Timestamp effective_from, core::Timestamp now) {
    const std::string effective = to_sql_time(effective_from);
    const std::string published = to_sql_time(now);
    sql << "INSERT INTO rule_sets (program_id, version, document, effective_from, published_at)"
           " VALUES (:program, :version, :document, :effective, :published)",
        soci::use(program_id), soci::use(rules.version), soci::use(rules.document), soci::use(effective),
        soci::use(published);
    // Tills keep the programme's rule set starts by its settings version (ProgramPolicies::rule_sets).
    sql << "UPDATE programs SET settings_version = settings_version + 1 WHERE id = :id", soci::use(program_id);
}

std::optional<int> find_rule_set_version_in_force(soci::session& sql, long long program_id, core::Timestamp at) {
    int version = -1;
    const std::string when = to_sql_time(at);
    sql << "SELECT " + rule_set_in_force_column(":program"), soci::into(version), soci::use(program_id, "program"),
        soci::use(when, "at");
    if (version < 0) return std::nullopt;
    return version;
}

std::optional<RuleSetRecord> find_rule_set(soci::session& sql, long long program_id, int version) {
    RuleSetRecord rules;
    sql << "SELECT version, document FROM rule_sets WHERE program_id = :program AND version = :version",
        soci::into(rules.version), soci::into(rules.document), soci::use(program_id), soci::use(version);
    if (!sql.got_data()) return std::nullopt;
    return rules;
}

std::vector<long long> program_ids(soci::session& sql) {
    std::vector<long long> ids;
    soci::rowset<long long> rows = (sql.prepare << "SELECT CAST(id AS SIGNED) FROM programs ORDER BY id");
    for (const long long id : rows) ids.push_back(id);
    return ids;
}

std::optional<ProgramProfile> find_program_profile(soci::session& sql, long long program_id, bool for_update) {
    ProgramProfile profile;
    sql << "SELECT name, currency, language, time_zone FROM programs WHERE id = :id"
        << (for_update ? " FOR UPDATE" : ""),
        soci::into(profile.name), soci::into(profile.currency), soci::into(profile.language),
        soci::into(profile.time_zone), soci::use(program_id);
    if (!sql.got_data()) return std::nullopt;
    // The programme's lock (settings, its caps on triggers) is also a write: Galera (docs/cluster.md).
    if (for_update) sql << "UPDATE programs SET write_mark = write_mark + 1 WHERE id = :id", soci::use(program_id);
    return profile;
}

void update_program_profile(soci::session& sql, long long program_id, const ProgramProfile& profile) {
    sql << "UPDATE programs SET name = :name, currency = :currency, language = :language, time_zone = :zone,"
           " settings_version = settings_version + 1 WHERE id = :id",
        soci::use(profile.name), soci::use(profile.currency), soci::use(profile.language), soci::use(profile.time_zone),
        soci::use(program_id);
}

bool program_has_trading(soci::session& sql, long long program_id) {
    int found = 0;
    sql << "SELECT EXISTS (SELECT 1 FROM purchases WHERE program_id = :id)", soci::into(found), soci::use(program_id);
    return found != 0;
}

}  // namespace patron::store
