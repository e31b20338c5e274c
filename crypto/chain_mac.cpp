#include "crypto/chain_mac.h"

#include <stdexcept>
#include <string>

#include "crypto/digest.h"
#include "crypto/kdf.h"

namespace patron::crypto {
namespace {

// The chain's key: HKDF-SHA256 of the index key with the chain's own purpose label, so that no
// chain MAC can ever equal a blind index.
SecretBytes chain_key(const KeyRing& ring) {
    std::string digest = "SHA256";
    std::string info = "patron hash chain v1";
    const SecretBytes& index = ring.index_key();
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(index.data()), index.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
        OSSL_PARAM_construct_end(),
    };
    return derive_key("HKDF", params, kChainMacSize);
}

}  // namespace

ChainKey::ChainKey(const KeyRing& ring) : key_(chain_key(ring)) {}

Bytes ChainKey::link(std::span<const std::uint8_t> previous, std::string_view message) const {
    if (previous.size() != kChainMacSize) throw std::invalid_argument("a chain link follows a 32-byte MAC");
    Bytes linked(previous.begin(), previous.end());
    const auto text = as_bytes(message);
    linked.insert(linked.end(), text.begin(), text.end());
    return hmac_sha256(key_.view(), linked);
}

}  // namespace patron::crypto
