// Commits from several threads at once for a while, closed-loop: how many per second succeeded and
// their 99th-percentile latency. The benchmarks that compare the till's commit rate in two set-ups
// (commit_bench: the reports' indexes; webhook_bench: the outbox) run it on each in turn.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

#include "bench/percentile.h"

namespace patron::bench {

struct TillRate {
    double per_second = 0;
    double p99_ms = 0;
    long long commits = 0;
};

// Calls commit(thread) on `threads` threads for `seconds`; a call that answers false is not counted.
inline TillRate till_rate(int threads, double seconds, const std::function<bool(int)>& commit) {
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
    const auto started = std::chrono::steady_clock::now();
    const auto until = started + std::chrono::duration<double>(seconds);
    std::vector<std::thread> tills;
    for (int t = 0; t < threads; ++t) {
        tills.emplace_back([&, t] {
            auto& mine = latencies[static_cast<std::size_t>(t)];
            while (std::chrono::steady_clock::now() < until) {
                const auto begun = std::chrono::steady_clock::now();
                if (!commit(t)) continue;
                mine.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begun).count());
            }
        });
    }
    for (std::thread& till : tills) till.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::vector<double> all;
    for (const auto& mine : latencies) all.insert(all.end(), mine.begin(), mine.end());
    if (all.empty()) return {};
    std::sort(all.begin(), all.end());
    return {static_cast<double>(all.size()) / elapsed, percentile(all, 0.99), static_cast<long long>(all.size())};
}

}  // namespace patron::bench
