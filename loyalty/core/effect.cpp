#include "loyalty/core/effect.h"

namespace patron::core {

std::string_view to_string(EffectKind kind) {
    switch (kind) {
        case EffectKind::kEarnPoints:
            return "earn_points";
        case EffectKind::kRedeemPoints:
            return "redeem_points";
        case EffectKind::kReversePoints:
            return "reverse_points";
        case EffectKind::kRefundPoints:
            return "refund_points";
        case EffectKind::kTierChange:
            return "tier_change";
        case EffectKind::kCouponDiscount:
            return "coupon_discount";
        case EffectKind::kCouponGivenBack:
            return "coupon_given_back";
        case EffectKind::kEarnCashback:
            return "earn_cashback";
        case EffectKind::kSpendCashback:
            return "spend_cashback";
        case EffectKind::kReverseCashback:
            return "reverse_cashback";
        case EffectKind::kRefundCashback:
            return "refund_cashback";
        case EffectKind::kStamps:
            return "stamps";
        case EffectKind::kStampsExpired:
            return "stamps_expired";
        case EffectKind::kStampReward:
            return "stamp_reward";
        case EffectKind::kStampsRemoved:
            return "stamps_removed";
        case EffectKind::kStampRewardRevoked:
            return "stamp_reward_revoked";
        case EffectKind::kDrawEntries:
            return "draw_entries";
        case EffectKind::kDrawEntriesRemoved:
            return "draw_entries_removed";
    }
    return "unknown";
}

std::optional<EffectKind> parse_effect_kind(std::string_view spelling) {
    for (const EffectKind kind : kEffectKinds) {
        if (to_string(kind) == spelling) return kind;
    }
    return std::nullopt;
}

}  // namespace patron::core
