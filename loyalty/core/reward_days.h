// What each earn and cashback rule gave, summed per local day of the programme's time zone, per
// store and per member: what the Rewards report reads instead of the ledgers' entries (migration
// 0036). Per member, so that the members a rule reached over a range of days are counted exactly;
// a purchase counts once, with the first transfer of its rule and kind, so that purchases add up
// across days and across the roll-up's batches.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "loyalty/core/time_zone.h"

namespace patron::core {

// One member's entries of one transfer of kind earn or reverse.
struct RewardMovement {
    Timestamp at{};
    std::string rule_key;       // The transfer's rule id; empty for none.
    std::string kind;           // "earn" or "reverse".
    std::int64_t store_id = 0;  // 0: no store.
    std::int64_t member_id = 0;
    std::int64_t amount = 0;
    bool first_of_purchase = false;  // The first transfer of its purchase with this rule and kind.
};

struct RewardDayKey {
    LocalDate day{};
    std::string rule_key;
    std::string kind;
    std::int64_t store_id = 0;
    std::int64_t member_id = 0;

    std::strong_ordering operator<=>(const RewardDayKey& other) const {
        if (const auto order = day <=> other.day; order != 0) return order;
        if (const auto order = rule_key <=> other.rule_key; order != 0) return order;
        if (const auto order = kind <=> other.kind; order != 0) return order;
        if (const auto order = store_id <=> other.store_id; order != 0) return order;
        return member_id <=> other.member_id;
    }
    bool operator==(const RewardDayKey&) const = default;
};

struct RewardDayTotals {
    std::int64_t amount = 0;
    std::int64_t purchases = 0;

    bool operator==(const RewardDayTotals&) const = default;
};

using RewardDays = std::map<RewardDayKey, RewardDayTotals>;

// Adds each movement to its local day, rule, kind, store and member.
void add_reward_movements(RewardDays& days, std::span<const RewardMovement> movements, const TimeZone& zone);

}  // namespace patron::core
