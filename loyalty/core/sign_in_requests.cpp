#include "loyalty/core/sign_in_requests.h"

#include <string_view>
#include <utility>

#include "loyalty/core/json_fields.h"

namespace patron::core {

using nlohmann::json;

Result<MemberSignInRequest> decode_member_sign_in(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the request must be a JSON object", "$");
    MemberSignInRequest request;
    for (auto [key, target] : {std::pair{"program", &request.contact.program},
                               std::pair{"phone", &request.contact.phone}, std::pair{"email", &request.contact.email},
                               std::pair{"code", &request.code}, std::pair{"password", &request.password}}) {
        auto text = string_or_empty(document, key);
        if (!text) return std::unexpected(text.error());
        *target = std::move(*text);
    }
    return request;
}

namespace {

// A password the member types to prove it is them: present, checked against the stored hash later.
Result<std::string> typed_password(const json& document, std::string_view key) {
    auto password = string_or_empty(document, key);
    if (!password) return password;
    if (password->empty()) return fail(ErrorCode::kValidationFailed, "type your password", std::string(key));
    return password;
}

}  // namespace

Result<MemberSignInRequest> decode_member_password(const json& document) {
    auto request = decode_member_sign_in(document);
    if (!request) return request;
    const std::string& code = request->code;
    if (code.size() != kMemberCodeDigits || code.find_first_not_of("0123456789") != std::string::npos) {
        return fail(ErrorCode::kValidationFailed, "the code is the six digits that were sent", "code");
    }
    const std::size_t length = request->password.size();
    if (length < kMemberPasswordMin || length > kMemberPasswordMax) {
        return fail(ErrorCode::kValidationFailed, "a password has 8 to 256 characters", "password",
                    short_text(length, kMemberPasswordMin, kMemberPasswordMax));
    }
    return request;
}

Result<MemberPasswordChange> decode_member_password_change(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the request must be a JSON object", "$");
    if (auto known = only_fields(document, {"current_password", "new_password"}); !known) {
        return std::unexpected(known.error());
    }
    auto current = typed_password(document, "current_password");
    if (!current) return std::unexpected(current.error());
    auto fresh = string_or_empty(document, "new_password");
    if (!fresh) return std::unexpected(fresh.error());
    if (fresh->size() < kMemberPasswordMin || fresh->size() > kMemberPasswordMax) {
        return fail(ErrorCode::kValidationFailed, "a password has 8 to 256 characters", "new_password",
                    short_text(fresh->size(), kMemberPasswordMin, kMemberPasswordMax));
    }
    return MemberPasswordChange{std::move(*current), std::move(*fresh)};
}

Result<std::string> decode_account_deletion(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the request must be a JSON object", "$");
    if (auto known = only_fields(document, {"password"}); !known) return std::unexpected(known.error());
    return typed_password(document, "password");
}

}  // namespace patron::core
