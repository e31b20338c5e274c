#include "loyalty/core/points.h"

#include <algorithm>

namespace patron::core {

Timestamp add_months(Timestamp time, int months) {
    using namespace std::chrono;
    const auto day = floor<days>(time);
    const auto time_of_day = time - day;
    const year_month_day date{day};
    year_month_day shifted = date.year() / date.month() / date.day() + std::chrono::months{months};
    if (!shifted.ok()) shifted = shifted.year() / shifted.month() / last;
    return sys_days{shifted} + time_of_day;
}

Timestamp end_of_next_quarter(Timestamp time) {
    using namespace std::chrono;
    const year_month_day day{floor<days>(time)};
    const unsigned quarter_start = (static_cast<unsigned>(day.month()) - 1) / 3 * 3 + 1;  // 1, 4, 7 or 10.
    // The quarter after next starts 6 months after this quarter's start; its midnight ends the next quarter.
    const year_month start = year{day.year()} / month{quarter_start} + months{6};
    return Timestamp{sys_days{start / 1}};
}

LotDates lot_dates(Timestamp earned_at, const PointsPolicy& policy) {
    const Timestamp expires = policy.expiry_mode == ExpiryMode::kQuarterEnd
                                  ? end_of_next_quarter(earned_at)
                                  : add_months(earned_at, policy.expiry_months);
    return LotDates{earned_at + policy.hold, expires};
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
