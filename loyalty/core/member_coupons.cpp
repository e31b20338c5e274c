#include "loyalty/core/member_coupons.h"

#include <algorithm>

namespace patron::core {

std::string_view to_string(MemberCouponState state) {
    switch (state) {
        case MemberCouponState::kAssigned:
            return "assigned";
        case MemberCouponState::kRedeemed:
            return "redeemed";
        case MemberCouponState::kExpired:
            return "expired";
    }
    return "assigned";
}

MemberCouponState member_coupon_state(const CouponCampaign& campaign, bool campaign_ended, std::int64_t redemptions,
                                      Timestamp now) {
    if (redemptions > 0) return MemberCouponState::kRedeemed;
    if (campaign_ended || (campaign.valid_until && now >= *campaign.valid_until)) return MemberCouponState::kExpired;
    return MemberCouponState::kAssigned;
}

void order_member_coupons(std::vector<MemberCoupon>& coupons, std::size_t coupons_max) {
    std::sort(coupons.begin(), coupons.end(), [](const MemberCoupon& a, const MemberCoupon& b) {
        return a.state != b.state ? a.state < b.state : a.code_id > b.code_id;
    });
    if (coupons.size() > coupons_max) coupons.resize(coupons_max);
}

std::optional<std::int64_t> coupon_value(const CouponCampaign& campaign) {
    switch (campaign.type) {
        case CouponType::kPercentOffBasket:
        case CouponType::kPercentOffItems:
            return campaign.percent;
        case CouponType::kAmountOffBasket:
        case CouponType::kAmountOffItems:
        case CouponType::kBonusPoints:
            return campaign.amount;
        case CouponType::kFreeItem:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace patron::core
