// The published reward rules of a program, as marketers write them (a JSON document) and as
// the engine reads them. Parsing validates the whole document and reports every problem by
// JSON path, so that a rule set the engine runs is always well formed.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/points.h"

namespace patron::core {

// How a fractional number of points becomes a whole number.
enum class Rounding { kFloor, kNearest, kCeil };

// "points per per_amount minor units of the qualifying amount", e.g. 1 point per 10,000 IRR.
struct EarnRule {
    std::string id;
    std::string name;
    std::int64_t points;
    std::int64_t per_amount;
    Rounding rounding;
    std::vector<std::string> excluded_categories;  // Gift cards, tobacco: never earn.
};

struct RuleSet {
    int version;
    std::vector<EarnRule> earn_rules;
    PointsPolicy points = {};  // The program's policy at rating time (not part of the JSON document).
};

// Every problem found in a rule document, each with its JSON path.
struct RuleSetProblems {
    std::vector<Error> problems;
};

std::expected<RuleSet, RuleSetProblems> parse_rule_set(const nlohmann::json& document, int version);

}  // namespace patron::core
