// The documents marketers send about coupons, read into typed requests with no database, random
// source or HTTP in sight (so they can be fuzzed alone): a campaign, codes to add to a campaign,
// and a code's assignment to a member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <variant>

#include "loyalty/core/coupons.h"
#include "loyalty/core/error.h"

namespace patron::core {

inline constexpr std::int64_t kCouponCodesPerRequestMax = 1'000'000;

// A valid campaign document: what it says, and its text as the marketer wrote it (compact JSON).
// The text is what Patron stores, shows back and reads again at every sale, so fields left out
// stay left out.
struct CouponCampaignDocument {
    CouponCampaign campaign;
    std::string text;
};

// Single-use codes drawn at random: `prefix` (upper case) and then `length` random symbols.
struct CouponCodeDraw {
    std::size_t count = 0;
    int length = 0;
    std::string prefix;
};

// One code the marketer chose (upper case), such as a public code printed on a poster.
struct ChosenCouponCode {
    std::string code;
    bool single_use = false;
};

using CouponCodesRequest = std::variant<CouponCodeDraw, ChosenCouponCode>;

// One drawn single-use code for each member of a segment (as last materialised) who holds no code
// of the campaign yet, at most `limit` codes a request: sent again, it gives the next members theirs.
struct SegmentIssuance {
    std::string segment;
    std::size_t limit = 0;
    int length = 0;
    std::string prefix;
};
inline constexpr std::int64_t kSegmentIssuanceMax = 100'000;

struct CouponAssignment {
    std::optional<std::int64_t> member_id;  // None: a bearer code, anyone may present it.
};

// POST /v1/coupon-campaigns and PUT /v1/coupon-campaigns/{id}: every problem by JSON path.
Result<CouponCampaignDocument> decode_coupon_campaign_document(const nlohmann::json& document);
// POST /v1/coupon-campaigns/{id}/codes: {"count": N, "length": 10, "prefix": "SUM-"} for drawn
// codes (length and prefix optional), or {"code": "SUMMER25", "single_use": false} for one code.
Result<CouponCodesRequest> decode_coupon_codes_request(const nlohmann::json& document);
// POST /v1/coupon-campaigns/{id}/issuance: {"segment": CODE, "limit": N (1 to 100,000; 10,000
// when left out), "length": 10, "prefix": "VIP-"} (length and prefix as for drawn codes).
Result<SegmentIssuance> decode_segment_issuance(const nlohmann::json& document);
// POST /v1/coupon-codes/{code}/assignment: {"member_id": N}, or {"member_id": null}.
Result<CouponAssignment> decode_coupon_assignment(const nlohmann::json& document);

}  // namespace patron::core
