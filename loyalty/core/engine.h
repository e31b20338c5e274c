// The reward engine: evaluate() turns a purchase, the member's state and the rule set in force
// into explainable effects. It is pure: no database, no clock, no randomness; the same input
// always gives the same outcome, and every effect names the rule and version that caused it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_set.h"

namespace patron::core {

struct MemberState {
    std::int64_t points_available;
    std::string tier;
};

enum class EffectKind { kEarnPoints };

std::string_view effect_kind_name(EffectKind kind);

struct Effect {
    EffectKind kind;
    std::string rule_id;
    int rule_version;
    std::int64_t amount;       // Points for point effects.
    std::string receipt_line;  // At most 40 characters, ready to print.
};

struct Outcome {
    std::vector<Effect> effects;

    std::int64_t points_earned() const;
};

// Points for a qualifying amount: amount * points / per_amount, rounded as the rule says.
// Computed in 128 bits; the result is clamped to int64 (no real basket comes near it).
std::int64_t earned_points(std::int64_t qualifying_amount, const EarnRule& rule);

Outcome evaluate(const Purchase& purchase, const MemberState& member, const RuleSet& rules, Timestamp now);

}  // namespace patron::core
