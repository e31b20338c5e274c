// Signs POS requests by hand, straight from the recipe in docs/integration.md, with OpenSSL's
// one-shot HMAC and SHA-256: independent of Patron's own signing code, so the two check each other.
#pragma once

#include <string>
#include <vector>

namespace patron::testing {

struct PosSigner {
    std::string key_id;
    std::string secret;

    // The four X-Patron-* headers for this request (a fresh random nonce unless one is given).
    std::vector<std::string> headers(const std::string& method, const std::string& path, const std::string& body,
                                     long long timestamp = 0, std::string nonce = {}) const;
};

}  // namespace patron::testing
