#include "loyalty/core/jalali.h"

#include <array>
#include <cstdio>

namespace patron::core {
namespace {

using namespace std::chrono;

// The years in which the 33-year leap cycle is re-anchored to the true equinox (Borkowski, as
// jalaali-js tabulates them); the arithmetic holds from the first break to the last.
constexpr std::array kBreaks = {-61,  9,    38,   199,  426,  686,  756,  818,  1111, 1181,
                                1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178};

struct JalaliYear {
    int years_since_leap = 0;  // 0: the year itself is a leap year.
    int gregorian_year = 0;    // The Gregorian year in which it begins.
    int march_day = 0;         // The day of March on which 1 Farvardin falls.
};

bool in_range(int year) { return year >= kBreaks.front() && year < kBreaks.back(); }

// Where the Jalali year `year` begins and whether it is leap (the year must be in range).
// Integer division and remainder truncate toward zero here, as in the published algorithm.
JalaliYear jalali_year(int year) {
    const int gregorian_year = year + 621;
    int leap_jalali = -14;
    int previous_break = kBreaks.front();
    int jump = 0;
    for (std::size_t i = 1; i < kBreaks.size(); ++i) {
        jump = kBreaks[i] - previous_break;
        if (year < kBreaks[i]) break;
        leap_jalali += jump / 33 * 8 + jump % 33 / 4;
        previous_break = kBreaks[i];
    }
    int since_break = year - previous_break;
    leap_jalali += since_break / 33 * 8 + (since_break % 33 + 3) / 4;
    if (jump % 33 == 4 && jump - since_break == 4) leap_jalali += 1;
    const int leap_gregorian = gregorian_year / 4 - (gregorian_year / 100 + 1) * 3 / 4 - 150;
    const int march_day = 20 + leap_jalali - leap_gregorian;
    if (jump - since_break < 6) since_break = since_break - jump + (jump + 4) / 33 * 33;
    int years_since_leap = ((since_break + 1) % 33 - 1) % 4;
    if (years_since_leap == -1) years_since_leap = 4;
    return {years_since_leap, gregorian_year, march_day};
}

sys_days first_day_of(int year) {
    const JalaliYear found = jalali_year(year);
    return sys_days{std::chrono::year{found.gregorian_year} / March / 1} + days{found.march_day - 1};
}

// Day 0 of a year is 1 Farvardin: six months of 31 days, then months of 30.
JalaliDate from_day_of_year(int year, int day_of_year) {
    if (day_of_year < 186) {
        return {year, static_cast<unsigned>(1 + day_of_year / 31), static_cast<unsigned>(1 + day_of_year % 31)};
    }
    const int rest = day_of_year - 186;
    return {year, static_cast<unsigned>(7 + rest / 30), static_cast<unsigned>(1 + rest % 30)};
}

}  // namespace

bool is_jalali_leap_year(int year) { return in_range(year) && jalali_year(year).years_since_leap == 0; }

unsigned jalali_month_days(int year, unsigned month) {
    if (month <= 6) return 31;
    if (month <= 11) return 30;
    return is_jalali_leap_year(year) ? 30 : 29;
}

std::optional<JalaliDate> to_jalali(year_month_day date) {
    if (!date.ok()) return std::nullopt;
    int year = static_cast<int>(date.year()) - 621;
    if (!in_range(year) || !in_range(year - 1)) return std::nullopt;
    const sys_days day{date};
    if (day < first_day_of(year)) --year;
    return from_day_of_year(year, static_cast<int>((day - first_day_of(year)).count()));
}

std::optional<year_month_day> from_jalali(JalaliDate date) {
    if (!in_range(date.year) || date.month < 1 || date.month > 12 || date.day < 1 ||
        date.day > jalali_month_days(date.year, date.month)) {
        return std::nullopt;
    }
    const int months_before = static_cast<int>(date.month) - 1;
    const int day_of_year =
        (months_before <= 6 ? months_before * 31 : 186 + (months_before - 6) * 30) + static_cast<int>(date.day) - 1;
    return year_month_day{first_day_of(date.year) + days{day_of_year}};
}

std::string jalali_month_name(const JalaliDate& date) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u", date.year, date.month);
    return text;
}

}  // namespace patron::core
