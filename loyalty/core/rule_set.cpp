#include "loyalty/core/rule_set.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "loyalty/core/cashback.h"
#include "loyalty/core/document_reader.h"
#include "loyalty/core/reward_rule_ids.h"
#include "loyalty/core/stamps.h"

namespace patron::core {
namespace {

using nlohmann::json;

// Bounds that keep every intermediate of the engine's exact arithmetic inside 128 bits, even for
// a basket of 1,000 lines of 10^18 minor units: multipliers up to x100 (kPercentMax), points up to 100,000.
constexpr std::int64_t kRulePointsMax = 100'000;

Conditions read_conditions(Reader& rule) {
    Conditions conditions;
    auto reader = rule.child(
        "conditions", {"min_amount", "categories", "skus", "exclude_categories", "exclude_skus", "min_quantity"});
    if (!reader) return conditions;
    conditions.min_amount = reader->integer("min_amount", 0).value_or(0);
    conditions.categories = reader->names("categories");
    conditions.skus = reader->names("skus");
    conditions.exclude_categories = reader->names("exclude_categories");
    conditions.exclude_skus = reader->names("exclude_skus");
    conditions.min_quantity_milli = reader->integer("min_quantity", 0).value_or(0) * 1000;
    return conditions;
}

Limits read_limits(Reader& rule) {
    Limits limits;
    auto reader = rule.child("limits", {"per_purchase", "per_day", "per_month", "budget"});
    if (!reader) return limits;
    limits.per_purchase = reader->integer("per_purchase", 0);
    limits.per_day = reader->integer("per_day", 0);
    limits.per_month = reader->integer("per_month", 0);
    limits.budget = reader->integer("budget", 0);
    return limits;
}

void read_multipliers(Reader& rule, Rule& out) {
    auto reader = rule.child("multipliers", {"categories", "skus", "tiers", "tenure"});
    if (!reader) return;
    out.category_percent = reader->percents("categories");
    out.sku_percent = reader->percents("skus");
    out.tier_percent = reader->percents("tiers");
    // Tenure's steps are keyed by whole years, 1 to 100: {"1": 1.1, "5": 1.5}.
    for (const auto& [years, percent] : reader->percents("tenure")) {
        int value = 0;
        const auto [end, error] = std::from_chars(years.data(), years.data() + years.size(), value);
        if (error != std::errc{} || end != years.data() + years.size() || value < 1 || value > kTenureYearsMax ||
            years.starts_with('0')) {
            reader->problem(reader->field("tenure") + "." + years, "must be keyed by whole years from 1 to 100",
                            reason(ReasonKind::kRange, 1, kTenureYearsMax));
            continue;
        }
        out.tenure_percent[value] = percent;
    }
    // The member's two multipliers together stay within x100, as one does: the engine's exact
    // arithmetic has room for no more.
    const auto largest = [](const auto& percents) {
        std::int64_t most = kPercentWhole;
        for (const auto& [key, percent] : percents) most = std::max(most, percent);
        return most;
    };
    if (largest(out.tier_percent) * largest(out.tenure_percent) > kPercentMax * kPercentWhole) {
        reader->problem(reader->field("tenure"), "with the largest tier multiplier, must stay within x100");
    }
}

// The program's rounding, for rules that do not name their own: {"defaults": {"rounding": ..., "rounding_scope": ...}}.
struct RoundingDefaults {
    Rounding rounding = Rounding::kFloor;
    RoundingScope scope = RoundingScope::kPurchase;
};

RoundingDefaults read_defaults(const json& document, std::vector<Error>& problems) {
    RoundingDefaults defaults;
    const auto it = document.find("defaults");
    if (it == document.end()) return defaults;
    Reader reader(*it, "defaults", problems);
    if (!reader.is_object({"rounding", "rounding_scope"})) return defaults;
    if (const json* rounding = reader.find("rounding")) {
        const auto parsed = named<Rounding>(
            {{"floor", Rounding::kFloor}, {"nearest", Rounding::kNearest}, {"ceil", Rounding::kCeil}}, *rounding);
        if (!parsed)
            reader.problem(reader.field("rounding"), "must be one of floor, nearest, ceil", reason(ReasonKind::kOneOf));
        defaults.rounding = parsed.value_or(Rounding::kFloor);
    }
    if (const json* scope = reader.find("rounding_scope")) {
        const auto parsed =
            named<RoundingScope>({{"purchase", RoundingScope::kPurchase}, {"line", RoundingScope::kLine}}, *scope);
        if (!parsed)
            reader.problem(reader.field("rounding_scope"), "must be purchase or line", reason(ReasonKind::kOneOf));
        defaults.scope = parsed.value_or(RoundingScope::kPurchase);
    }
    return defaults;
}

Rule read_rule(const json& document, std::string path, std::vector<Error>& problems, const RoundingDefaults& defaults) {
    Rule rule;
    rule.rounding = defaults.rounding;
    rule.rounding_scope = defaults.scope;
    Reader reader(document, std::move(path), problems);
    if (!reader.is_object({"id", "name", "kind", "priority", "group", "valid_from", "valid_until", "schedule", "scope",
                           "conditions", "points", "per_amount", "rounding", "rounding_scope", "multipliers", "limits",
                           "holdout"})) {
        return rule;
    }
    rule.id = reader.text("id", true);
    rule.name = reader.text("name", false);
    if (rule.name.empty()) rule.name = rule.id;
    if (const json* kind = reader.find("kind")) {
        const auto parsed = named<RuleKind>({{"earn", RuleKind::kEarn}, {"bonus", RuleKind::kBonus}}, *kind);
        if (!parsed) reader.problem(reader.field("kind"), "must be earn or bonus", reason(ReasonKind::kOneOf));
        rule.kind = parsed.value_or(RuleKind::kEarn);
    }
    rule.priority = static_cast<int>(reader.integer("priority", -1000).value_or(0));
    if (reader.find("group") != nullptr) rule.group = reader.text("group", false);
    reader.validity(rule.valid_from, rule.valid_until);
    rule.schedule = read_schedule(reader);
    rule.scope = read_scope(reader);
    rule.conditions = read_conditions(reader);
    const auto points = reader.integer("points", 0);
    if (!points && reader.find("points") == nullptr)
        reader.problem(reader.field("points"), "is required", reason(ReasonKind::kRequired));
    if (points && *points > kRulePointsMax)
        reader.problem(reader.field("points"), "must be at most 100000", reason(ReasonKind::kRange, {}, 100000));
    rule.points = points.value_or(0);
    rule.per_amount = reader.integer("per_amount", 1).value_or(1);
    if (rule.kind == RuleKind::kEarn && reader.find("per_amount") == nullptr) {
        reader.problem(reader.field("per_amount"), "is required for an earn rule", reason(ReasonKind::kRequired));
    }
    if (const json* rounding = reader.find("rounding")) {
        const auto parsed = named<Rounding>(
            {{"floor", Rounding::kFloor}, {"nearest", Rounding::kNearest}, {"ceil", Rounding::kCeil}}, *rounding);
        if (!parsed)
            reader.problem(reader.field("rounding"), "must be one of floor, nearest, ceil", reason(ReasonKind::kOneOf));
        rule.rounding = parsed.value_or(defaults.rounding);
    }
    if (const json* scope = reader.find("rounding_scope")) {
        const auto parsed =
            named<RoundingScope>({{"purchase", RoundingScope::kPurchase}, {"line", RoundingScope::kLine}}, *scope);
        if (!parsed)
            reader.problem(reader.field("rounding_scope"), "must be purchase or line", reason(ReasonKind::kOneOf));
        rule.rounding_scope = parsed.value_or(defaults.scope);
    }
    read_multipliers(reader, rule);
    rule.limits = read_limits(reader);
    rule.holdout = read_holdout(reader);
    return rule;
}

std::map<std::string, GroupMode> read_groups(const json& document, std::vector<Error>& problems) {
    std::map<std::string, GroupMode> groups;
    const auto it = document.find("groups");
    if (it == document.end()) return groups;
    if (!it->is_object()) {
        problems.push_back(Error{ErrorCode::kValidationFailed, "must map group names to best or first", "groups"});
        return groups;
    }
    for (const auto& [name, mode] : it->items()) {
        const auto parsed = named<GroupMode>({{"best", GroupMode::kBest}, {"first", GroupMode::kFirst}}, mode);
        if (!parsed)
            problems.push_back(Error{ErrorCode::kValidationFailed,
                                     "must be best or first",
                                     "groups." + name,
                                     {},
                                     {},
                                     reason(ReasonKind::kOneOf)});
        groups[name] = parsed.value_or(GroupMode::kBest);
    }
    return groups;
}

// The ids of a rule set's rules, cashback rules and stamp cards, checked as each is added.
class RuleIds {
  public:
    explicit RuleIds(RuleIdCheck check) : check_(check) {}

    // Notes `id` of the entry at `path`, with a problem at its id if it is reserved or taken.
    void add(const std::string& id, const std::string& path, const std::string& taken, std::vector<Error>& problems) {
        if (id.empty()) return;
        if (check_ == RuleIdCheck::kWritten && is_reserved_rule_id(id)) {
            problems.push_back(Error{ErrorCode::kValidationFailed,
                                     "is reserved: Patron names the rewards of coupons \"coupon:N\", of stamp cards"
                                     " \"stamps:ID\" and of blind returns \"blind_return\", so no id has ':' or"
                                     " is blind_return",
                                     path + ".id"});
        }
        const auto [first, added] = ids_.emplace(check_ == RuleIdCheck::kWritten ? comparable_rule_id(id) : id, id);
        if (added) return;
        problems.push_back(Error{ErrorCode::kValidationFailed,
                                 first->second == id ? taken
                                                     : taken + " (\"" + first->second +
                                                           "\": ids are compared ignoring case and trailing spaces)",
                                 path + ".id"});
    }

  private:
    RuleIdCheck check_;
    std::map<std::string, std::string> ids_;  // By the id as compared: the id as first written.
};

}  // namespace

std::expected<RuleSet, RuleSetProblems> parse_rule_set(const json& document, int version, RuleIdCheck id_check) {
    RuleSet rules;
    rules.version = version;
    std::vector<Error> problems;
    if (!document.is_object()) {
        problems.push_back(Error{ErrorCode::kValidationFailed, "a rule set must be an object", "$"});
        return std::unexpected(RuleSetProblems{std::move(problems)});
    }
    for (const auto& [key, value] : document.items()) {
        if (key != "rules" && key != "groups" && key != "defaults" && key != "cashback" && key != "stamp_cards") {
            problems.push_back(
                Error{ErrorCode::kValidationFailed, "unknown field", key, {}, {}, reason(ReasonKind::kUnknownField)});
        }
    }
    const RoundingDefaults defaults = read_defaults(document, problems);
    // Usage counters, budgets and the ledger keep what was given by id, whatever kind of rule gave it.
    RuleIds ids(id_check);
    const json list = document.value("rules", json::array());
    if (!list.is_array()) {
        problems.push_back(Error{ErrorCode::kValidationFailed, "must be an array of rules", "rules"});
    } else {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string path = "rules[" + std::to_string(i) + "]";
            Rule rule = read_rule(list[i], path, problems, defaults);
            ids.add(rule.id, path, "another rule has this id", problems);
            rules.rules.push_back(std::move(rule));
        }
    }
    rules.groups = read_groups(document, problems);
    if (const auto cashback = document.find("cashback"); cashback != document.end()) {
        rules.cashback = read_cashback_rules(*cashback, problems);
    }
    if (const auto cards = document.find("stamp_cards"); cards != document.end()) {
        rules.stamp_cards = read_stamp_cards(*cards, problems);
    }
    const std::string taken = "another rule or card has this id";
    for (std::size_t i = 0; i < rules.cashback.size(); ++i) {
        ids.add(rules.cashback[i].id, "cashback[" + std::to_string(i) + "]", taken, problems);
    }
    for (std::size_t i = 0; i < rules.stamp_cards.size(); ++i) {
        ids.add(rules.stamp_cards[i].id, "stamp_cards[" + std::to_string(i) + "]", taken, problems);
    }
    if (!problems.empty()) return std::unexpected(RuleSetProblems{std::move(problems)});
    rules.compiled = compile_rules(rules);
    return rules;
}

std::vector<ScopedSegment> scoped_segments(const RuleSet& rules) {
    std::vector<ScopedSegment> named;
    const auto add = [&](const Scope& scope, const std::string& entry) {
        for (std::size_t i = 0; i < scope.segments.size(); ++i) {
            named.push_back({scope.segments[i], entry + ".scope.segments[" + std::to_string(i) + "]"});
        }
    };
    for (std::size_t i = 0; i < rules.rules.size(); ++i) add(rules.rules[i].scope, "rules[" + std::to_string(i) + "]");
    for (std::size_t i = 0; i < rules.cashback.size(); ++i) {
        add(rules.cashback[i].scope, "cashback[" + std::to_string(i) + "]");
    }
    for (std::size_t i = 0; i < rules.stamp_cards.size(); ++i) {
        add(rules.stamp_cards[i].scope, "stamp_cards[" + std::to_string(i) + "]");
    }
    return named;
}

std::optional<int> rule_set_in_force(const std::vector<RuleSetStart>& published, Timestamp at) {
    std::optional<RuleSetStart> best;
    for (const RuleSetStart& start : published) {
        if (start.effective_from > at) continue;
        if (!best || start.effective_from > best->effective_from ||
            (start.effective_from == best->effective_from && start.version > best->version)) {
            best = start;
        }
    }
    if (!best) return std::nullopt;
    return best->version;
}

}  // namespace patron::core
