// The pure parts of the Members report (issue 17): ratios rounded half away from zero, buyers split into new
// and returning, store rows, the snapshot's consent shares and both documents, on known answers.
#include <gtest/gtest.h>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/members_report.h"
#include "loyalty/core/members_report_document.h"

namespace patron::core {
namespace {

LocalDate on(const char* text) { return *parse_date(text); }

TEST(ReportRatios, RoundHalfAwayFromZeroAndGiveZeroWithoutDenominator) {
    struct Case {
        std::int64_t numerator, scale, denominator, expected;
    };
    const Case cases[] = {
        {5, 1, 2, 3},       {7, 1, 3, 2},           {-5, 1, 2, -3},
        {-7, 1, 2, -4},     {-7, 1, 3, -2},         {1, 100, 3, 33},
        {2, 100, 3, 67},    {1, 1000, 8, 125},      {1, 1000, 16, 63},
        {3, 100, 0, 0},     {0, 1000, 5, 0},        {5, 1, -2, -3},
        {1, 1000, 2000, 1}, {999, 1000, 2000, 500}, {4'000'000'000'000'000'000, 1, 3, 1'333'333'333'333'333'333},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(rounded_ratio(c.numerator, c.scale, c.denominator), c.expected)
            << c.numerator << " x" << c.scale << " / " << c.denominator;
    }
}

TEST(MembersReport, BuyersSplitIntoNewAndReturningWithSpendAndVisitsPerBuyer) {
    const BuyerFigures figures = buyer_figures(BuyerCounts{3, 1, 7, 1000});
    EXPECT_EQ(figures.returning_buyers, 2);
    EXPECT_EQ(figures.spend_per_buyer, 333);
    EXPECT_EQ(figures.visits_per_buyer_x100, 233);
    const BuyerFigures none = buyer_figures(BuyerCounts{});
    EXPECT_EQ(none.spend_per_buyer, 0);
    EXPECT_EQ(none.visits_per_buyer_x100, 0);
}

MembersReportInputs two_months() {
    MembersReportInputs inputs;
    inputs.query =
        ReportQuery{on("2026-10-15"), on("2026-11-30"), PeriodSize::kMonth, std::nullopt, true, ReportFormat::kJson};
    inputs.time_zone = "Asia/Tehran";
    inputs.currency = "IRR";
    inputs.store_codes = {{7, "S002"}, {3, "S001"}};
    MembersPeriodCounts october;
    october.enrolled = 2;
    october.buyers = {2, 2, 3, 900000};
    october.stores[3] = {2, 2, 3, 900000};
    MembersPeriodCounts november;
    november.tier_ups = 1;
    november.buyers = {2, 1, 2, 500000};
    november.stores[3] = {1, 0, 1, 200000};
    november.stores[7] = {1, 1, 1, 300000};
    inputs.periods = {october, november};
    inputs.total = MembersPeriodCounts{2, 1, 0, {3, 3, 5, 1400000}, {}};
    inputs.snapshot = MembersSnapshotCounts{3, 2, 3, 3, {{"gold", 1}, {"silver", 2}}, 1, 2};
    return inputs;
}

TEST(MembersReport, PeriodsCarryTheirCountsAndEveryStoreInCodeOrder) {
    const MembersReport report = build_members_report(two_months());
    ASSERT_EQ(report.periods.size(), 2U);
    EXPECT_EQ(report.periods[0].period.name, "2026-10");
    EXPECT_EQ(report.periods[0].period.first, on("2026-10-15"));
    EXPECT_EQ(report.periods[0].enrolled, 2);
    EXPECT_EQ(report.periods[0].buyers.spend_per_buyer, 450000);
    EXPECT_EQ(report.periods[0].buyers.visits_per_buyer_x100, 150);
    ASSERT_EQ(report.periods[0].stores.size(), 2U) << "a store without purchases has its row";
    EXPECT_EQ(report.periods[0].stores[0].store, "S001");
    EXPECT_EQ(report.periods[0].stores[1].store, "S002");
    EXPECT_EQ(report.periods[0].stores[1].buyers.counts, BuyerCounts{});
    EXPECT_EQ(report.periods[1].buyers.returning_buyers, 1);
    EXPECT_EQ(report.periods[1].tier_ups, 1);
    EXPECT_EQ(report.total.buyers.counts.buyers, 3) << "the range's buyers counted once, not summed";
    EXPECT_EQ(report.total.period.name, "2026-10-15/2026-11-30");
    EXPECT_EQ(report.snapshot.marketing_sms.share_permille, 333);
    EXPECT_EQ(report.snapshot.marketing_email.share_permille, 667);
}

TEST(MembersReport, ANamedStoreGetsItsRowAlone) {
    MembersReportInputs inputs = two_months();
    inputs.query.by_store = false;
    inputs.query.store = "S002";
    inputs.store_id = 7;
    const MembersReport report = build_members_report(inputs);
    ASSERT_EQ(report.periods[1].stores.size(), 1U);
    EXPECT_EQ(report.periods[1].stores[0].store, "S002");
    EXPECT_EQ(report.periods[1].stores[0].buyers.counts.new_buyers, 1);
}

TEST(MembersReport, BuyersAreCountedOncePerSpanAndStoreAndNewWhenTheirFirstPurchaseIsInTheSpan) {
    using std::chrono::hours;
    const Timestamp t0{std::chrono::seconds(1'795'000'000)};
    const std::vector<Timestamp> bounds{t0, t0 + hours(24), t0 + hours(48)};
    // Member 1 buys twice on day 0 at stores 10 and 20 (first purchase ever), again on day 1;
    // member 2, who bought before the range, buys on day 1 and returns 30; member 3's only
    // purchase on day 1 is voided (its total counted, then taken back); one fact is past the end.
    const std::vector<MemberPurchaseFact> facts{
        {t0 + hours(1), 1, 10, true, 100},   {t0 + hours(2), 1, 20, true, 50},    {t0 + hours(30), 1, 10, true, 70},
        {t0 + hours(31), 2, 20, true, 200},  {t0 + hours(32), 2, 20, false, -30}, {t0 + hours(33), 3, 10, false, 40},
        {t0 + hours(34), 3, 10, false, -40}, {t0 + hours(49), 2, 10, true, 999},
    };
    const FirstPurchases first{{1, t0 + hours(1)}};
    std::vector<MembersPeriodCounts> days(2);
    count_buyers(facts, bounds, first, true, std::nullopt, days);
    EXPECT_EQ(days[0].buyers, (BuyerCounts{1, 1, 2, 150}));
    EXPECT_EQ(days[1].buyers, (BuyerCounts{2, 0, 2, 240})) << "member 1 is new on day 0 only";
    EXPECT_EQ(days[0].stores.at(10), (BuyerCounts{1, 1, 1, 100}));
    EXPECT_EQ(days[0].stores.at(20), (BuyerCounts{1, 1, 1, 50}));
    EXPECT_EQ(days[1].stores.at(10), (BuyerCounts{1, 0, 1, 70}));
    EXPECT_EQ(days[1].stores.at(20), (BuyerCounts{1, 0, 1, 170}));

    std::vector<MembersPeriodCounts> whole(1);
    count_buyers(facts, {bounds.front(), bounds.back()}, first, true, 20, whole);
    EXPECT_EQ(whole[0].buyers, (BuyerCounts{2, 1, 4, 390})) << "member 1 buying on both days is one buyer";
    EXPECT_EQ(whole[0].stores.size(), 1U) << "the named store alone";
    EXPECT_EQ(whole[0].stores.at(20), (BuyerCounts{2, 1, 2, 220}));
}

TEST(MembersReport, DocumentsInJsonAndCsv) {
    const MembersReport report = build_members_report(two_months());
    const nlohmann::json document = members_report_json(report);
    EXPECT_EQ(document["report"], "members");
    EXPECT_EQ(document["periods"][1]["buyers"], nlohmann::json({{"buyers", 2},
                                                                {"new", 1},
                                                                {"returning", 1},
                                                                {"visits", 2},
                                                                {"spend", 500000},
                                                                {"spend_per_buyer", 250000},
                                                                {"visits_per_buyer_x100", 100}}));
    EXPECT_EQ(document["periods"][1]["tier_moves"], nlohmann::json({{"up", 1}, {"down", 0}}));
    EXPECT_EQ(document["snapshot"]["at"], "2026-11-30");
    EXPECT_EQ(document["snapshot"]["active"], nlohmann::json({{"days_30", 2}, {"days_90", 3}, {"days_365", 3}}));
    EXPECT_EQ(document["snapshot"]["by_tier"][1], nlohmann::json({{"tier", "silver"}, {"members", 2}}));
    EXPECT_EQ(document["snapshot"]["consents"]["marketing_email"],
              nlohmann::json({{"granted", 2}, {"share_permille", 667}}));
    const std::string csv = members_report_csv(report);
    EXPECT_TRUE(csv.starts_with("period,from,to,scope,store,tier,currency,enrolled,tier_ups,tier_downs,buyers,"))
        << csv;
    EXPECT_NE(csv.find("\r\n2026-10,2026-10-15,2026-10-31,all,,,IRR,2,0,0,2,2,0,3,900000,450000,150,,,,,,,,\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\r\n2026-11,2026-11-01,2026-11-30,store,S002,,IRR,,,,1,1,0,1,300000,300000,100,,,,,,,,\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\r\nsnapshot,2026-11-30,2026-11-30,snapshot,,,IRR,,,,,,,,,,,3,2,3,3,1,333,2,667\r\n"),
              std::string::npos)
        << csv;
    EXPECT_TRUE(csv.ends_with("\r\nsnapshot,2026-11-30,2026-11-30,tier,,silver,IRR,,,,,,,,,,,2,,,,,,,\r\n")) << csv;
}

}  // namespace
}  // namespace patron::core
