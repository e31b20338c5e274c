#include "loyalty/core/segments.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "loyalty/core/document_reader.h"

namespace patron::core {
namespace {

constexpr std::size_t kSegmentCodeMax = 32;
constexpr std::size_t kSegmentNameMax = 100;

const std::vector<std::pair<std::string_view, ConsentCondition>> kConsentNames = {{"sms", ConsentCondition::kSms},
                                                                                  {"email", ConsentCondition::kEmail},
                                                                                  {"any", ConsentCondition::kAny},
                                                                                  {"none", ConsentCondition::kNone}};

bool valid_code(const std::string& code) {
    return !code.empty() && code.size() <= kSegmentCodeMax &&
           code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

std::optional<Bounds> read_bounds(Reader& parent, std::string_view key, std::initializer_list<std::string_view> known,
                                  std::optional<int>* days) {
    auto reader = parent.child(key, known);
    if (!reader) return std::nullopt;
    Bounds bounds{reader->integer("min", 0), reader->integer("max", 0)};
    if (bounds.min && bounds.max && *bounds.max < *bounds.min)
        reader->problem(reader->field("max"), "is below min");  // An amount or a count.
    if (days != nullptr) {
        const auto window = reader->integer("days", 1);
        if (!window && reader->find("days") == nullptr)
            reader->problem(reader->field("days"), "is required", reason(ReasonKind::kRequired));
        if (window && *window > kSegmentWindowDaysMax) {
            reader->problem(reader->field("days"), "must be at most " + std::to_string(kSegmentWindowDaysMax),
                            reason(ReasonKind::kRange, 1, kSegmentWindowDaysMax));
        }
        *days = window && *window <= kSegmentWindowDaysMax ? std::optional(static_cast<int>(*window)) : std::nullopt;
    }
    return bounds;
}

std::optional<WindowBounds> read_window(Reader& parent, std::string_view key) {
    std::optional<int> days;
    const auto bounds = read_bounds(parent, key, {"days", "min", "max"}, &days);
    if (!bounds || !days) return std::nullopt;
    return WindowBounds{*days, *bounds};
}

template <typename T>
std::vector<T> read_codes(Reader& reader, std::string_view key, std::optional<T> (*from_code)(std::string_view),
                          const char* what) {
    std::vector<T> values;
    const std::vector<std::string> names = reader.names(key);
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (const auto value = from_code(names[i])) {
            values.push_back(*value);
        } else {
            reader.problem(reader.field(key) + "[" + std::to_string(i) + "]", std::string("is not ") + what);
        }
    }
    return values;
}

void read_birthday(Reader& reader, SegmentConditions& conditions) {
    const json* month = reader.find("birthday_month");
    if (month == nullptr) return;
    if (month->is_string() && month->get_ref<const std::string&>() == "current") {
        conditions.birthday_this_month = true;
    } else if (month->is_number_integer() && month->get<std::int64_t>() >= 1 && month->get<std::int64_t>() <= 12) {
        conditions.birthday_month = static_cast<unsigned>(month->get<std::int64_t>());
    } else {
        reader.problem(reader.field("birthday_month"), "must be a month 1 to 12 or \"current\"",
                       reason(ReasonKind::kOneOf));
    }
}

void read_stores_visited(Reader& parent, SegmentConditions& conditions) {
    auto reader = parent.child("stores_visited", {"stores", "days"});
    if (!reader) return;
    StoresVisited visited{reader->names("stores"), 0};
    if (visited.stores.empty())
        reader->problem(reader->field("stores"), "must name at least one store", reason(ReasonKind::kRequired));
    const auto days = reader->integer("days", 1);
    if (!days && reader->find("days") == nullptr)
        reader->problem(reader->field("days"), "is required", reason(ReasonKind::kRequired));
    if (days && *days > kSegmentWindowDaysMax) {
        reader->problem(reader->field("days"), "must be at most " + std::to_string(kSegmentWindowDaysMax),
                        reason(ReasonKind::kRange, 1, kSegmentWindowDaysMax));
    }
    if (visited.stores.empty() || !days || *days > kSegmentWindowDaysMax) return;
    visited.days = static_cast<int>(*days);
    conditions.stores_visited = std::move(visited);
}

SegmentConditions read_conditions(Reader& reader) {
    SegmentConditions conditions;
    if (!reader.is_object({"tiers", "days_since_last_purchase", "spend", "visits", "birthday_month", "cities",
                           "marketing_consent", "stores_visited", "rfm_segments", "churn_bands", "added_by_trigger"})) {
        return conditions;
    }
    conditions.tiers = reader.names("tiers");
    conditions.days_since_last_purchase = read_bounds(reader, "days_since_last_purchase", {"min", "max"}, nullptr);
    conditions.spend = read_window(reader, "spend");
    conditions.visits = read_window(reader, "visits");
    read_birthday(reader, conditions);
    const std::vector<std::string> cities = reader.names("cities");
    for (std::size_t i = 0; i < cities.size(); ++i) {
        const std::string city = normalised_city(cities[i]);
        if (city.empty() || city.size() > kSegmentNameMax) {
            reader.problem(reader.field("cities") + "[" + std::to_string(i) + "]", "must be a city's name");
            continue;
        }
        conditions.cities.push_back(city);
    }
    if (const json* consent = reader.find("marketing_consent")) {
        conditions.marketing_consent = named(kConsentNames, *consent);
        if (!conditions.marketing_consent) {
            reader.problem(reader.field("marketing_consent"), "must be sms, email, any or none",
                           reason(ReasonKind::kOneOf));
        }
    }
    read_stores_visited(reader, conditions);
    conditions.rfm_segments = read_codes<RfmSegment>(reader, "rfm_segments", segment_from_code, "an RFM segment");
    conditions.churn_bands = read_codes<ChurnBand>(reader, "churn_bands", churn_band_from_code, "a churn band");
    if (const json* added = reader.find("added_by_trigger")) {
        if (!added->is_boolean())
            reader.problem(reader.field("added_by_trigger"), "must be true or false", reason(ReasonKind::kWrongType));
        conditions.added_by_trigger = added->is_boolean() && added->get<bool>();
    }
    return conditions;
}

bool listed_value(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool consents(ConsentCondition condition, const SegmentFacts& facts) {
    switch (condition) {
        case ConsentCondition::kSms:
            return facts.marketing_sms;
        case ConsentCondition::kEmail:
            return facts.marketing_email;
        case ConsentCondition::kAny:
            return facts.marketing_sms || facts.marketing_email;
        case ConsentCondition::kNone:
            return !facts.marketing_sms && !facts.marketing_email;
    }
    return false;
}

const WindowActivity& activity_in(const SegmentFacts& facts, int days) {
    static const WindowActivity kNothing;
    const auto it = facts.windows.find(days);
    return it == facts.windows.end() ? kNothing : it->second;
}

bool visited_any(const StoresVisited& visited, const SegmentFacts& facts) {
    for (const std::string& store : activity_in(facts, visited.days).stores) {
        if (listed_value(visited.stores, store)) return true;
    }
    return false;
}

bool birthday_holds(const SegmentConditions& conditions, const SegmentFacts& facts, unsigned current_month) {
    if (conditions.birthday_month && facts.birth_month != conditions.birthday_month) return false;
    return !conditions.birthday_this_month || facts.birth_month == current_month;
}

}  // namespace

bool SegmentConditions::needs_profile() const {
    return birthday_month.has_value() || birthday_this_month || !cities.empty();
}

std::vector<int> SegmentConditions::windows() const {
    std::vector<int> days;
    for (const auto& window : {spend, visits}) {
        if (window) days.push_back(window->days);
    }
    if (stores_visited) days.push_back(stores_visited->days);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
}

Result<SegmentDocument> decode_segment_document(const json& document, const std::optional<std::string>& path_code) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    SegmentDocument decoded;
    if (!reader.is_object({"code", "name", "conditions"})) return std::unexpected(all_problems(problems));
    SegmentDefinition& definition = decoded.definition;
    const json* code = reader.find("code");
    if (code == nullptr && path_code) {
        definition.code = *path_code;
    } else if (code == nullptr) {
        reader.problem("code", "is required", reason(ReasonKind::kRequired));
    } else if (!code->is_string() || !valid_code(code->get<std::string>())) {
        reader.problem("code", "must be 1 to 32 of a-z, 0-9, '_' and '-'",
                       reason(ReasonKind::kLowerCodeText, 1, static_cast<std::int64_t>(kSegmentCodeMax)));
    } else if (segment_from_code(code->get<std::string>())) {
        reader.problem("code", "is the name of an RFM segment, which a report already knows by it",
                       reason(ReasonKind::kDuplicate));
    } else if (path_code && code->get<std::string>() != *path_code) {
        reader.problem("code", "a segment's code does not change: create a new segment");
    } else {
        definition.code = code->get<std::string>();
    }
    const json* name = reader.find("name");
    if (name == nullptr) {
        reader.problem("name", "is required", reason(ReasonKind::kRequired));
    } else if (!name->is_string() || name->get_ref<const std::string&>().empty() ||
               name->get_ref<const std::string&>().size() > kSegmentNameMax) {
        reader.problem("name", "must be a string of 1 to 100 characters",
                       name->is_string() ? short_text(name->get_ref<const std::string&>().size(), 1, kSegmentNameMax)
                                         : reason(ReasonKind::kWrongType));
    } else {
        definition.name = name->get<std::string>();
    }
    const json* conditions = reader.find("conditions");
    if (conditions == nullptr) {
        reader.problem("conditions", "is required ({} for every member)", reason(ReasonKind::kRequired));
    } else {
        Reader conditions_reader(*conditions, "conditions", problems);
        definition.conditions = read_conditions(conditions_reader);
        decoded.conditions_text = conditions->dump();
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return decoded;
}

Result<SegmentConditions> decode_segment_preview(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    SegmentConditions conditions;
    if (reader.is_object({"code", "name", "conditions"})) {
        if (const json* written = reader.find("conditions")) {
            Reader conditions_reader(*written, "conditions", problems);
            conditions = read_conditions(conditions_reader);
        } else {
            reader.problem("conditions", "is required ({} for every member)", reason(ReasonKind::kRequired));
        }
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return conditions;
}

Result<SegmentConditions> parse_segment_conditions(std::string_view text) {
    const json document = json::parse(text, nullptr, false);
    std::vector<Error> problems;
    Reader reader(document, "conditions", problems);
    SegmentConditions conditions = read_conditions(reader);
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return conditions;
}

bool segment_contains(const SegmentConditions& conditions, const SegmentFacts& facts, unsigned current_month,
                      bool added) {
    if (conditions.added_by_trigger && !added) return false;
    if (!conditions.tiers.empty() && !listed_value(conditions.tiers, facts.tier)) return false;
    if (conditions.days_since_last_purchase &&
        (!facts.days_since_last_purchase ||
         !conditions.days_since_last_purchase->holds(*facts.days_since_last_purchase))) {
        return false;
    }
    if (conditions.spend && !conditions.spend->bounds.holds(activity_in(facts, conditions.spend->days).spend_minor)) {
        return false;
    }
    if (conditions.visits && !conditions.visits->bounds.holds(activity_in(facts, conditions.visits->days).visits)) {
        return false;
    }
    if (!birthday_holds(conditions, facts, current_month)) return false;
    if (!conditions.cities.empty() && (!facts.city || !listed_value(conditions.cities, *facts.city))) return false;
    if (conditions.marketing_consent && !consents(*conditions.marketing_consent, facts)) return false;
    if (conditions.stores_visited && !visited_any(*conditions.stores_visited, facts)) return false;
    if (!conditions.rfm_segments.empty() && std::find(conditions.rfm_segments.begin(), conditions.rfm_segments.end(),
                                                      facts.rfm_segment) == conditions.rfm_segments.end()) {
        return false;
    }
    return conditions.churn_bands.empty() || std::find(conditions.churn_bands.begin(), conditions.churn_bands.end(),
                                                       facts.churn_band) != conditions.churn_bands.end();
}

std::string normalised_city(std::string_view city) {
    const auto first = city.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = city.find_last_not_of(" \t\r\n");
    std::string text(city.substr(first, last - first + 1));
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

}  // namespace patron::core
