// A rate limit per client address for expensive routes (password sign-in): each address has a
// token bucket that holds `burst` requests and refills one every `refill_interval`. At most
// `addresses_max` addresses are tracked: a new one evicts the address least recently seen, so a
// flood of addresses bounds memory, not the limit of the busy ones. Thread-safe; time comes in.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace patron::api {

struct ClientRateLimitSettings {
    int burst = 10;
    std::chrono::milliseconds refill_interval{6000};  // 10 a minute once the burst is spent.
    std::size_t addresses_max = 10000;
};

struct [[nodiscard]] RateDecision {
    bool allowed = false;
    std::chrono::milliseconds retry_after{0};  // When refused: until the next token (round up for Retry-After).
};

// The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its
// /64 prefix (one subscriber usually holds a whole /64, so counting single addresses would give
// them billions of buckets); an IPv4-mapped IPv6 address as its IPv4 address. Text that is no
// address (a Unix socket peer) is its own key.
std::string rate_limit_key(std::string_view address);

class ClientRateLimit {
  public:
    using Clock = std::chrono::steady_clock;

    explicit ClientRateLimit(ClientRateLimitSettings settings);

    // Takes a token from the address's bucket when it has one.
    RateDecision admit(std::string_view address, Clock::time_point now);
    // Gives back a token taken by admit() for a request that turned out not to count (a
    // password that was right, a document refused before any work).
    void refund(std::string_view address, Clock::time_point now);
    std::size_t tracked_addresses() const;

  private:
    // The bucket is kept as the instant it will be full again (GCRA, the token bucket as one
    // time): before that instant it lacks (full_at - now) / refill_interval tokens, rounded up.
    struct Bucket {
        std::string address;
        Clock::time_point full_at;
    };
    using Buckets = std::list<Bucket>;  // Most recently seen first.

    Buckets::iterator bucket_of(std::string_view address, Clock::time_point now);

    const ClientRateLimitSettings settings_;
    mutable std::mutex mutex_;
    Buckets buckets_;
    std::unordered_map<std::string_view, Buckets::iterator> by_address_;  // Views into buckets_.
};

}  // namespace patron::api
