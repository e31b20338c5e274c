// A time zone as the programme's rules need it: the local date an instant falls on and the instant
// a local date begins. Lot expiry, tier windows and the dates a member sees are local dates of the
// programme's zone. The core reads no zone database: a service locates the zone once (the system's
// tzdata, loyalty/service/runtime/time_zones.h) and hands it in; fixed offsets serve UTC and tests.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "loyalty/core/time.h"

namespace patron::core {

// A calendar date on the programme's wall clock (no time, no zone of its own).
using LocalDate = std::chrono::year_month_day;

class TimeZone {
  public:
    virtual ~TimeZone() = default;
    virtual const std::string& name() const = 0;
    // Local time less UTC at `at`: +03:30 in Tehran.
    virtual std::chrono::seconds utc_offset(Timestamp at) const = 0;
    // The first instant of `date`; where a clock change skips midnight, the instant the day begins.
    virtual Timestamp day_start(LocalDate date) const = 0;
};

// A zone whose clock is always `offset` ahead of UTC.
class FixedOffsetZone final : public TimeZone {
  public:
    FixedOffsetZone(std::string name, std::chrono::seconds offset) : name_(std::move(name)), offset_(offset) {}
    const std::string& name() const override { return name_; }
    std::chrono::seconds utc_offset(Timestamp) const override { return offset_; }
    Timestamp day_start(LocalDate date) const override;

  private:
    std::string name_;
    std::chrono::seconds offset_;
};

// UTC: a programme's zone until it names another.
std::shared_ptr<const TimeZone> utc_time_zone();

// The local date `at` falls on.
LocalDate local_date(const TimeZone& zone, Timestamp at);
// The last local date before `end`, an exclusive end: an instant at midnight ends the day before it.
LocalDate last_local_date(const TimeZone& zone, Timestamp end);
// The end of `date`: the first instant of the next day.
Timestamp day_end(const TimeZone& zone, LocalDate date);
// `date` plus whole calendar months (or less, for negative `months`), the day clamped to the
// month's end: 31 January + 1 month = 28 (29) February.
LocalDate add_months(LocalDate date, int months);
LocalDate add_days(LocalDate date, int days);

}  // namespace patron::core
