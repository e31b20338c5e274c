#include "loyalty/service/program/program_service.h"

#include <soci/soci.h>

#include "crypto/aead.h"
#include "crypto/digest.h"
#include "loyalty/core/money.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/access_store.h"
#include "loyalty/store/program/rule_counter_store.h"
#include "loyalty/store/program/rule_draft_store.h"

namespace patron::service {

int publish_rule_set(soci::session& sql, long long program_id, const core::RuleSet& rules,
                     const core::RuleDocument& document, core::Timestamp effective_from, core::Timestamp now) {
    const int version = store::next_rule_set_version(sql, program_id);
    for (const core::Rule& rule : rules.rules) {
        if (rule.limits.budget) store::ensure_rule_budget(sql, program_id, rule.id);
    }
    store::insert_rule_set(sql, program_id, store::RuleSetRecord{version, document.text()}, effective_from, now);
    return version;
}

ProgramService::ProgramService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                               crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<long long> ProgramService::create_program(const store::ProgramRecord& program) {
    return database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        return store::insert_program(sql, program, clock_.now());
    });
}

namespace {

bool all_of_set(const std::string& text, std::string_view allowed) {
    return text.find_first_not_of(allowed) == std::string::npos;
}

core::Result<void> check_program(const store::ProgramRecord& program) {
    using core::ErrorCode;
    constexpr std::string_view kDigits = "0123456789";
    constexpr std::string_view kCodeSymbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (program.code.empty() || program.code.size() > 32 || !all_of_set(program.code, kCodeSymbols)) {
        return core::fail(ErrorCode::kValidationFailed, "a code is 1 to 32 letters, digits, '-' or '_'", "code");
    }
    if (program.name.find_first_not_of(" \t") == std::string::npos || program.name.size() > 200) {
        return core::fail(ErrorCode::kValidationFailed, "a name is 1 to 200 bytes", "name");
    }
    if (!core::find_currency(program.currency)) {
        return core::fail(ErrorCode::kValidationFailed, "not a currency Patron knows (ISO 4217, e.g. IRR, EUR)",
                          "currency");
    }
    const std::string& calling = program.country_calling_code;
    if (calling.empty() || calling.size() > 3 || !all_of_set(calling, kDigits) || calling.front() == '0') {
        return core::fail(ErrorCode::kValidationFailed, "a country calling code is 1 to 3 digits (98, 44, 1)",
                          "country_calling_code");
    }
    if (program.language != "fa" && program.language != "en") {
        return core::fail(ErrorCode::kValidationFailed, "language must be fa or en", "language");
    }
    if (program.card_prefix.empty() || program.card_prefix.size() > 6 || !all_of_set(program.card_prefix, kDigits)) {
        return core::fail(ErrorCode::kValidationFailed, "a card prefix is 1 to 6 digits", "card_prefix");
    }
    if (!is_known_time_zone(program.time_zone)) {
        return core::fail(ErrorCode::kValidationFailed, "not a time zone of the zone database (e.g. Asia/Tehran)",
                          "time_zone");
    }
    return {};
}

}  // namespace

core::Result<long long> ProgramService::add_program(const store::ProgramRecord& program) {
    if (auto checked = check_program(program); !checked) return std::unexpected(checked.error());
    return database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        if (store::find_program_by_code(sql, program.code)) {
            return core::fail(core::ErrorCode::kValidationFailed, "a programme with this code exists", "code");
        }
        return store::insert_program(sql, program, clock_.now());
    });
}

std::optional<store::ProgramRecord> ProgramService::find_program(const std::string& code) {
    auto found = database_.run_for<std::optional<store::ProgramRecord>>(
        [&](soci::session& sql) -> core::Result<std::optional<store::ProgramRecord>> {
            return store::find_program_by_code(sql, code);
        });
    return found ? *found : std::nullopt;
}

core::Result<void> ProgramService::set_points_policy(long long program_id, const core::PointsPolicy& policy) {
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::set_points_policy(sql, program_id, policy);
        return {};
    });
}

core::Result<long long> ProgramService::create_store(const store::StoreRecord& store_record) {
    return database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        return store::insert_store(sql, store_record, clock_.now());
    });
}

core::Result<TerminalKey> ProgramService::create_terminal(long long store_id, const std::string& code) {
    return database_.transact_for<TerminalKey>([&](soci::session& sql) -> core::Result<TerminalKey> {
        const core::Timestamp now = clock_.now();
        const long long terminal_id = store::insert_terminal(sql, store::TerminalRecord{0, store_id, code}, now);
        return add_terminal_key(sql, terminal_id, keys_, random_, now);
    });
}

core::Result<int> ProgramService::publish_rules(long long program_id, const core::RuleDocument& document,
                                                core::Timestamp effective_from) {
    auto rules = document.validate();
    if (!rules) return std::unexpected(rules.error());
    return database_.transact_for<int>([&](soci::session& sql) -> core::Result<int> {
        // The programme's row first, as the console's publication takes it: publishing raises its
        // settings version after the rule set's insert.
        store::lock_program_rules(sql, program_id);
        return publish_rule_set(sql, program_id, *rules, document, effective_from, clock_.now());
    });
}

core::Result<std::string> ProgramService::issue_staff_token(long long program_id, const std::string& label,
                                                            core::StaffRole role) {
    const std::string token = "pst_" + random_.token_hex(32);
    auto stored = database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::insert_staff_token(sql, crypto::sha256(crypto::as_bytes(token)),
                                  store::StaffTokenRecord{program_id, label, role}, clock_.now(), std::nullopt);
        return {};
    });
    if (!stored) return std::unexpected(stored.error());
    return token;
}

}  // namespace patron::service
