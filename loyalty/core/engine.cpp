#include "loyalty/core/engine.h"

#include <algorithm>
#include <limits>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/receipt_text.h"

namespace patron::core {
namespace {

constexpr std::int64_t kWhole = 100;  // Multipliers are percentages: 100 is x1.

bool in_list(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool line_matches(const PurchaseLine& line, const Conditions& conditions) {
    if (!conditions.categories.empty() && !in_list(conditions.categories, line.category)) return false;
    if (!conditions.skus.empty() && !in_list(conditions.skus, line.sku)) return false;
    return !in_list(conditions.exclude_categories, line.category) && !in_list(conditions.exclude_skus, line.sku);
}

std::int64_t percent_of(const std::map<std::string, std::int64_t>& percents, const std::string& key) {
    if (percents.empty()) return kWhole;
    const auto it = percents.find(key);
    return it == percents.end() ? kWhole : it->second;
}

struct LocalTime {
    std::size_t weekday;  // 0 is Monday.
    int minute;
    unsigned month;
};

// The POS's wall-clock time: its UTC instant shifted by the offset it wrote.
LocalTime local_time(const PosTime& time) {
    using namespace std::chrono;
    const auto local = time.utc + minutes(time.offset_minutes);
    const auto day = floor<days>(local);
    const weekday week_day{day};
    const auto minute = duration_cast<minutes>(local - day).count();
    return LocalTime{(week_day.c_encoding() + 6) % 7, static_cast<int>(minute),
                     static_cast<unsigned>(year_month_day{day}.month())};
}

bool active(const Rule& rule, const Purchase& purchase, const LocalTime& local) {
    const Timestamp at = purchase.pos_time.utc;
    if ((rule.valid_from && at < *rule.valid_from) || (rule.valid_until && at >= *rule.valid_until)) return false;
    return rule.schedule.days[local.weekday] && local.minute >= rule.schedule.from_minute &&
           local.minute < rule.schedule.until_minute;
}

bool in_scope(const Rule& rule, const Purchase& purchase, const MemberState& member, const LocalTime& local) {
    const Scope& scope = rule.scope;
    if (!scope.stores.empty() && !in_list(scope.stores, purchase.key.store)) return false;
    const bool member_scoped = !scope.tiers.empty() || scope.birthday_month || scope.first_purchase;
    if (member_scoped && !member.identified) return false;
    if (!scope.tiers.empty() && !in_list(scope.tiers, member.tier)) return false;
    if (scope.birthday_month && member.birth_month != local.month) return false;
    return !scope.first_purchase || member.purchases_before == 0;
}

// A line's net amount less its share of what points paid (points pay for the basket pro rata).
__int128 payable(const PurchaseLine& line, const Purchase& purchase, std::int64_t paid_with_points) {
    if (paid_with_points <= 0 || purchase.total <= 0) return line.net_amount();
    return static_cast<__int128>(line.net_amount()) * (purchase.total - paid_with_points) / purchase.total;
}

// numerator / denominator in thousandths, rounded down, without forming numerator * 1000
// (which could leave 128 bits for the largest baskets); clamped to int64.
std::int64_t thousandths(__int128 numerator, __int128 denominator) {
    const __int128 whole = numerator / denominator;
    const __int128 part = numerator % denominator * 1000 / denominator;
    constexpr __int128 kMax = std::numeric_limits<std::int64_t>::max() / 1000;
    return whole > kMax ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(whole * 1000 + part);
}

struct Earning {
    bool qualifies = false;  // The basket meets the rule's conditions.
    std::int64_t points = 0;
    std::int64_t raw_milli = 0;
};

// One pass over the lines: whether the basket meets the rule's conditions, and what it earns.
Earning earning(const Rule& rule, const Purchase& purchase, const MemberState& member, std::int64_t paid) {
    const __int128 tier = percent_of(rule.tier_percent, member.tier);
    const bool per_amount = rule.kind == RuleKind::kEarn;
    const __int128 denominator = per_amount ? static_cast<__int128>(rule.per_amount) * kWhole * kWhole : kWhole;
    __int128 amount = 0;
    std::int64_t quantity = 0;
    __int128 numerator = per_amount ? 0 : static_cast<__int128>(rule.points) * tier;
    std::int64_t per_line_points = 0;
    for (const PurchaseLine& line : purchase.lines) {
        if (!line_matches(line, rule.conditions)) continue;
        amount += line.net_amount();
        quantity += line.quantity_milli;
        if (!per_amount) continue;
        // Percentages stay within 100,000 each, so their product fits in 64 bits (no 128-bit division).
        const std::int64_t line_percent =
            percent_of(rule.sku_percent, line.sku) * percent_of(rule.category_percent, line.category) / kWhole;
        const __int128 line_numerator = payable(line, purchase, paid) * rule.points * line_percent * tier;
        numerator += line_numerator;
        if (rule.rounding_scope == RoundingScope::kLine) {
            per_line_points += rounded_points(line_numerator, denominator, rule.rounding);
        }
    }
    Earning result;
    result.qualifies = (!per_amount || amount > 0) && amount >= rule.conditions.min_amount &&
                       quantity >= rule.conditions.min_quantity_milli;
    if (!result.qualifies) return result;
    result.points = per_amount && rule.rounding_scope == RoundingScope::kLine
                        ? per_line_points
                        : rounded_points(numerator, denominator, rule.rounding);
    result.raw_milli = thousandths(numerator, denominator);
    return result;
}

// What the rule's limits and budget still allow it to give this member in this purchase.
std::int64_t allowance(const Rule& rule, const MemberState& member, const RuleCounters& counters) {
    std::int64_t allowed = std::numeric_limits<std::int64_t>::max();
    const auto usage = member.usage.find(rule.id);
    const RuleUsage used = usage == member.usage.end() ? RuleUsage{} : usage->second;
    const auto budget = counters.budget_used.find(rule.id);
    const std::int64_t budget_used = budget == counters.budget_used.end() ? 0 : budget->second;
    if (rule.limits.per_purchase) allowed = std::min(allowed, *rule.limits.per_purchase);
    if (rule.limits.per_day) allowed = std::min(allowed, *rule.limits.per_day - used.today);
    if (rule.limits.per_month) allowed = std::min(allowed, *rule.limits.per_month - used.this_month);
    if (rule.limits.budget) allowed = std::min(allowed, *rule.limits.budget - budget_used);
    return std::max<std::int64_t>(allowed, 0);
}

std::string signed_points(char sign, std::int64_t points) {
    std::string text(1, sign);
    text += std::to_string(points);
    return text;
}

// "Club points (Gold x2)" when a tier multiplier applied.
std::string label(const Rule& rule, const MemberState& member) {
    const std::int64_t tier = percent_of(rule.tier_percent, member.tier);
    if (tier == kWhole) return rule.name;
    std::string multiplier = std::to_string(tier / kWhole);
    if (tier % kWhole != 0) multiplier += "." + std::to_string(tier % kWhole / (tier % 10 == 0 ? 10 : 1));
    return rule.name + " (" + member.tier + " x" + multiplier + ")";
}

struct Candidate {
    const Rule* rule;
    Effect effect;
};

// Keeps, of each exclusivity group, the best candidate (most points, then higher priority) or
// the first in priority order, as the group's mode says; ungrouped candidates all stay.
std::vector<Candidate> resolve_groups(std::vector<Candidate> candidates, const RuleSet& rules) {
    std::vector<Candidate> kept;
    std::map<std::string, std::size_t> chosen;  // Group -> index in kept.
    for (Candidate& candidate : candidates) {
        const std::string& group = candidate.rule->group;
        if (group.empty()) {
            kept.push_back(std::move(candidate));
            continue;
        }
        const auto mode = rules.groups.find(group);
        const bool best = mode == rules.groups.end() || mode->second == GroupMode::kBest;
        const auto it = chosen.find(group);
        if (it == chosen.end()) {
            chosen[group] = kept.size();
            kept.push_back(std::move(candidate));
        } else if (best && candidate.effect.amount > kept[it->second].effect.amount) {
            kept[it->second] = std::move(candidate);
        }
    }
    return kept;
}

std::int64_t sum_of(const std::vector<Effect>& effects, EffectKind kind, std::int64_t Effect::*field) {
    std::int64_t total = 0;
    for (const Effect& effect : effects) {
        if (effect.kind == kind) total += effect.*field;
    }
    return total;
}

}  // namespace

LocalPeriods local_periods(const PosTime& time) {
    using namespace std::chrono;
    const std::string day = format_date(year_month_day{floor<days>(time.utc + minutes(time.offset_minutes))});
    return LocalPeriods{day, day.substr(0, 7)};
}

std::string_view effect_kind_name(EffectKind kind) {
    switch (kind) {
        case EffectKind::kEarnPoints:
            return "earn_points";
        case EffectKind::kRedeemPoints:
            return "redeem_points";
    }
    return "unknown";
}

std::int64_t Outcome::points_earned() const { return sum_of(effects, EffectKind::kEarnPoints, &Effect::amount); }
std::int64_t Outcome::points_redeemed() const { return sum_of(effects, EffectKind::kRedeemPoints, &Effect::amount); }
std::int64_t Outcome::redeemed_value() const {
    return sum_of(effects, EffectKind::kRedeemPoints, &Effect::value_minor);
}

std::int64_t rounded_points(__int128 numerator, __int128 denominator, Rounding rounding) {
    __int128 quotient = numerator / denominator;
    const __int128 remainder = numerator % denominator;
    switch (rounding) {
        case Rounding::kFloor:
            if (remainder < 0) --quotient;
            break;
        case Rounding::kCeil:
            if (remainder > 0) ++quotient;
            break;
        case Rounding::kNearest:
            // Half away from zero, as people round receipts.
            if ((remainder < 0 ? -remainder : remainder) * 2 >= denominator) quotient += numerator < 0 ? -1 : 1;
            break;
    }
    constexpr __int128 kMax = std::numeric_limits<std::int64_t>::max();
    constexpr __int128 kMin = std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(std::clamp(quotient, kMin, kMax));
}

Result<Outcome> evaluate(const Purchase& purchase, const MemberState& member, const RuleSet& rules, Timestamp /*now*/,
                         const RuleCounters& counters) {
    Outcome outcome;
    if (purchase.redeem_points > 0) {
        auto redemption =
            plan_redemption(purchase.redeem_points, member.points_available, purchase.total, rules.points);
        if (!redemption) return std::unexpected(redemption.error());
        const std::string value = signed_points('-', redemption->points) + " (" +
                                  format_money({redemption->value_minor, purchase.currency}) + ")";
        outcome.effects.push_back(Effect{EffectKind::kRedeemPoints, "points_payment", rules.version, redemption->points,
                                         receipt_line("Points used", value), 0, false, redemption->value_minor});
    }
    std::vector<const Rule*> ordered;
    for (const Rule& rule : rules.rules) ordered.push_back(&rule);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Rule* a, const Rule* b) { return a->priority > b->priority; });

    const std::int64_t paid_with_points = outcome.redeemed_value();
    const LocalTime local = local_time(purchase.pos_time);
    std::vector<Candidate> candidates;
    for (const Rule* rule : ordered) {
        if (!active(*rule, purchase, local) || !in_scope(*rule, purchase, member, local)) continue;
        const Earning earned = earning(*rule, purchase, member, paid_with_points);
        if (!earned.qualifies) continue;
        const std::int64_t points = std::min(earned.points, allowance(*rule, member, counters));
        if (points <= 0) continue;
        candidates.push_back(
            Candidate{rule, Effect{EffectKind::kEarnPoints, rule->id, rules.version, points,
                                   receipt_line(label(*rule, member), signed_points('+', points) + " points"),
                                   earned.raw_milli, points < earned.points, 0}});
    }
    for (Candidate& candidate : resolve_groups(std::move(candidates), rules)) {
        outcome.effects.push_back(std::move(candidate.effect));
    }
    return outcome;
}

}  // namespace patron::core
