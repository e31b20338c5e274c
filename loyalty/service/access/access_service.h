// Who is calling: staff and members by bearer token, POS terminals by key id (their secret opened from its
// sealed form for signature checks) and the nonces they have used.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/service/access/folded_check.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

struct StaffIdentity {
    long long program_id = 0;
    std::string label;
    core::StaffRole role = core::StaffRole::kAnalyst;  // Unless told, the role that may least.
    std::optional<long long> staff_user_id = {};  // Absent for tokens patronctl issued.
};

// The use cases' own check, behind the route table's: whether the caller's role is one of `roles`.
inline bool may(const StaffIdentity& staff, core::StaffRoles roles) { return roles.contains(staff.role); }

// Who the audit log names for what `staff` do: their name, and their account when they have one.
inline store::AuditActor audit_actor(const StaffIdentity& staff) { return {staff.label, staff.staff_user_id}; }

// A member signed in to the portal: reaches /v1/me/... and only their own data.
struct MemberIdentity {
    long long program_id = 0;
    long long member_id = 0;
};

struct TerminalIdentity {
    long long terminal_id = 0;
    long long store_id = 0;
    long long program_id = 0;
    std::string store_code;
    std::string terminal_code;
    std::string currency;
};

struct TerminalCredentials {
    TerminalIdentity identity;
    crypto::SecretBytes secret;  // The shared HMAC secret, as the terminal holds it.
};

// A signed request's key and nonce, not yet recorded: an operation that writes records it in its
// own transaction (claim_nonce), so that a sale makes one durable commit, not two.
struct TerminalNonce {
    std::string key_id;
    std::string nonce;
};

// Records the nonce in the caller's transaction if the key may still sign now: NONCE_REUSED when
// this key used it before, KEY_REVOKED when the key was revoked or its grace period is over (the
// key's state is part of the same statement, so a revocation by any instance holds at once).
core::Result<void> claim_nonce(soci::session& sql, const TerminalNonce& nonce, core::Timestamp now);

class AccessService {
  public:
    AccessService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    // UNAUTHENTICATED when the token is unknown or expired; FORBIDDEN when its role is none this
    // build knows (such a session may do nothing).
    core::Result<StaffIdentity> staff_by_token(const std::string& token);
    // UNAUTHENTICATED when the token is unknown, expired or its member no longer active.
    core::Result<MemberIdentity> member_by_token(const std::string& token);
    // The identity the token's last check by staff_by_token (member_by_token) found, kept in
    // memory, with the check that confirms it in the request's own read; none when not kept.
    // Never an answer by itself: whoever takes it checks the token again unless the read
    // confirmed it (FoldedCheck).
    std::optional<std::pair<StaffIdentity, std::shared_ptr<FoldedCheck>>> kept_staff(const std::string& token);
    std::optional<std::pair<MemberIdentity, std::shared_ptr<FoldedCheck>>> kept_member(const std::string& token);
    // The terminal a key signs for and its secret: KEY_UNKNOWN, or KEY_REVOKED when the key was
    // revoked or rotated out before this instance first read it. A key's terminal and secret never
    // change, so they are kept in memory once read; whether the key may still sign is checked with
    // each request's nonce (use_nonce, claim_nonce), in the database, never from memory.
    core::Result<std::shared_ptr<const TerminalCredentials>> terminal_by_key(const std::string& key_id);
    // Records the nonce in a statement of its own: NONCE_REUSED when this key used it before,
    // KEY_REVOKED when the key may no longer sign.
    core::Result<void> use_nonce(const std::string& key_id, const std::string& nonce);
    // Forgets nonces old enough that their requests fail the timestamp check anyway, `batch` at
    // a time (forget_in_batches); how many.
    core::Result<long long> purge_old_nonces(int batch = 10000);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    std::mutex keys_mutex_;
    std::map<std::string, std::shared_ptr<const TerminalCredentials>, std::less<>> open_keys_;
    // Tokens' identities as their last check found them, by their SHA-256.
    std::mutex tokens_mutex_;
    std::map<crypto::Bytes, StaffIdentity> kept_staff_;
    std::map<crypto::Bytes, MemberIdentity> kept_members_;
};

// The associated data that binds a terminal's sealed secret to its key id.
std::string terminal_secret_binding(const std::string& key_id);

}  // namespace patron::service
