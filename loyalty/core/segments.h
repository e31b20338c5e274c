// Rule-based member segments (issue 17): what a marketer defines, a code, a name and conditions
// that must all hold, and the test of one member's facts against it. Pure: the refresh reads the
// facts (core::SegmentFacts) and materialises the memberships; rule scopes name segments by code.
// Document: {"code": "lapsed_vip", "name": "Lapsed VIPs", "conditions": {
//   "tiers": [NAME], "days_since_last_purchase": {"min": D, "max": D},
//   "spend": {"days": N, "min": MINOR, "max": MINOR}, "visits": {"days": N, "min": K, "max": K},
//   "birthday_month": 1..12 | "current", "cities": [NAME], "marketing_consent": "sms" | "email" | "any" | "none",
//   "stores_visited": {"stores": [CODE], "days": N}, "rfm_segments": [NAME], "churn_bands": [NAME],
//   "added_by_trigger": true}}
// Ranges are inclusive and either end may be left out; a member who never bought has no days
// since a purchase and matches no days_since_last_purchase condition. added_by_trigger holds for a
// member a trigger's "segment" action added to this segment (core/triggers.h) for days that have
// not yet run out: alone it makes a segment of those a trigger picked; with other conditions,
// those of them who also meet the rest.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/member_scores.h"

namespace patron::core {

inline constexpr int kSegmentWindowDaysMax = 3660;

// Inclusive bounds, either may be absent.
struct Bounds {
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
    bool holds(std::int64_t value) const { return (!min || value >= *min) && (!max || value <= *max); }
};

// Spend (minor units: purchases less returns) or visits (purchases) in the last `days` local days.
struct WindowBounds {
    int days = 0;
    Bounds bounds;
};

struct StoresVisited {
    std::vector<std::string> stores;  // Store codes: a purchase at any of them.
    int days = 0;
};

enum class ConsentCondition { kSms, kEmail, kAny, kNone };

struct SegmentConditions {
    std::vector<std::string> tiers;
    std::optional<Bounds> days_since_last_purchase;
    std::optional<WindowBounds> spend;
    std::optional<WindowBounds> visits;
    std::optional<unsigned> birthday_month;  // 1..12.
    bool birthday_this_month = false;        // "current": the month of the refresh's local date.
    std::vector<std::string> cities;         // As normalised_city() gives them.
    std::optional<ConsentCondition> marketing_consent;
    std::optional<StoresVisited> stores_visited;
    std::vector<RfmSegment> rfm_segments;
    std::vector<ChurnBand> churn_bands;
    bool added_by_trigger = false;

    // Whether the member's profile (sealed: birth date and city) must be opened to decide.
    bool needs_profile() const;
    // The distinct windows (days) whose spend, visits or stores the facts must carry.
    std::vector<int> windows() const;
};

struct SegmentDefinition {
    std::string code;
    std::string name;
    SegmentConditions conditions;
};

// A valid segment document and its conditions as the marketer wrote them (compact JSON): the
// text is what Patron stores and shows back.
struct SegmentDocument {
    SegmentDefinition definition;
    std::string conditions_text;
};

// POST /v1/segments (code required) and PUT /v1/segments/{code} (`path_code`: the body's code,
// when present, must be it). Every problem by JSON path ("conditions.spend.days"); unknown fields
// are refused; a code is 1 to 32 of a-z, 0-9, '_' and '-' and not the name of an RFM segment.
Result<SegmentDocument> decode_segment_document(const nlohmann::json& document,
                                                const std::optional<std::string>& path_code = std::nullopt);
// POST /v1/segments/preview: a segment document whose conditions are counted; code and name may
// be sent (an editor sends what it edits) and are not checked.
Result<SegmentConditions> decode_segment_preview(const nlohmann::json& document);
// The stored conditions text read back (it was valid when stored).
Result<SegmentConditions> parse_segment_conditions(std::string_view text);

// What a member is, as the refresh reads it, for every condition at once.
struct WindowActivity {
    std::int64_t spend_minor = 0;
    std::int64_t visits = 0;
    std::vector<std::string> stores;  // Codes of the stores of the visits.
};

struct SegmentFacts {
    std::int64_t member_id = 0;
    std::string tier;
    std::optional<std::int64_t> days_since_last_purchase;  // None: never bought.
    std::map<int, WindowActivity> windows;                 // By days, as SegmentConditions::windows() asks.
    std::optional<unsigned> birth_month;                   // None: not given, or the profile did not open.
    std::optional<std::string> city;                       // Normalised; none likewise.
    bool marketing_sms = false;
    bool marketing_email = false;
    RfmSegment rfm_segment = RfmSegment::kNone;
    ChurnBand churn_band = ChurnBand::kNone;
};

// Whether every condition holds; `current_month` (1..12) is the month of the refresh's local date;
// `added` whether a trigger added her to this segment for days not yet run out.
bool segment_contains(const SegmentConditions& conditions, const SegmentFacts& facts, unsigned current_month,
                      bool added);

// A city as segments compare it: trimmed and ASCII letters lower-cased ("  Tehran " -> "tehran").
std::string normalised_city(std::string_view city);

}  // namespace patron::core
