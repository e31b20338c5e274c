// Blind indexes: a keyed hash (HMAC-SHA256 under the key ring's index key, truncated to 16
// bytes) of a normalised value, so that the database can find and keep unique a phone or an
// email without ever holding it in plaintext. The domain keeps phone and email hashes apart.
#pragma once

#include <string_view>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"

namespace patron::crypto {

inline constexpr std::size_t kBlindIndexSize = 16;

Bytes blind_index(const KeyRing& ring, std::string_view domain, std::string_view normalised_value);

}  // namespace patron::crypto
