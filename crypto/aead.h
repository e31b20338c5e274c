// AES-256-GCM authenticated encryption with a fresh random 96-bit nonce per message.
// The associated data binds a ciphertext to where it belongs (table, column, row id): a
// ciphertext copied anywhere else fails to open. Sealed format: 0x01 | nonce(12) | ct | tag(16).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/secure_random.h"

namespace patron::crypto {

inline constexpr std::size_t kAeadKeySize = 32;

Bytes seal(const SecretBytes& key, std::span<const std::uint8_t> plaintext, std::string_view associated_data,
           RandomSource& random);

// The plaintext, or nullopt when the key, the associated data or the ciphertext is wrong.
std::optional<SecretBytes> open(const SecretBytes& key, std::span<const std::uint8_t> sealed,
                                std::string_view associated_data);

}  // namespace patron::crypto
