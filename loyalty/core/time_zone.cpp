#include "loyalty/core/time_zone.h"

namespace patron::core {

using namespace std::chrono;

Timestamp FixedOffsetZone::day_start(LocalDate date) const { return Timestamp{sys_days{date}} - offset_; }

std::shared_ptr<const TimeZone> utc_time_zone() {
    static const auto kUtc = std::make_shared<const FixedOffsetZone>("UTC", seconds(0));
    return kUtc;
}

LocalDate local_date(const TimeZone& zone, Timestamp at) { return LocalDate{floor<days>(at + zone.utc_offset(at))}; }

LocalDate last_local_date(const TimeZone& zone, Timestamp end) { return local_date(zone, end - microseconds(1)); }

Timestamp day_end(const TimeZone& zone, LocalDate date) { return zone.day_start(add_days(date, 1)); }

LocalDate add_months(LocalDate date, int months) {
    LocalDate shifted = date.year() / date.month() / date.day() + std::chrono::months{months};
    if (!shifted.ok()) shifted = shifted.year() / shifted.month() / last;
    return shifted;
}

LocalDate add_days(LocalDate date, int count) { return LocalDate{sys_days{date} + days{count}}; }

}  // namespace patron::core
