// The program's points policy and the arithmetic of lots: when an earning becomes spendable
// (hold) and when it expires (at the end of a day of the programme's time zone), which lots a
// spending consumes (those expiring first), and whether a redemption at the till is allowed.
// Pure: instants and the zone come in as arguments.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

enum class NegativeBalancePolicy { kAllow, kClamp };
// What may be taken back of `amount` from a balance of `balance`: all of it, or under the clamp
// policy no more than takes the balance to zero (the rest is the member's shortfall).
std::int64_t takeable(std::int64_t balance, std::int64_t amount, NegativeBalancePolicy policy);
// When a lot expires, in the programme's time zone: at the end of the local day a number of
// calendar months after the local day it was earned on, or at the end of the calendar quarter
// after the one it was earned in.
enum class ExpiryMode { kMonths, kQuarterEnd };

struct PointsPolicy {
    std::chrono::seconds hold{0};        // Earned points are pending this long (e.g. the return window).
    int expiry_months = 12;              // Lots expire this many calendar months after earning.
    std::int64_t point_value_minor = 0;  // What one point pays, in minor units; 0 turns redemption off.
    std::int64_t redeem_points_min = 1;  // The smallest redemption at the till.
    NegativeBalancePolicy negative_balance = NegativeBalancePolicy::kAllow;
    ExpiryMode expiry_mode = ExpiryMode::kMonths;
    std::chrono::seconds void_window{0};  // A void later than this (and not on its business day) is refused.
    std::chrono::seconds claim_window{30 * 24 * 3600};  // An anonymous purchase can be claimed this long.
    bool blind_returns = false;            // Returns without the original receipt are taken (by card and goods).
    bool returns_any_store = false;        // A purchase may be returned or voided in any store, not only its own.
    std::chrono::seconds quote_hold{300};  // A quote holds the points it would spend this long (0: no holds).
    std::chrono::seconds late_after{30 * 24 * 3600};  // A batch operation older than this is flagged late.
    // A purchase may be rated (NPS, CSAT, CES) this long after it was received; 0 turns feedback off.
    // Kept with the points policy because the till's purchase path reads it in the same row.
    std::chrono::seconds feedback_window{14 * 24 * 3600};
    // Members are told (a points_expiring event) this long before points expire; 0 tells nobody.
    std::chrono::seconds expiry_notice{14 * 24 * 3600};

    bool operator==(const PointsPolicy&) const = default;
};

// The last day of the calendar quarter after `date`'s: 2026-11-22 -> 2027-03-31.
LocalDate end_of_next_quarter(LocalDate date);

// The last local date a lot earned on `earned_on` may be spent: `expiry_months` later (clamped to
// the month's end) or the end of the next quarter.
LocalDate last_day_to_spend(LocalDate earned_on, const PointsPolicy& policy);

struct LotDates {
    Timestamp pending_until;
    Timestamp expires_at;  // The end of last_day_to_spend() in the programme's zone.
};

// A lot earned at 00:10 on 1 December in Tehran (20:40Z on 30 November) with 12 months to expiry
// is spendable to the end of 1 December a year later there (2027-12-01T20:30Z).
LotDates lot_dates(Timestamp earned_at, const PointsPolicy& policy, const TimeZone& zone);

struct LotBalance {
    std::int64_t lot_id;
    std::int64_t remaining;
    Timestamp expires_at;
};

struct LotTake {
    std::int64_t lot_id;
    std::int64_t points;
};

// Takes `points` from the lots that expire first (ties: the older lot first). The lots must hold
// at least that many points; the caller has checked the balance.
std::vector<LotTake> take_from_lots(std::vector<LotBalance> lots, std::int64_t points);

struct Redemption {
    std::int64_t points;
    std::int64_t value_minor;  // What the points pay off the purchase, in minor units.
};

// Checks a redemption of `points` against the member's spendable balance, the purchase's total
// and the policy: NOT_AVAILABLE, REDEMPTION_BELOW_MINIMUM, POINTS_INSUFFICIENT or
// REDEMPTION_EXCEEDS_TOTAL, each naming redeem_points.
Result<Redemption> plan_redemption(std::int64_t points, std::int64_t available, std::int64_t total_minor,
                                   const PointsPolicy& policy);

}  // namespace patron::core
