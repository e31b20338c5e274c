#include "tests/support/pos_signer.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdio>

namespace patron::testing {
namespace {

std::string hex(const unsigned char* bytes, unsigned int length) {
    std::string text;
    char pair[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", bytes[i]);
        text += pair;
    }
    return text;
}

}  // namespace

std::vector<std::string> PosSigner::headers(const std::string& method, const std::string& path, const std::string& body,
                                            long long timestamp, std::string nonce) const {
    if (timestamp == 0) {
        timestamp =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
    }
    if (nonce.empty()) {
        unsigned char random[16];
        RAND_bytes(random, sizeof random);
        nonce = hex(random, sizeof random);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(body.data(), body.size(), digest, &length, EVP_sha256(), nullptr);
    const std::string message =
        method + "\n" + path + "\n" + std::to_string(timestamp) + "\n" + nonce + "\n" + hex(digest, length);
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    return {"X-Patron-Key: " + key_id, "X-Patron-Timestamp: " + std::to_string(timestamp), "X-Patron-Nonce: " + nonce,
            "X-Patron-Signature: " + hex(digest, length)};
}

}  // namespace patron::testing
