#include "crypto/aead.h"

#include <openssl/evp.h>

#include <memory>

namespace patron::crypto {
namespace {

constexpr std::uint8_t kFormatVersion = 1;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
constexpr std::size_t kOverhead = 1 + kNonceSize + kTagSize;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext new_context() {
    CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!context) throw CryptoFailure("EVP_CIPHER_CTX_new failed");
    return context;
}

void require(int status, const char* what) {
    if (status != 1) throw CryptoFailure(what);
}

}  // namespace

Bytes seal(const SecretBytes& key, std::span<const std::uint8_t> plaintext, std::string_view associated_data,
           RandomSource& random) {
    if (key.size() != kAeadKeySize) throw CryptoFailure("AES-256-GCM needs a 32-byte key");
    Bytes sealed(kOverhead + plaintext.size());
    sealed[0] = kFormatVersion;
    std::uint8_t* nonce = sealed.data() + 1;
    random.fill({nonce, kNonceSize});
    std::uint8_t* body = nonce + kNonceSize;

    CipherContext context = new_context();
    int length = 0;
    require(EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce), "GCM init failed");
    const auto aad = as_bytes(associated_data);
    require(EVP_EncryptUpdate(context.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())),
            "GCM AAD failed");
    require(EVP_EncryptUpdate(context.get(), body, &length, plaintext.data(), static_cast<int>(plaintext.size())),
            "GCM encrypt failed");
    require(EVP_EncryptFinal_ex(context.get(), body + length, &length), "GCM final failed");
    require(EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, body + plaintext.size()),
            "GCM tag failed");
    return sealed;
}

std::optional<SecretBytes> open(const SecretBytes& key, std::span<const std::uint8_t> sealed,
                                std::string_view associated_data) {
    if (key.size() != kAeadKeySize || sealed.size() < kOverhead || sealed[0] != kFormatVersion) return std::nullopt;
    const std::uint8_t* nonce = sealed.data() + 1;
    const std::uint8_t* body = nonce + kNonceSize;
    const std::size_t body_size = sealed.size() - kOverhead;
    Bytes tag(body + body_size, body + body_size + kTagSize);

    SecretBytes plaintext(body_size);
    CipherContext context = new_context();
    int length = 0;
    require(EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce), "GCM init failed");
    const auto aad = as_bytes(associated_data);
    require(EVP_DecryptUpdate(context.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())),
            "GCM AAD failed");
    require(EVP_DecryptUpdate(context.get(), plaintext.data(), &length, body, static_cast<int>(body_size)),
            "GCM decrypt failed");
    require(EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()), "GCM tag failed");
    if (EVP_DecryptFinal_ex(context.get(), plaintext.data() + length, &length) != 1) return std::nullopt;
    return plaintext;
}

}  // namespace patron::crypto
