// Triggers (issue 21): what a marketer sets to happen by itself when a member's recent activity
// meets a condition, at most once per member per window. Pure: the document read into a typed
// trigger (every problem by its JSON path), the window a condition counts over and the key of the
// window a firing is kept under, and whether the counts meet the condition; the trigger service
// reads the counts and carries out the action.
//
// Document: {"name": "Win back", "state": "active" | "paused",
//   "condition": {"kind": "no_purchase", "days": 45}
//              | {"kind": "visits" | "spend" | "returns", "at_least": N, "period": "week" | "month" | "jalali_month"}
//              | {"kind": "visits" | "spend" | "returns", "at_least": N, "days": D}
//              | {"kind": "anniversary", "years": [N, ...]}  // years optional: every anniversary
//   "action": {"kind": "message", "text": {"en": "...", "fa": "..."}}
//           | {"kind": "coupon", "campaign_id": ID}
//           | {"kind": "bonus_points", "points": P}
//           | {"kind": "fraud_signal", "policy": "flag" | "hold" | "block"}  // a signal of kind trigger
//           | {"kind": "segment", "segment": CODE, "days": D}}
// A segment action adds her to the programme's segment CODE for D days (1..366) from the firing,
// longer if a later firing adds her again; the segment must have the condition added_by_trigger
// (core/segments.h), or the addition would change nobody's membership.
// An anniversary is the day her years of membership (core/tenure.h: in the programme's time zone
// and calendar) turn N; `years` (1..100, at most 100 of them) names which, none every one.
// Visits are purchases not voided, spend is their total less returns and voids (minor units of
// the programme's currency), returns are returns of goods (not voids), all by the time the till
// gave (as segments count them). A period is the local calendar week (from Monday), month or
// Jalali month the purchase falls in; `days` is the last D local days up to and including its day.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/fraud.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

enum class TriggerState { kActive, kPaused, kEnded };
std::string_view to_string(TriggerState state);  // "active", "paused", "ended"
std::optional<TriggerState> parse_trigger_state(std::string_view name);

enum class TriggerCondition { kNoPurchase, kVisits, kSpend, kReturns, kAnniversary };
// "no_purchase", "visits", "spend", "returns", "anniversary"
std::string_view to_string(TriggerCondition condition);

enum class TriggerAction { kMessage, kCoupon, kBonusPoints, kFraudSignal, kSegment };
// "message", "coupon", "bonus_points", "fraud_signal", "segment"
std::string_view to_string(TriggerAction action);

inline constexpr std::size_t kTriggerNameMax = 100;
inline constexpr std::size_t kTriggerTextMax = 480;  // A message's words, per language: three SMS parts.
inline constexpr int kTriggerDaysMax = 366;
inline constexpr std::int64_t kTriggerBonusMax = 1'000'000;
inline constexpr std::int64_t kTriggerCountMax = 1'000'000'000'000;

struct Trigger {
    std::string name;
    TriggerCondition condition = TriggerCondition::kVisits;
    std::int64_t at_least = 0;         // Visits, minor units or returns; unused for no_purchase.
    std::optional<PeriodSize> period;  // kWeek, kMonth or kJalaliMonth; or none, then `days`.
    int days = 0;                      // no_purchase: days without one; otherwise the rolling window.
    std::vector<int> years;            // anniversary: which (ascending); none, every one.
    TriggerAction action = TriggerAction::kMessage;
    std::string text_en;  // message
    std::string text_fa;
    long long campaign_id = 0;  // coupon
    std::int64_t points = 0;    // bonus_points
    FraudAction policy = FraudAction::kFlag;  // fraud_signal: what the signal does (fraud.h)
    std::string segment;                      // segment: the segment's code
    int segment_days = 0;                     // and for how long she is in it

    // Whether a purchase (or a return, when `returned`) can make the condition hold.
    bool counts(bool returned) const;
    // anniversary: whether her turning `years` is one the trigger names.
    bool marks(int years) const;
};

// A trigger document as POST /v1/triggers and PUT /v1/triggers/{id} take it: name, condition and
// action required, state active (the default) or paused; ended only by PATCHing the state. No other
// field is taken. `rule_text` is the condition and action as Patron stores and shows them back.
struct TriggerDocument {
    Trigger trigger;
    std::optional<TriggerState> state;
    std::string rule_text;  // {"condition": ..., "action": ...}, compact.
};
Result<TriggerDocument> decode_trigger_document(const nlohmann::json& document);
// PATCH /v1/triggers/{id}: {"state": "active" | "paused" | "ended"} and nothing else.
Result<TriggerState> decode_trigger_state_change(const nlohmann::json& document);

// The stored rule text read back with the trigger's name (it was valid when stored).
Result<Trigger> parse_stored_trigger(std::string_view name, std::string_view rule_text);

// The local days a counting condition reads when a purchase is made at `at`: the whole period it
// falls in, or the last `days` days up to its day; and the key a firing in it is kept under (the
// period's first day; for a rolling window, the day itself: the service also looks `days` back).
struct TriggerWindow {
    Timestamp from{};
    Timestamp until{};  // Exclusive.
    std::string key;    // "2026-12-01"
};
TriggerWindow trigger_window(const Trigger& trigger, const TimeZone& zone, Timestamp at);

// What a member did in a window.
struct TriggerCounts {
    std::int64_t visits = 0;
    std::int64_t spend_minor = 0;
    std::int64_t returns = 0;
};
bool trigger_condition_holds(const Trigger& trigger, const TriggerCounts& counts);

// The key of a no_purchase firing: her last purchase's instant, so that she is told once per
// lapse and again after she has bought and lapsed anew ("after 2026-10-19 10:22:33.123456").
std::string lapse_key(Timestamp last_purchase);
// The key of an anniversary firing: the years she turned ("year 5"), once each.
std::string anniversary_key(int years);

// An anniversary scan's cursor: the local day it is on, and the last member id done that day
// (kAnniversaryDayDone once the day is done).
inline constexpr long long kAnniversaryDayDone = INT64_MAX;
inline constexpr int kAnniversaryLateDaysMax = 7;  // How late an anniversary is still told.
struct AnniversaryScan {
    LocalDate day;
    long long after_id = 0;
};
// Where the scan goes on from its cursor `today`: the same day past `after_id`, the next day once
// one is done and has come, never more than kAnniversaryLateDaysMax days back (a patrond away for
// days tells that week's anniversaries, not older ones); none while today is done.
std::optional<AnniversaryScan> next_anniversary_scan(LocalDate day, long long after_id, LocalDate today);

}  // namespace patron::core
