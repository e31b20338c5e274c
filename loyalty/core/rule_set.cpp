#include "loyalty/core/rule_set.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<std::string_view, Rounding>, 3> kRoundingNames = {{
    {"floor", Rounding::kFloor},
    {"nearest", Rounding::kNearest},
    {"ceil", Rounding::kCeil},
}};

class EarnRuleReader {
  public:
    EarnRuleReader(const json& rule, std::string path, std::vector<Error>& problems)
        : rule_(rule), path_(std::move(path)), problems_(problems) {}

    EarnRule read() {
        EarnRule earn{};
        if (!rule_.is_object()) {
            problem(path_, "an earn rule must be an object");
            return earn;
        }
        for (const auto& [key, value] : rule_.items()) {
            static constexpr std::array kKnown = {"id",         "name",     "points",
                                                  "per_amount", "rounding", "exclude_categories"};
            if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) problem(field(key), "unknown field");
        }
        earn.id = text("id", true);
        earn.name = text("name", false);
        if (earn.name.empty()) earn.name = earn.id;
        earn.points = integer("points", 0);
        earn.per_amount = integer("per_amount", 1);
        earn.rounding = rounding();
        earn.excluded_categories = categories();
        return earn;
    }

  private:
    std::string field(std::string_view key) const { return path_ + "." + std::string(key); }
    void problem(std::string path, std::string message) {
        problems_.push_back(Error{ErrorCode::kValidationFailed, std::move(message), std::move(path)});
    }

    std::string text(const char* key, bool required) {
        if (!rule_.contains(key)) {
            if (required) problem(field(key), "is required");
            return {};
        }
        const json& value = rule_.at(key);
        if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
            problem(field(key), "must be a non-empty string");
            return {};
        }
        return value.get<std::string>();
    }

    std::int64_t integer(const char* key, std::int64_t minimum) {
        if (!rule_.contains(key)) {
            problem(field(key), "is required");
            return minimum;
        }
        const json& value = rule_.at(key);
        if (!value.is_number_integer() || value.get<std::int64_t>() < minimum) {
            problem(field(key), "must be an integer of at least " + std::to_string(minimum));
            return minimum;
        }
        return value.get<std::int64_t>();
    }

    Rounding rounding() {
        if (!rule_.contains("rounding")) return Rounding::kFloor;
        const json& value = rule_.at("rounding");
        for (const auto& [name, mode] : kRoundingNames) {
            if (value.is_string() && value.get_ref<const std::string&>() == name) return mode;
        }
        problem(field("rounding"), "must be one of floor, nearest, ceil");
        return Rounding::kFloor;
    }

    std::vector<std::string> categories() {
        std::vector<std::string> names;
        if (!rule_.contains("exclude_categories")) return names;
        const json& value = rule_.at("exclude_categories");
        if (!value.is_array()) {
            problem(field("exclude_categories"), "must be an array of category names");
            return names;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!value[i].is_string()) {
                problem(field("exclude_categories") + "[" + std::to_string(i) + "]", "must be a string");
                continue;
            }
            names.push_back(value[i].get<std::string>());
        }
        return names;
    }

    const json& rule_;
    std::string path_;
    std::vector<Error>& problems_;
};

}  // namespace

std::expected<RuleSet, RuleSetProblems> parse_rule_set(const json& document, int version) {
    RuleSet rules{version, {}};
    std::vector<Error> problems;
    if (!document.is_object()) {
        problems.push_back(Error{ErrorCode::kValidationFailed, "a rule set must be an object", "$"});
        return std::unexpected(RuleSetProblems{std::move(problems)});
    }
    const json earn = document.value("earn", json::array());
    if (!earn.is_array()) {
        problems.push_back(Error{ErrorCode::kValidationFailed, "must be an array of earn rules", "earn"});
    } else {
        for (std::size_t i = 0; i < earn.size(); ++i) {
            rules.earn_rules.push_back(EarnRuleReader(earn[i], "earn[" + std::to_string(i) + "]", problems).read());
        }
    }
    if (!problems.empty()) return std::unexpected(RuleSetProblems{std::move(problems)});
    return rules;
}

}  // namespace patron::core
