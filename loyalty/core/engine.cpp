#include "loyalty/core/engine.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <limits>
#include <optional>

#include "loyalty/core/cashback.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/reward_rule_ids.h"

namespace patron::core {
namespace {

constexpr std::int64_t kWhole = 100;  // Multipliers are percentages: 100 is x1.

// A basket line as the compiled rules see it: its symbols and what it leaves to pay.
struct LineView {
    const PurchaseLine* line;
    Symbol category;
    Symbol sku;
    std::int64_t payable;  // Net amount less its share of what points paid.
};

bool line_matches(const LineView& view, const Basis& rule) {
    if (rule.every_line) return true;
    if (!rule.categories.empty() && !rule.categories.contains(view.category)) return false;
    if (!rule.skus.empty() && !rule.skus.contains(view.sku)) return false;
    return !rule.exclude_categories.contains(view.category) && !rule.exclude_skus.contains(view.sku);
}

bool active(const Rule& rule, const Purchase& purchase, const LocalTime& local) {
    return within(rule.valid_from, rule.valid_until, purchase.pos_time.utc) && rule.schedule.allows(local);
}

bool in_scope(const Rule& rule, const Purchase& purchase, const MemberState& member, const LocalTime& local) {
    const Scope& scope = rule.scope;
    const bool member_scoped =
        !scope.tiers.empty() || scope.birthday_month || scope.first_purchase || !scope.segments.empty() || scope.tenure;
    if (member_scoped && !member.identified) return false;
    if (!scope.covers(purchase.key.store, member.tier) || !scope.admits(member.segments)) return false;
    if (scope.birthday_month && member.birth_month != local.month) return false;
    if (scope.tenure && (!member.tenure_years || !scope.tenure->contains(*member.tenure_years))) return false;
    return !scope.first_purchase || member.purchases_before == 0;
}

// A line's net amount less its share of what points paid (points pay for the basket pro rata).
std::int64_t payable(const PurchaseLine& line, const Purchase& purchase, std::int64_t paid_with_points) {
    if (paid_with_points <= 0 || purchase.total <= 0) return line.net_amount();
    return static_cast<std::int64_t>(static_cast<__int128>(line.net_amount()) * (purchase.total - paid_with_points) /
                                     purchase.total);
}

bool fits_64(__int128 value) {
    return value >= std::numeric_limits<std::int64_t>::min() && value <= std::numeric_limits<std::int64_t>::max();
}

// n / d (d > 0) rounded as asked; nearest rounds half away from zero, as people round receipts.
template <typename Integer>
Integer rounded_quotient(Integer n, Integer d, Rounding rounding) {
    Integer quotient = n / d;
    const Integer remainder = n % d;
    const Integer magnitude = remainder < 0 ? -remainder : remainder;
    switch (rounding) {
        case Rounding::kFloor:
            if (remainder < 0) --quotient;
            break;
        case Rounding::kCeil:
            if (remainder > 0) ++quotient;
            break;
        case Rounding::kNearest:
            if (magnitude >= d - magnitude) quotient += n < 0 ? -1 : 1;  // 2|r| >= d without overflow.
            break;
    }
    return quotient;
}

// numerator / denominator in thousandths, rounded down, without forming numerator * 1000
// (which could leave 128 bits for the largest baskets); clamped to int64.
std::int64_t thousandths(__int128 numerator, __int128 denominator) {
    constexpr std::int64_t kSafe = std::numeric_limits<std::int64_t>::max() / 1000;
    if (numerator >= 0 && fits_64(numerator) && denominator > 0 && denominator <= kSafe) {
        // 64-bit division is many times cheaper; n % d < d <= kSafe, so n % d * 1000 fits.
        const auto n = static_cast<std::int64_t>(numerator), d = static_cast<std::int64_t>(denominator);
        const std::int64_t whole = n / d;
        return whole > kSafe ? std::numeric_limits<std::int64_t>::max() : whole * 1000 + n % d * 1000 / d;
    }
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

// A line's weight under a basis's multipliers, in percent. Multipliers stay within 10,000 percent
// each, so their product fits in 64 bits.
std::int64_t line_percent(const Basis& basis, const LineView& view) {
    if (basis.flat_line_percent) return kWhole;
    return basis.sku_percent.percent_of(view.sku) * basis.category_percent.percent_of(view.category) / kWhole;
}

// What the lines a basis selects add up to: one pass over the basket, shared by its rules.
struct BasisSums {
    bool done = false;
    __int128 amount = 0;  // 1,000 lines of up to 10^18 each can pass 2^63 (a decoded basket cannot).
    __int128 quantity_milli = 0;
    __int128 payable_percent = 0;  // Sum of payable x line weight.
};

// For baskets of up to 64 lines: which lines carry each category and SKU, as bit masks, so a
// basis selects its lines with a few mask operations over the symbols it names instead of a test
// per line. The symbol tables are per thread and reset after use, so a big catalogue costs once.
class LineMasks {
  public:
    static constexpr std::size_t kMaxLines = 64;

    LineMasks(const CompiledRules& compiled, const std::vector<LineView>& lines) : lines_(lines) {
        thread_local std::vector<std::uint64_t> categories, skus;
        categories_ = &categories;
        skus_ = &skus;
        categories.resize(std::max(categories.size(), compiled.categories.size()), 0);
        skus.resize(std::max(skus.size(), compiled.skus.size()), 0);
        all_ = lines.size() == kMaxLines ? ~std::uint64_t{0} : (std::uint64_t{1} << lines.size()) - 1;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::uint64_t bit = std::uint64_t{1} << i;
            if (lines[i].category != kNoSymbol) categories[static_cast<std::size_t>(lines[i].category)] |= bit;
            if (lines[i].sku != kNoSymbol) skus[static_cast<std::size_t>(lines[i].sku)] |= bit;
            totals_.amount += lines[i].line->net_amount();
            totals_.quantity_milli += lines[i].line->quantity_milli;
            total_payable_ += lines[i].payable;
        }
    }
    ~LineMasks() {
        for (const LineView& view : lines_) {
            if (view.category != kNoSymbol) (*categories_)[static_cast<std::size_t>(view.category)] = 0;
            if (view.sku != kNoSymbol) (*skus_)[static_cast<std::size_t>(view.sku)] = 0;
        }
    }
    LineMasks(const LineMasks&) = delete;
    LineMasks& operator=(const LineMasks&) = delete;

    void sum(const Basis& basis, BasisSums& sums) const {
        std::uint64_t selected = all_;
        if (!basis.categories.empty()) selected &= any_of(basis.categories, *categories_, true);
        if (!basis.skus.empty()) selected &= any_of(basis.skus, *skus_, false);
        selected &= ~any_of(basis.exclude_categories, *categories_, true);
        selected &= ~any_of(basis.exclude_skus, *skus_, false);
        // Add up the selected lines, or take the others from the totals when fewer.
        __int128 payable = 0;
        if (std::popcount(selected) * 2 <= static_cast<int>(lines_.size())) {
            for_each(selected, [&](const LineView& view) {
                sums.amount += view.line->net_amount();
                sums.quantity_milli += view.line->quantity_milli;
                payable += view.payable;
            });
        } else {
            sums.amount = totals_.amount;
            sums.quantity_milli = totals_.quantity_milli;
            payable = total_payable_;
            for_each(all_ & ~selected, [&](const LineView& view) {
                sums.amount -= view.line->net_amount();
                sums.quantity_milli -= view.line->quantity_milli;
                payable -= view.payable;
            });
        }
        sums.payable_percent = payable * kWhole;
        if (!basis.flat_line_percent) {  // Only lines with a multiplier differ from x1.
            std::uint64_t boosted = 0;
            for (const auto& [symbol, percent] : basis.category_percent.entries) {
                boosted |= (*categories_)[static_cast<std::size_t>(symbol)];
            }
            for (const auto& [symbol, percent] : basis.sku_percent.entries) {
                boosted |= (*skus_)[static_cast<std::size_t>(symbol)];
            }
            for_each(selected & boosted, [&](const LineView& view) {
                sums.payable_percent += static_cast<__int128>(view.payable) * (line_percent(basis, view) - kWhole);
            });
        }
        sums.done = true;
    }

  private:
    // The lines that carry any of the symbols; a long list is tested line by line instead.
    std::uint64_t any_of(const SymbolSet& set, const std::vector<std::uint64_t>& masks, bool category) const {
        std::uint64_t mask = 0;
        if (set.symbols.size() <= 2 * lines_.size()) {
            for (Symbol symbol : set.symbols) mask |= masks[static_cast<std::size_t>(symbol)];
            return mask;
        }
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            if (set.contains(category ? lines_[i].category : lines_[i].sku)) mask |= std::uint64_t{1} << i;
        }
        return mask;
    }

    template <typename F>
    void for_each(std::uint64_t mask, F&& visit) const {
        for (; mask != 0; mask &= mask - 1) visit(lines_[static_cast<std::size_t>(std::countr_zero(mask))]);
    }

    const std::vector<LineView>& lines_;
    std::vector<std::uint64_t>* categories_;
    std::vector<std::uint64_t>* skus_;
    std::uint64_t all_ = 0;
    BasisSums totals_;
    __int128 total_payable_ = 0;
};

const BasisSums& sums_of(const Basis& basis, const std::vector<LineView>& lines, const LineMasks* masks,
                         BasisSums& sums) {
    if (sums.done) return sums;
    if (masks != nullptr) {
        masks->sum(basis, sums);
        return sums;
    }
    for (const LineView& view : lines) {
        if (!line_matches(view, basis)) continue;
        sums.amount += view.line->net_amount();
        sums.quantity_milli += view.line->quantity_milli;
        sums.payable_percent += static_cast<__int128>(view.payable) * line_percent(basis, view);
    }
    sums.done = true;
    return sums;
}

// The rule's multiplier for her years of membership, in percent: the step of the most years she
// has reached; x1 before its first step, and without a member.
std::int64_t tenure_percent(const Rule& rule, const MemberState& member) {
    if (rule.tenure_percent.empty() || !member.tenure_years) return kWhole;
    const auto above = rule.tenure_percent.upper_bound(*member.tenure_years);
    return above == rule.tenure_percent.begin() ? kWhole : std::prev(above)->second;
}

// Whether the basket meets the rule's conditions, and what it earns. The member's multipliers,
// her tier's and her tenure's, are in percent each; their product stays within x100 (rule_set.cpp),
// so every intermediate fits 128 bits for the largest basket.
Earning earning(const Rule& rule, const CompiledRule& compiled, const Basis& basis, const std::vector<LineView>& lines,
                const LineMasks* masks, BasisSums& basis_sums, Symbol member_tier, std::int64_t tenure) {
    const BasisSums& sums = sums_of(basis, lines, masks, basis_sums);
    const bool per_amount = rule.kind == RuleKind::kEarn;
    Earning result;
    result.qualifies = (!per_amount || sums.amount > 0) && sums.amount >= rule.conditions.min_amount &&
                       sums.quantity_milli >= rule.conditions.min_quantity_milli;
    if (!result.qualifies) return result;
    const __int128 tier = static_cast<__int128>(compiled.tier_percent.percent_of(member_tier)) * tenure;
    const __int128 denominator =
        per_amount ? static_cast<__int128>(rule.per_amount) * kWhole * kWhole * kWhole : kWhole * kWhole;
    const __int128 numerator = per_amount ? sums.payable_percent * rule.points * tier : rule.points * tier;
    result.raw_milli = thousandths(numerator, denominator);
    if (!per_amount || rule.rounding_scope == RoundingScope::kPurchase) {
        result.points = rounded_points(numerator, denominator, rule.rounding);
        return result;
    }
    // Rounded line by line, summed in 128 bits (each line's points may be clamped to 2^63 already)
    // and clamped once.
    __int128 points = 0;
    for (const LineView& view : lines) {
        if (!line_matches(view, basis)) continue;
        const __int128 line_value = static_cast<__int128>(view.payable) * line_percent(basis, view);
        points += rounded_points(line_value * rule.points * tier, denominator, rule.rounding);
    }
    result.points = rounded_points(points, 1, rule.rounding);
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

// What the receipt adds to the rule's name: the tier's multiplier ("Gold x2"), her tenure's ("7
// years x1.5"), both, or nothing (a view of the compiled note, or of `text`).
std::string_view multipliers_note(const CompiledRule& compiled, Symbol member_tier, int years, std::int64_t tenure,
                                  Language language, std::string& text) {
    std::string_view tier_note;
    for (const auto& [tier, texts] : compiled.tier_notes) {
        if (tier == member_tier) tier_note = texts[language == Language::kPersian ? 1 : 0];
    }
    if (tenure == kWhole) return tier_note;
    text.assign(tier_note);
    if (!text.empty()) text.append(language == Language::kPersian ? "، " : ", ");
    text.append(tenure_text(years, language)).append(" ").append(multiplier_text(tenure, language));
    return text;
}

// "+330 points", written into `buffer`.
std::string_view earned_text(std::int64_t points, std::array<char, 32>& buffer) {
    buffer[0] = '+';
    char* end = std::to_chars(buffer.data() + 1, buffer.data() + 21, points).ptr;
    constexpr std::string_view kUnit = " points";
    end = std::copy(kUnit.begin(), kUnit.end(), end);
    return std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

// A rule that gives points to this basket, before exclusivity groups decide; its effect is only
// built (with its strings) if it stays.
struct Candidate {
    const Rule* rule;
    const CompiledRule* compiled;
    std::int64_t points;
    std::int64_t raw_milli;
    bool capped;
    std::int64_t tenure;  // Her tenure's multiplier for the rule, in percent.
};

// Keeps, of each exclusivity group, the best candidate (most points, then higher priority) or
// the first in priority order, as the group's mode says; ungrouped candidates all stay.
std::vector<Candidate> resolve_groups(std::vector<Candidate> candidates, const RuleSet& rules) {
    if (rules.groups.empty() &&
        std::none_of(candidates.begin(), candidates.end(), [](const Candidate& c) { return !c.rule->group.empty(); })) {
        return candidates;
    }
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
        } else if (best && candidate.points > kept[it->second].points) {
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

// The tier this purchase lifts the member to, if its contribution reaches a higher threshold.
// Its own points are rated at the tier held when it began; the new tier applies from the next one.
std::optional<Effect> tier_upgrade(const TierPolicy& tiers, const Purchase& purchase, const MemberState& member,
                                   const Outcome& outcome, Language language) {
    std::int64_t contribution = 1;  // A visit.
    if (tiers.measure == TierMeasure::kPoints) contribution = outcome.points_earned();
    if (tiers.measure == TierMeasure::kAmount) contribution = purchase.total;
    const std::int64_t value = member.tier_progress + contribution;
    const int reached = tiers.qualified_index(value);
    if (reached <= tiers.index_of(member.tier)) return std::nullopt;
    const std::string& name = tiers.tiers[static_cast<std::size_t>(reached)].name;
    Effect effect{EffectKind::kTierChange,
                  "tiers",
                  tiers.version,
                  value,
                  receipt_line(phrase(Phrase::kNewTier, language), name),
                  0,
                  false,
                  0};
    effect.tier = name;
    return effect;
}

// Notes that the member is eligible for a rule with a hold-out; whether they are held out of it.
bool exposed(Outcome& outcome, const std::string& rule_id, const MemberState& member) {
    const bool held_out = listed(member.held_out, rule_id);
    outcome.exposures.push_back(Exposure{rule_id, held_out});
    return held_out;
}

// What points, coupons and the cashback wallet paid of the basket: the part that earns nothing.
std::int64_t paid_otherwise(const Outcome& outcome) {
    return outcome.redeemed_value() + outcome.coupon_discount() + outcome.cashback_spent();
}

// The member's usage of each cashback rule, as the cashback arithmetic reads it.
std::map<std::string, CashbackUsage> cashback_usage(const RuleSet& rules, const MemberState& member,
                                                    const RuleCounters& counters) {
    std::map<std::string, CashbackUsage> usage;
    for (const CashbackRule& rule : rules.cashback) {
        CashbackUsage& used = usage[rule.id];
        if (const auto it = member.usage.find(rule.id); it != member.usage.end()) {
            used.today = it->second.today;
            used.this_month = it->second.this_month;
        }
        if (const auto it = counters.budget_used.find(rule.id); it != counters.budget_used.end()) {
            used.budget_used = it->second;
        }
    }
    return usage;
}

// Splits `amount` over weights in proportion, exactly (largest remainders, ties to the earlier).
std::vector<std::int64_t> split_by_weight(std::vector<__int128> weights, std::int64_t amount) {
    std::vector<std::int64_t> parts(weights.size(), 0);
    __int128 total = 0;
    for (const __int128 weight : weights) total += weight;
    // Keep weight x amount within 128 bits: weights below 2^62, amounts below 2^63.
    while (total >= (static_cast<__int128>(1) << 62)) {
        total = 0;
        for (__int128& weight : weights) total += (weight >>= 1);
    }
    if (total <= 0) return parts;
    std::vector<std::pair<__int128, std::size_t>> remainders;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const __int128 exact = weights[i] * amount;
        parts[i] = static_cast<std::int64_t>(exact / total);
        given += parts[i];
        if (weights[i] > 0) remainders.emplace_back(exact % total, i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < amount && k < remainders.size(); ++k, ++given) ++parts[remainders[k].second];
    return parts;
}

}  // namespace

LocalPeriods local_periods(const PosTime& time) {
    using namespace std::chrono;
    const std::string day = format_date(year_month_day{floor<days>(time.utc + minutes(time.offset_minutes))});
    return LocalPeriods{day, day.substr(0, 7)};
}

std::int64_t Outcome::points_earned() const { return sum_of(effects, EffectKind::kEarnPoints, &Effect::amount); }
std::int64_t Outcome::points_redeemed() const { return sum_of(effects, EffectKind::kRedeemPoints, &Effect::amount); }
std::int64_t Outcome::coupon_discount() const {
    return sum_of(effects, EffectKind::kCouponDiscount, &Effect::value_minor);
}

std::int64_t Outcome::cashback_earned() const { return sum_of(effects, EffectKind::kEarnCashback, &Effect::amount); }
std::int64_t Outcome::cashback_spent() const { return sum_of(effects, EffectKind::kSpendCashback, &Effect::amount); }

std::int64_t Outcome::redeemed_value() const {
    return sum_of(effects, EffectKind::kRedeemPoints, &Effect::value_minor);
}

std::int64_t rounded_points(__int128 numerator, __int128 denominator, Rounding rounding) {
    // The common case in 64 bits, where division is many times cheaper.
    if (fits_64(numerator) && denominator > 0 && fits_64(denominator)) {
        return rounded_quotient(static_cast<std::int64_t>(numerator), static_cast<std::int64_t>(denominator), rounding);
    }
    constexpr __int128 kMax = std::numeric_limits<std::int64_t>::max();
    constexpr __int128 kMin = std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(std::clamp(rounded_quotient(numerator, denominator, rounding), kMin, kMax));
}

Result<Outcome> evaluate(const Purchase& purchase, const MemberState& member, const RuleSet& rules, Timestamp /*now*/,
                         const RuleCounters& counters, const std::vector<CouponDiscount>& coupons) {
    Outcome outcome;
    if (purchase.redeem_points > 0) {
        auto redemption =
            plan_redemption(purchase.redeem_points, member.points_available, purchase.total, rules.points);
        if (!redemption) return std::unexpected(redemption.error());
        const std::string value = localized_digits(signed_number('-', redemption->points), rules.language) + " (" +
                                  money_text({redemption->value_minor, purchase.currency}, rules.language) + ")";
        outcome.effects.push_back(Effect{EffectKind::kRedeemPoints, "points_payment", rules.version, redemption->points,
                                         receipt_line(phrase(Phrase::kPointsUsed, rules.language), value), 0, false,
                                         redemption->value_minor});
    }
    for (const CouponDiscount& coupon : coupons) {
        const bool bonus = coupon.bonus_points > 0;
        outcome.effects.push_back(Effect{bonus ? EffectKind::kEarnPoints : EffectKind::kCouponDiscount,
                                         coupon_rule_id(coupon.campaign_id), coupon.campaign_version,
                                         bonus ? coupon.bonus_points : coupon.discount, coupon.receipt_line, 0, false,
                                         bonus ? 0 : coupon.discount});
    }
    if (purchase.spend_cashback > 0) {
        const std::int64_t left = purchase.total - outcome.redeemed_value() - outcome.coupon_discount();
        auto spent = spend_cashback(purchase.spend_cashback, member.cashback_available, left, purchase.currency,
                                    rules.version, rules.language);
        if (!spent) return std::unexpected(spent.error());
        outcome.effects.push_back(std::move(*spent));
    }
    std::shared_ptr<const CompiledRules> compiled_here;  // Only for a rule set built by hand.
    if (!rules.compiled) compiled_here = compile_rules(rules);
    const CompiledRules& compiled = rules.compiled ? *rules.compiled : *compiled_here;

    const std::int64_t paid_with_points = paid_otherwise(outcome);
    std::vector<LineView> lines;
    lines.reserve(purchase.lines.size());
    for (const PurchaseLine& line : purchase.lines) {
        lines.push_back(LineView{&line, compiled.category(line.category), compiled.sku(line.sku),
                                 payable(line, purchase, paid_with_points)});
    }
    const Symbol member_tier = compiled.tier(member.tier);
    const LocalTime local = local_time(purchase.pos_time);
    std::vector<BasisSums> sums(compiled.bases.size());
    std::optional<LineMasks> masks;
    if (lines.size() <= LineMasks::kMaxLines) masks.emplace(compiled, lines);
    std::vector<Candidate> candidates;
    candidates.reserve(compiled.by_priority.size());
    for (const CompiledRule& entry : compiled.by_priority) {
        const Rule& rule = rules.rules[entry.index];
        if (!active(rule, purchase, local) || !in_scope(rule, purchase, member, local)) continue;
        if (rule.holdout && member.identified && exposed(outcome, rule.id, member)) continue;
        const std::int64_t tenure = tenure_percent(rule, member);
        const Earning earned = earning(rule, entry, compiled.bases[entry.basis], lines, masks ? &*masks : nullptr,
                                       sums[entry.basis], member_tier, tenure);
        if (!earned.qualifies) continue;
        const std::int64_t points =
            entry.limited ? std::min(earned.points, allowance(rule, member, counters)) : earned.points;
        if (points <= 0) continue;
        candidates.push_back(Candidate{&rule, &entry, points, earned.raw_milli, points < earned.points, tenure});
    }
    // Receipt lines only for the effects that stay.
    std::vector<Candidate> kept = resolve_groups(std::move(candidates), rules);
    // Room for the cashback and stamp effects too (a card that fills adds its reward): effects are
    // large (a receipt line each), and moving them all on a reallocation shows in the profile.
    outcome.effects.reserve(outcome.effects.size() + kept.size() + rules.cashback.size() +
                            3 * rules.stamp_cards.size() + 1);
    std::array<char, 32> buffer;
    for (const Candidate& candidate : kept) {
        // Built in place, member by member (value-initialising it first would clear it needlessly).
        std::string text;
        const std::string_view note = multipliers_note(
            *candidate.compiled, member_tier, member.tenure_years.value_or(0), candidate.tenure, rules.language, text);
        const std::string& name = candidate.rule->name;
        outcome.effects.emplace_back(EffectKind::kEarnPoints, candidate.rule->id, rules.version, candidate.points,
                                     rules.language == Language::kEnglish
                                         ? receipt_line(name, note, earned_text(candidate.points, buffer))
                                         : receipt_line(name, note, points_text(candidate.points, rules.language)),
                                     candidate.raw_milli, candidate.capped, std::int64_t{0}, std::string{});
    }
    if (!rules.cashback.empty() && member.identified) {
        for (const CashbackRule& rule : rules.cashback) {
            if (rule.holdout && cashback_in_force(rule, purchase, member.tier, member.segments)) {
                exposed(outcome, rule.id, member);
            }
        }
        for (Effect& effect :
             cashback_earnings(purchase, paid_with_points, member.identified, member.tier, member.segments, rules,
                               cashback_usage(rules, member, counters), member.held_out)) {
            outcome.effects.push_back(std::move(effect));
        }
    }
    if (!rules.stamp_cards.empty() && member.identified) {
        for (const StampCard& card : rules.stamp_cards) {
            if (card.holdout && stamp_card_in_force(card, purchase, member.tier, member.segments)) {
                exposed(outcome, card.id, member);
            }
        }
        for (Effect& effect :
             stamp_effects(purchase, member.stamps, member.tier, member.segments, rules, member.held_out)) {
            outcome.effects.push_back(std::move(effect));
        }
    }
    if (rules.tiers && !rules.tiers->empty() && member.identified) {
        if (auto change = tier_upgrade(*rules.tiers, purchase, member, outcome, rules.language)) {
            outcome.effects.push_back(std::move(*change));
        }
    }
    return outcome;
}

std::vector<LineEarning> allocate_earnings(const Purchase& purchase, const Outcome& outcome, const RuleSet& rules) {
    std::shared_ptr<const CompiledRules> compiled_here;
    if (!rules.compiled) compiled_here = compile_rules(rules);
    const CompiledRules& compiled = rules.compiled ? *rules.compiled : *compiled_here;
    std::map<std::string_view, const CompiledRule*> by_id;
    for (const CompiledRule& entry : compiled.by_priority) by_id[rules.rules[entry.index].id] = &entry;

    const std::int64_t paid_with_points = paid_otherwise(outcome);
    std::vector<LineView> lines;
    for (const PurchaseLine& line : purchase.lines) {
        lines.push_back(LineView{&line, compiled.category(line.category), compiled.sku(line.sku),
                                 payable(line, purchase, paid_with_points)});
    }
    std::vector<LineEarning> shares;
    for (std::size_t e = 0; e < outcome.effects.size(); ++e) {
        const Effect& effect = outcome.effects[e];
        if (effect.kind != EffectKind::kEarnPoints) continue;
        const auto found = by_id.find(effect.rule_id);
        const bool coupon = found == by_id.end() && coupon_of_rule_id(effect.rule_id).has_value();
        if (found == by_id.end() && !coupon) continue;
        // A rule's earning over the lines it counted; a coupon's bonus over the whole basket.
        const auto counts = [&](std::size_t i) {
            return coupon || line_matches(lines[i], compiled.bases[found->second->basis]);
        };
        std::vector<__int128> weights(lines.size(), 0);
        __int128 total = 0;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (!counts(i)) continue;
            const bool by_rate = !coupon && rules.rules[found->second->index].kind == RuleKind::kEarn;
            weights[i] = by_rate ? static_cast<__int128>(lines[i].payable) *
                                       line_percent(compiled.bases[found->second->basis], lines[i])
                                 : static_cast<__int128>(lines[i].line->net_amount());
            total += weights[i];
        }
        if (total <= 0) {  // Nothing to weigh by (a bonus on free items): even shares.
            for (std::size_t i = 0; i < lines.size(); ++i) weights[i] = counts(i) ? 1 : 0;
            total = std::count(weights.begin(), weights.end(), 1);
            if (total == 0) continue;
        }
        const std::vector<std::int64_t> points = split_by_weight(std::move(weights), effect.amount);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (points[i] > 0) shares.push_back(LineEarning{lines[i].line->line, e, points[i]});
        }
    }
    return shares;
}

std::vector<LineEarning> allocate_cashback(const Purchase& purchase, const Outcome& outcome, const RuleSet& rules) {
    std::vector<LineEarning> shares;
    for (std::size_t e = 0; e < outcome.effects.size(); ++e) {
        const Effect& effect = outcome.effects[e];
        if (effect.kind != EffectKind::kEarnCashback) continue;
        const auto rule = std::find_if(rules.cashback.begin(), rules.cashback.end(),
                                       [&](const CashbackRule& r) { return r.id == effect.rule_id; });
        if (rule == rules.cashback.end()) continue;
        std::vector<__int128> weights;
        for (const PurchaseLine& line : purchase.lines) {
            weights.push_back(cashback_matches(*rule, line) ? std::max<std::int64_t>(line.net_amount(), 0) : 0);
        }
        const std::vector<std::int64_t> amounts = split_by_weight(std::move(weights), effect.amount);
        for (std::size_t i = 0; i < purchase.lines.size(); ++i) {
            if (amounts[i] > 0) shares.push_back(LineEarning{purchase.lines[i].line, e, amounts[i]});
        }
    }
    return shares;
}

}  // namespace patron::core
