#include "loyalty/core/staff_requests.h"

#include <utility>

#include "loyalty/core/json_fields.h"
#include "loyalty/core/member_profile.h"

namespace patron::core {

using nlohmann::json;

Result<StaffSignIn> decode_staff_sign_in(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    auto email = string_or_empty(document, "email");
    if (!email) return std::unexpected(email.error());
    auto password = string_or_empty(document, "password");
    if (!password) return std::unexpected(password.error());
    return StaffSignIn{std::move(*email), std::move(*password)};
}

Result<NewStaffUser> decode_new_staff_user(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the user must be a JSON object", "$");
    NewStaffUser user;
    std::string role;
    for (auto [key, target] : {std::pair{"email", &user.email}, std::pair{"name", &user.name}, std::pair{"role", &role},
                               std::pair{"password", &user.password}}) {
        auto value = string_or_empty(document, key);
        if (!value) return std::unexpected(value.error());
        *target = std::move(*value);
    }
    return check_new_staff_user(std::move(user), role);
}

Result<NewStaffUser> check_new_staff_user(NewStaffUser user, const std::string& role) {
    auto email = normalise_email(user.email, "email");
    if (!email) return std::unexpected(email.error());
    user.email = *email;
    if (user.name.empty() || user.name.size() > 100) {
        return fail(ErrorCode::kValidationFailed, "must be 1 to 100 characters", "name",
                    short_text(user.name.size(), 1, 100));
    }
    const auto known_role = parse_staff_role(role);
    if (!known_role)
        return fail(ErrorCode::kValidationFailed, "must be admin, marketer, support or analyst", "role",
                    reason(ReasonKind::kOneOf));
    user.role = *known_role;
    if (user.password.size() < kStaffPasswordMin || user.password.size() > kStaffPasswordMax) {
        return fail(ErrorCode::kValidationFailed, "must be 12 to 256 characters", "password",
                    short_text(user.password.size(), kStaffPasswordMin, kStaffPasswordMax));
    }
    return user;
}

Result<StaffUserChange> decode_staff_user_change(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the changes must be a JSON object", "$");
    StaffUserChange change;
    for (const auto& [key, value] : document.items()) {
        if (key != "name" && key != "role" && key != "status") {
            return fail(ErrorCode::kValidationFailed, "only name, role and status can change", key);
        }
        if (!value.is_string())
            return fail(ErrorCode::kValidationFailed, "must be a string", key, reason(ReasonKind::kWrongType));
        (key == "name" ? change.name : key == "role" ? change.role : change.status) = value.get<std::string>();
        change.fields += (change.fields.empty() ? "" : ",") + key;
    }
    return change;
}

}  // namespace patron::core
