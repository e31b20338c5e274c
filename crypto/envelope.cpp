#include "crypto/envelope.h"

#include "crypto/aead.h"

namespace patron::crypto {

SecretBytes new_data_key(RandomSource& random) {
    SecretBytes key(kAeadKeySize);
    random.fill({key.data(), key.size()});
    return key;
}

WrappedKey wrap_data_key(const KeyRing& ring, const SecretBytes& data_key, std::string_view associated_data,
                         RandomSource& random) {
    const auto masters = ring.masters();
    return WrappedKey{masters->active_id, seal(masters->active(), data_key.view(), associated_data, random)};
}

std::optional<SecretBytes> unwrap_data_key(const KeyRing& ring, const WrappedKey& wrapped,
                                           std::string_view associated_data) {
    const auto masters = ring.masters_holding(wrapped.master_key_id);
    if (masters == nullptr) return std::nullopt;
    return open(*masters->find(wrapped.master_key_id), wrapped.sealed, associated_data);
}

}  // namespace patron::crypto
