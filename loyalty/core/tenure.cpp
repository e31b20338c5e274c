#include "loyalty/core/tenure.h"

#include "loyalty/core/jalali.h"

namespace patron::core {
namespace {

using namespace std::chrono;

// A date as the calendar numbers it.
struct Numbered {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
};

std::optional<Numbered> numbered(LocalDate date, Calendar calendar) {
    if (calendar == Calendar::kGregorian) {
        return Numbered{static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                        static_cast<unsigned>(date.day())};
    }
    const auto jalali = to_jalali(date);
    if (!jalali) return std::nullopt;
    return Numbered{jalali->year, jalali->month, jalali->day};
}

unsigned month_days(int year, unsigned month, Calendar calendar) {
    if (calendar == Calendar::kJalali) return jalali_month_days(year, month);
    return static_cast<unsigned>((std::chrono::year{year} / std::chrono::month{month} / last).day());
}

std::optional<LocalDate> gregorian(const Numbered& date, Calendar calendar) {
    if (calendar == Calendar::kJalali) return from_jalali(JalaliDate{date.year, date.month, date.day});
    const LocalDate found{std::chrono::year{date.year}, std::chrono::month{date.month}, std::chrono::day{date.day}};
    return found.ok() ? std::optional(found) : std::nullopt;
}

}  // namespace

Calendar calendar_of(Language language) {
    return language == Language::kPersian ? Calendar::kJalali : Calendar::kGregorian;
}

int calendar_year(LocalDate date, Calendar calendar) {
    const auto found = numbered(date, calendar);
    return found ? found->year : static_cast<int>(date.year());
}

int tenure_years(LocalDate enrolled, LocalDate on, Calendar calendar) {
    if (sys_days{on} < sys_days{enrolled}) return 0;
    auto from = numbered(enrolled, calendar);
    auto to = numbered(on, calendar);
    // Outside the years the Jalali arithmetic covers, Gregorian years serve.
    if (!from || !to) {
        calendar = Calendar::kGregorian;
        from = numbered(enrolled, calendar);
        to = numbered(on, calendar);
    }
    int years = to->year - from->year;
    // This year's anniversary: her day, or the month's last when the month is shorter this year.
    const unsigned day = std::min(from->day, month_days(to->year, from->month, calendar));
    if (to->month < from->month || (to->month == from->month && to->day < day)) --years;
    return std::max(years, 0);
}

bool is_anniversary(LocalDate enrolled, LocalDate on, Calendar calendar) {
    const int years = tenure_years(enrolled, on, calendar);
    return years > 0 && tenure_years(enrolled, LocalDate{sys_days{on} - days{1}}, calendar) < years;
}

std::vector<LocalDate> enrolment_days_with_anniversary(LocalDate on, Calendar calendar, int first_year) {
    std::vector<LocalDate> found;
    const auto today = numbered(on, calendar);
    if (!today) return found;
    const unsigned this_month_days = month_days(today->year, today->month, calendar);
    for (int year = today->year - 1; year >= first_year; --year) {
        const unsigned then_days = month_days(year, today->month, calendar);
        // Her own day, and when today is the last day of a month that was longer then, the days
        // past it (a leap day: 29 February, 30 Esfand).
        const unsigned last = today->day == this_month_days ? then_days : today->day;
        for (unsigned day = today->day; day <= last; ++day) {
            if (const auto date = gregorian(Numbered{year, today->month, day}, calendar)) found.push_back(*date);
        }
    }
    return found;
}

}  // namespace patron::core
