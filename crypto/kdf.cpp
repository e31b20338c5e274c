#include "crypto/kdf.h"

#include <stdexcept>
#include <string>

namespace patron::crypto {

SecretBytes derive_key(const char* kdf_name, const OSSL_PARAM* params, std::size_t size) {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, kdf_name, nullptr);
    if (kdf == nullptr) throw std::runtime_error(std::string("OpenSSL has no ") + kdf_name);
    EVP_KDF_CTX* context = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (context == nullptr) throw std::runtime_error("EVP_KDF_CTX_new failed");
    SecretBytes out(size);
    const int derived = EVP_KDF_derive(context, out.data(), out.size(), params);
    EVP_KDF_CTX_free(context);
    if (derived != 1) throw std::runtime_error(std::string(kdf_name) + " failed");
    return out;
}

}  // namespace patron::crypto
