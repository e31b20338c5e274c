// Staff (and later member) passwords: PBKDF2-HMAC-SHA256 with 600,000 iterations and a random
// 16-byte salt, through OpenSSL 3's EVP_KDF, stored as one self-describing text
// "pbkdf2-sha256$600000$<salt hex>$<hash hex>" so the cost can rise later without a migration.
// Verification recomputes with the stored parameters and compares in constant time.
#pragma once

#include <string>
#include <string_view>

#include "crypto/secure_random.h"

namespace patron::crypto {

inline constexpr unsigned kPasswordIterations = 600'000;

std::string hash_password(std::string_view password, RandomSource& random);
// False for a wrong password and for a stored text it cannot read.
bool verify_password(std::string_view password, const std::string& stored);

}  // namespace patron::crypto
