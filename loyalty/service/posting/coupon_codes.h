// Coupon codes drawn by the cryptographic random source: in bulk for a campaign (marketers) and one
// at a time when a stamp card's reward is a coupon (in the purchase's transaction) or a trigger
// gives one.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/secure_random.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::service {

// 8 digits and 24 letters: no 0, O, 1 or I to misread. 32 symbols, so one random byte's low five
// bits pick one without bias.
inline constexpr std::string_view kCouponAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

// `count` distinct codes of `prefix` and `length` random symbols.
std::vector<std::string> generate_coupon_codes(crypto::RandomSource& random, std::size_t count, int length,
                                               const std::string& prefix);

// A single-use code of the campaign drawn and assigned to the member, in the caller's transaction:
// the code and its id. 12 symbols, 60 random bits: unguessable, and a clash rare enough to redraw.
std::pair<std::string, long long> issue_member_code(soci::session& sql, long long program_id, long long member_id,
                                                    long long campaign_id, crypto::RandomSource& random,
                                                    core::Timestamp now);

}  // namespace patron::service
