// Envelope encryption: each record owner (a member, a terminal) has its own random data key,
// stored only wrapped (AES-256-GCM) by a master key of the key ring. Rotating a master key
// re-wraps the small data keys, never the data; destroying a data key shreds its data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"

namespace patron::crypto {

struct WrappedKey {
    std::string master_key_id;
    Bytes sealed;
};

SecretBytes new_data_key(RandomSource& random);

WrappedKey wrap_data_key(const KeyRing& ring, const SecretBytes& data_key, std::string_view associated_data,
                         RandomSource& random);

// The data key, or nullopt when its master key is gone or the wrapping does not authenticate.
std::optional<SecretBytes> unwrap_data_key(const KeyRing& ring, const WrappedKey& wrapped,
                                           std::string_view associated_data);

}  // namespace patron::crypto
