// The programme's time zone in the rules: lots expire at the end of a local day, tier windows are
// local days and local calendar years, and the zones of the system's tzdata (through the date
// library) answer local dates across clock changes.
#include "loyalty/core/time_zone.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/points.h"
#include "loyalty/core/tiers.h"
#include "loyalty/service/runtime/time_zones.h"

namespace patron::core {
namespace {

using namespace std::chrono;

// Tehran has kept +03:30 all year since 2022.
const FixedOffsetZone kTehran("Asia/Tehran", hours(3) + minutes(30));
const TimeZone& kUtc = *utc_time_zone();

Timestamp utc(const char* text) {
    // "2026-11-30T20:40" (UTC).
    const std::string value(text);
    return sys_days{*parse_date(value.substr(0, 10))} + hours(std::stoi(value.substr(11, 2))) +
           minutes(std::stoi(value.substr(14, 2)));
}
LocalDate on(const char* text) { return *parse_date(text); }

TierPolicy tiers(const char* window) {
    return parse_tier_policy(nlohmann::json::parse(std::string(R"({"window": )") + window +
                                                   R"(, "tiers": [{"name": "Bronze", "threshold": 0},
                                                   {"name": "Silver", "threshold": 500}]})"),
                             1)
        .value();
}

TEST(LocalDates, AnInstantFallsOnTheDateOfTheZonesClock) {
    EXPECT_EQ(local_date(kTehran, utc("2026-11-30T20:29")), on("2026-11-30"));
    EXPECT_EQ(local_date(kTehran, utc("2026-11-30T20:30")), on("2026-12-01")) << "midnight in Tehran";
    EXPECT_EQ(local_date(kUtc, utc("2026-11-30T20:40")), on("2026-11-30"));
    EXPECT_EQ(last_local_date(kTehran, utc("2026-11-30T20:30")), on("2026-11-30")) << "a midnight ends the day before";
    EXPECT_EQ(kTehran.day_start(on("2026-12-01")), utc("2026-11-30T20:30"));
    EXPECT_EQ(day_end(kTehran, on("2026-12-01")), utc("2026-12-01T20:30"));
    EXPECT_EQ(add_days(on("2028-02-28"), 1), on("2028-02-29"));
}

TEST(LocalDates, APurchaseTenMinutesAfterMidnightInTehranExpiresAtTheEndOfThatLocalDayAYearLater) {
    PointsPolicy policy;
    policy.expiry_months = 12;
    const Timestamp earned = utc("2026-11-30T20:40");  // 00:10 on 1 December in Tehran.
    EXPECT_EQ(lot_dates(earned, policy, kTehran).expires_at, utc("2027-12-01T20:30"))
        << "to the end of 1 December 2027 in Tehran";
    EXPECT_EQ(lot_dates(earned, policy, kUtc).expires_at, utc("2027-12-01T00:00"))
        << "in UTC the same instant is still 30 November";
    EXPECT_EQ(last_day_to_spend(local_date(kTehran, earned), policy), on("2027-12-01"));
    policy.expiry_months = 3;
    EXPECT_EQ(lot_dates(utc("2026-11-30T20:40"), policy, kTehran).expires_at, utc("2027-03-01T20:30"))
        << "1 December + 3 months";
    EXPECT_EQ(lot_dates(utc("2027-05-30T20:40"), policy, kTehran).expires_at, utc("2027-08-31T20:30"))
        << "31 May + 3 months is 31 August";
}

TEST(LocalDates, AQuarterEndExpiryFollowsTheLocalQuarter) {
    PointsPolicy policy;
    policy.expiry_mode = ExpiryMode::kQuarterEnd;
    const Timestamp new_year = utc("2026-12-31T21:00");  // 00:30 on 1 January 2027 in Tehran.
    EXPECT_EQ(lot_dates(new_year, policy, kTehran).expires_at, utc("2027-06-30T20:30"))
        << "earned in Q1 2027 locally: the end of Q2";
    EXPECT_EQ(lot_dates(new_year, policy, kUtc).expires_at, utc("2027-04-01T00:00"))
        << "still Q4 2026 in UTC: the end of Q1";
}

TEST(LocalDates, ACalendarYearWindowIsTheGregorianYearOnTheLocalClock) {
    const TierPolicy yearly = tiers(R"({"kind": "calendar_year"})");
    const Timestamp after_new_year = utc("2026-12-31T21:00");  // 00:30 on 1 January 2027 in Tehran.
    EXPECT_EQ(progress_window(yearly, after_new_year, kTehran).from, utc("2026-12-31T20:30"))
        << "2027 began half an hour ago in Tehran";
    EXPECT_EQ(progress_window(yearly, utc("2026-12-31T20:00"), kTehran).from, utc("2025-12-31T20:30"))
        << "23:30 on 31 December: still 2026";
    EXPECT_EQ(progress_window(yearly, after_new_year, kUtc).from, utc("2026-01-01T00:00"));
    EXPECT_EQ(progress_days(yearly, after_new_year, kTehran).first, on("2027-01-01"));
    EXPECT_EQ(progress_days(yearly, after_new_year, kTehran).last, on("2027-12-31"));
    EXPECT_EQ(secured_until(yearly, after_new_year, kTehran), utc("2028-12-31T20:30"))
        << "this year and the next, to local midnight";
    const TierProgress progress =
        tier_progress(yearly, "Bronze", std::nullopt, 120, std::nullopt, after_new_year, kTehran);
    EXPECT_EQ(progress.next_by, utc("2027-12-31T20:30")) << "before the local year ends";
    EXPECT_EQ(progress.next_threshold, 500);
    EXPECT_EQ(progress.missing, 380);
    EXPECT_EQ(measuring_window(yearly, utc("2026-12-31T20:30"), kTehran).from, utc("2025-12-31T20:30"))
        << "a period ending at local New Year measures the year before it";
}

TEST(LocalDates, ARollingWindowCountsLocalDays) {
    const TierPolicy rolling = tiers(R"({"kind": "rolling", "months": 12})");
    const Timestamp now = utc("2026-11-30T20:40");  // 00:10 on 1 December in Tehran.
    EXPECT_EQ(progress_window(rolling, now, kTehran).from, utc("2025-12-01T20:30"))
        << "2 December 2025 to 1 December 2026: twelve months of whole local days";
    EXPECT_EQ(progress_days(rolling, now, kTehran).first, on("2025-12-02"));
    EXPECT_EQ(progress_days(rolling, now, kTehran).last, on("2026-12-01"));
    EXPECT_EQ(secured_until(rolling, now, kTehran), utc("2027-12-01T20:30"))
        << "reached on 1 December: secured to the end of 1 December a year later";
    const TierProgress progress =
        tier_progress(rolling, "Bronze", std::nullopt, 120, utc("2026-03-10T21:00"), now, kTehran);
    EXPECT_EQ(progress.next_by, utc("2027-03-10T20:30"))
        << "earned on 11 March (local), it counts until 11 March a year later begins";
    const Timestamp period_end = secured_until(rolling, now, kTehran);
    EXPECT_EQ(review_window(rolling, period_end, kTehran).from, utc("2026-12-01T20:30"))
        << "the review counts the days after the one the tier was reached on";
    EXPECT_EQ(review_tier(rolling, "Silver", 600, period_end, period_end, kTehran).secured_until,
              utc("2028-12-01T20:30"))
        << "a kept tier's next period follows on without a gap or a day lost";
}

}  // namespace
}  // namespace patron::core

namespace patron::service {
namespace {

using namespace std::chrono;

core::Timestamp utc_day(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}}; }

TEST(TimeZoneDatabase, TehranHasItsOffsetsOfEachYear) {
    const auto tehran = locate_time_zone("Asia/Tehran");
    EXPECT_EQ(tehran->name(), "Asia/Tehran");
    EXPECT_EQ(tehran->utc_offset(utc_day(2026, 11, 30)), hours(3) + minutes(30));
    EXPECT_EQ(tehran->utc_offset(utc_day(2008, 6, 1)), hours(4) + minutes(30)) << "summer time until 2022";
    EXPECT_EQ(tehran->day_start(year{2026} / 12 / 1), utc_day(2026, 11, 30) + hours(20) + minutes(30));
    // On 21 March 2008 the clock went from 23:59 straight to 01:00: the day began at that instant.
    EXPECT_EQ(tehran->day_start(year{2008} / 3 / 21), utc_day(2008, 3, 20) + hours(20) + minutes(30));
    EXPECT_EQ(core::local_date(*tehran, utc_day(2008, 3, 20) + hours(20) + minutes(30)), year{2008} / 3 / 21);
    EXPECT_EQ(locate_time_zone("Asia/Tehran"), tehran) << "located once";
}

TEST(TimeZoneDatabase, ADaylightSavingGapAtMidnightStartsTheDayWhenTheClockJumps) {
    const auto sao_paulo = locate_time_zone("America/Sao_Paulo");
    // 4 November 2018: 00:00 became 01:00 (-02:00), at 03:00 UTC.
    EXPECT_EQ(sao_paulo->day_start(year{2018} / 11 / 4), utc_day(2018, 11, 4) + hours(3));
    EXPECT_EQ(core::day_end(*sao_paulo, year{2018} / 11 / 3), utc_day(2018, 11, 4) + hours(3));
    EXPECT_EQ(sao_paulo->day_start(year{2018} / 11 / 5), utc_day(2018, 11, 5) + hours(2));
}

TEST(TimeZoneDatabase, UnknownNamesAreRefusedAndFallBackToUtc) {
    EXPECT_TRUE(is_known_time_zone("Asia/Tehran"));
    EXPECT_TRUE(is_known_time_zone("UTC"));
    EXPECT_FALSE(is_known_time_zone("Asia/Nowhere"));
    EXPECT_EQ(locate_time_zone("Asia/Nowhere")->name(), "UTC");
    EXPECT_EQ(locate_time_zone("UTC"), core::utc_time_zone());
}

// Retry-After in the HTTP date form, rounded up so that a client never comes back early.
TEST(HttpDate, IsTheRfc9110FormRoundedUpToTheSecond) {
    const core::Timestamp lifts = sys_days{2026y / November / 30} + 7h + 39min + 59s + 200ms;
    EXPECT_EQ(core::format_http_date(lifts), "Mon, 30 Nov 2026 07:40:00 GMT");
    EXPECT_EQ(core::format_http_date(sys_days{2027y / January / 3} + 0s), "Sun, 03 Jan 2027 00:00:00 GMT");
    EXPECT_EQ(core::format_http_date(sys_days{2026y / December / 31} + 23h + 59min + 59s + 1us),
              "Fri, 01 Jan 2027 00:00:00 GMT");
}

}  // namespace
}  // namespace patron::service
