// The rule ids the engine writes on what a coupon campaign or a stamp card gave: "coupon:7" on
// campaign 7's effects, "stamps:coffee" on the points reward of the coffee card. The engine writes
// them and the reports, the backtest and the effectiveness report read them through this one
// spelling, so that a reader never takes a campaign's points for a rule's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patron::core {

std::string coupon_rule_id(std::int64_t campaign_id);
std::string stamp_reward_rule_id(std::string_view card_id);

// The campaign of a coupon's rule id ("7" of "coupon:7"); none for any other rule id.
std::optional<std::string> coupon_of_rule_id(std::string_view rule_id);
// The card of a stamp card's points reward rule id ("coffee" of "stamps:coffee"); none for any other.
std::optional<std::string> stamp_card_of_rule_id(std::string_view rule_id);

}  // namespace patron::core
