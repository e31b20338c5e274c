// Staff accounts and their sessions: an admin creates users with a role (admin, marketer,
// support, analyst) and a password (kept only as a PBKDF2 hash); a user signs in with email and
// password for a random 256-bit bearer token (kept only as its SHA-256) valid 12 hours, and
// signs out by deleting it. Five failed sign-ins in a row lock the email for 15 minutes
// (TOO_MANY_ATTEMPTS), whether or not a user has it (sign_in_attempts.h): unknown emails, wrong
// passwords and disabled users get the same answers, after the same work.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/staff_requests.h"
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

    // A user of the admin's program, as core::decode_new_staff_user or core::check_new_staff_user
    // gave it (checked, the email normalised); the password is hashed here. Audited.
    core::Result<store::StaffUserRecord> create_user(const StaffIdentity& admin, const core::NewStaffUser& user);
    core::Result<std::vector<store::StaffUserRecord>> users(const StaffIdentity& admin);
    // The name, role and status ("active" | "disabled") sent, by an admin; audited. A disabled
    // user's sessions end at once; a role change applies to open sessions too. Admins cannot
    // disable or demote themselves (the program would risk having no admin). `change` is the
    // change as the edge read it, or why it could not be read: that refusal is answered only once
    // the user is known to exist, so a user that is not there is NOT_FOUND whatever was sent.
    core::Result<store::StaffUserRecord> update_user(const StaffIdentity& admin, long long user_id,
                                                     const core::Result<core::StaffUserChange>& change);
    // For patronctl: a user of the program without an admin's session (the first admin).
    core::Result<store::StaffUserRecord> add_user(long long program_id, const core::NewStaffUser& user);

    core::Result<StaffSession> sign_in(const std::string& email, const std::string& password);
    core::Result<void> sign_out(const std::string& token);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
