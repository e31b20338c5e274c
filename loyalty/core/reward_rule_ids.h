// The rule ids the engine writes on what a coupon campaign or a stamp card gave: "coupon:7" on
// campaign 7's effects, "stamps:coffee" on the points reward of the coffee card, "blind_return" on
// the points a return without its receipt took back. The engine writes them and the reports, the
// backtest and the effectiveness report read them through this one spelling, so that a reader
// never takes a campaign's points for a rule's; a rule set may therefore not name a rule so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patron::core {

// The rule id of the points a blind return takes back (it names no rule).
inline constexpr std::string_view kBlindReturnRuleId = "blind_return";

std::string coupon_rule_id(std::int64_t campaign_id);
std::string stamp_reward_rule_id(std::string_view card_id);

// The campaign of a coupon's rule id ("7" of "coupon:7"); none for any other rule id.
std::optional<std::string> coupon_of_rule_id(std::string_view rule_id);
// The card of a stamp card's points reward rule id ("coffee" of "stamps:coffee"); none for any other.
std::optional<std::string> stamp_card_of_rule_id(std::string_view rule_id);

// A rule id as the database compares it (its collation ignores case and trailing spaces): ASCII
// letters lower-cased, trailing spaces cut. Two ids with the same form share ledger rows.
std::string comparable_rule_id(std::string_view rule_id);

// Whether a rule, cashback rule or stamp card may not take this id because the engine writes it
// for something else: any id with ':' (the separator of the ids above, kept for such ids) and
// blind_return, in any case.
bool is_reserved_rule_id(std::string_view rule_id);

}  // namespace patron::core
