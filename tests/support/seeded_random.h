// A random source for tests that can be replayed: seeded from PATRON_TEST_SEED when set, else
// from the system, and the seed is printed, so a failing run can be run again exactly.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <span>
#include <string>

#include "crypto/secure_random.h"

namespace patron::testing {

class SeededRandom final : public crypto::RandomSource {
  public:
    SeededRandom() : seed_(initial_seed()), engine_(seed_) {
        std::cout << "[seed] test randomness from seed " << seed_ << " (PATRON_TEST_SEED=" << seed_
                  << " replays it)\n";
    }
    // Racing tests draw from several threads at once.
    void fill(std::span<std::uint8_t> out) override {
        std::lock_guard lock(mutex_);
        for (std::uint8_t& byte : out) byte = static_cast<std::uint8_t>(engine_() >> 56);
    }
    std::uint64_t seed() const { return seed_; }

  private:
    static std::uint64_t initial_seed() {
        if (const char* text = std::getenv("PATRON_TEST_SEED"); text != nullptr && *text != '\0') {
            return std::stoull(text);
        }
        return (static_cast<std::uint64_t>(std::random_device{}()) << 32) | std::random_device{}();
    }

    std::uint64_t seed_;
    std::mutex mutex_;
    std::mt19937_64 engine_;
};

}  // namespace patron::testing
