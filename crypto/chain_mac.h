// A keyed hash chain: each link's MAC covers the previous link's MAC and the link's own message,
// under a key derived from the key ring's index key (HKDF-SHA256, its own purpose label). Whoever
// can write the database but lacks the keys file cannot forge a link, nor re-chain the links after
// one they changed, removed or reordered. The index key never changes, so neither does this key.
#pragma once

#include <span>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"

namespace patron::crypto {

inline constexpr std::size_t kChainMacSize = 32;

class ChainKey {
  public:
    explicit ChainKey(const KeyRing& ring);

    // The MAC of the link after `previous` (kChainMacSize bytes; the first link's previous is all
    // zeros) carrying `message`.
    Bytes link(std::span<const std::uint8_t> previous, std::string_view message) const;

  private:
    SecretBytes key_;
};

}  // namespace patron::crypto
