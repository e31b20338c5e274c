#include "crypto/blind_index.h"

#include <string>

#include "crypto/digest.h"

namespace patron::crypto {

Bytes blind_index(const KeyRing& ring, std::string_view domain, std::string_view normalised_value) {
    std::string message(domain);
    message += '\0';
    message += normalised_value;
    Bytes mac = hmac_sha256(ring.index_key().view(), as_bytes(message));
    mac.resize(kBlindIndexSize);
    return mac;
}

}  // namespace patron::crypto
