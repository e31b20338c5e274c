#include "loyalty/core/points.h"

#include <algorithm>

namespace patron::core {

std::int64_t takeable(std::int64_t balance, std::int64_t amount, NegativeBalancePolicy policy) {
    return policy == NegativeBalancePolicy::kClamp ? std::clamp<std::int64_t>(balance, 0, amount) : amount;
}

LocalDate end_of_next_quarter(LocalDate date) {
    using namespace std::chrono;
    const unsigned quarter_start = (static_cast<unsigned>(date.month()) - 1) / 3 * 3 + 1;  // 1, 4, 7 or 10.
    // The quarter after next starts 6 months after this quarter's start; the day before it ends the next quarter.
    const year_month after_next = date.year() / month{quarter_start} + months{6};
    return add_days(after_next / 1, -1);
}

LocalDate last_day_to_spend(LocalDate earned_on, const PointsPolicy& policy) {
    return policy.expiry_mode == ExpiryMode::kQuarterEnd ? end_of_next_quarter(earned_on)
                                                         : add_months(earned_on, policy.expiry_months);
}

LotDates lot_dates(Timestamp earned_at, const PointsPolicy& policy, const TimeZone& zone) {
    return LotDates{earned_at + policy.hold, day_end(zone, last_day_to_spend(local_date(zone, earned_at), policy))};
}

std::vector<LotTake> take_from_lots(std::vector<LotBalance> lots, std::int64_t points) {
    std::stable_sort(lots.begin(), lots.end(), [](const LotBalance& a, const LotBalance& b) {
        return a.expires_at != b.expires_at ? a.expires_at < b.expires_at : a.lot_id < b.lot_id;
    });
    std::vector<LotTake> takes;
    for (const LotBalance& lot : lots) {
        if (points <= 0) break;
        if (lot.remaining <= 0) continue;
        const std::int64_t take = std::min(lot.remaining, points);
        takes.push_back(LotTake{lot.lot_id, take});
        points -= take;
    }
    return takes;
}

Result<Redemption> plan_redemption(std::int64_t points, std::int64_t available, std::int64_t total_minor,
                                   const PointsPolicy& policy) {
    const std::string field = "redeem_points";
    if (policy.point_value_minor <= 0) {
        return fail(ErrorCode::kNotAvailable, "this program does not take points as payment", field);
    }
    if (points < policy.redeem_points_min) {
        return fail(ErrorCode::kRedemptionBelowMinimum,
                    "at least " + std::to_string(policy.redeem_points_min) + " points per redemption", field);
    }
    if (points > available) {
        return fail(ErrorCode::kPointsInsufficient,
                    "the member has " + std::to_string(std::max<std::int64_t>(available, 0)) + " points to spend",
                    field);
    }
    std::int64_t value = 0;
    if (__builtin_mul_overflow(points, policy.point_value_minor, &value) || value > total_minor) {
        return fail(ErrorCode::kRedemptionExceedsTotal, "the points are worth more than the purchase", field);
    }
    return Redemption{points, value};
}

}  // namespace patron::core
