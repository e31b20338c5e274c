// Reading the JSON documents marketers write (rule sets, coupon campaigns): a Reader walks one
// object and collects every problem under its full JSON path instead of stopping at the first,
// so an editor can show them all at once. Shared pieces (schedules, scopes) read the same way
// wherever they appear.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/time.h"

namespace patron::core {

inline constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
// Multipliers up to x100, in percent.
inline constexpr std::int64_t kPercentMax = 10'000;
inline constexpr std::int64_t kPercentWhole = 100;  // x1.

using nlohmann::json;

template <typename T>
std::optional<T> named(const std::vector<std::pair<std::string_view, T>>& names, const json& value) {
    if (!value.is_string()) return std::nullopt;
    for (const auto& [name, item] : names) {
        if (value.get_ref<const std::string&>() == name) return item;
    }
    return std::nullopt;
}

// Reads one JSON object of the document, collecting every problem under its full path. Paths run
// from the document's root without a prefix ("name", "limits.budget", "rules[0].points"), as every
// document's do; the root itself (path "") is "$" where it is at fault as a whole.
class Reader {
  public:
    Reader(const json& object, std::string path, std::vector<Error>& problems)
        : object_(object), path_(std::move(path)), problems_(problems) {}

    bool is_object(std::initializer_list<std::string_view> known) {
        if (!object_.is_object()) {
            problem(path_.empty() ? "$" : path_, "must be an object", reason(ReasonKind::kWrongType));
            return false;
        }
        for (const auto& [key, value] : object_.items()) {
            if (std::find(known.begin(), known.end(), key) == known.end())
                problem(field(key), "unknown field", reason(ReasonKind::kUnknownField));
        }
        return true;
    }

    std::string field(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }
    const json* find(std::string_view key) const {
        const auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }
    void problem(std::string path, std::string message, Reason why = {}) {
        problems_.push_back(Error{ErrorCode::kValidationFailed, std::move(message), std::move(path), {}, {}, why});
    }
    // The field at `key` is missing.
    void required(std::string_view key) { problem(field(key), "is required", reason(ReasonKind::kRequired)); }
    std::vector<Error>& problems() { return problems_; }

    std::string text(std::string_view key, bool required) {
        const json* value = find(key);
        if (value == nullptr) {
            if (required) this->required(key);
            return {};
        }
        if (!value->is_string() || value->get_ref<const std::string&>().empty() ||
            value->get_ref<const std::string&>().size() > 64) {
            problem(field(key), "must be a string of 1 to 64 characters",
                    value->is_string() ? short_text(value->get_ref<const std::string&>().size(), 1, 64)
                                       : reason(ReasonKind::kWrongType));
            return {};
        }
        return value->get<std::string>();
    }

    // Text people read (a name, a description, a message): valid UTF-8 of at most `longest`
    // characters (code points); when required, present and not only spaces.
    std::string words(std::string_view key, std::size_t longest, bool required);

    std::optional<std::int64_t> integer(std::string_view key, std::int64_t minimum) {
        const json* value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_number_integer() || (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX) ||
            value->get<std::int64_t>() < minimum) {
            problem(field(key), "must be a whole number of at least " + std::to_string(minimum),
                    reason(ReasonKind::kRange, minimum));
            return std::nullopt;
        }
        return value->get<std::int64_t>();
    }

    bool flag(std::string_view key) {
        const json* value = find(key);
        if (value == nullptr) return false;
        if (!value->is_boolean()) problem(field(key), "must be true or false", reason(ReasonKind::kWrongType));
        return value->is_boolean() && value->get<bool>();
    }

    std::vector<std::string> names(std::string_view key) {
        std::vector<std::string> list;
        const json* value = find(key);
        if (value == nullptr) return list;
        if (!value->is_array()) {
            problem(field(key), "must be an array of strings", reason(ReasonKind::kWrongType));
            return list;
        }
        for (std::size_t i = 0; i < value->size(); ++i) {
            if (!(*value)[i].is_string()) {
                problem(field(key) + "[" + std::to_string(i) + "]", "must be a string", reason(ReasonKind::kWrongType));
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
            problem(field(key), "must map names to multipliers", reason(ReasonKind::kWrongType));
            return map;
        }
        for (const auto& [name, x] : value->items()) {
            const std::string path = field(key) + "." + name;
            if (!x.is_number() || x.get<double>() <= 0 || x.get<double>() * 100 > kPercentMax) {
                problem(path, "must be a multiplier above 0 and at most 100", reason(ReasonKind::kMultiplier, {}, 100));
                continue;
            }
            const double hundredths = x.get<double>() * 100;
            // A value within the tolerance of 0 hundredths (1e-9) has more than 2 decimals too: not x0.
            if (std::fabs(hundredths - std::round(hundredths)) > 1e-6 || std::round(hundredths) < 1) {
                problem(path, "may have at most 2 decimals", reason(ReasonKind::kMultiplier, {}, 100));
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
    // valid_from and valid_until, the second after the first.
    void validity(std::optional<Timestamp>& from, std::optional<Timestamp>& until) {
        from = instant("valid_from");
        until = instant("valid_until");
        if (from && until && *until <= *from) {
            problem(field("valid_until"), "must be after valid_from", reason(ReasonKind::kAfterStart));
        }
    }
    std::optional<int> minute_of_day(std::string_view key);

    const json& object() const { return object_; }
    const std::string& path() const { return path_; }

  private:
    const json& object_;
    std::string path_;
    std::vector<Error>& problems_;
};

// A list of the document ("cashback", "stamp_cards"), each entry read by `read_one` under its path.
template <typename T>
std::vector<T> read_list(const json& list, const std::string& name, std::vector<Error>& problems,
                         T (*read_one)(const json&, std::string, std::vector<Error>&)) {
    std::vector<T> entries;
    if (!list.is_array()) {
        problems.push_back(
            Error{ErrorCode::kValidationFailed, "must be an array", name, {}, {}, reason(ReasonKind::kWrongType)});
        return entries;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        entries.push_back(read_one(list[i], name + "[" + std::to_string(i) + "]", problems));
    }
    return entries;
}

// The item a name table gives a JSON string (spelt exactly); nullopt for anything else.
template <typename T, std::size_t N>
std::optional<T> lookup(const std::array<std::pair<T, std::string_view>, N>& table, const json* value) {
    if (value == nullptr || !value->is_string()) return std::nullopt;
    for (const auto& [item, name] : table) {
        if (name == value->get_ref<const std::string&>()) return item;
    }
    return std::nullopt;
}

// The name a name table gives an item (the first entry's for an item it lacks).
template <typename T, std::size_t N>
std::string_view name_of(const std::array<std::pair<T, std::string_view>, N>& table, T item) {
    for (const auto& [candidate, name] : table) {
        if (candidate == item) return name;
    }
    return table.front().second;
}

// A whole number in [minimum, maximum] at `key` (required): 0, with the problem, otherwise. An
// amount of money (minor units, which pages show in major ones) is refused without the bounds as
// a reason: they are in the message only.
inline std::int64_t bounded(Reader& reader, std::string_view key, std::int64_t minimum, std::int64_t maximum,
                            bool money = false) {
    const json* value = reader.find(key);
    if (value == nullptr) {
        reader.required(key);
        return 0;
    }
    if (!value->is_number_integer() || (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX) ||
        value->get<std::int64_t>() < minimum || value->get<std::int64_t>() > maximum) {
        reader.problem(reader.field(key),
                       "must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum),
                       money ? Reason{} : reason(ReasonKind::kRange, minimum, maximum));
        return 0;
    }
    return value->get<std::int64_t>();
}

Schedule read_schedule(Reader& document);
Scope read_scope(Reader& document);
// {"holdout": {"percent": 1..50}}: nullopt when absent (or wrong, with the problem by its path).
std::optional<Holdout> read_holdout(Reader& document);

}  // namespace patron::core
