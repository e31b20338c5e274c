// Staff and member passwords: PBKDF2-HMAC-SHA256 with 600,000 iterations and a random 16-byte
// salt, through OpenSSL 3's EVP_KDF, stored as one self-describing text
// "pbkdf2-sha256$600000$<salt hex>$<hash hex>" so the cost can rise later without a migration.
// Verification recomputes with the stored parameters and compares in constant time. (The
// sanitized test build alone may hash new passwords with fewer iterations: crypto/CMakeLists.txt.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/secure_random.h"

namespace patron::crypto {

// The longest password accepted: longer ones are refused before any hashing is spent on them.
inline constexpr std::size_t kPasswordMax = 256;

// The iterations a new hash takes (600,000 but in the sanitized test build).
unsigned password_iterations();

std::string hash_password(std::string_view password, RandomSource& random);
// False for a wrong password and for a stored text it cannot read.
bool verify_password(std::string_view password, const std::string& stored);

// A hash of a password nobody has: verifying against it costs what a real check costs, so an
// unknown account cannot be told from a wrong password by the time the answer takes.
const std::string& decoy_password_hash();

}  // namespace patron::crypto
