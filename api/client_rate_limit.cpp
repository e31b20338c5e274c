#include "api/client_rate_limit.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace patron::api {

std::string rate_limit_key(std::string_view address) {
    const std::string text(address);
    in6_addr ip6{};
    if (inet_pton(AF_INET6, text.c_str(), &ip6) != 1) return text;
    std::array<char, INET6_ADDRSTRLEN> printed{};
    if (IN6_IS_ADDR_V4MAPPED(&ip6)) {
        in_addr ip4{};
        std::copy_n(ip6.s6_addr + 12, 4, reinterpret_cast<unsigned char*>(&ip4.s_addr));
        return inet_ntop(AF_INET, &ip4, printed.data(), printed.size());
    }
    std::fill(ip6.s6_addr + 8, ip6.s6_addr + 16, 0);
    return std::string(inet_ntop(AF_INET6, &ip6, printed.data(), printed.size())) + "/64";
}

ClientRateLimit::ClientRateLimit(ClientRateLimitSettings settings) : settings_(settings) {
    if (settings_.burst < 1 || settings_.refill_interval <= std::chrono::milliseconds::zero() ||
        settings_.addresses_max < 1) {
        throw std::invalid_argument("a rate limit needs a burst, a refill interval and room for an address");
    }
}

ClientRateLimit::Buckets::iterator ClientRateLimit::bucket_of(std::string_view address, Clock::time_point now) {
    if (const auto found = by_address_.find(address); found != by_address_.end()) {
        buckets_.splice(buckets_.begin(), buckets_, found->second);
        return found->second;
    }
    if (buckets_.size() >= settings_.addresses_max) {
        by_address_.erase(buckets_.back().address);
        buckets_.pop_back();
    }
    buckets_.push_front(Bucket{std::string(address), now});
    by_address_.emplace(buckets_.front().address, buckets_.begin());
    return buckets_.begin();
}

RateDecision ClientRateLimit::admit(std::string_view address, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    Bucket& bucket = *bucket_of(address, now);
    // A full bucket holds no credit beyond `burst`: it counts from now, not from long ago.
    const Clock::time_point full_at = std::max(bucket.full_at, now);
    const auto empty_by = settings_.refill_interval * settings_.burst;
    const Clock::time_point after = full_at + settings_.refill_interval;
    if (after - now > empty_by) {
        const auto wait = after - now - empty_by;
        return {false, std::chrono::ceil<std::chrono::milliseconds>(wait)};
    }
    bucket.full_at = after;
    return {true};
}

void ClientRateLimit::refund(std::string_view address, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    Bucket& bucket = *bucket_of(address, now);
    bucket.full_at = std::max(bucket.full_at - settings_.refill_interval, now);
}

std::size_t ClientRateLimit::tracked_addresses() const {
    const std::lock_guard lock(mutex_);
    return buckets_.size();
}

}  // namespace patron::api
