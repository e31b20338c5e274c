#include "loyalty/core/compiled_rules.h"

#include <algorithm>

#include "loyalty/core/rule_set.h"
#include "loyalty/core/wording.h"

namespace patron::core {
namespace {

constexpr std::int64_t kWhole = 100;

Symbol intern(std::unordered_map<std::string, Symbol>& table, const std::string& name) {
    return table.try_emplace(name, static_cast<Symbol>(table.size())).first->second;
}

SymbolSet symbol_set(std::unordered_map<std::string, Symbol>& table, const std::vector<std::string>& names) {
    SymbolSet set;
    for (const std::string& name : names) set.symbols.push_back(intern(table, name));
    std::sort(set.symbols.begin(), set.symbols.end());
    set.symbols.erase(std::unique(set.symbols.begin(), set.symbols.end()), set.symbols.end());
    return set;
}

PercentTable percent_table(std::unordered_map<std::string, Symbol>& table,
                           const std::map<std::string, std::int64_t>& percents) {
    PercentTable result;
    for (const auto& [name, percent] : percents) result.entries.emplace_back(intern(table, name), percent);
    std::sort(result.entries.begin(), result.entries.end());
    return result;
}

Symbol find_symbol(const std::unordered_map<std::string, Symbol>& table, std::string_view name) {
    // C++20 heterogeneous lookup needs a transparent hash; the string copy is one per line.
    const auto it = table.find(std::string(name));
    return it == table.end() ? kNoSymbol : it->second;
}

}  // namespace

bool SymbolSet::binary_contains(Symbol symbol) const {
    return std::binary_search(symbols.begin(), symbols.end(), symbol);
}

Symbol CompiledRules::category(std::string_view name) const { return find_symbol(categories, name); }
Symbol CompiledRules::sku(std::string_view name) const { return find_symbol(skus, name); }
Symbol CompiledRules::tier(std::string_view name) const { return find_symbol(tiers, name); }

std::shared_ptr<const CompiledRules> compile_rules(const RuleSet& rules) {
    auto compiled = std::make_shared<CompiledRules>();
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
        const Rule& rule = rules.rules[i];
        const Conditions& conditions = rule.conditions;
        CompiledRule entry;
        entry.index = i;
        Basis basis;
        basis.categories = symbol_set(compiled->categories, conditions.categories);
        basis.skus = symbol_set(compiled->skus, conditions.skus);
        basis.exclude_categories = symbol_set(compiled->categories, conditions.exclude_categories);
        basis.exclude_skus = symbol_set(compiled->skus, conditions.exclude_skus);
        basis.category_percent = percent_table(compiled->categories, rule.category_percent);
        basis.sku_percent = percent_table(compiled->skus, rule.sku_percent);
        basis.every_line = basis.categories.empty() && basis.skus.empty() && basis.exclude_categories.empty() &&
                           basis.exclude_skus.empty();
        basis.flat_line_percent = basis.category_percent.empty() && basis.sku_percent.empty();
        const auto same = std::find(compiled->bases.begin(), compiled->bases.end(), basis);
        entry.basis = static_cast<std::size_t>(same - compiled->bases.begin());
        if (same == compiled->bases.end()) compiled->bases.push_back(std::move(basis));
        entry.tier_percent = percent_table(compiled->tiers, rule.tier_percent);
        entry.limited = rule.limits.per_purchase || rule.limits.per_day || rule.limits.per_month || rule.limits.budget;
        for (const auto& [tier, percent] : rule.tier_percent) {
            if (percent == kWhole) continue;
            entry.tier_notes.push_back({intern(compiled->tiers, tier),
                                        {tier + " " + multiplier_text(percent, Language::kEnglish),
                                         tier + " " + multiplier_text(percent, Language::kPersian)}});
        }
        compiled->by_priority.push_back(std::move(entry));
    }
    std::stable_sort(compiled->by_priority.begin(), compiled->by_priority.end(),
                     [&rules](const CompiledRule& a, const CompiledRule& b) {
                         return rules.rules[a.index].priority > rules.rules[b.index].priority;
                     });
    return compiled;
}

}  // namespace patron::core
