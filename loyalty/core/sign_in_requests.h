// The documents members send to get a one-time code, to set a password with it and to sign in,
// read into typed requests with no database, hashing or HTTP in sight (so they can be fuzzed
// alone). Every field is text: one of another JSON type is refused by name rather than read as
// empty (a phone sent as a number would otherwise be "no phone"). Which program, member and
// phone format they name is the sign-in service's to find out.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/error.h"

namespace patron::core {

inline constexpr std::size_t kMemberCodeDigits = 6;
// A member password's length in bytes (the upper bound is the hashing's, crypto::kPasswordMax).
inline constexpr std::size_t kMemberPasswordMin = 8;
inline constexpr std::size_t kMemberPasswordMax = 256;

// Whom a request names, as sent: absent or null read as "".
struct MemberContact {
    std::string program;  // The program's code.
    std::string phone = {};
    std::string email = {};
};

struct MemberSignInRequest {
    MemberContact contact;
    std::string code;      // The one-time code, for setting a password.
    std::string password;  // Not checked here for a sign-in: a wrong one is a wrong password.
};

// A signed-in member changing their password: the one they have, and the new one.
struct MemberPasswordChange {
    std::string current_password;  // Not checked here: a wrong one is a wrong password.
    std::string new_password;
};

// POST /v1/me/codes and POST /v1/me/sessions: program, phone, email, code, password as text.
Result<MemberSignInRequest> decode_member_sign_in(const nlohmann::json& document);
// POST /v1/me/password: the same, with the code six digits and the password 8 to 256 bytes.
Result<MemberSignInRequest> decode_member_password(const nlohmann::json& document);

// PUT /v1/me/password: {"current_password", "new_password"}, the new one 8 to 256 bytes; no other field.
Result<MemberPasswordChange> decode_member_password_change(const nlohmann::json& document);
// DELETE /v1/me: {"password"}, the member's password as confirmation; no other field.
Result<std::string> decode_account_deletion(const nlohmann::json& document);

}  // namespace patron::core
