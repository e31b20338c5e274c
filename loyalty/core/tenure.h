// Tenure (issue 24): how many whole years a member has belonged to the programme, counted on the
// programme's wall clock and in its calendar: Jalali years for a Persian programme, Gregorian ones
// otherwise. Her anniversary is the day of the month she enrolled on, in the month she enrolled
// in; in a year whose month is shorter (29 February, 30 Esfand) it is the month's last day. Pure.
#pragma once

#include <optional>
#include <vector>

#include "loyalty/core/time_zone.h"
#include "loyalty/core/wording.h"

namespace patron::core {

enum class Calendar { kGregorian, kJalali };
// A Persian programme counts in Jalali years, others in Gregorian ones.
Calendar calendar_of(Language language);

// Whole years from the local day she enrolled on to the local day `on`: 0 before her first
// anniversary (and for a day before she enrolled).
int tenure_years(LocalDate enrolled, LocalDate on, Calendar calendar);

// Whether `on` is one of her anniversaries: the day her tenure turns 1, 2, ...
bool is_anniversary(LocalDate enrolled, LocalDate on, Calendar calendar);

// The local days of enrolment whose anniversary `on` is, one or two a year (the second a leap
// day whose month is shorter in `on`'s year), from the year before `on`'s back to `first_year`
// (a year of the calendar): the years newest first, the days of a year in order. None for a day
// outside the years the calendar's arithmetic covers.
std::vector<LocalDate> enrolment_days_with_anniversary(LocalDate on, Calendar calendar, int first_year);

// The year of `date` in the calendar (1405 for 2026-11-18 in Jalali).
int calendar_year(LocalDate date, Calendar calendar);

}  // namespace patron::core
