// OpenSSL 3's EVP_KDF, once for every key derivation here (PBKDF2 for passwords, HKDF for the
// audit chain's key): the named KDF run with `params` into `size` bytes. Internal to crypto/.
#pragma once

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <cstddef>

#include "crypto/bytes.h"

namespace patron::crypto {

// Throws std::runtime_error when OpenSSL lacks the KDF or the derivation fails.
SecretBytes derive_key(const char* kdf_name, const OSSL_PARAM* params, std::size_t size);

}  // namespace patron::crypto
