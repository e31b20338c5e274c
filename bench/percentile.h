// The latency percentile the benchmarks print: the sample at that rank of the sorted samples.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace patron::bench {

inline double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

}  // namespace patron::bench
