// Staff accounts and their sessions: an admin creates users with a role (admin, marketer,
// support, analyst) and a password (kept only as a PBKDF2 hash); a user signs in with email and
// password for a random 256-bit bearer token (kept only as its SHA-256) valid 12 hours, and
// signs out by deleting it. Five failed sign-ins in a row lock the email for 15 minutes
// (TOO_MANY_ATTEMPTS), whether or not a user has it (sign_in_attempts.h): unknown emails, wrong
// passwords and disabled users get the same answers, after the same work.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/access/staff_store.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

inline constexpr std::chrono::hours kStaffSessionLife{12};

struct StaffSession {
    std::string token;  // Shown once.
    core::Timestamp expires_at{};
    std::string name;
    core::StaffRole role = core::StaffRole::kAnalyst;
};

class StaffAccountService {
  public:
    StaffAccountService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                        crypto::RandomSource& random);

    // {"email", "name", "role", "password"} by an admin of the program; audited.
    core::Result<store::StaffUserRecord> create_user(const StaffIdentity& admin, const nlohmann::json& document);
    core::Result<std::vector<store::StaffUserRecord>> users(const StaffIdentity& admin);
    // {"name", "role", "status": "active" | "disabled"}, each optional, by an admin; audited. A
    // disabled user's sessions end at once; a role change applies to open sessions too. Admins
    // cannot disable or demote themselves (the program would risk having no admin).
    core::Result<store::StaffUserRecord> update_user(const StaffIdentity& admin, long long user_id,
                                                     const nlohmann::json& changes);
    // For patronctl: a user of the program without an admin's session (the first admin).
    core::Result<store::StaffUserRecord> add_user(long long program_id, const nlohmann::json& document);

    core::Result<StaffSession> sign_in(const std::string& email, const std::string& password);
    core::Result<void> sign_out(const std::string& token);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

nlohmann::json staff_user_document(const store::StaffUserRecord& user);

}  // namespace patron::service
