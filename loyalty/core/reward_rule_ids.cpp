#include "loyalty/core/reward_rule_ids.h"

#include <algorithm>

namespace patron::core {
namespace {

constexpr std::string_view kCouponPrefix = "coupon:";
constexpr std::string_view kStampRewardPrefix = "stamps:";
// What every id the engine writes with a prefix has after its kind.
constexpr char kSeparator = ':';

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

std::string comparable_rule_id(std::string_view rule_id) {
    std::string comparable(rule_id.substr(0, rule_id.find_last_not_of(' ') + 1));
    std::transform(comparable.begin(), comparable.end(), comparable.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return comparable;
}

bool is_reserved_rule_id(std::string_view rule_id) {
    return rule_id.find(kSeparator) != std::string_view::npos || comparable_rule_id(rule_id) == kBlindReturnRuleId;
}

}  // namespace patron::core
