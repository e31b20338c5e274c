// Coupon codes drawn by the cryptographic random source: in bulk for a campaign (marketers) and one
// at a time when a stamp card's reward is a coupon (in the purchase's transaction).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/secure_random.h"

namespace patron::service {

// 8 digits and 24 letters: no 0, O, 1 or I to misread. 32 symbols, so one random byte's low five
// bits pick one without bias.
inline constexpr std::string_view kCouponAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

// `count` distinct codes of `prefix` and `length` random symbols.
std::vector<std::string> generate_coupon_codes(crypto::RandomSource& random, std::size_t count, int length,
                                               const std::string& prefix);

}  // namespace patron::service
