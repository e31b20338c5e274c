#include "loyalty/core/tiers.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::int64_t kThresholdMax = 1'000'000'000'000'000;
constexpr int kTiersMax = 20;

void problem(std::vector<Error>& problems, std::string path, std::string message, Reason why = {}) {
    problems.push_back(Error{ErrorCode::kValidationFailed, std::move(message), std::move(path), {}, {}, why});
}

template <typename Enum>
std::optional<Enum> named(const json& value, std::initializer_list<std::pair<const char*, Enum>> names) {
    if (!value.is_string()) return std::nullopt;
    for (const auto& [name, parsed] : names) {
        if (value.get_ref<const std::string&>() == name) return parsed;
    }
    return std::nullopt;
}

// The first instant of the local year `years` after the one `date` falls in.
Timestamp year_start(const TimeZone& zone, LocalDate date, int years) {
    return zone.day_start((date.year() + std::chrono::years{years}) / std::chrono::January / 1);
}

}  // namespace

int TierPolicy::index_of(const std::string& name) const {
    for (std::size_t i = 0; i < tiers.size(); ++i) {
        if (tiers[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

int TierPolicy::qualified_index(std::int64_t value) const {
    int index = tiers.empty() ? -1 : 0;
    for (std::size_t i = 1; i < tiers.size(); ++i) {
        if (value >= tiers[i].threshold) index = static_cast<int>(i);
    }
    return index;
}

std::string_view measure_name(TierMeasure measure) {
    switch (measure) {
        case TierMeasure::kPoints:
            return "points";
        case TierMeasure::kAmount:
            return "amount";
        case TierMeasure::kVisits:
            return "visits";
    }
    return "points";
}

std::expected<TierPolicy, std::vector<Error>> parse_tier_policy(const json& document, int version) {
    std::vector<Error> problems;
    TierPolicy policy;
    policy.version = version;
    if (!document.is_object()) {
        problem(problems, "$", "a tier policy must be an object");
        return std::unexpected(problems);
    }
    for (const auto& [key, value] : document.items()) {
        if (key != "measure" && key != "window" && key != "downgrade" && key != "grace_days" && key != "tiers") {
            problem(problems, key, "unknown field", reason(ReasonKind::kUnknownField));
        }
    }
    if (const auto measure = named<TierMeasure>(
            document.value("measure", json("points")),
            {{"points", TierMeasure::kPoints}, {"amount", TierMeasure::kAmount}, {"visits", TierMeasure::kVisits}})) {
        policy.measure = *measure;
    } else {
        problem(problems, "measure", "must be points, amount or visits", reason(ReasonKind::kOneOf));
    }
    const json window = document.value("window", json{{"kind", "rolling"}, {"months", 12}});
    if (!window.is_object()) {
        problem(problems, "window", "must be {\"kind\": \"rolling\", \"months\": N} or {\"kind\": \"calendar_year\"}");
    } else if (const auto kind = named<TierWindow>(
                   window.value("kind", json("rolling")),
                   {{"rolling", TierWindow::kRolling}, {"calendar_year", TierWindow::kCalendarYear}})) {
        policy.window = *kind;
        const json months = window.value("months", json(12));
        if (*kind == TierWindow::kRolling &&
            (!months.is_number_integer() || months.get<long long>() < 1 || months.get<long long>() > 60)) {
            problem(problems, "window.months", "must be a whole number of months from 1 to 60",
                    reason(ReasonKind::kRange, 1, 60));
        } else if (*kind == TierWindow::kRolling) {
            policy.window_months = months.get<int>();
        }
    } else {
        problem(problems, "window.kind", "must be rolling or calendar_year", reason(ReasonKind::kOneOf));
    }
    if (const auto downgrade = named<DowngradeMode>(
            document.value("downgrade", json("one_step")),
            {{"one_step", DowngradeMode::kOneStep}, {"to_qualified", DowngradeMode::kToQualified}})) {
        policy.downgrade = *downgrade;
    } else {
        problem(problems, "downgrade", "must be one_step or to_qualified", reason(ReasonKind::kOneOf));
    }
    const json grace = document.value("grace_days", json(0));
    if (!grace.is_number_integer() || grace.get<long long>() < 0 || grace.get<long long>() > 366) {
        problem(problems, "grace_days", "must be a whole number of days from 0 to 366",
                reason(ReasonKind::kRange, 0, 366));
    } else {
        policy.grace = std::chrono::days(grace.get<int>());
    }
    const auto tiers = document.find("tiers");
    if (tiers == document.end() || !tiers->is_array() || tiers->empty() ||
        tiers->size() > static_cast<std::size_t>(kTiersMax)) {
        problem(problems, "tiers", "must list 1 to 20 tiers, lowest first", reason(ReasonKind::kCount, 1, kTiersMax));
        return std::unexpected(problems);
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < tiers->size(); ++i) {
        const json& tier = (*tiers)[i];
        const std::string path = "tiers[" + std::to_string(i) + "]";
        if (!tier.is_object()) {
            problem(problems, path, "must be an object with name and threshold");
            continue;
        }
        Tier parsed;
        const json name = tier.value("name", json());
        if (!name.is_string() || name.get_ref<const std::string&>().empty() ||
            name.get_ref<const std::string&>().size() > 64) {
            problem(problems, path + ".name", "must be a name of 1 to 64 characters",
                    name.is_string() ? short_text(name.get_ref<const std::string&>().size(), 1, 64)
                                     : reason(ReasonKind::kWrongType));
        } else {
            parsed.name = name.get<std::string>();
            if (!names.insert(parsed.name).second)
                problem(problems, path + ".name", "another tier has this name", reason(ReasonKind::kDuplicate));
        }
        const json threshold = tier.value("threshold", json());
        if (!threshold.is_number_integer() || threshold.get<long long>() < 0 ||
            threshold.get<long long>() > kThresholdMax) {
            // The least only: a threshold may be an amount (minor units), which pages show in major ones.
            problem(problems, path + ".threshold", "must be a whole number from 0", reason(ReasonKind::kRange, 0));
        } else {
            parsed.threshold = threshold.get<std::int64_t>();
            if (i == 0 && parsed.threshold != 0) {
                problem(problems, path + ".threshold", "the first (base) tier's threshold must be 0",
                        reason(ReasonKind::kRange, 0, 0));
            }
            if (i > 0 && !policy.tiers.empty() && parsed.threshold <= policy.tiers.back().threshold) {
                problem(problems, path + ".threshold", "must be higher than the tier below's",
                        reason(ReasonKind::kAboveLower));
            }
        }
        for (const auto& [key, value] : tier.items()) {
            if (key != "name" && key != "threshold")
                problem(problems, path + "." + key, "unknown field", reason(ReasonKind::kUnknownField));
        }
        policy.tiers.push_back(std::move(parsed));
    }
    if (!problems.empty()) return std::unexpected(problems);
    return policy;
}

json tier_policy_document(const TierPolicy& policy) {
    json tiers = json::array();
    for (const Tier& tier : policy.tiers) tiers.push_back({{"name", tier.name}, {"threshold", tier.threshold}});
    json window = policy.window == TierWindow::kRolling ? json{{"kind", "rolling"}, {"months", policy.window_months}}
                                                        : json{{"kind", "calendar_year"}};
    return {{"measure", measure_name(policy.measure)},
            {"window", window},
            {"downgrade", policy.downgrade == DowngradeMode::kOneStep ? "one_step" : "to_qualified"},
            {"grace_days", policy.grace.count()},
            {"tiers", tiers}};
}

Result<TierPolicy> decode_tier_policy(const json& document) {
    auto policy = parse_tier_policy(document, 0);
    if (!policy) return std::unexpected(all_problems(policy.error()));
    return std::move(*policy);
}

std::string tier_policy_text(const TierPolicy& policy) { return tier_policy_document(policy).dump(); }

std::optional<TierPolicy> read_stored_tier_policy(std::string_view text, int version) {
    auto policy = parse_tier_policy(json::parse(text.begin(), text.end(), nullptr, false), version);
    if (!policy) return std::nullopt;
    return std::move(*policy);
}

Period measuring_window(const TierPolicy& policy, Timestamp end, const TimeZone& zone) {
    const LocalDate last = last_local_date(zone, end);
    if (policy.window == TierWindow::kCalendarYear) return Period{year_start(zone, last, 0), end};
    return Period{zone.day_start(add_months(add_days(last, 1), -policy.window_months)), end};
}

Timestamp secured_until(const TierPolicy& policy, Timestamp at, const TimeZone& zone) {
    if (policy.window == TierWindow::kCalendarYear) return year_start(zone, local_date(zone, at), 2);
    return day_end(zone, add_months(last_local_date(zone, at), policy.window_months));
}

Period review_window(const TierPolicy& policy, Timestamp period_end, const TimeZone& zone) {
    return measuring_window(policy, period_end, zone);
}

TierDecision review_tier(const TierPolicy& policy, const std::string& current, std::int64_t value, Timestamp period_end,
                         Timestamp now, const TimeZone& zone) {
    const int held = std::max(policy.index_of(current), 0);
    const int qualified = policy.qualified_index(value);
    int kept = held;
    if (qualified < held) kept = policy.downgrade == DowngradeMode::kOneStep ? held - 1 : qualified;
    if (qualified > held) kept = qualified;
    // The next period starts where this one ended (or now, if the review ran late beyond a period).
    Timestamp next = secured_until(policy, period_end, zone);
    if (next <= now) next = secured_until(policy, now, zone);
    return TierDecision{policy.tiers[static_cast<std::size_t>(kept)].name, next,
                        policy.tiers[static_cast<std::size_t>(kept)].name != current};
}

std::optional<Timestamp> tier_warning_at(Timestamp secured_until, Timestamp now) {
    if (secured_until - now < std::chrono::days(3)) return std::nullopt;
    return std::max(secured_until - kTierWarningNotice, now);
}

std::optional<TierAtRisk> tier_at_risk(const TierPolicy& policy, const std::string& current, std::int64_t value) {
    const int held = policy.index_of(current);
    if (held <= 0) return std::nullopt;
    const int qualified = policy.qualified_index(value);
    if (qualified >= held) return std::nullopt;
    const int kept = policy.downgrade == DowngradeMode::kOneStep ? held - 1 : qualified;
    return TierAtRisk{current, policy.tiers[static_cast<std::size_t>(kept)].name,
                      policy.tiers[static_cast<std::size_t>(held)].threshold - value};
}

TierProgress tier_progress(const TierPolicy& policy, const std::string& current, std::optional<Timestamp> secured,
                           std::int64_t value, std::optional<Timestamp> oldest_activity, Timestamp now,
                           const TimeZone& zone) {
    TierProgress progress;
    progress.tier = current;
    progress.secured_until = secured;
    progress.value = value;
    const int held = policy.index_of(current);
    const std::size_t next = static_cast<std::size_t>(held + 1);
    if (next < policy.tiers.size()) {
        progress.next_tier = policy.tiers[next].name;
        progress.next_threshold = policy.tiers[next].threshold;
        progress.missing = std::max<std::int64_t>(policy.tiers[next].threshold - value, 0);
        if (policy.window == TierWindow::kCalendarYear) {
            progress.next_by = year_start(zone, local_date(zone, now), 1);
        } else {
            // An activity on local day A counts until day A + months begins.
            const LocalDate first_counted = local_date(zone, oldest_activity.value_or(now));
            progress.next_by = zone.day_start(add_months(first_counted, policy.window_months));
        }
    }
    return progress;
}

Period progress_window(const TierPolicy& policy, Timestamp now, const TimeZone& zone) {
    return measuring_window(policy, now + std::chrono::microseconds(1), zone);
}

LocalPeriod progress_days(const TierPolicy& policy, Timestamp now, const TimeZone& zone) {
    const LocalDate today = local_date(zone, now);
    const LocalDate first = local_date(zone, progress_window(policy, now, zone).from);
    const LocalDate year_end = today.year() / std::chrono::December / 31;
    return LocalPeriod{first, policy.window == TierWindow::kCalendarYear ? year_end : today};
}

}  // namespace patron::core
