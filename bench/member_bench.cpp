// The member registry at size: enrol PATRON_BENCH_MEMBERS members (100,000 by default) through
// the service layer (every field sealed, blind indexes, a card, an account) from 8 threads, then
// look members up by phone (blind index) and by card number as the till does, and print
// throughput and p50/p99 per path; plus the cost of sealing and opening one field.
// Needs PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_size.h"
#include "bench/percentile.h"
#include "crypto/aead.h"
#include "crypto/envelope.h"
#include "tests/support/test_world.h"

namespace {

using namespace patron;
using Clock = std::chrono::steady_clock;

// 0912 and seven digits: a distinct Iranian mobile number for each of up to 10 million members.
std::string phone_of(long long i) {
    std::string digits = std::to_string(i % 10'000'000);
    return "0912" + std::string(7 - digits.size(), '0') + digits;
}

void field_encryption() {
    crypto::SystemRandom random;
    const crypto::SecretBytes key = crypto::new_data_key(random);
    const std::string value = "Shirin Tehrani-Moghaddam";
    constexpr int kRounds = 200'000;
    crypto::Bytes sealed;
    auto started = Clock::now();
    for (int i = 0; i < kRounds; ++i)
        sealed = crypto::seal(key, crypto::as_bytes(value), "members.full_name:1", random);
    const double seal_ns = std::chrono::duration<double, std::nano>(Clock::now() - started).count() / kRounds;
    started = Clock::now();
    std::size_t opened = 0;
    for (int i = 0; i < kRounds; ++i) opened += crypto::open(key, sealed, "members.full_name:1") ? 1 : 0;
    const double open_ns = std::chrono::duration<double, std::nano>(Clock::now() - started).count() / kRounds;
    std::printf("field encryption (AES-256-GCM, 24-byte value): seal %.0f ns, open %.0f ns (%zu opened)\n", seal_ns,
                open_ns, opened);
}

}  // namespace

int main() {
    field_encryption();
    const long long members = bench::size_from_environment("PATRON_BENCH_MEMBERS", 100, 100'000);
    constexpr int kThreads = 8;
    testing::TestWorld world;
    std::vector<std::string> cards(static_cast<std::size_t>(members));
    std::atomic<long long> next{0}, failed{0};
    auto started = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (long long i = next++; i < members; i = next++) {
                const auto enrolled = world.members.enrol_unattended(
                    world.program_id, {"Member " + std::to_string(i), phone_of(i),
                                       "m" + std::to_string(i) + "@bench.example", "1990-01-01", "fa"});
                if (enrolled) {
                    cards[static_cast<std::size_t>(i)] = enrolled->card_number;
                } else {
                    ++failed;
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    const double enrol_s = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("enrolled %lld members from %d threads in %.1f s: %.0f per second (%lld failed)\n", members, kThreads,
                enrol_s, static_cast<double>(members) / enrol_s, failed.load());

    constexpr int kLookups = 20'000;
    for (const char* path : {"phone", "card"}) {
        std::vector<std::vector<double>> latencies(kThreads);
        std::atomic<int> left{kLookups};
        started = Clock::now();
        threads.clear();
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                std::uint64_t state = 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(t + 1);
                while (left-- > 0) {
                    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
                    const long long i = static_cast<long long>(state % static_cast<std::uint64_t>(members));
                    const auto begun = Clock::now();
                    const bool found = std::string(path) == "phone"
                                           ? world.members.search(world.program_id, "phone", phone_of(i)).has_value()
                                           : world.members.lookup_card(world.program_id, cards[i]).has_value();
                    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - begun).count();
                    if (found) latencies[static_cast<std::size_t>(t)].push_back(ms);
                }
            });
        }
        for (std::thread& thread : threads) thread.join();
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
        std::vector<double> all;
        for (const auto& part : latencies) all.insert(all.end(), part.begin(), part.end());
        std::sort(all.begin(), all.end());
        std::printf("look-up by %-5s %zu found of %d, %.0f per second, p50 %.2f ms, p99 %.2f ms\n", path, all.size(),
                    kLookups, static_cast<double>(all.size()) / elapsed, bench::percentile(all, 0.50),
                    bench::percentile(all, 0.99));
    }
    return failed.load() == 0 ? 0 : 1;
}
