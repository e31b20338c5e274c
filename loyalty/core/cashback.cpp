#include "loyalty/core/cashback.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "loyalty/core/document_reader.h"
#include "loyalty/core/wording.h"

namespace patron::core {
namespace {

constexpr std::int64_t kBasisPointsWhole = 10'000;  // 100%.
// Caps and budgets stay far from int64's end, so that counters adding them up cannot overflow.
constexpr std::int64_t kMoneyCapMax = 1'000'000'000'000'000'000;

// "percent": 5 or 2.5 -> basis points (500, 250).
std::int64_t read_basis_points(Reader& reader) {
    const json* value = reader.find("percent");
    if (value == nullptr) {
        reader.problem(reader.field("percent"), "is required", reason(ReasonKind::kRequired));
        return 0;
    }
    if (!value->is_number() || value->get<double>() <= 0 || value->get<double>() > 100) {
        reader.problem(reader.field("percent"), "must be a percentage above 0 and at most 100",
                       reason(ReasonKind::kPercent, {}, 100));
        return 0;
    }
    const double hundredths = value->get<double>() * 100;
    // A value within the tolerance of 0 hundredths (1e-9) has more than 2 decimals too: not 0%.
    if (std::fabs(hundredths - std::round(hundredths)) > 1e-6 || std::round(hundredths) < 1) {
        reader.problem(reader.field("percent"), "may have at most 2 decimals", reason(ReasonKind::kPercent, {}, 100));
        return 0;
    }
    return static_cast<std::int64_t>(std::round(hundredths));
}

std::optional<std::int64_t> money_cap(Reader& reader, std::string_view key) {
    auto amount = reader.integer(key, 1);
    if (amount && *amount > kMoneyCapMax) {
        // Money in minor units: a page shows amounts in major ones, so the bound is in the message only.
        reader.problem(reader.field(key), "must be at most " + std::to_string(kMoneyCapMax));
        return std::nullopt;
    }
    return amount;
}

CashbackRule read_cashback_rule(const json& document, std::string path, std::vector<Error>& problems) {
    CashbackRule rule;
    Reader reader(document, std::move(path), problems);
    if (!reader.is_object({"id", "name", "percent", "valid_from", "valid_until", "schedule", "scope", "conditions",
                           "caps", "budget", "holdout"})) {
        return rule;
    }
    rule.id = reader.text("id", true);
    rule.name = reader.text("name", false);
    if (rule.name.empty()) rule.name = rule.id;
    rule.basis_points = read_basis_points(reader);
    reader.validity(rule.valid_from, rule.valid_until);
    rule.schedule = read_schedule(reader);
    rule.scope = read_scope(reader);
    if (rule.scope.birthday_month || rule.scope.first_purchase || rule.scope.tenure) {
        reader.problem(reader.field("scope"), "cashback is scoped by stores, tiers and segments only");
    }
    if (auto conditions = reader.child("conditions", {"min_basket", "categories", "skus"})) {
        rule.min_basket = conditions->integer("min_basket", 0).value_or(0);
        rule.categories = conditions->names("categories");
        rule.skus = conditions->names("skus");
    }
    if (auto caps = reader.child("caps", {"per_purchase", "per_day", "per_month"})) {
        rule.per_purchase = money_cap(*caps, "per_purchase");
        rule.per_day = money_cap(*caps, "per_day");
        rule.per_month = money_cap(*caps, "per_month");
    }
    rule.budget = money_cap(reader, "budget");
    rule.holdout = read_holdout(reader);
    return rule;
}

bool applies(const CashbackRule& rule, const Purchase& purchase, const std::string& tier,
             const std::vector<std::string>& segments) {
    return cashback_in_force(rule, purchase, tier, segments) && purchase.total >= rule.min_basket;
}

// What the rule's caps and budget still allow it to give in this purchase.
std::int64_t cashback_allowance(const CashbackRule& rule, const CashbackUsage& used) {
    std::int64_t allowed = std::numeric_limits<std::int64_t>::max();
    if (rule.per_purchase) allowed = std::min(allowed, *rule.per_purchase);
    if (rule.per_day) allowed = std::min(allowed, *rule.per_day - used.today);
    if (rule.per_month) allowed = std::min(allowed, *rule.per_month - used.this_month);
    if (rule.budget) allowed = std::min(allowed, *rule.budget - used.budget_used);
    return std::max<std::int64_t>(allowed, 0);
}

}  // namespace

bool cashback_in_force(const CashbackRule& rule, const Purchase& purchase, const std::string& tier,
                       const std::vector<std::string>& segments) {
    return within(rule.valid_from, rule.valid_until, purchase.pos_time.utc) &&
           rule.schedule.allows(local_time(purchase.pos_time)) && rule.scope.covers(purchase.key.store, tier) &&
           rule.scope.admits(segments);
}

std::vector<CashbackRule> read_cashback_rules(const json& list, std::vector<Error>& problems) {
    return read_list<CashbackRule>(list, "cashback", problems, read_cashback_rule);
}

bool cashback_matches(const CashbackRule& rule, const PurchaseLine& line) {
    if (rule.categories.empty() && rule.skus.empty()) return true;
    return listed(rule.categories, line.category) || listed(rule.skus, line.sku);
}

std::vector<Effect> cashback_earnings(const Purchase& purchase, std::int64_t paid_otherwise, bool identified,
                                      const std::string& tier, const std::vector<std::string>& segments,
                                      const RuleSet& rules, const std::map<std::string, CashbackUsage>& usage,
                                      const std::vector<std::string>& held_out) {
    std::vector<Effect> effects;
    if (!identified) return effects;
    for (const CashbackRule& rule : rules.cashback) {
        if (!applies(rule, purchase, tier, segments) || (rule.holdout && listed(held_out, rule.id))) continue;
        __int128 matching = 0;
        for (const PurchaseLine& line : purchase.lines) {
            if (cashback_matches(rule, line)) matching += std::max<std::int64_t>(line.net_amount(), 0);
        }
        const __int128 left = std::max<__int128>(purchase.total - paid_otherwise, 0);
        const __int128 qualifying =
            purchase.total > 0 && paid_otherwise > 0 ? matching * left / purchase.total : matching;
        if (qualifying <= 0) continue;
        const __int128 exact = qualifying * rule.basis_points / kBasisPointsWhole;
        const std::int64_t earned =
            static_cast<std::int64_t>(std::min<__int128>(exact, std::numeric_limits<std::int64_t>::max()));
        const auto used = usage.find(rule.id);
        const std::int64_t amount =
            std::min(earned, cashback_allowance(rule, used == usage.end() ? CashbackUsage{} : used->second));
        if (amount <= 0) continue;
        Effect effect{EffectKind::kEarnCashback,
                      rule.id,
                      rules.version,
                      amount,
                      receipt_line(rule.name, signed_money_text('+', {amount, purchase.currency}, rules.language)),
                      0,
                      amount < earned,
                      amount};
        effects.push_back(std::move(effect));
    }
    return effects;
}

Result<Effect> spend_cashback(std::int64_t spend, std::int64_t wallet, std::int64_t left_to_pay,
                              const Currency& currency, int rule_version, Language language) {
    if (spend > wallet) {
        return fail(ErrorCode::kCashbackInsufficient,
                    "the member's cashback wallet holds " +
                        money_text({std::max<std::int64_t>(wallet, 0), currency}, Language::kEnglish),
                    "spend_cashback");
    }
    if (spend > left_to_pay) {
        return fail(ErrorCode::kCashbackExceedsTotal,
                    "only " + money_text({std::max<std::int64_t>(left_to_pay, 0), currency}, Language::kEnglish) +
                        " is left to pay after points and coupons",
                    "spend_cashback");
    }
    return Effect{
        EffectKind::kSpendCashback,
        "cashback_payment",
        rule_version,
        spend,
        receipt_line(phrase(Phrase::kCashbackUsed, language), signed_money_text('-', {spend, currency}, language)),
        0,
        false,
        spend};
}

}  // namespace patron::core
