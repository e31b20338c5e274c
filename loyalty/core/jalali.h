// The Solar Hijri (Jalali) calendar of Iran and Afghanistan, for Persian programmes' monthly
// reports: which Jalali month a Gregorian date falls in and where a Jalali month begins. Leap years
// follow the astronomical calendar as Borkowski's arithmetic tabulates it (exact for the years
// 1 to 3177 AP), not the 2820-year cycle some libraries use (which makes 1403 a common year).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace patron::core {

struct JalaliDate {
    int year = 0;
    unsigned month = 0;  // 1 (Farvardin) to 12 (Esfand).
    unsigned day = 0;

    bool operator==(const JalaliDate&) const = default;
};

// The Jalali date of a Gregorian date; nullopt outside the years the arithmetic covers.
std::optional<JalaliDate> to_jalali(std::chrono::year_month_day date);
// The Gregorian date of a Jalali date; nullopt for a date the calendar does not have (1403-12-31).
std::optional<std::chrono::year_month_day> from_jalali(JalaliDate date);

bool is_jalali_leap_year(int year);
unsigned jalali_month_days(int year, unsigned month);

// "1405-09".
std::string jalali_month_name(const JalaliDate& date);

}  // namespace patron::core
