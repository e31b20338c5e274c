// The per-address rate limit for password sign-in: a burst, then one request per refill
// interval, with the wait told; each address (an IPv6 subscriber's whole /64) has its own
// bucket; a bucket never saves up beyond its burst; the least recently seen address goes when
// the table is full; parallel callers never get more than the bucket holds.
#include "api/client_rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace patron::api {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = ClientRateLimit::Clock;

const Clock::time_point kStart{std::chrono::hours(1000)};

ClientRateLimitSettings settings(int burst, std::size_t addresses_max = 100) {
    return {burst, milliseconds(1000), addresses_max};
}

int admitted(ClientRateLimit& limit, const std::string& address, int requests, Clock::time_point now) {
    int count = 0;
    for (int i = 0; i < requests; ++i) count += limit.admit(address, now).allowed ? 1 : 0;
    return count;
}

TEST(ClientRateLimit, ABurstIsAdmittedThenOneRequestPerRefillInterval) {
    ClientRateLimit limit(settings(3));
    EXPECT_EQ(admitted(limit, "192.0.2.7", 3, kStart), 3);
    const RateDecision refused = limit.admit("192.0.2.7", kStart + milliseconds(400));
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, milliseconds(600)) << "the first token comes back a second after the burst";
    EXPECT_TRUE(limit.admit("192.0.2.7", kStart + milliseconds(1000)).allowed);
    EXPECT_FALSE(limit.admit("192.0.2.7", kStart + milliseconds(1999)).allowed);
    EXPECT_TRUE(limit.admit("192.0.2.7", kStart + milliseconds(2000)).allowed);
}

TEST(ClientRateLimit, ARefundedTokenCanBeTakenAgainButNoneIsSavedUp) {
    ClientRateLimit limit(settings(2));
    EXPECT_EQ(admitted(limit, "192.0.2.7", 2, kStart), 2);
    limit.refund("192.0.2.7", kStart);
    EXPECT_TRUE(limit.admit("192.0.2.7", kStart).allowed) << "a right password gives its token back";
    EXPECT_FALSE(limit.admit("192.0.2.7", kStart).allowed);
    for (int i = 0; i < 5; ++i) limit.refund("192.0.2.8", kStart);
    EXPECT_EQ(admitted(limit, "192.0.2.8", 5, kStart), 2) << "refunds never lift a bucket above its burst";
}

TEST(ClientRateLimit, EachAddressHasItsOwnBucket) {
    ClientRateLimit limit(settings(2));
    EXPECT_EQ(admitted(limit, "192.0.2.7", 5, kStart), 2);
    EXPECT_EQ(admitted(limit, "192.0.2.8", 5, kStart), 2);
    EXPECT_EQ(limit.tracked_addresses(), 2U);
}

TEST(ClientRateLimit, AQuietAddressRefillsButNeverBeyondItsBurst) {
    ClientRateLimit limit(settings(3));
    EXPECT_EQ(admitted(limit, "192.0.2.7", 3, kStart), 3);
    EXPECT_EQ(admitted(limit, "192.0.2.7", 10, kStart + std::chrono::hours(5)), 3);
}

TEST(ClientRateLimit, TheLeastRecentlySeenAddressGoesWhenTheTableIsFull) {
    ClientRateLimit limit(settings(1, 2));
    ASSERT_TRUE(limit.admit("a", kStart).allowed);
    ASSERT_TRUE(limit.admit("b", kStart).allowed);
    EXPECT_FALSE(limit.admit("a", kStart).allowed) << "seen again: b is now the least recent";
    ASSERT_TRUE(limit.admit("c", kStart).allowed);
    EXPECT_EQ(limit.tracked_addresses(), 2U);
    EXPECT_FALSE(limit.admit("a", kStart).allowed) << "a kept its empty bucket";
    EXPECT_FALSE(limit.admit("c", kStart).allowed);
    EXPECT_TRUE(limit.admit("b", kStart).allowed) << "b was forgotten, so it starts full";
    EXPECT_EQ(limit.tracked_addresses(), 2U);
}

TEST(ClientRateLimit, ParallelCallersNeverTakeMoreThanTheBucketHolds) {
    ClientRateLimit limit(settings(25));
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&limit, &allowed, t] {
            for (int i = 0; i < 50; ++i) {
                if (limit.admit("192.0.2.7", kStart).allowed) ++allowed;
                (void)limit.admit("198.51.100." + std::to_string(t), kStart);
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(allowed.load(), 25);
    EXPECT_EQ(limit.tracked_addresses(), 9U);
}

TEST(RateLimitKey, IPv6IsLimitedByItsSlash64AndIPv4AsItIs) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"192.0.2.7", "192.0.2.7"},
        {"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
        {"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
        {"::ffff:192.0.2.7", "192.0.2.7"},
        {"::1", "::/64"},
        {"not an address", "not an address"},
    };
    for (const auto& [address, key] : cases) EXPECT_EQ(rate_limit_key(address), key) << address;
}

}  // namespace
}  // namespace patron::api
