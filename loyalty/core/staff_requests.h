// The documents of staff sign-in and of staff users (created and changed by an admin), read into
// typed requests with no database, hashing or HTTP in sight (so they can be fuzzed alone). The
// password is checked for length here and hashed by the staff accounts service.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"
#include "loyalty/core/staff_role.h"

namespace patron::core {

// A staff password's length in bytes (the upper bound is the hashing's, crypto::kPasswordMax).
inline constexpr std::size_t kStaffPasswordMin = 12;
inline constexpr std::size_t kStaffPasswordMax = 256;

struct StaffSignIn {
    std::string email;  // As typed: a mistyped field is refused, an unknown email is a wrong password.
    std::string password;
};

struct NewStaffUser {
    std::string email;  // Normalised.
    std::string name;
    StaffRole role = StaffRole::kAnalyst;
    std::string password;
};

// Only what is sent changes; the result is checked again once applied to the stored user.
struct StaffUserChange {
    std::optional<std::string> name;
    std::optional<std::string> role;  // As sent: read by parse_staff_role once applied, after the name.
    std::optional<std::string> status;
    std::string fields;  // The names sent, comma separated, for the audit.
};

// POST /v1/staff/sessions: {"email", "password"}, both strings (absent reads as empty).
Result<StaffSignIn> decode_staff_sign_in(const nlohmann::json& document);
// POST /v1/staff/users: email, name (1 to 100), role, password (12 to 256).
Result<NewStaffUser> decode_new_staff_user(const nlohmann::json& document);
// The same checks for a user given field by field (patronctl's arguments), `role` as spelled: the
// email normalised, the role read.
Result<NewStaffUser> check_new_staff_user(NewStaffUser user, const std::string& role);
// PATCH /v1/staff/users/{id}: name, role and status as strings, nothing else.
Result<StaffUserChange> decode_staff_user_change(const nlohmann::json& document);

}  // namespace patron::core
