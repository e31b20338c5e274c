// The form of a rule set the engine runs: built once per published version (rule sets are
// immutable), it turns the string-keyed parts of every rule into small sorted integer lists, so
// rating a basket compares integers instead of strings for every (rule, line) pair.
//
// Every category and SKU a rule mentions gets a symbol; a basket line's category and SKU are
// looked up once per evaluation (a line whose values no rule mentions gets kNoSymbol, which
// matches no list and no multiplier).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace patron::core {

struct RuleSet;

using Symbol = std::int32_t;
inline constexpr Symbol kNoSymbol = -1;

// A sorted list of symbols; contains() is a binary search over a few integers.
struct SymbolSet {
    std::vector<Symbol> symbols;
    bool empty() const { return symbols.empty(); }
    bool operator==(const SymbolSet&) const = default;
    bool contains(Symbol symbol) const {
        if (symbols.size() > 8) return binary_contains(symbol);
        for (Symbol s : symbols) {
            if (s == symbol) return true;
        }
        return false;
    }
    bool binary_contains(Symbol symbol) const;
};

// Symbol -> percent, sorted by symbol; kWhole (100) for a symbol not listed.
struct PercentTable {
    std::vector<std::pair<Symbol, std::int64_t>> entries;
    bool empty() const { return entries.empty(); }
    bool operator==(const PercentTable&) const = default;
    std::int64_t percent_of(Symbol symbol) const {
        for (const auto& [key, percent] : entries) {
            if (key == symbol) return percent;
            if (key > symbol) break;
        }
        return 100;
    }
};

// Which lines of a basket count for a rule, and how much each counts: its line conditions and
// SKU/category multipliers. Rules with the same basis (typically all rules that only exclude gift
// cards and tobacco) share one pass over the basket.
struct Basis {
    SymbolSet categories, skus, exclude_categories, exclude_skus;
    PercentTable category_percent, sku_percent;
    bool every_line = true;         // No line condition at all: every line matches.
    bool flat_line_percent = true;  // No SKU or category multiplier: every line counts x1.

    bool operator==(const Basis&) const = default;
};

struct CompiledRule {
    std::size_t index = 0;  // Into RuleSet::rules.
    std::size_t basis = 0;  // Into CompiledRules::bases.
    PercentTable tier_percent;
    bool limited = false;  // Has a per-purchase, per-day, per-month limit or a budget.
    // What the receipt adds to the rule's name for each tier with a multiplier, "Gold x2" (by tier
    // symbol; nothing for any other tier), in English and in Persian.
    std::vector<std::pair<Symbol, std::array<std::string, 2>>> tier_notes;
};

struct CompiledRules {
    std::unordered_map<std::string, Symbol> categories;
    std::unordered_map<std::string, Symbol> skus;
    std::unordered_map<std::string, Symbol> tiers;
    std::vector<CompiledRule> by_priority;  // Highest priority first; ties keep document order.
    std::vector<Basis> bases;               // Distinct ones only.

    Symbol category(std::string_view name) const;
    Symbol sku(std::string_view name) const;
    Symbol tier(std::string_view name) const;
};

std::shared_ptr<const CompiledRules> compile_rules(const RuleSet& rules);

}  // namespace patron::core
