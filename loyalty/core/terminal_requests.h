// The documents an admin sends to register a store, a terminal of it, and to rotate a terminal's
// key, read into typed requests with no database or HTTP in sight (so they can be fuzzed alone).
// What needs the program (its currency, codes already taken) is the terminal registry's.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"

namespace patron::core {

struct StoreRegistration {
    std::string code;
    std::string name;
    std::string currency;  // Empty: the program's.
    std::string time_zone;
};

struct TerminalRegistration {
    std::string code;
};

struct KeyRotation {
    std::optional<std::chrono::seconds> grace;  // How long the old key still signs; nullopt: the default.
};

// Store and terminal codes: 1 to 32 of A-Z a-z 0-9 _ - (they appear in signatures and logs).
bool is_store_code(std::string_view code);

// POST /v1/stores: code, name and time_zone valid, currency a string (or absent).
Result<StoreRegistration> decode_store_registration(const nlohmann::json& document);
// POST /v1/stores/{store}/terminals: {"code"}; the code itself is checked by the registry.
Result<TerminalRegistration> decode_terminal_registration(const nlohmann::json& document);
// POST /v1/stores/{store}/terminals/{terminal}/keys with a body: {"grace_s": seconds}, optional.
Result<KeyRotation> decode_key_rotation(const nlohmann::json& document);

}  // namespace patron::core
