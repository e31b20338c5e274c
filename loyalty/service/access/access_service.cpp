#include "loyalty/service/access/access_service.h"

#include "crypto/aead.h"
#include "crypto/digest.h"
#include "loyalty/store/access/access_store.h"
#include "loyalty/store/access/terminal_store.h"
#include "loyalty/store/members/member_sign_in_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {

using core::ErrorCode;
using core::fail;

namespace {

// Three times the ±300 s timestamp window (a request is valid for 600 s from 300 s before its
// timestamp), so that no nonce a valid request could carry is forgotten.
constexpr auto kNonceMemory = std::chrono::seconds(900);
constexpr int kNoncePurgeBatch = 10000;

}  // namespace

std::string terminal_secret_binding(const std::string& key_id) { return "terminals.secret:" + key_id; }

AccessService::AccessService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<StaffIdentity> AccessService::staff_by_token(const std::string& token) {
    const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(token));
    return database_.run_for<StaffIdentity>([&](soci::session& sql) -> core::Result<StaffIdentity> {
        auto record = store::find_staff_token(sql, hash, clock_.now());
        if (!record) return fail(ErrorCode::kUnauthenticated, "the bearer token is unknown or expired");
        if (!record->role) return fail(ErrorCode::kForbidden, "this session's role is none this server knows");
        return StaffIdentity{record->program_id, record->label, *record->role, record->staff_user_id};
    });
}

core::Result<MemberIdentity> AccessService::member_by_token(const std::string& token) {
    return database_.run_for<MemberIdentity>([&](soci::session& sql) -> core::Result<MemberIdentity> {
        const auto record = store::find_member_token(sql, crypto::sha256(crypto::as_bytes(token)), clock_.now());
        if (!record) return fail(ErrorCode::kUnauthenticated, "the bearer token is unknown or expired");
        return MemberIdentity{record->program_id, record->member_id};
    });
}

core::Result<TerminalCredentials> AccessService::terminal_by_key(const std::string& key_id) {
    return database_.run_for<TerminalCredentials>([&](soci::session& sql) -> core::Result<TerminalCredentials> {
        auto signing = store::find_signing_key(sql, key_id);
        if (!signing) return fail(ErrorCode::kKeyUnknown, "no terminal has this key id", "X-Patron-Key");
        const store::TerminalKeyRecord& key = signing->key;
        if (key.revoked_at) return fail(ErrorCode::kKeyRevoked, "this terminal key was revoked", "X-Patron-Key");
        if (key.expires_at && *key.expires_at <= clock_.now()) {
            return fail(ErrorCode::kKeyRevoked, "this terminal key was rotated out and its grace period is over",
                        "X-Patron-Key");
        }
        const auto masters = keys_.masters_holding(key.master_key_id);
        if (masters == nullptr) {
            return fail(ErrorCode::kInternal, "terminal " + key_id + ": its master key is missing");
        }
        auto secret =
            crypto::open(*masters->find(key.master_key_id), key.secret_sealed, terminal_secret_binding(key_id));
        if (!secret) return fail(ErrorCode::kInternal, "terminal " + key_id + " secret does not open");
        return TerminalCredentials{TerminalIdentity{key.terminal_id, signing->store_id, signing->program_id,
                                                    signing->store_code, signing->terminal_code, signing->currency},
                                   std::move(*secret)};
    });
}

core::Result<void> AccessService::use_nonce(const std::string& key_id, const std::string& nonce) {
    return database_.run([&](soci::session& sql) -> core::Result<void> {
        if (!store::remember_nonce(sql, key_id, nonce, clock_.now())) {
            return fail(ErrorCode::kNonceReused, "this nonce was already used", "X-Patron-Nonce");
        }
        return {};
    });
}

core::Result<long long> AccessService::purge_old_nonces() {
    return database_.run_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        return store::purge_nonces(sql, clock_.now() - kNonceMemory, kNoncePurgeBatch);
    });
}

}  // namespace patron::service
