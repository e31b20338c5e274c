// The published reward rules of a program, as marketers write them (a JSON document) and as
// the engine reads them. Parsing validates the whole document and reports every problem by
// JSON path, so a rule set the engine runs is always well formed.
//
// Document: {"rules": [RULE, ...], "groups": {"NAME": "best" | "first"},
//            "defaults": {"rounding": ..., "rounding_scope": ...}} (the program's rounding; floor per
// purchase when absent). Exclusivity groups are flat names, so they cannot form cycles. A rule:
//   id, name, kind ("earn": points per amount | "bonus": fixed points), priority, group,
//   valid_from / valid_until (RFC 3339), schedule {days ["mon".."sun"], from "HH:MM", until "HH:MM"}
//   (the POS's local time), scope {stores, tiers, birthday_month, first_purchase, segments},
//   conditions {min_amount, categories, skus, exclude_categories, exclude_skus, min_quantity},
//   points, per_amount, rounding ("floor" | "nearest" | "ceil"), rounding_scope ("purchase" | "line"),
//   multipliers {categories {NAME: x}, skus {SKU: x}, tiers {NAME: x}} (x with at most 2 decimals),
//   limits {per_purchase, per_day, per_month, budget} (points), holdout {percent} (holdout.h).
// "cashback": [CASHBACK, ...] and "stamp_cards": [CARD, ...] (cashback.h, stamps.h); ids are
// unique across rules, cashback rules and stamp cards (their counters share one space).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/compiled_rules.h"
#include "loyalty/core/error.h"
#include "loyalty/core/points.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/tiers.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/core/wording.h"

namespace patron::core {

// How a fractional number of points becomes a whole number.
enum class Rounding { kFloor, kNearest, kCeil };
enum class RoundingScope { kPurchase, kLine };
enum class RuleKind { kEarn, kBonus };
enum class GroupMode { kBest, kFirst };

struct Schedule {
    std::array<bool, 7> days{true, true, true, true, true, true, true};  // Monday first.
    int from_minute = 0;                                                 // Minutes after local midnight.
    int until_minute = 24 * 60;

    bool allows(const LocalTime& local) const {
        return days[local.weekday] && local.minute >= from_minute && local.minute < until_minute;
    }
};

// Whether `value` is in the list.
inline bool listed(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// Whether `at` lies in [from, until), either end open when absent.
inline bool within(const std::optional<Timestamp>& from, const std::optional<Timestamp>& until, Timestamp at) {
    return (!from || at >= *from) && (!until || at < *until);
}

// Whether a member in `member_segments` is in one of the segments `named` (none named: everyone).
inline bool in_any_segment(const std::vector<std::string>& named, const std::vector<std::string>& member_segments) {
    return named.empty() || std::any_of(member_segments.begin(), member_segments.end(),
                                        [&](const std::string& code) { return listed(named, code); });
}

// The whole years of membership a rule is for (core/tenure.h counts them): {"min_years": 1,
// "max_years": 4}, either bound or both, each 0 to 100; the bounds belong to it.
struct TenureRange {
    int min_years = 0;
    std::optional<int> max_years;

    bool contains(int years) const { return years >= min_years && (!max_years || years <= *max_years); }
};
inline constexpr int kTenureYearsMax = 100;

struct Scope {
    std::vector<std::string> stores;
    std::vector<std::string> tiers;
    bool birthday_month = false;
    bool first_purchase = false;
    // Codes of rule-based segments (core/segments.h): a member in any of them, as last materialised.
    std::vector<std::string> segments;
    std::optional<TenureRange> tenure;  // Members only: her whole years of membership on the purchase's day.

    // Whether the store and the member's tier are among those named (none named: all).
    bool covers(const std::string& store, const std::string& tier) const {
        return (stores.empty() || listed(stores, store)) && (tiers.empty() || listed(tiers, tier));
    }
    // Whether the member is in one of the segments named (none named: everyone).
    bool admits(const std::vector<std::string>& member_segments) const {
        return in_any_segment(segments, member_segments);
    }
};

// A share of a rule's or campaign's eligible members kept from it, so that its effect can be
// measured against them: {"percent": 1..50}, whole percent. Who is held out is decided by a hash
// of the rule's identity and the member id (service/posting/holdout_assignment.h), never chosen.
struct Holdout {
    std::int64_t percent = 0;
};
inline constexpr std::int64_t kHoldoutPercentMax = 50;

struct Conditions {
    std::int64_t min_amount = 0;
    std::vector<std::string> categories;  // Empty: every category.
    std::vector<std::string> skus;        // Empty: every SKU.
    std::vector<std::string> exclude_categories;
    std::vector<std::string> exclude_skus;
    std::int64_t min_quantity_milli = 0;
};

struct Limits {
    std::optional<std::int64_t> per_purchase;
    std::optional<std::int64_t> per_day;
    std::optional<std::int64_t> per_month;
    std::optional<std::int64_t> budget;  // Points the rule may ever give, program-wide.
};

struct Rule {
    std::string id;
    std::string name;
    RuleKind kind = RuleKind::kEarn;
    int priority = 0;
    std::string group;
    std::optional<Timestamp> valid_from;
    std::optional<Timestamp> valid_until;
    Schedule schedule;
    Scope scope;
    Conditions conditions;
    std::int64_t points = 0;
    std::int64_t per_amount = 1;
    Rounding rounding = Rounding::kFloor;
    RoundingScope rounding_scope = RoundingScope::kPurchase;
    std::map<std::string, std::int64_t> category_percent;  // Multipliers in percent: x1.5 -> 150.
    std::map<std::string, std::int64_t> sku_percent;
    std::map<std::string, std::int64_t> tier_percent;
    // By whole years of membership, stepped: {1: 110, 5: 150} is x1.1 from her first anniversary
    // and x1.5 from her fifth; x1 before the first step. Applied with the tier's.
    std::map<int, std::int64_t> tenure_percent;
    Limits limits;
    std::optional<Holdout> holdout;
};

// Instant cashback: a percentage of what the member pays for the lines it matches, credited to
// their cashback wallet in the program's currency (minor units), with caps in money.
struct CashbackRule {
    std::string id;
    std::string name;
    std::int64_t basis_points = 0;  // 5% -> 500; at most 2 decimals of a percent.
    std::optional<Timestamp> valid_from;
    std::optional<Timestamp> valid_until;
    Schedule schedule;
    Scope scope;  // Stores and tiers.
    std::int64_t min_basket = 0;
    std::vector<std::string> categories;  // Neither named: every line.
    std::vector<std::string> skus;
    std::optional<std::int64_t> per_purchase;
    std::optional<std::int64_t> per_day;  // Per member, the POS's local day.
    std::optional<std::int64_t> per_month;
    std::optional<std::int64_t> budget;  // Money the rule may ever give, program-wide.
    std::optional<Holdout> holdout;
};

// A stamps-for-reward card ("buy 9 coffees, the 10th is free"): qualifying units (or one visit)
// give stamps; `goal` stamps fill the card, which pays its reward at once and starts the next
// card with the surplus. A collection ("five different teas") counts distinct items of a set
// instead: one stamp per item the card does not hold yet, the reward when it holds them all.
enum class StampBasis { kUnits, kVisit, kCollection };
enum class StampRewardKind { kPoints, kCoupon, kCashback };
// A return that un-fills a card whose reward was already used: the next card starts with a
// deficit (kCarry), or the program lets it go (kForgive).
enum class StampDeficitPolicy { kCarry, kForgive };

// One item of a collection: the lines that are it (its SKUs or categories).
struct CollectionItem {
    std::string id;
    std::string name;
    std::vector<std::string> categories;
    std::vector<std::string> skus;
};

struct StampCard {
    std::string id;
    std::string name;
    std::int64_t goal = 10;
    StampBasis basis = StampBasis::kUnits;
    std::int64_t stamps_per_unit = 1;     // Units: per whole unit bought; a visit gives one.
    std::int64_t min_basket = 0;          // Money the matching lines must reach (a visit's threshold).
    std::vector<std::string> categories;  // Neither named: every line.
    std::vector<std::string> skus;
    Scope scope;  // Stores and tiers.
    std::optional<Timestamp> valid_from;
    std::optional<Timestamp> valid_until;
    std::optional<std::chrono::seconds>
        card_lifetime;  // A card not filled this long after its first stamp starts over.
    StampRewardKind reward = StampRewardKind::kPoints;
    std::int64_t reward_points = 0;
    std::int64_t reward_campaign = 0;  // Coupon campaign whose single-use code the member wins.
    std::int64_t reward_cashback = 0;  // Minor units of the programme's currency into her wallet.
    std::string reward_label;          // "free coffee".
    StampDeficitPolicy deficit = StampDeficitPolicy::kCarry;
    std::optional<Holdout> holdout;
    std::vector<CollectionItem> items;  // A collection's set (its goal is their number).
};

struct RuleSet {
    int version = 0;
    std::vector<Rule> rules;
    std::vector<CashbackRule> cashback;
    std::vector<StampCard> stamp_cards;
    std::map<std::string, GroupMode> groups;
    PointsPolicy points = {};  // The program's policy at rating time (not part of the JSON document).
    // The engine's form of `rules`, made by parse_rule_set(); evaluate() compiles a rule set built
    // by hand (tests) on the fly. Whoever changes `rules` afterwards must compile again.
    std::shared_ptr<const CompiledRules> compiled;
    // The program's tiers at rating time (not part of the JSON document either); null or empty: none.
    std::shared_ptr<const TierPolicy> tiers;
    Language language = Language::kEnglish;  // The program's, for the receipt lines.
    // The program's time zone, for lot expiry and tier windows (not part of the JSON document).
    std::shared_ptr<const TimeZone> time_zone = utc_time_zone();
};

// Every problem found in a rule document, each with its JSON path.
struct RuleSetProblems {
    std::vector<Error> problems;
};

// How a rule document's ids are judged. Rules, cashback rules and stamp cards share one space of
// ids, unique within a rule set. A document being saved or published (kWritten) may use no id the
// engine writes itself (reward_rule_ids.h), and its ids are unique as the database compares them
// (case and trailing spaces ignored). Versions published before ids were so constrained were not
// migrated: read back (kStored), their ids need only differ as written.
enum class RuleIdCheck { kWritten, kStored };

[[nodiscard]] std::expected<RuleSet, RuleSetProblems> parse_rule_set(const nlohmann::json& document, int version,
                                                                     RuleIdCheck ids = RuleIdCheck::kStored);

// A segment code a scope of the rule set names, with the JSON path of the name ("rules[0].scope.segments[1]").
struct ScopedSegment {
    std::string code;
    std::string path;
};
// Every segment named by the scopes of rules, cashback rules and stamp cards, in document order.
std::vector<ScopedSegment> scoped_segments(const RuleSet& rules);

// A published rule set's version and the moment it takes effect.
struct RuleSetStart {
    int version = 0;
    Timestamp effective_from;
};
// The version in force at `at`: the latest to have taken effect by then, of two taking effect at
// the same moment the higher; none before the first.
std::optional<int> rule_set_in_force(const std::vector<RuleSetStart>& published, Timestamp at);

}  // namespace patron::core
