// Staff accounts: who may sign in, and with which role. Failed sign-ins are counted by login
// name, apart from the accounts (sign_in_attempt_store.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/staff_role.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct StaffUserRecord {
    long long id = 0;
    long long program_id = 0;
    std::string email;  // Lower-cased; the sign-in name.
    std::string name;
    core::StaffRole role = core::StaffRole::kAnalyst;
    std::string password_hash;
    std::string status = "active";
};

// The new user's id; nullopt when the email is taken.
std::optional<long long> insert_staff_user(soci::session& sql, const StaffUserRecord& user, core::Timestamp now);
std::optional<StaffUserRecord> find_staff_user_by_email(soci::session& sql, const std::string& email, bool for_update);
std::optional<StaffUserRecord> find_staff_user(soci::session& sql, long long program_id, long long id, bool for_update);
// Saves name, role and status; a user no longer active loses every session at once.
void update_staff_user(soci::session& sql, const StaffUserRecord& user);
std::vector<StaffUserRecord> staff_users_of_program(soci::session& sql, long long program_id);

}  // namespace patron::store
