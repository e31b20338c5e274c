#include "loyalty/core/terminal_requests.h"

#include "loyalty/core/json_fields.h"
#include "loyalty/core/time.h"

namespace patron::core {

using nlohmann::json;

bool is_store_code(std::string_view code) { return is_ascii_identifier(code, 32, "-_"); }

Result<StoreRegistration> decode_store_registration(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the store must be a JSON object", "$");
    StoreRegistration store;
    for (auto [key, target] : {std::pair{"code", &store.code}, std::pair{"name", &store.name},
                               std::pair{"currency", &store.currency}, std::pair{"time_zone", &store.time_zone}}) {
        auto value = string_or_empty(document, key);
        if (!value) return std::unexpected(value.error());
        *target = std::move(*value);
    }
    if (!is_store_code(store.code))
        return fail(ErrorCode::kValidationFailed, "must be 1 to 32 of A-Z a-z 0-9 _ -", "code",
                    reason(ReasonKind::kCodeText, 1, 32));
    if (store.name.empty() || store.name.size() > 128) {
        return fail(ErrorCode::kValidationFailed, "must be 1 to 128 characters", "name",
                    short_text(store.name.size(), 1, 128));
    }
    if (!is_time_zone_name(store.time_zone)) {
        return fail(ErrorCode::kValidationFailed, "must be an IANA time zone such as Asia/Tehran", "time_zone");
    }
    return store;
}

Result<TerminalRegistration> decode_terminal_registration(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    auto code = string_or_empty(document, "code");
    if (!code) return std::unexpected(code.error());
    return TerminalRegistration{std::move(*code)};
}

Result<KeyRotation> decode_key_rotation(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    if (!document.contains("grace_s")) return KeyRotation{};
    const auto grace = optional_integer(document, "grace_s");
    if (!grace || !*grace || **grace < 0) {
        return fail(ErrorCode::kValidationFailed, "must be a whole number of seconds", "grace_s");
    }
    return KeyRotation{std::chrono::seconds(**grace)};
}

}  // namespace patron::core
