// The reward engine: evaluate() turns a purchase, the member's state and the rule set in force
// into explainable effects. It is pure: no database, no clock, no randomness; the same input
// always gives the same outcome, and every effect names the rule and version that caused it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/core/points.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_set.h"

namespace patron::core {

struct MemberState {
    std::int64_t points_available;
    std::string tier;
};

enum class EffectKind { kEarnPoints, kRedeemPoints };

std::string_view effect_kind_name(EffectKind kind);

struct Effect {
    EffectKind kind;
    std::string rule_id;
    int rule_version;
    std::int64_t amount;           // Points for point effects (positive for both earning and redeeming).
    std::string receipt_line;      // At most 40 characters, ready to print.
    std::int64_t value_minor = 0;  // For a redemption: what the points paid, in the purchase's currency.
};

struct Outcome {
    std::vector<Effect> effects;

    std::int64_t points_earned() const;
    std::int64_t points_redeemed() const;
    std::int64_t redeemed_value() const;
};

// Points for a qualifying amount: amount * points / per_amount, rounded as the rule says.
// Computed in 128 bits; the result is clamped to int64 (no real basket comes near it).
std::int64_t earned_points(std::int64_t qualifying_amount, const EarnRule& rule);

// Rates a purchase: first the points the member spends on it (checked against their balance and
// the program's policy), then what the rest of the basket earns (the part paid with points earns
// nothing). An impossible redemption is an error and nothing else is rated.
Result<Outcome> evaluate(const Purchase& purchase, const MemberState& member, const RuleSet& rules, Timestamp now);

}  // namespace patron::core
