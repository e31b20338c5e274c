#include "loyalty/core/rule_set.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
// Bounds that keep every intermediate of the engine's exact arithmetic inside 128 bits, even for
// a basket of 1,000 lines of 10^18 minor units: multipliers up to x100, points up to 100,000.
constexpr std::int64_t kPercentMax = 10'000;
constexpr std::int64_t kRulePointsMax = 100'000;

template <typename T>
std::optional<T> named(const std::vector<std::pair<std::string_view, T>>& names, const json& value) {
    if (!value.is_string()) return std::nullopt;
    for (const auto& [name, item] : names) {
        if (value.get_ref<const std::string&>() == name) return item;
    }
    return std::nullopt;
}

// Reads one JSON object of the document, collecting every problem under its full path.
class Reader {
  public:
    Reader(const json& object, std::string path, std::vector<Error>& problems)
        : object_(object), path_(std::move(path)), problems_(problems) {}

    bool is_object(std::initializer_list<std::string_view> known) {
        if (!object_.is_object()) {
            problem(path_, "must be an object");
            return false;
        }
        for (const auto& [key, value] : object_.items()) {
            if (std::find(known.begin(), known.end(), key) == known.end()) problem(field(key), "unknown field");
        }
        return true;
    }

    std::string field(std::string_view key) const { return path_ + "." + std::string(key); }
    const json* find(std::string_view key) const {
        const auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }
    void problem(std::string path, std::string message) {
        problems_.push_back(Error{ErrorCode::kValidationFailed, std::move(message), std::move(path)});
    }
    std::vector<Error>& problems() { return problems_; }

    std::string text(std::string_view key, bool required) {
        const json* value = find(key);
        if (value == nullptr) {
            if (required) problem(field(key), "is required");
            return {};
        }
        if (!value->is_string() || value->get_ref<const std::string&>().empty() ||
            value->get_ref<const std::string&>().size() > 64) {
            problem(field(key), "must be a string of 1 to 64 characters");
            return {};
        }
        return value->get<std::string>();
    }

    std::optional<std::int64_t> integer(std::string_view key, std::int64_t minimum) {
        const json* value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_number_integer() || (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX) ||
            value->get<std::int64_t>() < minimum) {
            problem(field(key), "must be a whole number of at least " + std::to_string(minimum));
            return std::nullopt;
        }
        return value->get<std::int64_t>();
    }

    bool flag(std::string_view key) {
        const json* value = find(key);
        if (value == nullptr) return false;
        if (!value->is_boolean()) problem(field(key), "must be true or false");
        return value->is_boolean() && value->get<bool>();
    }

    std::vector<std::string> names(std::string_view key) {
        std::vector<std::string> list;
        const json* value = find(key);
        if (value == nullptr) return list;
        if (!value->is_array()) {
            problem(field(key), "must be an array of strings");
            return list;
        }
        for (std::size_t i = 0; i < value->size(); ++i) {
            if (!(*value)[i].is_string()) {
                problem(field(key) + "[" + std::to_string(i) + "]", "must be a string");
                continue;
            }
            list.push_back((*value)[i].get<std::string>());
        }
        return list;
    }

    // A multiplier such as 2 or 1.5 as a whole percentage (200, 150); at most 2 decimals.
    std::map<std::string, std::int64_t> percents(std::string_view key) {
        std::map<std::string, std::int64_t> map;
        const json* value = find(key);
        if (value == nullptr) return map;
        if (!value->is_object()) {
            problem(field(key), "must map names to multipliers");
            return map;
        }
        for (const auto& [name, x] : value->items()) {
            const std::string path = field(key) + "." + name;
            if (!x.is_number() || x.get<double>() <= 0 || x.get<double>() * 100 > kPercentMax) {
                problem(path, "must be a multiplier above 0 and at most 100");
                continue;
            }
            const double hundredths = x.get<double>() * 100;
            if (std::fabs(hundredths - std::round(hundredths)) > 1e-6) {
                problem(path, "may have at most 2 decimals");
                continue;
            }
            map[name] = static_cast<std::int64_t>(std::round(hundredths));
        }
        return map;
    }

    // The nested object at `key` as a reader of its own; nullopt when absent or not an object.
    std::optional<Reader> child(std::string_view key, std::initializer_list<std::string_view> known) {
        const json* value = find(key);
        if (value == nullptr) return std::nullopt;
        Reader reader(*value, field(key), problems_);
        if (!reader.is_object(known)) return std::nullopt;
        return reader;
    }

    std::optional<Timestamp> instant(std::string_view key);
    std::optional<int> minute_of_day(std::string_view key);

    const json& object() const { return object_; }
    const std::string& path() const { return path_; }

  private:
    const json& object_;
    std::string path_;
    std::vector<Error>& problems_;
};

bool two_digits(std::string_view text, std::size_t at, int& out) {
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + 2, out);
    return error == std::errc() && end == text.data() + at + 2;
}

std::optional<Timestamp> Reader::instant(std::string_view key) {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    // "YYYY-MM-DDTHH:MM:SSZ" or with an offset "+03:30".
    const std::string text = value->is_string() ? value->get<std::string>() : "";
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offset_hours = 0, offset_minutes = 0;
    const bool shaped =
        text.size() >= 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':';
    const auto [end, error] = std::from_chars(text.data(), text.data() + std::min<std::size_t>(4, text.size()), year);
    const bool parsed = shaped && error == std::errc() && end == text.data() + 4 && two_digits(text, 5, month) &&
                        two_digits(text, 8, day) && two_digits(text, 11, hour) && two_digits(text, 14, minute) &&
                        two_digits(text, 17, second);
    const std::string zone = parsed ? text.substr(19) : "";
    const bool zoned = zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
                                       two_digits(zone, 1, offset_hours) && two_digits(zone, 4, offset_minutes));
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!parsed || !zoned || !date.ok() || hour > 23 || minute > 59 || second > 59) {
        problem(field(key), "must be an RFC 3339 time such as 2026-12-01T00:00:00+03:30");
        return std::nullopt;
    }
    const int offset = (zone[0] == '-' ? -1 : 1) * (offset_hours * 60 + offset_minutes);
    return std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute - offset} +
           std::chrono::seconds{second};
}

std::optional<int> Reader::minute_of_day(std::string_view key) {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    const std::string text = value->is_string() ? value->get<std::string>() : "";
    int hour = 0, minute = 0;
    if (text.size() != 5 || text[2] != ':' || !two_digits(text, 0, hour) || !two_digits(text, 3, minute) || hour > 24 ||
        minute > 59 || (hour == 24 && minute != 0)) {
        problem(field(key), "must be a time of day HH:MM (24:00 for midnight at the end)");
        return std::nullopt;
    }
    return hour * 60 + minute;
}

Schedule read_schedule(Reader& rule) {
    Schedule schedule;
    auto reader = rule.child("schedule", {"days", "from", "until"});
    if (!reader) return schedule;
    if (reader->find("days") != nullptr) {
        schedule.days.fill(false);
        const std::vector<std::string> days = reader->names("days");
        for (std::size_t i = 0; i < days.size(); ++i) {
            const auto* day = std::find(kDayNames.begin(), kDayNames.end(), days[i]);
            if (day == kDayNames.end()) {
                reader->problem(reader->field("days") + "[" + std::to_string(i) + "]", "must be one of mon..sun");
                continue;
            }
            schedule.days[static_cast<std::size_t>(day - kDayNames.begin())] = true;
        }
    }
    schedule.from_minute = reader->minute_of_day("from").value_or(0);
    schedule.until_minute = reader->minute_of_day("until").value_or(24 * 60);
    if (schedule.from_minute >= schedule.until_minute) reader->problem(reader->field("until"), "must be after from");
    return schedule;
}

Scope read_scope(Reader& rule) {
    Scope scope;
    auto reader = rule.child("scope", {"stores", "tiers", "birthday_month", "first_purchase"});
    if (!reader) return scope;
    scope.stores = reader->names("stores");
    scope.tiers = reader->names("tiers");
    scope.birthday_month = reader->flag("birthday_month");
    scope.first_purchase = reader->flag("first_purchase");
    return scope;
}

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
    auto reader = rule.child("multipliers", {"categories", "skus", "tiers"});
    if (!reader) return;
    out.category_percent = reader->percents("categories");
    out.sku_percent = reader->percents("skus");
    out.tier_percent = reader->percents("tiers");
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
        if (!parsed) reader.problem(reader.field("rounding"), "must be one of floor, nearest, ceil");
        defaults.rounding = parsed.value_or(Rounding::kFloor);
    }
    if (const json* scope = reader.find("rounding_scope")) {
        const auto parsed =
            named<RoundingScope>({{"purchase", RoundingScope::kPurchase}, {"line", RoundingScope::kLine}}, *scope);
        if (!parsed) reader.problem(reader.field("rounding_scope"), "must be purchase or line");
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
                           "conditions", "points", "per_amount", "rounding", "rounding_scope", "multipliers",
                           "limits"})) {
        return rule;
    }
    rule.id = reader.text("id", true);
    rule.name = reader.text("name", false);
    if (rule.name.empty()) rule.name = rule.id;
    if (const json* kind = reader.find("kind")) {
        const auto parsed = named<RuleKind>({{"earn", RuleKind::kEarn}, {"bonus", RuleKind::kBonus}}, *kind);
        if (!parsed) reader.problem(reader.field("kind"), "must be earn or bonus");
        rule.kind = parsed.value_or(RuleKind::kEarn);
    }
    rule.priority = static_cast<int>(reader.integer("priority", -1000).value_or(0));
    if (reader.find("group") != nullptr) rule.group = reader.text("group", false);
    rule.valid_from = reader.instant("valid_from");
    rule.valid_until = reader.instant("valid_until");
    if (rule.valid_from && rule.valid_until && *rule.valid_until <= *rule.valid_from) {
        reader.problem(reader.field("valid_until"), "must be after valid_from");
    }
    rule.schedule = read_schedule(reader);
    rule.scope = read_scope(reader);
    rule.conditions = read_conditions(reader);
    const auto points = reader.integer("points", 0);
    if (!points && reader.find("points") == nullptr) reader.problem(reader.field("points"), "is required");
    if (points && *points > kRulePointsMax) reader.problem(reader.field("points"), "must be at most 100000");
    rule.points = points.value_or(0);
    rule.per_amount = reader.integer("per_amount", 1).value_or(1);
    if (rule.kind == RuleKind::kEarn && reader.find("per_amount") == nullptr) {
        reader.problem(reader.field("per_amount"), "is required for an earn rule");
    }
    if (const json* rounding = reader.find("rounding")) {
        const auto parsed = named<Rounding>(
            {{"floor", Rounding::kFloor}, {"nearest", Rounding::kNearest}, {"ceil", Rounding::kCeil}}, *rounding);
        if (!parsed) reader.problem(reader.field("rounding"), "must be one of floor, nearest, ceil");
        rule.rounding = parsed.value_or(defaults.rounding);
    }
    if (const json* scope = reader.find("rounding_scope")) {
        const auto parsed =
            named<RoundingScope>({{"purchase", RoundingScope::kPurchase}, {"line", RoundingScope::kLine}}, *scope);
        if (!parsed) reader.problem(reader.field("rounding_scope"), "must be purchase or line");
        rule.rounding_scope = parsed.value_or(defaults.scope);
    }
    read_multipliers(reader, rule);
    rule.limits = read_limits(reader);
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
        if (!parsed) problems.push_back(Error{ErrorCode::kValidationFailed, "must be best or first", "groups." + name});
        groups[name] = parsed.value_or(GroupMode::kBest);
    }
    return groups;
}

}  // namespace

std::expected<RuleSet, RuleSetProblems> parse_rule_set(const json& document, int version) {
    RuleSet rules;
    rules.version = version;
    std::vector<Error> problems;
    if (!document.is_object()) {
        problems.push_back(Error{ErrorCode::kValidationFailed, "a rule set must be an object", "$"});
        return std::unexpected(RuleSetProblems{std::move(problems)});
    }
    for (const auto& [key, value] : document.items()) {
        if (key != "rules" && key != "groups" && key != "defaults") {
            problems.push_back(Error{ErrorCode::kValidationFailed, "unknown field", key});
        }
    }
    const RoundingDefaults defaults = read_defaults(document, problems);
    const json list = document.value("rules", json::array());
    if (!list.is_array()) {
        problems.push_back(Error{ErrorCode::kValidationFailed, "must be an array of rules", "rules"});
    } else {
        std::set<std::string> ids;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string path = "rules[" + std::to_string(i) + "]";
            Rule rule = read_rule(list[i], path, problems, defaults);
            if (!rule.id.empty() && !ids.insert(rule.id).second) {
                problems.push_back(Error{ErrorCode::kValidationFailed, "another rule has this id", path + ".id"});
            }
            rules.rules.push_back(std::move(rule));
        }
    }
    rules.groups = read_groups(document, problems);
    if (!problems.empty()) return std::unexpected(RuleSetProblems{std::move(problems)});
    rules.compiled = compile_rules(rules);
    return rules;
}

}  // namespace patron::core
