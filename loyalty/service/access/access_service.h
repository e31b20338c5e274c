// Who is calling: staff and members by bearer token, POS terminals by key id (their secret opened from its
// sealed form for signature checks) and the nonces they have used.
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/staff_role.h"
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

class AccessService {
  public:
    AccessService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    // UNAUTHENTICATED when the token is unknown or expired; FORBIDDEN when its role is none this
    // build knows (such a session may do nothing).
    core::Result<StaffIdentity> staff_by_token(const std::string& token);
    // UNAUTHENTICATED when the token is unknown, expired or its member no longer active.
    core::Result<MemberIdentity> member_by_token(const std::string& token);
    // KEY_UNKNOWN or KEY_REVOKED when the terminal cannot sign requests.
    core::Result<TerminalCredentials> terminal_by_key(const std::string& key_id);
    // NONCE_REUSED when this key used the nonce before.
    core::Result<void> use_nonce(const std::string& key_id, const std::string& nonce);
    // Forgets nonces old enough that their requests fail the timestamp check anyway; how many.
    core::Result<long long> purge_old_nonces();

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

// The associated data that binds a terminal's sealed secret to its key id.
std::string terminal_secret_binding(const std::string& key_id);

}  // namespace patron::service
