#include "loyalty/core/document_reader.h"

#include <charconv>

#include "loyalty/core/receipt_text.h"
#include "loyalty/core/utf8.h"

namespace patron::core {
namespace {

bool two_digits(std::string_view text, std::size_t at, int& out) {
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + 2, out);
    return error == std::errc() && end == text.data() + at + 2;
}

}  // namespace

std::string Reader::words(std::string_view key, std::size_t longest, bool required) {
    const json* value = find(key);
    if (value == nullptr) {
        if (required) this->required(key);
        return {};
    }
    const bool text = value->is_string() && is_valid_utf8(value->get_ref<const std::string&>());
    if (!text || code_points(value->get_ref<const std::string&>()) > longest ||
        (required && value->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)) {
        const auto most = static_cast<std::int64_t>(longest);
        problem(field(key),
                required ? "must be a text of 1 to " + std::to_string(longest) + " characters"
                         : "must be a text of at most " + std::to_string(longest) + " characters",
                text ? reason(ReasonKind::kTextLength, required ? std::optional<std::int64_t>(1) : std::nullopt, most)
                     : reason(ReasonKind::kWrongType));
        return {};
    }
    return value->get<std::string>();
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
        problem(field(key), "must be an RFC 3339 time such as 2026-12-01T00:00:00+03:30", reason(ReasonKind::kInstant));
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
        problem(field(key), "must be a time of day HH:MM (24:00 for midnight at the end)",
                reason(ReasonKind::kTimeOfDay));
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
                reader->problem(reader->field("days") + "[" + std::to_string(i) + "]", "must be one of mon..sun",
                                reason(ReasonKind::kOneOf));
                continue;
            }
            schedule.days[static_cast<std::size_t>(day - kDayNames.begin())] = true;
        }
    }
    schedule.from_minute = reader->minute_of_day("from").value_or(0);
    schedule.until_minute = reader->minute_of_day("until").value_or(24 * 60);
    if (schedule.from_minute >= schedule.until_minute)
        reader->problem(reader->field("until"), "must be after from", reason(ReasonKind::kAfterStart));
    return schedule;
}

namespace {

// A scope's "tenure": {"min_years": N, "max_years": M}, at least one of them.
std::optional<TenureRange> read_tenure_range(Reader& scope) {
    auto reader = scope.child("tenure", {"min_years", "max_years"});
    if (!reader) return std::nullopt;
    const auto years = [&](std::string_view key) -> std::optional<int> {
        const auto value = reader->integer(key, 0);
        if (value && *value > kTenureYearsMax) {
            reader->problem(reader->field(key), "must be at most 100", reason(ReasonKind::kRange, 0, kTenureYearsMax));
            return std::nullopt;
        }
        return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
    };
    const bool named = reader->find("min_years") != nullptr || reader->find("max_years") != nullptr;
    TenureRange range{years("min_years").value_or(0), years("max_years")};
    if (!named) reader->problem(scope.field("tenure"), "must name min_years, max_years or both");
    if (range.max_years && *range.max_years < range.min_years) {
        reader->problem(reader->field("max_years"), "must be at least min_years",
                        reason(ReasonKind::kRange, range.min_years));
    }
    return range;
}

}  // namespace

Scope read_scope(Reader& rule) {
    Scope scope;
    auto reader = rule.child("scope", {"stores", "tiers", "birthday_month", "first_purchase", "segments", "tenure"});
    if (!reader) return scope;
    scope.stores = reader->names("stores");
    scope.tiers = reader->names("tiers");
    scope.birthday_month = reader->flag("birthday_month");
    scope.first_purchase = reader->flag("first_purchase");
    scope.segments = reader->names("segments");
    scope.tenure = read_tenure_range(*reader);
    return scope;
}

std::optional<Holdout> read_holdout(Reader& document) {
    auto reader = document.child("holdout", {"percent"});
    if (!reader) return std::nullopt;
    const json* percent = reader->find("percent");
    if (percent == nullptr || !percent->is_number_integer() || percent->get<std::int64_t>() < 1 ||
        percent->get<std::int64_t>() > kHoldoutPercentMax) {
        reader->problem(reader->field("percent"), "must be a whole percent from 1 to 50",
                        reason(ReasonKind::kRange, 1, kHoldoutPercentMax));
        return std::nullopt;
    }
    return Holdout{percent->get<std::int64_t>()};
}

}  // namespace patron::core
