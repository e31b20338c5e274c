// The single-use coupon codes a member holds (assigned to them by staff, or won on a stamp card) as
// the member's portal lists them: usable ones first, then the used ones, then those past their
// end, the newest first within each, so a bounded list always shows what the member can still use.
// Pure: the clock comes in as an argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/coupons.h"
#include "loyalty/core/time.h"

namespace patron::core {

// kAssigned: the member may use it (or will, once the campaign's valid_from comes).
enum class MemberCouponState { kAssigned, kRedeemed, kExpired };

std::string_view to_string(MemberCouponState state);

struct MemberCoupon {
    std::int64_t code_id = 0;  // Newer codes have higher ids.
    std::string code;
    CouponCampaign campaign;  // With its id and name.
    MemberCouponState state = MemberCouponState::kAssigned;
};

// Used while a redemption of it stands (a void or return gives it back); expired once the campaign
// ended or its valid_until passed.
MemberCouponState member_coupon_state(const CouponCampaign& campaign, bool campaign_ended, std::int64_t redemptions,
                                      Timestamp now);

// Orders the coupons as the portal lists them and keeps the first `coupons_max`.
void order_member_coupons(std::vector<MemberCoupon>& coupons, std::size_t coupons_max);

// What a coupon gives as its campaign says: the percent (percent types), the amount in minor units
// (amount types) or points (bonus_points); none for a free item.
std::optional<std::int64_t> coupon_value(const CouponCampaign& campaign);

}  // namespace patron::core
