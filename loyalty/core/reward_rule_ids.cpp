#include "loyalty/core/reward_rule_ids.h"

namespace patron::core {
namespace {

constexpr std::string_view kCouponPrefix = "coupon:";
constexpr std::string_view kStampRewardPrefix = "stamps:";

std::optional<std::string> after(std::string_view prefix, std::string_view rule_id) {
    if (!rule_id.starts_with(prefix)) return std::nullopt;
    return std::string(rule_id.substr(prefix.size()));
}

}  // namespace

std::string coupon_rule_id(std::int64_t campaign_id) {
    return std::string(kCouponPrefix) + std::to_string(campaign_id);
}

std::string stamp_reward_rule_id(std::string_view card_id) {
    return std::string(kStampRewardPrefix) + std::string(card_id);
}

std::optional<std::string> coupon_of_rule_id(std::string_view rule_id) { return after(kCouponPrefix, rule_id); }

std::optional<std::string> stamp_card_of_rule_id(std::string_view rule_id) {
    return after(kStampRewardPrefix, rule_id);
}

}  // namespace patron::core
