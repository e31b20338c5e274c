#include "loyalty/core/dated_points.h"

#include <algorithm>

namespace patron::core {
namespace {

enum class Moment { kBecomesAvailable, kExpires };

std::vector<DatedPoints> by_date(const std::vector<PointsAt>& sums, const TimeZone& zone, Moment moment, bool cut) {
    std::vector<DatedPoints> dates;
    for (const PointsAt& sum : sums) {
        // Points that expire at a midnight were last spendable on the day that ends there.
        const LocalDate date = moment == Moment::kExpires ? last_local_date(zone, sum.at) : local_date(zone, sum.at);
        // Instants come in order, so their dates do too, but for an hour a clock set back at midnight
        // repeats: a date may come round again.
        auto same =
            std::find_if(dates.begin(), dates.end(), [&](const DatedPoints& held) { return held.date == date; });
        if (same == dates.end()) {
            same = dates.insert(dates.end(), DatedPoints{date, sum.at, 0});
        } else {
            same->at = moment == Moment::kExpires ? std::min(same->at, sum.at) : std::max(same->at, sum.at);
        }
        same->points += sum.points;
    }
    if (cut && !dates.empty()) dates.pop_back();
    return dates;
}

}  // namespace

std::vector<DatedPoints> pending_by_date(const std::vector<PointsAt>& sums, const TimeZone& zone, bool cut) {
    return by_date(sums, zone, Moment::kBecomesAvailable, cut);
}

std::vector<DatedPoints> expiring_by_date(const std::vector<PointsAt>& sums, const TimeZone& zone,
                                          std::size_t dates_max, bool cut) {
    std::vector<DatedPoints> dates = by_date(sums, zone, Moment::kExpires, cut);
    if (dates.size() > dates_max) dates.resize(dates_max);
    return dates;
}

}  // namespace patron::core
