// The pure parts of reports (issue 17): Jalali months, the periods a range is cut into, the query
// every report shares, CSV as spreadsheets read it safely, the ledgers' daily totals and what each
// rule gave per day and member, and the Points & cashback report's figures, liability and
// breakage, all on known answers.
#include <gtest/gtest.h>

#include <algorithm>

#include "loyalty/core/csv_writer.h"
#include "loyalty/core/jalali.h"
#include "loyalty/core/ledger_days.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/points_report.h"
#include "loyalty/core/points_report_document.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/reward_days.h"
#include "loyalty/core/reward_reach_count.h"

namespace patron::core {
namespace {

using namespace std::chrono;

LocalDate on(const char* text) { return *parse_date(text); }

TEST(Jalali, KnownDatesConvertBothWays) {
    const std::pair<const char*, JalaliDate> known[] = {
        {"2026-11-29", {1405, 9, 8}},   {"2026-03-21", {1405, 1, 1}},   {"2025-03-20", {1403, 12, 30}},
        {"2025-03-21", {1404, 1, 1}},   {"2024-03-20", {1403, 1, 1}},   {"2021-03-20", {1399, 12, 30}},
        {"1979-02-11", {1357, 11, 22}}, {"2000-01-01", {1378, 10, 11}}, {"2026-11-22", {1405, 9, 1}},
        {"2026-12-21", {1405, 9, 30}},  {"2026-12-22", {1405, 10, 1}},  {"2027-03-20", {1405, 12, 29}},
    };
    for (const auto& [gregorian, jalali] : known) {
        SCOPED_TRACE(gregorian);
        EXPECT_EQ(to_jalali(on(gregorian)), jalali);
        EXPECT_EQ(from_jalali(jalali), on(gregorian));
    }
}

TEST(Jalali, LeapYearsFollowTheAstronomicalCalendarNotThe2820YearCycle) {
    EXPECT_TRUE(is_jalali_leap_year(1399));
    EXPECT_TRUE(is_jalali_leap_year(1403)) << "the 2820-year cycle gets this one wrong";
    EXPECT_FALSE(is_jalali_leap_year(1404));
    EXPECT_FALSE(is_jalali_leap_year(1405));
    EXPECT_TRUE(is_jalali_leap_year(1408));
    EXPECT_EQ(jalali_month_days(1403, 12), 30U);
    EXPECT_EQ(jalali_month_days(1404, 12), 29U);
    EXPECT_EQ(from_jalali({1404, 12, 30}), std::nullopt);
    EXPECT_EQ(from_jalali({1405, 13, 1}), std::nullopt);
}

TEST(Jalali, EveryDayOfTwoCenturiesFollowsTheDayBefore) {
    JalaliDate previous = *to_jalali(on("1900-01-01"));
    for (sys_days day = sys_days{on("1900-01-02")}; day <= sys_days{on("2100-12-31")}; day += days{1}) {
        const JalaliDate jalali = *to_jalali(LocalDate{day});
        const bool next_day =
            jalali.year == previous.year && jalali.month == previous.month && jalali.day == previous.day + 1;
        const bool next_month = jalali.year == previous.year && jalali.month == previous.month + 1 && jalali.day == 1 &&
                                previous.day == jalali_month_days(previous.year, previous.month);
        const bool next_year = jalali.year == previous.year + 1 && jalali.month == 1 && jalali.day == 1 &&
                               previous.month == 12 && previous.day == jalali_month_days(previous.year, 12);
        ASSERT_TRUE(next_day || next_month || next_year) << format_date(LocalDate{day});
        ASSERT_EQ(from_jalali(jalali), LocalDate{day});
        previous = jalali;
    }
}

std::vector<std::string> names_of(const std::vector<ReportPeriod>& periods) {
    std::vector<std::string> names;
    for (const ReportPeriod& period : periods) {
        names.push_back(period.name + " " + format_date(period.first) + ".." + format_date(period.last));
    }
    return names;
}

TEST(ReportPeriods, EachSizeCutsTheRangeAtItsEnds) {
    const LocalDate from = on("2026-11-25");
    const LocalDate to = on("2026-12-23");
    EXPECT_EQ(names_of(report_periods(from, to, PeriodSize::kWeek)).front(), "2026-11-23 2026-11-25..2026-11-29")
        << "weeks start on Monday and are named by it";
    EXPECT_EQ(names_of(report_periods(from, to, PeriodSize::kWeek)).back(), "2026-12-21 2026-12-21..2026-12-23");
    EXPECT_EQ(report_periods(from, to, PeriodSize::kWeek).size(), 5U);
    EXPECT_EQ(names_of(report_periods(from, to, PeriodSize::kMonth)),
              (std::vector<std::string>{"2026-11 2026-11-25..2026-11-30", "2026-12 2026-12-01..2026-12-23"}));
    EXPECT_EQ(names_of(report_periods(from, to, PeriodSize::kJalaliMonth)),
              (std::vector<std::string>{"1405-09 2026-11-25..2026-12-21", "1405-10 2026-12-22..2026-12-23"}));
    EXPECT_EQ(names_of(report_periods(from, to, PeriodSize::kTotal)),
              std::vector<std::string>{"2026-11-25/2026-12-23 2026-11-25..2026-12-23"});
    EXPECT_EQ(report_periods(from, to, PeriodSize::kDay).size(), 29U);
    EXPECT_EQ(report_periods(from, from, PeriodSize::kDay).front().name, "2026-11-25");
}

Result<ReportQuery> query(std::map<std::string, std::string> parameters, std::optional<std::string> accept = {}) {
    const auto request = parse_report_request(parameters, accept);
    if (!request) return std::unexpected(request.error());
    return settle_report_dates(*request, on("2026-11-30"));
}

TEST(ReportQueries, DefaultToTheLast30DaysByMonthAsJson) {
    const auto settled = query({});
    ASSERT_TRUE(settled.has_value());
    EXPECT_EQ(settled->from, on("2026-11-01"));
    EXPECT_EQ(settled->to, on("2026-11-30"));
    EXPECT_EQ(settled->by, PeriodSize::kMonth);
    EXPECT_EQ(settled->format, ReportFormat::kJson);
    EXPECT_FALSE(settled->per_store());
    EXPECT_EQ(query({{"to", "2026-10-31"}})->from, on("2026-10-02"));
}

TEST(ReportQueries, ReadEveryParameter) {
    const auto settled = query(
        {{"from", "2026-01-01"}, {"to", "2026-12-31"}, {"by", "jalali_month"}, {"store", "S001"}, {"format", "csv"}});
    ASSERT_TRUE(settled.has_value());
    EXPECT_EQ(settled->by, PeriodSize::kJalaliMonth);
    EXPECT_EQ(settled->store, "S001");
    EXPECT_TRUE(settled->per_store());
    EXPECT_EQ(settled->format, ReportFormat::kCsv);
    EXPECT_EQ(query({}, "text/csv")->format, ReportFormat::kCsv) << "Accept asks for CSV";
    EXPECT_EQ(query({{"format", "json"}}, "text/csv")->format, ReportFormat::kJson) << "format wins";
    EXPECT_TRUE(query({{"by_store", "true"}})->per_store());
    EXPECT_TRUE(query({{"from", "2025-12-01"}, {"to", "2026-12-01"}}).has_value()) << "366 days";
}

TEST(ReportQueries, RefuseEachBadParameterByName) {
    const std::pair<std::map<std::string, std::string>, const char*> refused[] = {
        {{{"from", "2026-02-30"}}, "from"}, {{{"from", "26-11-01"}}, "from"},
        {{{"to", "tomorrow"}}, "to"},       {{{"from", "2026-11-02"}, {"to", "2026-11-01"}}, "from"},
        {{{"from", "2026-12-01"}}, "from"}, {{{"from", "2025-11-30"}, {"to", "2026-12-01"}}, "to"},
        {{{"by", "year"}}, "by"},           {{{"by", ""}}, "by"},
        {{{"store", ""}}, "store"},         {{{"by_store", "yes"}}, "by_store"},
        {{{"format", "xml"}}, "format"},
    };
    for (const auto& [parameters, field] : refused) {
        SCOPED_TRACE(field);
        const auto settled = query(parameters);
        ASSERT_FALSE(settled.has_value());
        EXPECT_EQ(settled.error().code, ErrorCode::kValidationFailed);
        EXPECT_EQ(settled.error().field, field);
    }
}

TEST(CsvWriter, QuotesWhatRfc4180RequiresAndDisarmsFormulas) {
    CsvWriter csv;
    csv.text("plain").text("a,b").text("say \"hi\"").text("two\nlines").text("=SUM(A1)").text("+1").text("-x");
    csv.text("@cmd").text("\tTab").end_row();
    csv.number(-5).number(42).blank().text("").end_row();
    EXPECT_EQ(csv.csv(),
              "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=SUM(A1),'+1,'-x,'@cmd,'\tTab\r\n"
              "-5,42,,\r\n");
    CsvWriter quoted_formula;
    quoted_formula.text("=1,2").end_row();
    EXPECT_EQ(quoted_formula.csv(), "\"'=1,2\"\r\n");
}

// Tehran has kept +03:30 all year since 2022.
const FixedOffsetZone kTehran("Asia/Tehran", hours(3) + minutes(30));

Timestamp utc(const char* date, int hour, int minute) { return sys_days{on(date)} + hours(hour) + minutes(minute); }

TEST(LedgerDays, ATransferCountsOnItsLocalDayAtItsStoreByTheSignOfItsMemberEntries) {
    const TransferMovement movements[] = {
        {1, "earn", utc("2026-10-31", 20, 25), 7, 0, 100},      // 23:55 in Tehran, held.
        {2, "earn", utc("2026-10-31", 20, 35), 7, 50, 0},       // 00:05 on 1 November there.
        {3, "release", utc("2026-11-01", 9, 0), 0, 100, -100},  // Nets to zero.
        {4, "adjust", utc("2026-11-01", 10, 0), 0, -30, 0},    {5, "adjust", utc("2026-11-01", 11, 0), 0, 20, 0},
    };
    LedgerDays days;
    add_movements(days, HistoryBook::kPoints, movements, kTehran);
    EXPECT_EQ((days[{HistoryBook::kPoints, on("2026-10-31"), 7, "earn"}]), (LedgerDayTotals{1, 100, 0, 0, 100}));
    EXPECT_EQ((days[{HistoryBook::kPoints, on("2026-11-01"), 7, "earn"}]), (LedgerDayTotals{1, 50, 0, 50, 0}));
    EXPECT_EQ((days[{HistoryBook::kPoints, on("2026-11-01"), 0, "release"}]), (LedgerDayTotals{1, 0, 0, 100, -100}));
    EXPECT_EQ((days[{HistoryBook::kPoints, on("2026-11-01"), 0, "adjust"}]), (LedgerDayTotals{2, 20, 30, -10, 0}));
    EXPECT_EQ(days.size(), 4U);
}

TEST(RewardDays, AMembersShareCountsOnItsLocalDayAndAPurchaseOnlyWithItsFirstTransfer) {
    const RewardMovement movements[] = {
        {utc("2026-10-31", 20, 25), "base", "earn", 7, 41, 100, true},   // 23:55 in Tehran.
        {utc("2026-10-31", 20, 25), "base", "earn", 7, 41, 20, false},   // The same purchase again.
        {utc("2026-10-31", 20, 35), "base", "earn", 7, 41, 50, true},    // 00:05 on 1 November there.
        {utc("2026-10-31", 20, 35), "base", "earn", 7, 42, 30, true},    // Another member.
        {utc("2026-11-01", 9, 0), "base", "reverse", 7, 41, -40, true},  // A return.
    };
    RewardDays days;
    add_reward_movements(days, movements, kTehran);
    EXPECT_EQ((days[{on("2026-10-31"), "base", "earn", 7, 41}]), (RewardDayTotals{120, 1}));
    EXPECT_EQ((days[{on("2026-11-01"), "base", "earn", 7, 41}]), (RewardDayTotals{50, 1}));
    EXPECT_EQ((days[{on("2026-11-01"), "base", "earn", 7, 42}]), (RewardDayTotals{30, 1}));
    EXPECT_EQ((days[{on("2026-11-01"), "base", "reverse", 7, 41}]), (RewardDayTotals{-40, 1}));
    EXPECT_EQ(days.size(), 4U);
}

TEST(Liability, IsTheOutstandingValueLessTheShareOfPointsThatHistoricallyExpire) {
    const Liability liability = value_liability({800, 200, 5000}, {300, 700}, 10);
    EXPECT_EQ(liability.points_value, 10000);
    EXPECT_EQ(liability.cashback, 5000);
    EXPECT_EQ(liability.total, 15000);
    EXPECT_EQ(liability.breakage_ppm, 300000);
    EXPECT_EQ(liability.expected_breakage, 3000) << "30% of the points' value; cashback does not expire";
    EXPECT_EQ(liability.net, 12000);
    EXPECT_EQ(value_liability({1, 0, 0}, {1, 2}, 1).expected_breakage, 0) << "1/3 of 1 rounds down";
    EXPECT_EQ(value_liability({1, 0, 0}, {2, 1}, 1).expected_breakage, 1) << "2/3 of 1 rounds up";
    EXPECT_EQ(value_liability({1, 0, 0}, {1, 2}, 1).breakage_ppm, 333333) << "1/3 in millionths rounds down";
    EXPECT_EQ(value_liability({1, 0, 0}, {2, 1}, 1).breakage_ppm, 666667) << "2/3 in millionths rounds up, alike";
    EXPECT_EQ(value_liability({100, 0, 0}, {0, 0}, 10).net, 1000) << "no history, no breakage";
    EXPECT_EQ(value_liability({-100, 0, 0}, {5, 5}, 10).expected_breakage, 0) << "a debt does not break";
}

LedgerDayKey key(HistoryBook book, const char* day, std::int64_t store, const char* kind) {
    return {book, on(day), store, kind};
}

// Opening on 1 November: 1,000 available and 100 held, 2,000 of cashback; 300 expired and 800
// redeemed (100 of them given back) before. Then two days at two stores and without a store.
PointsReportInputs november(PeriodSize by, bool by_store) {
    PointsReportInputs inputs;
    inputs.query = ReportQuery{on("2026-11-01"), on("2026-11-02"), by, std::nullopt, by_store, ReportFormat::kJson};
    inputs.time_zone = "Asia/Tehran";
    inputs.currency = "IRR";
    inputs.point_value_minor = 1000;
    inputs.store_codes = {{7, "S002"}, {3, "S001"}};
    const auto P = HistoryBook::kPoints;
    const auto C = HistoryBook::kCashback;
    inputs.before[key(P, "2026-10-31", 3, "earn")] = {10, 2300, 0, 2000, 100};
    inputs.before[key(P, "2026-10-31", 0, "expire")] = {1, 0, 300, -300, 0};
    inputs.before[key(P, "2026-10-31", 3, "redeem")] = {2, 0, 800, -800, 0};
    inputs.before[key(P, "2026-10-31", 3, "refund")] = {1, 100, 0, 100, 0};
    inputs.before[key(C, "2026-10-31", 3, "earn")] = {1, 2000, 0, 2000, 0};
    inputs.within[key(P, "2026-11-01", 3, "earn")] = {2, 500, 0, 400, 100};
    inputs.within[key(P, "2026-11-01", 7, "redeem")] = {1, 0, 200, -200, 0};
    inputs.within[key(P, "2026-11-01", 7, "reverse")] = {1, 0, 60, -10, -50};
    inputs.within[key(P, "2026-11-02", 0, "release")] = {1, 0, 0, 150, -150};
    inputs.within[key(P, "2026-11-02", 0, "expire")] = {1, 0, 100, -100, 0};
    inputs.within[key(P, "2026-11-02", 0, "adjust")] = {2, 40, 15, 25, 0};
    inputs.within[key(P, "2026-11-02", 7, "refund")] = {1, 20, 0, 20, 0};
    inputs.within[key(C, "2026-11-01", 3, "earn")] = {1, 700, 0, 700, 0};
    inputs.within[key(C, "2026-11-02", 7, "spend")] = {1, 0, 300, -300, 0};
    inputs.within[key(C, "2026-11-02", 3, "reverse")] = {1, 0, 35, -35, 0};
    return inputs;
}

TEST(PointsReport, SumsEachKindIntoItsFigureAndCarriesTheBalancesFromPeriodToPeriod) {
    const PointsReport report = build_points_report(november(PeriodSize::kDay, false));
    EXPECT_EQ(report.opening, (OutstandingBalances{1000, 100, 2000}));
    ASSERT_EQ(report.periods.size(), 2U);
    const PeriodFigures& first = report.periods[0];
    EXPECT_EQ(first.points, (PointsMovements{500, 200, 0, 0, 0, 60, 0}));
    EXPECT_EQ(first.closing, (OutstandingBalances{1190, 150, 2700}));
    EXPECT_EQ(first.cashback, (CashbackMovements{700, 0, 0, 0}));
    const PeriodFigures& second = report.periods[1];
    EXPECT_EQ(second.points, (PointsMovements{0, 0, 100, 40, 15, 0, 20}));
    EXPECT_EQ(second.closing, (OutstandingBalances{1285, 0, 2365}));
    EXPECT_EQ(second.cashback, (CashbackMovements{0, 300, 35, 0}));
    EXPECT_TRUE(first.stores.empty());
    // Every point accounted for: opening + issued - redeemed - expired + adjusted - returned + refunded.
    const PointsMovements& all = report.total.points;
    EXPECT_EQ(report.opening.points() + all.issued - all.redeemed - all.expired + all.adjusted_plus -
                  all.adjusted_minus - all.returned + all.refunded,
              report.total.closing.points());
    EXPECT_EQ(report.total.closing, second.closing);
    // E = 300 + 100 expired; R = 800 - 100 + 200 - 20 redeemed net: 400 / 1280.
    EXPECT_EQ(report.total.liability.breakage.expired, 400);
    EXPECT_EQ(report.total.liability.breakage.redeemed, 880);
    EXPECT_EQ(report.total.liability.points_value, 1285000);
    EXPECT_EQ(report.total.liability.breakage_ppm, 312500);
    EXPECT_EQ(report.total.liability.expected_breakage, 401563) << "1,285,000 x 400 / 1,280, rounded half up";
    EXPECT_EQ(report.total.liability.net, 1285000 + 2365 - 401563);
    EXPECT_EQ(first.liability.breakage.redeemed, 900) << "the breakage history runs to each period's end";
}

TEST(PointsReport, ListsEveryStoreInCodeOrderThenTheMovementsOfNoStore) {
    const PointsReport report = build_points_report(november(PeriodSize::kTotal, true));
    ASSERT_EQ(report.periods.size(), 1U);
    const auto& stores = report.periods[0].stores;
    ASSERT_EQ(stores.size(), 3U);
    EXPECT_EQ(stores[0].store, "S001");
    EXPECT_EQ(stores[0].points, (PointsMovements{500, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(stores[0].cashback, (CashbackMovements{700, 0, 35, 0}));
    EXPECT_EQ(stores[1].store, "S002");
    EXPECT_EQ(stores[1].points, (PointsMovements{0, 200, 0, 0, 0, 60, 20}));
    EXPECT_EQ(stores[2].store, std::nullopt);
    EXPECT_EQ(stores[2].points, (PointsMovements{0, 0, 100, 40, 15, 0, 0}));
    PointsMovements summed;
    for (const StoreFigures& store : stores) summed += store.points;
    EXPECT_EQ(summed, report.total.points) << "the stores add up to the programme";

    PointsReportInputs one_store = november(PeriodSize::kTotal, false);
    one_store.query.store = "S002";
    one_store.store_id = 7;
    const PointsReport filtered = build_points_report(one_store);
    ASSERT_EQ(filtered.periods[0].stores.size(), 1U);
    EXPECT_EQ(filtered.periods[0].stores[0].store, "S002");
}

TEST(PointsReport, CsvHasAHeaderAndARowPerPeriodAndScope) {
    const std::string csv = points_report_csv(build_points_report(november(PeriodSize::kDay, true)));
    const std::string header =
        "period,from,to,scope,store,currency,points_issued,points_redeemed,points_expired,points_adjusted_plus,"
        "points_adjusted_minus,points_returned,points_refunded,points_available,points_pending,points_outstanding,"
        "cashback_issued,cashback_spent,cashback_returned,cashback_refunded,cashback_outstanding,"
        "liability_points_value,liability_cashback,liability_total,breakage_ppm,expected_breakage,liability_net\r\n";
    ASSERT_TRUE(csv.starts_with(header)) << csv;
    EXPECT_NE(
        csv.find("\r\n2026-11-01,2026-11-01,2026-11-01,all,,IRR,500,200,0,0,0,60,0,1190,150,1340,700,0,0,0,2700,"),
        std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\r\n2026-11-02,2026-11-02,2026-11-02,store,S002,IRR,0,0,0,0,0,0,20,,,,0,300,0,0,,,,,,,\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\r\n2026-11-02,2026-11-02,2026-11-02,none,,IRR,0,0,100,40,15,0,0,,,,0,0,0,0,,,,,,,\r\n"),
              std::string::npos)
        << csv;
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 4);
}

TEST(PointsReport, JsonNamesEveryFigure) {
    const nlohmann::json document = points_report_json(build_points_report(november(PeriodSize::kMonth, true)));
    EXPECT_EQ(document["by"], "month");
    EXPECT_EQ(document["time_zone"], "Asia/Tehran");
    EXPECT_EQ(document["opening"]["points"]["outstanding"], 1100);
    const nlohmann::json& period = document["periods"][0];
    EXPECT_EQ(period["period"], "2026-11");
    EXPECT_EQ(period["to"], "2026-11-02");
    EXPECT_EQ(period["points"]["outstanding"], 1285);
    EXPECT_EQ(period["points"]["adjusted_minus"], 15);
    EXPECT_EQ(period["cashback"]["outstanding"], 2365);
    EXPECT_EQ(period["liability"]["breakage"]["ppm"], 312500);
    EXPECT_EQ(period["stores"][2]["store"], nullptr);
    EXPECT_EQ(document["total"]["liability"], period["liability"]);
}

// A member reached at two stores and on several rows counts once for the programme and once at
// each store; purchases named on several rows count once, purchases counted apart add up; the
// programme's purchases are its stores' summed; sources are kept apart.
TEST(RewardReachCount, CountsDistinctMembersPerStoreAndProgrammeAndPurchasesOnce) {
    using core::RewardKind;
    const core::RewardSource card{RewardKind::kStampCard, "coffee"};
    const core::RewardSource rule{RewardKind::kEarnRule, "base"};
    core::RewardReachCount count;
    core::RewardReachCount::Tally& tehran = count.at(card, 1);
    for (const auto& [member, purchase] : {std::pair{7, 100}, {7, 100}, {7, 101}, {8, 102}}) {
        tehran.add_member(member);
        tehran.add_purchase(purchase);
    }
    core::RewardReachCount::Tally& karaj = count.at(card, 2);
    karaj.add_member(7);
    karaj.add_purchase(200);
    EXPECT_EQ(&count.at(card, 1), &tehran) << "a tally stays where it is as others are added";
    core::RewardReachCount::Tally& base = count.at(rule, 1);
    base.add_member(9);
    base.add_purchases(3);
    base.add_member(9);
    base.add_purchases(2);

    core::RewardsReportInputs inputs;
    count.write_to(inputs);
    EXPECT_EQ(inputs.store_reach.at({card, 1}), (core::RewardReach{3, 2}));
    EXPECT_EQ(inputs.store_reach.at({card, 2}), (core::RewardReach{1, 1}));
    EXPECT_EQ(inputs.reach.at(card), (core::RewardReach{4, 2})) << "member 7 once across both stores";
    EXPECT_EQ(inputs.store_reach.at({rule, 1}), (core::RewardReach{5, 1}));
    EXPECT_EQ(inputs.reach.at(rule), (core::RewardReach{5, 1}));
    EXPECT_EQ(inputs.reach.size(), 2u);
}

}  // namespace
}  // namespace patron::core
