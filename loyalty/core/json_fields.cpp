#include "loyalty/core/json_fields.h"

#include <algorithm>

namespace patron::core {
namespace {

using nlohmann::json;

std::string name_of(std::string_view key, std::string_view path) { return std::string(path.empty() ? key : path); }

// The value at `key`, or nullptr when it is absent or null.
const json* present(const json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

Result<std::optional<std::string>> optional_string(const json& object, std::string_view key, std::string_view path) {
    const json* value = present(object, key);
    if (value == nullptr) return std::optional<std::string>{};
    if (!value->is_string())
        return fail(ErrorCode::kValidationFailed, "must be a string", name_of(key, path),
                    reason(ReasonKind::kWrongType));
    return std::optional(value->get<std::string>());
}

Result<std::string> string_or_empty(const json& object, std::string_view key, std::string_view path) {
    auto text = optional_string(object, key, path);
    if (!text) return std::unexpected(text.error());
    return text->value_or("");
}

Result<void> only_fields(const json& object, std::initializer_list<std::string_view> known, std::string_view prefix) {
    for (const auto& [key, value] : object.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            return fail(ErrorCode::kValidationFailed, "unknown field", std::string(prefix) + key,
                        reason(ReasonKind::kUnknownField));
        }
    }
    return {};
}

Result<std::optional<std::int64_t>> optional_integer(const json& object, std::string_view key, std::string_view path) {
    const json* value = present(object, key);
    if (value == nullptr) return std::optional<std::int64_t>{};
    if (!value->is_number_integer() ||
        (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
        return fail(ErrorCode::kValidationFailed, "must be a whole number", name_of(key, path));
    }
    return std::optional(value->get<std::int64_t>());
}

std::string json_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

bool is_ascii_identifier(std::string_view text, std::size_t longest, std::string_view punctuation) {
    const auto allowed = [punctuation](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               punctuation.find(c) != std::string_view::npos;
    };
    return !text.empty() && text.size() <= longest && std::all_of(text.begin(), text.end(), allowed);
}

}  // namespace patron::core
