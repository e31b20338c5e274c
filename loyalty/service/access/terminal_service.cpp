#include "loyalty/service/access/terminal_service.h"

#include <soci/soci.h>

#include <map>

#include "crypto/aead.h"
#include "loyalty/core/money.h"
#include "loyalty/store/access/audit_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

core::Result<void> require_admin(const StaffIdentity& staff) {
    if (may(staff, {core::StaffRole::kAdmin})) return {};
    return fail(ErrorCode::kForbidden, "only admin staff register stores and terminals and manage their keys");
}

}  // namespace

core::Result<store::StoreRecord> store_of(soci::session& sql, long long program_id, const std::string& code) {
    auto found = store::find_store_by_code(sql, program_id, code);
    if (!found) return fail(ErrorCode::kNotFound, "the program has no store " + code, "store");
    return *found;
}

core::Result<store::TerminalRecord> terminal_of(soci::session& sql, long long store_id, const std::string& code,
                                                bool for_update) {
    auto found = store::find_terminal(sql, store_id, code, for_update);
    if (!found) return fail(ErrorCode::kNotFound, "the store has no terminal " + code, "terminal");
    return *found;
}

TerminalKey add_terminal_key(soci::session& sql, long long terminal_id, const crypto::KeyRing& keys,
                             crypto::RandomSource& random, core::Timestamp now) {
    TerminalKey key{terminal_id, "tk_" + random.token_hex(8), random.token_hex(32)};
    const auto masters = keys.masters();
    const crypto::Bytes sealed =
        crypto::seal(masters->active(), crypto::as_bytes(key.secret), terminal_secret_binding(key.key_id), random);
    store::insert_terminal_key(sql,
                               {key.key_id, terminal_id, sealed, masters->active_id, now, std::nullopt, std::nullopt});
    return key;
}

TerminalService::TerminalService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                 crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<store::StoreRecord> TerminalService::register_store(const StaffIdentity& staff,
                                                                 const core::StoreRegistration& registration) {
    if (auto allowed = require_admin(staff); !allowed) return std::unexpected(allowed.error());
    store::StoreRecord record{
        0, staff.program_id, registration.code, registration.name, registration.currency, registration.time_zone};
    return database_.transact_for<store::StoreRecord>([&](soci::session& sql) -> core::Result<store::StoreRecord> {
        const auto program = store::find_program_profile(sql, staff.program_id, false);
        if (!program) return fail(ErrorCode::kNotFound, "the program does not exist");
        if (record.currency.empty()) record.currency = program->currency;
        if (record.currency != program->currency) {
            return fail(ErrorCode::kCurrencyMismatch, "a store trades in its program's currency, " + program->currency,
                        "currency");
        }
        if (store::store_code_taken(sql, record.code)) {
            return fail(ErrorCode::kStoreExists, "a store with this code exists", "code");
        }
        const core::Timestamp now = clock_.now();
        record.id = store::insert_store(sql, record, now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kStoreRegister, "store",
                             record.id, "code,name,currency,time_zone"},
                            now);
        return record;
    });
}

core::Result<std::vector<store::StoreRecord>> TerminalService::stores(const StaffIdentity& staff) {
    if (auto allowed = require_admin(staff); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<std::vector<store::StoreRecord>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::StoreRecord>> {
            return store::stores_of_program(sql, staff.program_id);
        });
}

core::Result<TerminalKey> TerminalService::register_terminal(const StaffIdentity& staff, const std::string& store_code,
                                                             const std::string& terminal_code) {
    if (auto allowed = require_admin(staff); !allowed) return std::unexpected(allowed.error());
    if (!core::is_store_code(terminal_code)) {
        return fail(ErrorCode::kValidationFailed, "must be 1 to 32 of A-Z a-z 0-9 _ -", "code",
                    core::reason(core::ReasonKind::kCodeText, 1, 32));
    }
    return database_.transact_for<TerminalKey>([&](soci::session& sql) -> core::Result<TerminalKey> {
        auto store_record = store_of(sql, staff.program_id, store_code);
        if (!store_record) return std::unexpected(store_record.error());
        if (store::find_terminal(sql, store_record->id, terminal_code, true)) {
            return fail(ErrorCode::kTerminalExists, "the store has a terminal with this code", "code");
        }
        const core::Timestamp now = clock_.now();
        const long long terminal_id = store::insert_terminal(sql, {0, store_record->id, terminal_code}, now);
        TerminalKey key = add_terminal_key(sql, terminal_id, keys_, random_, now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kTerminalRegister, "terminal",
                             terminal_id, "code,terminal_keys"},
                            now);
        return key;
    });
}

core::Result<std::vector<TerminalView>> TerminalService::terminals(const StaffIdentity& staff,
                                                                   const std::string& store_code) {
    if (auto allowed = require_admin(staff); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<std::vector<TerminalView>>(
        [&](soci::session& sql) -> core::Result<std::vector<TerminalView>> {
            auto store_record = store_of(sql, staff.program_id, store_code);
            if (!store_record) return std::unexpected(store_record.error());
            std::vector<TerminalView> views;
            for (store::TerminalRecord& terminal : store::terminals_of_store(sql, store_record->id)) {
                std::vector<store::TerminalKeyRecord> keys = store::keys_of_terminal(sql, terminal.id);
                views.push_back(TerminalView{std::move(terminal), store_code, std::move(keys)});
            }
            return views;
        });
}

core::Result<TerminalView> TerminalService::terminal(const StaffIdentity& staff, const std::string& store_code,
                                                     const std::string& terminal_code) {
    if (auto allowed = require_admin(staff); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<TerminalView>([&](soci::session& sql) -> core::Result<TerminalView> {
        auto store_record = store_of(sql, staff.program_id, store_code);
        if (!store_record) return std::unexpected(store_record.error());
        auto terminal = terminal_of(sql, store_record->id, terminal_code, false);
        if (!terminal) return std::unexpected(terminal.error());
        return TerminalView{*terminal, store_code, store::keys_of_terminal(sql, terminal->id)};
    });
}

core::Result<TerminalKey> TerminalService::rotate_key(const StaffIdentity& staff, const std::string& store_code,
                                                      const std::string& terminal_code, std::chrono::seconds grace) {
    if (auto allowed = require_admin(staff); !allowed) return std::unexpected(allowed.error());
    if (grace < std::chrono::seconds(0) || grace > kKeyGraceMax) {
        return fail(ErrorCode::kValidationFailed, "must be 0 to 2592000 seconds (30 days)", "grace_s",
                    core::reason(core::ReasonKind::kRange, 0, 2592000));
    }
    return database_.transact_for<TerminalKey>([&](soci::session& sql) -> core::Result<TerminalKey> {
        auto store_record = store_of(sql, staff.program_id, store_code);
        if (!store_record) return std::unexpected(store_record.error());
        auto terminal = terminal_of(sql, store_record->id, terminal_code, true);
        if (!terminal) return std::unexpected(terminal.error());
        const core::Timestamp now = clock_.now();
        store::end_open_keys(sql, terminal->id, now + grace);
        TerminalKey key = add_terminal_key(sql, terminal->id, keys_, random_, now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kTerminalRotateKey, "terminal",
                             terminal->id, "terminal_keys"},
                            now);
        return key;
    });
}

core::Result<void> TerminalService::revoke_key(const StaffIdentity& staff, const std::string& key_id) {
    if (auto allowed = require_admin(staff); !allowed) return std::unexpected(allowed.error());
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        const auto owner = store::find_key_owner(sql, key_id);
        if (!owner || owner->program_id != staff.program_id) {
            return fail(ErrorCode::kNotFound, "the program has no terminal key " + key_id, "key_id");
        }
        const long long terminal_id = owner->terminal_id;
        const core::Timestamp now = clock_.now();
        if (store::revoke_terminal_key(sql, key_id, now)) {
            store::insert_audit(sql, keys_,
                                {staff.program_id, audit_actor(staff), core::AuditAction::kTerminalRevokeKey,
                                 "terminal", terminal_id, "terminal_keys"},
                                now);
        }
        return {};
    });
}

KeyState key_state(const store::TerminalKeyRecord& key, core::Timestamp now) {
    if (key.revoked_at) return KeyState::kRevoked;
    if (!key.expires_at) return KeyState::kActive;
    return *key.expires_at <= now ? KeyState::kExpired : KeyState::kExpiring;
}

}  // namespace patron::service
