// Rows made by the server itself for the benchmarks at size: INSERT ... SELECT FROM MariaDB's
// sequence tables (seq_1_to_N), a few hundred thousand rows a statement, each step timed and
// printed, so that millions of rows take seconds rather than one round trip each.
#pragma once

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace patron::bench {

inline constexpr long long kSeqChunk = 500'000;

// Runs `statement` and prints how long it took.
inline void run_timed(soci::session& sql, const std::string& what, const std::string& statement) {
    const auto started = std::chrono::steady_clock::now();
    sql << statement;
    std::printf("  %-48s %6.1f s\n", what.c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    std::fflush(stdout);
}

// Runs `statement` once per chunk of first..first + count - 1, with {seq} replaced by the chunk's
// sequence table, and prints how long it all took.
inline void run_chunked(soci::session& sql, const std::string& what, long long count, const std::string& statement,
                        long long first = 1) {
    const auto started = std::chrono::steady_clock::now();
    const long long last = first + count - 1;
    for (long long from = first; from <= last; from += kSeqChunk) {
        const long long to = std::min(last, from + kSeqChunk - 1);
        std::string chunk = statement;
        const std::string table = "seq_" + std::to_string(from) + "_to_" + std::to_string(to);
        for (std::size_t at; (at = chunk.find("{seq}")) != std::string::npos;) chunk.replace(at, 5, table);
        sql << chunk;
    }
    std::printf("  %-48s %6.1f s (%lld rows)\n", what.c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), count);
    std::fflush(stdout);
}

}  // namespace patron::bench
