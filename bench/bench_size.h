// How big a benchmark runs: a whole number from the environment (scripts/bench documents each
// variable), at least `minimum`, or `fallback` when the variable is unset or empty.
#pragma once

#include <algorithm>
#include <cstdlib>

namespace patron::bench {

inline long long size_from_environment(const char* name, long long minimum, long long fallback) {
    const char* text = std::getenv(name);
    return text != nullptr && *text != '\0' ? std::max(minimum, std::atoll(text)) : fallback;
}

}  // namespace patron::bench
