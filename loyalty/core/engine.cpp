#include "loyalty/core/engine.h"

#include <algorithm>
#include <limits>

#include "loyalty/core/receipt_text.h"

namespace patron::core {
namespace {

bool is_excluded(const PurchaseLine& line, const EarnRule& rule) {
    return std::find(rule.excluded_categories.begin(), rule.excluded_categories.end(), line.category) !=
           rule.excluded_categories.end();
}

// The amount a rule rates: its lines' net amounts, less what points paid (that part earns nothing).
std::int64_t qualifying_amount(const Purchase& purchase, const EarnRule& rule, std::int64_t paid_with_points) {
    std::int64_t sum = 0;
    for (const PurchaseLine& line : purchase.lines) {
        if (!is_excluded(line, rule)) sum += line.net_amount();
    }
    return std::max<std::int64_t>(sum - paid_with_points, 0);
}

std::string signed_points(char sign, std::int64_t points) {
    std::string text(1, sign);
    text += std::to_string(points);
    return text;
}

__int128 divide(__int128 numerator, __int128 denominator, Rounding rounding) {
    const __int128 quotient = numerator / denominator;
    const __int128 remainder = numerator % denominator;
    switch (rounding) {
        case Rounding::kFloor:
            return (remainder < 0) ? quotient - 1 : quotient;
        case Rounding::kCeil:
            return (remainder > 0) ? quotient + 1 : quotient;
        case Rounding::kNearest: {
            // Half away from zero, as people round receipts.
            const __int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
            if (twice < denominator) return quotient;
            return numerator < 0 ? quotient - 1 : quotient + 1;
        }
    }
    return quotient;
}

}  // namespace

std::string_view effect_kind_name(EffectKind kind) {
    switch (kind) {
        case EffectKind::kEarnPoints:
            return "earn_points";
        case EffectKind::kRedeemPoints:
            return "redeem_points";
    }
    return "unknown";
}

namespace {

std::int64_t sum_of(const std::vector<Effect>& effects, EffectKind kind, std::int64_t Effect::*field) {
    std::int64_t total = 0;
    for (const Effect& effect : effects) {
        if (effect.kind == kind) total += effect.*field;
    }
    return total;
}

}  // namespace

std::int64_t Outcome::points_earned() const { return sum_of(effects, EffectKind::kEarnPoints, &Effect::amount); }
std::int64_t Outcome::points_redeemed() const { return sum_of(effects, EffectKind::kRedeemPoints, &Effect::amount); }
std::int64_t Outcome::redeemed_value() const {
    return sum_of(effects, EffectKind::kRedeemPoints, &Effect::value_minor);
}

std::int64_t earned_points(std::int64_t qualifying_amount, const EarnRule& rule) {
    const __int128 raw = static_cast<__int128>(qualifying_amount) * rule.points;
    const __int128 points = divide(raw, rule.per_amount, rule.rounding);
    constexpr __int128 kMax = std::numeric_limits<std::int64_t>::max();
    constexpr __int128 kMin = std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(std::clamp(points, kMin, kMax));
}

Result<Outcome> evaluate(const Purchase& purchase, const MemberState& member, const RuleSet& rules, Timestamp /*now*/) {
    Outcome outcome;
    if (purchase.redeem_points > 0) {
        auto redemption =
            plan_redemption(purchase.redeem_points, member.points_available, purchase.total, rules.points);
        if (!redemption) return std::unexpected(redemption.error());
        const std::string value = signed_points('-', redemption->points) + " (" +
                                  format_money({redemption->value_minor, purchase.currency}) + ")";
        outcome.effects.push_back(Effect{EffectKind::kRedeemPoints, "points_payment", rules.version, redemption->points,
                                         receipt_line("Points used", value), redemption->value_minor});
    }
    const std::int64_t paid_with_points = outcome.redeemed_value();
    for (const EarnRule& rule : rules.earn_rules) {
        const std::int64_t points = earned_points(qualifying_amount(purchase, rule, paid_with_points), rule);
        if (points <= 0) continue;
        outcome.effects.push_back(Effect{EffectKind::kEarnPoints, rule.id, rules.version, points,
                                         receipt_line(rule.name, signed_points('+', points) + " points")});
    }
    return outcome;
}

}  // namespace patron::core
