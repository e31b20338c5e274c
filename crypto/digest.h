// SHA-256, HMAC-SHA256 and constant-time comparison, through OpenSSL's EVP interfaces.
#pragma once

#include <span>
#include <string_view>

#include "crypto/bytes.h"

namespace patron::crypto {

Bytes sha256(std::span<const std::uint8_t> data);
Bytes hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);

// Equal contents, in time that depends only on the lengths (CRYPTO_memcmp).
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace patron::crypto
