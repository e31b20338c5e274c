// Where randomness comes from. Production code uses SystemRandom (OpenSSL's CSPRNG);
// services take a RandomSource in their constructors so tests can make them deterministic.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "crypto/bytes.h"

namespace patron::crypto {

class RandomSource {
  public:
    virtual ~RandomSource() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;

    Bytes bytes(std::size_t count);
    // `count` uniformly distributed decimal digits (rejection sampling, no modulo bias).
    std::string digits(std::size_t count);
    // A random token of `count` bytes, as lowercase hex.
    std::string token_hex(std::size_t count);
};

class SystemRandom final : public RandomSource {
  public:
    void fill(std::span<std::uint8_t> out) override;
};

}  // namespace patron::crypto
