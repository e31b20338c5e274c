// What a member's home page shows beside the balances: pending points by the day they become
// available, the next expiries, the tier's progress towards the next tier, the member's coupons and
// the card to show at the till. Dates are local dates of the programme's time zone. Every list is
// bounded, so a member with years of history costs the same few reads as a new one.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loyalty/core/dated_points.h"
#include "loyalty/core/effect.h"
#include "loyalty/core/member_coupons.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/tiers.h"
#include "loyalty/service/members/card_service.h"
#include "loyalty/store/program/tier_store.h"

namespace soci {
class session;
}

namespace patron::service {

// Expiries listed by date, and the horizon of "expiring soon".
inline constexpr std::size_t kExpiryDatesMax = 5;
inline constexpr int kExpiringSoonDays = 30;
// Coupons listed, usable ones first.
inline constexpr std::size_t kMemberCouponsMax = 50;

struct TierStanding {
    std::optional<core::Timestamp> since;          // When the member moved into the tier, if recorded.
    std::optional<core::LocalDate> secured_until;  // The last local day the tier is secured.
    std::optional<core::TierMeasure> measure;      // None: the programme has no tiers.
    long long qualifying = 0;                      // The measure over the window, up to now.
    std::optional<core::LocalPeriod> window;
    std::optional<core::Tier> next;  // None at the top tier.
    long long needed = 0;            // What the next tier still needs.
};

struct BalanceOutlook {
    std::string time_zone;
    std::vector<core::DatedPoints> pending;   // Soonest first; not those held for a fraud review.
    long long held = 0;                       // Pending points held until staff review a fraud signal.
    std::vector<core::DatedPoints> expiring;  // Soonest first, at most kExpiryDatesMax dates.
    long long expiring_soon = 0;              // Within kExpiringSoonDays from now.
    TierStanding tier;
    std::vector<core::MemberCoupon> coupons;
    std::optional<CardView> card;  // The primary card; none while no card is active.
};

// What a balance reads beside the member's row, as more columns of that read
// (store::find_member_with_account's `also`): the stamp cards' progress and the outlook's lists, and
// the tier's measure over its window by the rules guessed to be in force (the programme's policies
// kept in memory), so that a balance takes one round trip.
struct HeldRead {
    std::vector<std::string> columns;
    // The tier measure read, by measure and window; none when no tier policy was guessed.
    std::optional<std::pair<core::TierMeasure, core::Period>> tier_measure;
};
HeldRead held_read(long long member_id, const core::RuleSet* guessed, core::Timestamp now);

// The stamp progress that read gave, per card.
std::map<std::string, core::StampProgress> stamp_progress_read(std::span<const std::optional<std::string>> values);

// The outlook, from `values` (what `read` asked for) for a member of the programme whose rules in
// force (their time zone and tiers) are `rules`, who holds `tier` (read with their account). Read
// on `sql` besides: the campaigns of the member's coupon codes, when they hold any; the tier
// measure, when the guess measured by other rules; the points expiring soon beyond a list cut short.
BalanceOutlook balance_outlook(soci::session& sql, const core::RuleSet& rules, long long member_id,
                               const store::MemberTier& tier, const HeldRead& read,
                               std::span<const std::optional<std::string>> values, core::Timestamp now);

}  // namespace patron::service
