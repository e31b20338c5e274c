// The published reward rules of a program, as marketers write them (a JSON document) and as
// the engine reads them. Parsing validates the whole document and reports every problem by
// JSON path, so a rule set the engine runs is always well formed.
//
// Document: {"rules": [RULE, ...], "groups": {"NAME": "best" | "first"},
//            "defaults": {"rounding": ..., "rounding_scope": ...}} (the program's rounding; floor per
// purchase when absent). Exclusivity groups are flat names, so they cannot form cycles. A rule:
//   id, name, kind ("earn": points per amount | "bonus": fixed points), priority, group,
//   valid_from / valid_until (RFC 3339), schedule {days ["mon".."sun"], from "HH:MM", until "HH:MM"}
//   (the POS's local time), scope {stores, tiers, birthday_month, first_purchase},
//   conditions {min_amount, categories, skus, exclude_categories, exclude_skus, min_quantity},
//   points, per_amount, rounding ("floor" | "nearest" | "ceil"), rounding_scope ("purchase" | "line"),
//   multipliers {categories {NAME: x}, skus {SKU: x}, tiers {NAME: x}} (x with at most 2 decimals),
//   limits {per_purchase, per_day, per_month, budget} (points).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/compiled_rules.h"
#include "loyalty/core/error.h"
#include "loyalty/core/points.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/tiers.h"
#include "loyalty/core/time.h"
#include "loyalty/core/wording.h"

namespace patron::core {

// How a fractional number of points becomes a whole number.
enum class Rounding { kFloor, kNearest, kCeil };
enum class RoundingScope { kPurchase, kLine };
enum class RuleKind { kEarn, kBonus };
enum class GroupMode { kBest, kFirst };

struct Schedule {
    std::array<bool, 7> days{true, true, true, true, true, true, true};  // Monday first.
    int from_minute = 0;                                                 // Minutes after local midnight.
    int until_minute = 24 * 60;

    bool allows(const LocalTime& local) const {
        return days[local.weekday] && local.minute >= from_minute && local.minute < until_minute;
    }
};

struct Scope {
    std::vector<std::string> stores;
    std::vector<std::string> tiers;
    bool birthday_month = false;
    bool first_purchase = false;
};

struct Conditions {
    std::int64_t min_amount = 0;
    std::vector<std::string> categories;  // Empty: every category.
    std::vector<std::string> skus;        // Empty: every SKU.
    std::vector<std::string> exclude_categories;
    std::vector<std::string> exclude_skus;
    std::int64_t min_quantity_milli = 0;
};

struct Limits {
    std::optional<std::int64_t> per_purchase;
    std::optional<std::int64_t> per_day;
    std::optional<std::int64_t> per_month;
    std::optional<std::int64_t> budget;  // Points the rule may ever give, program-wide.
};

struct Rule {
    std::string id;
    std::string name;
    RuleKind kind = RuleKind::kEarn;
    int priority = 0;
    std::string group;
    std::optional<Timestamp> valid_from;
    std::optional<Timestamp> valid_until;
    Schedule schedule;
    Scope scope;
    Conditions conditions;
    std::int64_t points = 0;
    std::int64_t per_amount = 1;
    Rounding rounding = Rounding::kFloor;
    RoundingScope rounding_scope = RoundingScope::kPurchase;
    std::map<std::string, std::int64_t> category_percent;  // Multipliers in percent: x1.5 -> 150.
    std::map<std::string, std::int64_t> sku_percent;
    std::map<std::string, std::int64_t> tier_percent;
    Limits limits;
};

struct RuleSet {
    int version = 0;
    std::vector<Rule> rules;
    std::map<std::string, GroupMode> groups;
    PointsPolicy points = {};  // The program's policy at rating time (not part of the JSON document).
    // The engine's form of `rules`, made by parse_rule_set(); evaluate() compiles a rule set built
    // by hand (tests) on the fly. Whoever changes `rules` afterwards must compile again.
    std::shared_ptr<const CompiledRules> compiled;
    // The program's tiers at rating time (not part of the JSON document either); null or empty: none.
    std::shared_ptr<const TierPolicy> tiers;
    Language language = Language::kEnglish;  // The program's, for the receipt lines.
};

// Every problem found in a rule document, each with its JSON path.
struct RuleSetProblems {
    std::vector<Error> problems;
};

std::expected<RuleSet, RuleSetProblems> parse_rule_set(const nlohmann::json& document, int version);

}  // namespace patron::core
