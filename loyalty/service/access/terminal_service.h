// Stores and POS terminals as an admin registers them, and the terminals' signing keys: each
// key's secret is shown once and kept only sealed. Rotating a terminal's key issues a new one
// and lets the older keys sign until a grace period ends, so a till can switch over without a
// failed request; revoking a key ends it at once. Every change is audited.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/terminal_requests.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/access/terminal_store.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {

struct TerminalKey {
    long long terminal_id = 0;
    std::string key_id;
    std::string secret;  // Shown once; Patron keeps only its sealed form.
};

inline constexpr std::chrono::seconds kKeyGraceDefault{24 * 3600};
inline constexpr std::chrono::seconds kKeyGraceMax{30 * 24 * 3600};

// Creates a key for the terminal, sealed under the active master key; inside the caller's transaction.
TerminalKey add_terminal_key(soci::session& sql, long long terminal_id, const crypto::KeyRing& keys,
                             crypto::RandomSource& random, core::Timestamp now);

// The staff member's program's store with this code, or NOT_FOUND (field store); inside the caller's transaction.
core::Result<store::StoreRecord> store_of(soci::session& sql, long long program_id, const std::string& code);
// The store's terminal with this code, or NOT_FOUND (field terminal).
core::Result<store::TerminalRecord> terminal_of(soci::session& sql, long long store_id, const std::string& code,
                                                bool for_update);

struct TerminalView {
    store::TerminalRecord terminal;
    std::string store_code;
    std::vector<store::TerminalKeyRecord> keys;  // Oldest first; secrets stay sealed.
};

// Where a key stands at a moment: signing with no end set, signing until its grace period ends,
// past that end, or revoked.
enum class KeyState { kActive, kExpiring, kExpired, kRevoked };

KeyState key_state(const store::TerminalKeyRecord& key, core::Timestamp now);

class TerminalService {
  public:
    TerminalService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                    crypto::RandomSource& random);

    // A store as core::decode_store_registration read it; it trades in the program's currency
    // (an empty currency is the program's).
    core::Result<store::StoreRecord> register_store(const StaffIdentity& staff,
                                                    const core::StoreRegistration& registration);
    core::Result<std::vector<store::StoreRecord>> stores(const StaffIdentity& staff);
    core::Result<TerminalKey> register_terminal(const StaffIdentity& staff, const std::string& store_code,
                                                const std::string& terminal_code);
    core::Result<std::vector<TerminalView>> terminals(const StaffIdentity& staff, const std::string& store_code);
    core::Result<TerminalView> terminal(const StaffIdentity& staff, const std::string& store_code,
                                        const std::string& terminal_code);
    // A new key; the terminal's other open keys keep signing for `grace` (0: they end now).
    core::Result<TerminalKey> rotate_key(const StaffIdentity& staff, const std::string& store_code,
                                         const std::string& terminal_code, std::chrono::seconds grace);
    // Ends the key at once; revoking it again changes nothing.
    core::Result<void> revoke_key(const StaffIdentity& staff, const std::string& key_id);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
