// Tenure in whole years of the programme's calendar (issue 24): anniversaries on her own day, the
// month's last day when the month is shorter that year, Jalali years for Persian programmes; and
// the enrolment days whose anniversary a day is, checked against every pair of days.
#include "loyalty/core/tenure.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

using namespace std::chrono;

LocalDate on(int y, unsigned m, unsigned d) { return LocalDate{year{y}, month{m}, day{d}}; }

TEST(Tenure, AYearIsCompleteOnHerDayAndALeapDaysAnniversaryIsTheMonthsLastDay) {
    const Calendar gregorian = Calendar::kGregorian;
    EXPECT_EQ(tenure_years(on(2024, 2, 29), on(2024, 2, 29), gregorian), 0);
    EXPECT_EQ(tenure_years(on(2024, 2, 29), on(2024, 2, 28), gregorian), 0) << "a day before she enrolled";
    EXPECT_EQ(tenure_years(on(2024, 2, 29), on(2025, 2, 27), gregorian), 0);
    EXPECT_EQ(tenure_years(on(2024, 2, 29), on(2025, 2, 28), gregorian), 1) << "February is shorter in 2025";
    EXPECT_EQ(tenure_years(on(2024, 2, 29), on(2028, 2, 28), gregorian), 3) << "2028 has her day";
    EXPECT_EQ(tenure_years(on(2024, 2, 29), on(2028, 2, 29), gregorian), 4);
    EXPECT_EQ(tenure_years(on(2020, 11, 18), on(2026, 11, 17), gregorian), 5);
    EXPECT_EQ(tenure_years(on(2020, 11, 18), on(2026, 11, 18), gregorian), 6);
    EXPECT_TRUE(is_anniversary(on(2024, 2, 29), on(2025, 2, 28), gregorian));
    EXPECT_FALSE(is_anniversary(on(2024, 2, 29), on(2025, 3, 1), gregorian));
    EXPECT_FALSE(is_anniversary(on(2024, 2, 29), on(2028, 2, 28), gregorian));
    EXPECT_TRUE(is_anniversary(on(2024, 2, 29), on(2028, 2, 29), gregorian));
    EXPECT_FALSE(is_anniversary(on(2024, 2, 29), on(2024, 2, 29), gregorian)) << "the day she enrolled";
}

TEST(Tenure, APersianProgrammeCountsJalaliYears) {
    EXPECT_EQ(calendar_of(Language::kPersian), Calendar::kJalali);
    EXPECT_EQ(calendar_of(Language::kEnglish), Calendar::kGregorian);
    // 1 Farvardin 1403 was 20 March 2024; 1 Farvardin 1404, 21 March 2025 (1403 is a leap year).
    EXPECT_EQ(tenure_years(on(2024, 3, 20), on(2025, 3, 20), Calendar::kGregorian), 1);
    EXPECT_EQ(tenure_years(on(2024, 3, 20), on(2025, 3, 20), Calendar::kJalali), 0) << "29 Esfand 1403";
    EXPECT_EQ(tenure_years(on(2024, 3, 20), on(2025, 3, 21), Calendar::kJalali), 1) << "1 Farvardin 1404";
    EXPECT_TRUE(is_anniversary(on(2024, 3, 20), on(2025, 3, 21), Calendar::kJalali));
    // 30 Esfand 1403 (20 March 2025): in 1404, a common year, her anniversary is 29 Esfand (20 March 2026).
    EXPECT_EQ(tenure_years(on(2025, 3, 20), on(2026, 3, 19), Calendar::kJalali), 0);
    EXPECT_EQ(tenure_years(on(2025, 3, 20), on(2026, 3, 20), Calendar::kJalali), 1);
    EXPECT_EQ(calendar_year(on(2026, 11, 18), Calendar::kJalali), 1405);
    EXPECT_EQ(calendar_year(on(2026, 11, 18), Calendar::kGregorian), 2026);
}

TEST(Tenure, TheEnrolmentDaysWhoseAnniversaryADayIsIncludeTheLeapDayAtAShortMonthsEnd) {
    EXPECT_EQ(enrolment_days_with_anniversary(on(2025, 2, 28), Calendar::kGregorian, 2023),
              (std::vector<LocalDate>{on(2024, 2, 28), on(2024, 2, 29), on(2023, 2, 28)}));
    EXPECT_EQ(enrolment_days_with_anniversary(on(2026, 11, 18), Calendar::kGregorian, 2025),
              (std::vector<LocalDate>{on(2025, 11, 18)}));
    // 29 Esfand 1404 (20 March 2026): 29 and 30 Esfand 1403, and 29 Esfand 1402 (a common year).
    EXPECT_EQ(enrolment_days_with_anniversary(on(2026, 3, 20), Calendar::kJalali, 1402),
              (std::vector<LocalDate>{on(2025, 3, 19), on(2025, 3, 20), on(2024, 3, 19)}));
    EXPECT_TRUE(enrolment_days_with_anniversary(on(2026, 3, 20), Calendar::kJalali, 1405).empty());

    // Every pair of an enrolment day in the 450 from 1 January 2024 (29 February 2024 and 30 Esfand
    // 1403 among them) and a later day within three years: listed exactly when it is her anniversary.
    for (const Calendar calendar : {Calendar::kGregorian, Calendar::kJalali}) {
        const sys_days first{on(2024, 1, 1)};
        for (sys_days today = first + days{1}; today < first + days{3 * 366}; today += days{1}) {
            const auto listed =
                enrolment_days_with_anniversary(LocalDate{today}, calendar, calendar_year(LocalDate{first}, calendar));
            for (sys_days enrolled = first; enrolled < std::min(today, first + days{450}); enrolled += days{1}) {
                const bool found = std::ranges::find(listed, LocalDate{enrolled}) != listed.end();
                ASSERT_EQ(found, is_anniversary(LocalDate{enrolled}, LocalDate{today}, calendar))
                    << format_date(LocalDate{enrolled}) << " and " << format_date(LocalDate{today}) << " in "
                    << (calendar == Calendar::kJalali ? "Jalali" : "Gregorian");
            }
        }
    }
}

}  // namespace
}  // namespace patron::core
