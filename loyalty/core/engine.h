// The reward engine: evaluate() turns a purchase, the member's state and the rule set in force
// into explainable effects. It is pure: no database, no clock, no randomness; the same input
// always gives the same outcome, and every effect names the rule and version that caused it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/coupons.h"
#include "loyalty/core/effect.h"
#include "loyalty/core/points.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/stamps.h"

namespace patron::core {

// What a rule has given one member so far, in the POS's local day and month.
struct RuleUsage {
    std::int64_t today = 0;
    std::int64_t this_month = 0;
};

struct MemberState {
    std::int64_t points_available = 0;
    std::string tier;
    bool identified = true;  // False for an anonymous purchase: member-scoped rules do not apply.
    std::optional<unsigned> birth_month;
    // Whole years of membership on the purchase's day, in the programme's zone and calendar
    // (core/tenure.h); none without a member.
    std::optional<int> tenure_years;
    std::int64_t purchases_before = 0;
    std::map<std::string, RuleUsage> usage;  // By rule id.
    std::int64_t tier_progress = 0;          // The tier measure over the window ending now, before this purchase.
    std::int64_t cashback_available = 0;     // The member's cashback wallet, minor units of the program's currency.
    std::map<std::string, StampProgress> stamps;  // By stamp card id: the card being filled.
    std::vector<std::string> segments;            // Codes of the member's rule-based segments.
    bool segments_read = false;                   // Whether `segments` was read (a scope named one).
    // Ids of the rules, cashback rules and stamp cards whose hold-out keeps this member out: they
    // give the member nothing (service/posting/holdout_assignment.h decides, from the member id).
    std::vector<std::string> held_out;
};

// Program-wide counters the limits need: points each rule has given in all (its budget used).
struct RuleCounters {
    std::map<std::string, std::int64_t> budget_used;  // By rule id.
};

// A rule with a hold-out that was in force for the member's purchase (its window, schedule and
// scope, not its basket conditions): the member is eligible, targeted or held out, and the
// purchase records it for the rule's effectiveness report.
struct Exposure {
    std::string rule_id;
    bool held_out = false;

    bool operator==(const Exposure&) const = default;
};

struct Outcome {
    std::vector<Effect> effects;
    std::vector<Exposure> exposures;  // Identified members only.

    std::int64_t points_earned() const;
    std::int64_t points_redeemed() const;
    std::int64_t redeemed_value() const;
    std::int64_t coupon_discount() const;
    std::int64_t cashback_earned() const;
    std::int64_t cashback_spent() const;
};

// The POS's local day ("2026-11-22") and month ("2026-11") of a purchase: the periods that
// per-day and per-month limits count in.
struct LocalPeriods {
    std::string day;
    std::string month;
};
LocalPeriods local_periods(const PosTime& time);

// numerator / denominator rounded as the rule says, in 128 bits and clamped to int64.
std::int64_t rounded_points(__int128 numerator, __int128 denominator, Rounding rounding);

// Rates a purchase: first the points the member spends on it (checked against their balance and
// the program's policy), then what the rest of the basket earns (the part paid with points earns
// nothing). An impossible redemption is an error and nothing else is rated.
// Rules apply in priority order (highest first), each when its window, schedule (in the POS's
// local time), scope and basket conditions hold; limits and budgets cut what they give; of the
// rules of one exclusivity group only the best (or the first) applies.
// Coupons already priced (price_coupons) add their effects first; what they take off, like what
// points pay, earns nothing.
Result<Outcome> evaluate(const Purchase& purchase, const MemberState& member, const RuleSet& rules, Timestamp now,
                         const RuleCounters& counters = {}, const std::vector<CouponDiscount>& coupons = {});

// The points of one earning that one line of the purchase earned.
struct LineEarning {
    int line;
    std::size_t effect;  // Index of the earning in Outcome::effects.
    std::int64_t points;
};

// Splits each earning of the outcome over the purchase's lines in proportion to what each line
// counted for under the rule (a bonus over the lines that qualified, by amount); the shares of
// an earning add up to it exactly (largest remainders, ties to the earlier line).
std::vector<LineEarning> allocate_earnings(const Purchase& purchase, const Outcome& outcome, const RuleSet& rules);

// The same for each cashback earning, over the lines its rule counted, by their net amounts (what
// points and the wallet paid is spread over the basket pro rata, so it does not change the shares).
std::vector<LineEarning> allocate_cashback(const Purchase& purchase, const Outcome& outcome, const RuleSet& rules);

}  // namespace patron::core
