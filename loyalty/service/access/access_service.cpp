#include "loyalty/service/access/access_service.h"

#include "crypto/aead.h"
#include "crypto/digest.h"
#include "loyalty/service/runtime/forget_in_batches.h"
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

}  // namespace

std::string terminal_secret_binding(const std::string& key_id) { return "terminals.secret:" + key_id; }

AccessService::AccessService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

namespace {

// How many tokens' identities are kept in memory at most (far more than are signed in at once).
constexpr std::size_t kKeptTokensMax = 65536;

// Keeps what a token's check found, or forgets the token when the check refused it.
template <typename Identity>
void keep(std::mutex& mutex, std::map<crypto::Bytes, Identity>& kept, const crypto::Bytes& hash,
          const core::Result<Identity>& checked) {
    std::lock_guard lock(mutex);
    if (!checked) {
        kept.erase(hash);
        return;
    }
    if (kept.size() >= kKeptTokensMax) kept.clear();
    kept.insert_or_assign(hash, *checked);
}

// The identity kept for `token`, with the check that confirms it in a read (`check_of` gives it
// from the token's hash and the identity).
template <typename Identity, typename CheckOf>
std::optional<std::pair<Identity, std::shared_ptr<FoldedCheck>>> kept_with_check(
    std::mutex& mutex, const std::map<crypto::Bytes, Identity>& kept, const std::string& token, CheckOf check_of) {
    const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(token));
    std::optional<Identity> identity;
    {
        std::lock_guard lock(mutex);
        const auto it = kept.find(hash);
        if (it == kept.end()) return std::nullopt;
        identity = it->second;
    }
    auto check = std::make_shared<FoldedCheck>(check_of(hash, *identity));
    return std::pair(std::move(*identity), std::move(check));
}

}  // namespace

core::Result<StaffIdentity> AccessService::staff_by_token(const std::string& token) {
    const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(token));
    auto checked = database_.run_for<StaffIdentity>([&](soci::session& sql) -> core::Result<StaffIdentity> {
        auto record = store::find_staff_token(sql, hash, clock_.now());
        if (!record) return fail(ErrorCode::kUnauthenticated, "the bearer token is unknown or expired");
        if (!record->role) return fail(ErrorCode::kForbidden, "this session's role is none this server knows");
        return StaffIdentity{record->program_id, record->label, *record->role, record->staff_user_id};
    });
    if (checked || checked.error().code != ErrorCode::kUnavailable) keep(tokens_mutex_, kept_staff_, hash, checked);
    return checked;
}

core::Result<MemberIdentity> AccessService::member_by_token(const std::string& token) {
    const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(token));
    auto checked = database_.run_for<MemberIdentity>([&](soci::session& sql) -> core::Result<MemberIdentity> {
        const auto record = store::find_member_token(sql, hash, clock_.now());
        if (!record) return fail(ErrorCode::kUnauthenticated, "the bearer token is unknown or expired");
        return MemberIdentity{record->program_id, record->member_id};
    });
    if (checked || checked.error().code != ErrorCode::kUnavailable) keep(tokens_mutex_, kept_members_, hash, checked);
    return checked;
}

std::optional<std::pair<StaffIdentity, std::shared_ptr<FoldedCheck>>> AccessService::kept_staff(
    const std::string& token) {
    return kept_with_check(tokens_mutex_, kept_staff_, token,
                           [&](const crypto::Bytes& hash, const StaffIdentity& staff) {
                               return FoldedCheck(store::staff_token_role_sql(hash, clock_.now()),
                                                  std::string(core::to_string(staff.role)));
                           });
}

std::optional<std::pair<MemberIdentity, std::shared_ptr<FoldedCheck>>> AccessService::kept_member(
    const std::string& token) {
    return kept_with_check(
        tokens_mutex_, kept_members_, token, [&](const crypto::Bytes& hash, const MemberIdentity& member) {
            return FoldedCheck(store::member_token_member_sql(hash, clock_.now()), std::to_string(member.member_id));
        });
}

namespace {

// KEY_UNKNOWN or KEY_REVOKED when the key may not sign at `now`; nothing when it may.
std::optional<core::Error> key_refusal(const std::optional<store::SigningKey>& signing, core::Timestamp now) {
    if (!signing) return core::Error{ErrorCode::kKeyUnknown, "no terminal has this key id", "X-Patron-Key"};
    if (signing->key.revoked_at) {
        return core::Error{ErrorCode::kKeyRevoked, "this terminal key was revoked", "X-Patron-Key"};
    }
    if (signing->key.expires_at && *signing->key.expires_at <= now) {
        return core::Error{ErrorCode::kKeyRevoked, "this terminal key was rotated out and its grace period is over",
                           "X-Patron-Key"};
    }
    return std::nullopt;
}

// Why a key that did not record a nonce was refused: its state now, read past any memory.
core::Error refusal(soci::session& sql, const TerminalNonce& nonce, core::Timestamp now) {
    if (auto refused = key_refusal(store::find_signing_key(sql, nonce.key_id), now)) return *refused;
    return core::Error{ErrorCode::kNonceReused, "this nonce was already used", "X-Patron-Nonce"};
}

// How many keys' secrets are kept open in memory at most (far more terminals than a programme has).
constexpr std::size_t kOpenKeysMax = 65536;

}  // namespace

core::Result<void> claim_nonce(soci::session& sql, const TerminalNonce& nonce, core::Timestamp now) {
    if (store::remember_nonce(sql, nonce.key_id, nonce.nonce, now)) return {};
    return std::unexpected(refusal(sql, nonce, now));
}

core::Result<std::shared_ptr<const TerminalCredentials>> AccessService::terminal_by_key(const std::string& key_id) {
    {
        std::lock_guard lock(keys_mutex_);
        if (const auto it = open_keys_.find(key_id); it != open_keys_.end()) return it->second;
    }
    auto opened = database_.run_for<std::shared_ptr<const TerminalCredentials>>(
        [&](soci::session& sql) -> core::Result<std::shared_ptr<const TerminalCredentials>> {
            const auto signing = store::find_signing_key(sql, key_id);
            if (auto refused = key_refusal(signing, clock_.now())) return std::unexpected(*refused);
            const store::TerminalKeyRecord& key = signing->key;
            const auto masters = keys_.masters_holding(key.master_key_id);
            if (masters == nullptr) {
                return fail(ErrorCode::kInternal, "terminal " + key_id + ": its master key is missing");
            }
            auto secret =
                crypto::open(*masters->find(key.master_key_id), key.secret_sealed, terminal_secret_binding(key_id));
            if (!secret) return fail(ErrorCode::kInternal, "terminal " + key_id + " secret does not open");
            return std::make_shared<const TerminalCredentials>(
                TerminalCredentials{TerminalIdentity{key.terminal_id, signing->store_id, signing->program_id,
                                                     signing->store_code, signing->terminal_code, signing->currency},
                                    std::move(*secret)});
        });
    if (!opened) return opened;
    std::lock_guard lock(keys_mutex_);
    if (open_keys_.size() >= kOpenKeysMax) open_keys_.clear();
    open_keys_.emplace(key_id, *opened);
    return opened;
}

core::Result<void> AccessService::use_nonce(const std::string& key_id, const std::string& nonce) {
    return database_.run([&](soci::session& sql) {
        return claim_nonce(sql, TerminalNonce{key_id, nonce}, clock_.now());
    });
}

core::Result<long long> AccessService::purge_old_nonces(int batch) {
    const core::Timestamp before = clock_.now() - kNonceMemory;
    return forget_in_batches(database_, batch,
                             [&](soci::session& sql, int limit) { return store::purge_nonces(sql, before, limit); });
}

}  // namespace patron::service
