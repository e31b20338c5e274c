// Instant cashback, as arithmetic: the cashback rules of a rule set (read from its "cashback"
// list) and what a basket gives back into the member's wallet, capped per purchase, per member
// per day and month, and by each rule's budget. Money only: integer minor units of the
// program's currency, rounded down, never floating point.
//
// Rule document: id, name, percent (above 0, at most 100, at most 2 decimals), valid_from /
// valid_until (RFC 3339), schedule {days, from, until}, scope {stores, tiers, segments}, conditions
// {min_basket, categories, skus}, caps {per_purchase, per_day, per_month}, budget.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "loyalty/core/effect.h"
#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_set.h"

namespace patron::core {

// The rules of a rule document's "cashback" list; problems go to `problems` by JSON path.
std::vector<CashbackRule> read_cashback_rules(const nlohmann::json& list, std::vector<Error>& problems);

// What the member already got from each cashback rule: today, this month (by rule id), and
// program-wide (budget used).
struct CashbackUsage {
    std::int64_t today = 0;
    std::int64_t this_month = 0;
    std::int64_t budget_used = 0;
};

// The earnings of one basket: one kEarnCashback effect per rule that gives something, in the
// rules' order, on what the matching lines leave to pay: their net amount less their share of
// `paid_otherwise` (what points, coupons and the wallet paid of the basket), rounded down once.
// An anonymous member earns none, nor does a member from a rule in `held_out` (ids of rules with
// a hold-out that keeps this member out); `segments` are the codes of the member's segments.
std::vector<Effect> cashback_earnings(const Purchase& purchase, std::int64_t paid_otherwise, bool identified,
                                      const std::string& tier, const std::vector<std::string>& segments,
                                      const RuleSet& rules, const std::map<std::string, CashbackUsage>& usage,
                                      const std::vector<std::string>& held_out);

// Whether the rule is in force for this purchase and member: its window, schedule, stores, tiers
// and segments (not its basket conditions). What makes a member eligible for its hold-out.
bool cashback_in_force(const CashbackRule& rule, const Purchase& purchase, const std::string& tier,
                       const std::vector<std::string>& segments);

// Whether the rule counts this line (by SKU or category; every line when it names neither).
bool cashback_matches(const CashbackRule& rule, const PurchaseLine& line);

// The wallet paying `spend` of the basket: CASHBACK_INSUFFICIENT beyond the wallet,
// CASHBACK_EXCEEDS_TOTAL beyond what points and coupons left to pay.
Result<Effect> spend_cashback(std::int64_t spend, std::int64_t wallet, std::int64_t left_to_pay,
                              const Currency& currency, int rule_version, Language language);

}  // namespace patron::core
