// Tiers: the levels of a club (Bronze, Silver, Gold) a member reaches by what they do within a
// qualification window, as marketers define them (a JSON document), and the arithmetic of
// upgrades, reviews and progress. Pure: progress values and instants come in as arguments.
//
// Document: {"measure": "points" | "amount" | "visits",
//            "window": {"kind": "rolling", "months": 12} | {"kind": "calendar_year"},
//            "downgrade": "one_step" | "to_qualified", "grace_days": 30,
//            "tiers": [{"name": "Bronze", "threshold": 0}, {"name": "Silver", "threshold": 1000}, ...]}
// The first tier's threshold is 0: everyone holds at least it. Thresholds rise strictly. Points are
// points earned (less returns), amount is money spent in minor units (less returns), visits are
// purchases not voided or fully returned, each within the window.
//
// An upgrade takes effect on the purchase that reaches the threshold and is secured for one
// period (rolling: the window's length from then, to the end of the local day it ends in; calendar
// year: to the end of the next year). When the period (plus grace) ends, the tier is reviewed
// against the window that ended with the period: kept (secured for another period) or lowered one
// step or straight to the tier qualified for.
//
// Windows and periods are whole local days of the programme's time zone: a rolling window counts
// the local days of its months, a calendar year is the Gregorian year on the local clock (the
// policy knows no other year), and a period ends at a local midnight.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

enum class TierMeasure { kPoints, kAmount, kVisits };
enum class TierWindow { kRolling, kCalendarYear };
enum class DowngradeMode { kOneStep, kToQualified };

struct Tier {
    std::string name;
    std::int64_t threshold = 0;
};

struct TierPolicy {
    int version = 0;
    TierMeasure measure = TierMeasure::kPoints;
    TierWindow window = TierWindow::kRolling;
    int window_months = 12;
    DowngradeMode downgrade = DowngradeMode::kOneStep;
    std::chrono::days grace{0};
    std::vector<Tier> tiers;  // Ascending thresholds; the first is the base tier.

    bool empty() const { return tiers.empty(); }
    // The tier's position, or -1 for a name the policy does not have (below the base tier).
    int index_of(const std::string& name) const;
    // The highest tier whose threshold `value` reaches.
    int qualified_index(std::int64_t value) const;
};

std::string_view measure_name(TierMeasure measure);

// Every problem by JSON path, as for rule sets.
[[nodiscard]] std::expected<TierPolicy, std::vector<Error>> parse_tier_policy(const nlohmann::json& document,
                                                                              int version);
nlohmann::json tier_policy_document(const TierPolicy& policy);
// The policy a marketer sends (PUT /v1/program/tiers), version 0 until it is stored; every problem
// in one VALIDATION_FAILED error.
Result<TierPolicy> decode_tier_policy(const nlohmann::json& document);
// The stored form: tier_policy_document() as text, and the policy read back from it (none when the
// text is not a policy).
std::string tier_policy_text(const TierPolicy& policy);
std::optional<TierPolicy> read_stored_tier_policy(std::string_view text, int version);

struct Period {
    Timestamp from;
    Timestamp until;  // Exclusive.
    bool operator==(const Period&) const = default;
};

// The window whose activity counts for a tier at `end` (exclusive), in local days: the window's
// months of days that end with the day before `end` (rolling; an activity on day A counts until day
// A + months begins) or the local calendar year of the day before `end`, both ending at `end`.
Period measuring_window(const TierPolicy& policy, Timestamp end, const TimeZone& zone);
// Until when a tier reached (or kept) at `at` is secured: a local midnight.
Timestamp secured_until(const TierPolicy& policy, Timestamp at, const TimeZone& zone);

struct [[nodiscard]] TierDecision {
    std::string tier;
    Timestamp secured_until;
    bool changed = false;
};

// The activity a review at the end of a period counts: the window that ended with it. The day the
// period began (when the tier was reached or last kept) counted for securing this period already.
Period review_window(const TierPolicy& policy, Timestamp period_end, const TimeZone& zone);

// The review at the end of a period: `value` is the progress over review_window().
TierDecision review_tier(const TierPolicy& policy, const std::string& current, std::int64_t value, Timestamp period_end,
                         Timestamp now, const TimeZone& zone);

// How long before a secured period ends a member whose tier it would lower is told.
inline constexpr std::chrono::days kTierWarningNotice{14};
// When to look at a period ending `secured_until` for a warning, set at `now`: 14 days before it
// ends, or now when that has passed (a late review), but none with less than 3 days left.
std::optional<Timestamp> tier_warning_at(Timestamp secured_until, Timestamp now);

// A tier about to be lost: before the period ending `period_end`, with `value` so far in its
// review window, the review would lower her from `tier` to `falls_to` unless the window gains
// `needed` more. None for the first tier (nothing to lose) or a tier the value already keeps.
struct TierAtRisk {
    std::string tier;
    std::string falls_to;
    std::int64_t needed = 0;
};
std::optional<TierAtRisk> tier_at_risk(const TierPolicy& policy, const std::string& current, std::int64_t value);

struct TierProgress {
    std::string tier;
    std::optional<Timestamp> secured_until;
    std::int64_t value = 0;  // In the window ending now.
    std::optional<std::string> next_tier;
    std::int64_t next_threshold = 0;
    std::int64_t missing = 0;          // What the next tier still needs.
    std::optional<Timestamp> next_by;  // Reach it before this: the window's end (calendar year) or
                                       // when the oldest counted activity leaves the window (rolling).
};

TierProgress tier_progress(const TierPolicy& policy, const std::string& current, std::optional<Timestamp> secured,
                           std::int64_t value, std::optional<Timestamp> oldest_activity, Timestamp now,
                           const TimeZone& zone);

// The window progress at `now` counts: measuring_window() of everything up to now.
Period progress_window(const TierPolicy& policy, Timestamp now, const TimeZone& zone);

struct LocalPeriod {
    LocalDate first;
    LocalDate last;
};

// The local days of progress_window() as a member reads them: from its first day to today
// (rolling) or to the last day of the year (calendar year).
LocalPeriod progress_days(const TierPolicy& policy, Timestamp now, const TimeZone& zone);

}  // namespace patron::core
