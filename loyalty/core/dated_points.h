// A member's points by the local date something happens to them, as the portal's home page shows
// them: pending points by the day they become spendable, available points by the last day they can
// be spent. The store sums the lots per instant; here the instants become local dates of the
// programme's time zone. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

// Points of the lots that share an instant (when they become available, or expire).
struct PointsAt {
    Timestamp at;
    std::int64_t points = 0;
};

struct DatedPoints {
    LocalDate date;
    Timestamp at;  // Pending: when the last of them becomes available; expiring: when the first expires.
    std::int64_t points = 0;
};

// Pending points by the local date they become available. `sums` are soonest first; `cut` says
// the store read as many instants as it had room for, so the last date may lack lots: it is left out.
std::vector<DatedPoints> pending_by_date(const std::vector<PointsAt>& sums, const TimeZone& zone, bool cut);

// Available points by the last local date they can be spent (the day their expiry ends), the first
// `dates_max` dates; `sums` and `cut` as above.
std::vector<DatedPoints> expiring_by_date(const std::vector<PointsAt>& sums, const TimeZone& zone,
                                          std::size_t dates_max, bool cut);

}  // namespace patron::core
