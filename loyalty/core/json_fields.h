// Typed reads of single fields of a JSON object a client sent. A field of the wrong JSON type is
// VALIDATION_FAILED naming its path: it is never read as absent, empty or zero, so a mistyped value
// cannot slip through as a default. Absent and null read alike (null clears or leaves out).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"

namespace patron::core {

// The string at `key`; nullopt when absent or null. `path` names the field in errors (default: key).
Result<std::optional<std::string>> optional_string(const nlohmann::json& object, std::string_view key,
                                                   std::string_view path = {});

// The same with absent or null read as "", for fields whose emptiness the caller checks itself.
Result<std::string> string_or_empty(const nlohmann::json& object, std::string_view key, std::string_view path = {});

// A whole number (within int64) at `key`; nullopt when absent or null.
Result<std::optional<std::int64_t>> optional_integer(const nlohmann::json& object, std::string_view key,
                                                     std::string_view path = {});

// A document of the newer routes names no field they do not read: a mistyped "primay" is refused
// (the first unknown field, named `prefix` + its key), not ignored.
Result<void> only_fields(const nlohmann::json& object, std::initializer_list<std::string_view> known,
                         std::string_view prefix = {});

// The value as compact JSON text. A string holding invalid UTF-8 (no JSON parser lets one in, but
// text read from CSV or XML bytes might) is written with U+FFFD instead of throwing type_error.316:
// a second line of defence for anything a client sent that is echoed back.
std::string json_text(const nlohmann::json& value);

// Identifiers that land in ASCII columns (codes, quote ids): 1 to `longest` characters, each a
// letter or digit of ASCII or one of `punctuation`.
bool is_ascii_identifier(std::string_view text, std::size_t longest, std::string_view punctuation = "-_");

}  // namespace patron::core
