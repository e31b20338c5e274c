// Post-purchase feedback without a database: the answer document, the window, the link token's
// form, the masking analysts see, and the report's integer arithmetic against known answers.
#include "loyalty/core/feedback.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/feedback_masking.h"
#include "loyalty/core/feedback_report.h"
#include "loyalty/core/feedback_report_document.h"
#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::seconds;

// The tally of these NPS answers alone.
FeedbackTally nps_tally(std::initializer_list<int> answers) {
    FeedbackTally tally;
    for (int answer : answers) {
        ++tally.responses;
        ++tally.nps_answers;
        tally.promoters += answer >= 9 ? 1 : 0;
        tally.detractors += answer <= 6 ? 1 : 0;
    }
    return tally;
}

LocalDate date(const char* text) { return parse_date(text).value(); }

TEST(FeedbackAnswer, TakesEachScoreInItsRangeAndAComment) {
    const auto answer = decode_feedback_answer(json{{"nps", 10}, {"csat", 1}, {"ces", 7}, {"comment", "عالی بود"}});
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->nps, 10);
    EXPECT_EQ(answer->csat, 1);
    EXPECT_EQ(answer->ces, 7);
    EXPECT_EQ(answer->comment, "عالی بود");
    const auto nps_only = decode_feedback_answer(json{{"nps", 0}, {"comment", "   "}});
    ASSERT_TRUE(nps_only);
    EXPECT_FALSE(nps_only->csat);
    EXPECT_FALSE(nps_only->comment) << "a blank comment is none";
}

TEST(FeedbackAnswer, RefusesEachProblemByItsField) {
    struct Case {
        json document;
        const char* field;
    };
    const Case cases[] = {
        {{{"nps", 11}}, "nps"},
        {{{"nps", -1}}, "nps"},
        {{{"nps", 9.5}}, "nps"},
        {{{"csat", 0}}, "csat"},
        {{{"csat", 6}}, "csat"},
        {{{"ces", 8}}, "ces"},
        {{{"ces", "7"}}, "ces"},
        {{{"comment", "only a comment"}}, "nps"},
        {json::object(), "nps"},
        {{{"nps", 5}, {"comment", std::string(1001, 'a')}}, "comment"},
        {{{"nps", 5}, {"comment", 12}}, "comment"},
        {{{"nps", 5}, {"mood", "good"}}, "mood"},
        {json::array(), "$"},
    };
    for (const Case& c : cases) {
        const auto answer = decode_feedback_answer(c.document);
        ASSERT_FALSE(answer) << c.document;
        EXPECT_EQ(answer.error().code, ErrorCode::kValidationFailed);
        EXPECT_EQ(answer.error().field, c.field) << c.document;
    }
    std::string persian;
    for (int i = 0; i < 1000; ++i) persian += "س";
    EXPECT_TRUE(decode_feedback_answer(json{{"nps", 5}, {"comment", persian}})) << "1000 characters, not bytes";
}

TEST(FeedbackAnswer, RefusesACommentThatIsNotUtf8) {
    const json document = json::parse(R"({"nps": 5})");
    json with_comment = document;
    with_comment["comment"] = std::string("caf\xc3", 4);
    const auto answer = decode_feedback_answer(with_comment);
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().field, "comment");
}

TEST(FeedbackWindow, IsOpenUpToItsLastInstantAndClosedWhenZero) {
    const Timestamp bought{seconds(1'795'000'000)};
    const seconds window = days(14);
    EXPECT_TRUE(feedback_window_open(bought, window, bought));
    EXPECT_TRUE(feedback_window_open(bought, window, bought + window));
    EXPECT_FALSE(feedback_window_open(bought, window, bought + window + std::chrono::microseconds(1)));
    EXPECT_FALSE(feedback_window_open(bought, seconds(0), bought));
}

TEST(FeedbackToken, ReadsBackWhatWasWrittenAndNothingElse) {
    const Timestamp expires{seconds(1'796'209'600)};
    const std::string signed_part = feedback_token_signed_part(4711, expires);
    EXPECT_EQ(signed_part, "4711.1796209600");
    const std::string token = feedback_token_text(signed_part, std::string(32, 'a'));
    const auto parsed = parse_feedback_token(token);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->purchase_id, 4711);
    EXPECT_EQ(parsed->expires_at, expires);
    EXPECT_EQ(parsed->signed_part, signed_part);
    for (const char* bad :
         {"", "4711", "4711.1796209600", "4711.1796209600.", "04711.1796209600.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "0.1796209600.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "4711.1796209600.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          "4711.1796209600.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "4711.1796209600.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "-4711.1796209600.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "4711.99999999999999999.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "4711.1796209600.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.1"}) {
        EXPECT_FALSE(parse_feedback_token(bad)) << bad;
    }
}

TEST(FeedbackToken, LinksUnderThePublicUrlOrAsAPath) {
    EXPECT_EQ(feedback_link("https://club.example/", "1.2.ab"), "https://club.example/portal/#rate=1.2.ab");
    EXPECT_EQ(feedback_link("", "1.2.ab"), "/portal/#rate=1.2.ab");
}

TEST(FeedbackMasking, HidesEmailsAndPhoneLikeNumbersInAnyScript) {
    EXPECT_EQ(mask_contact_details("call me on 0912 345 6789 please"), "call me on *** please");
    EXPECT_EQ(mask_contact_details("+98-912-345-6789"), "***");
    EXPECT_EQ(mask_contact_details("شماره من ۰۹۱۲۳۴۵۶۷۸۹ است"), "شماره من *** است");
    EXPECT_EQ(mask_contact_details("write to sara.k@example.ir, thanks"), "write to ***, thanks");
    EXPECT_EQ(mask_contact_details("2 coffees, table 12, 1404 prices"), "2 coffees, table 12, 1404 prices");
    EXPECT_EQ(mask_contact_details("receipt 12345"), "receipt ***") << "five digits may be a number to call";
    EXPECT_EQ(mask_contact_details("@ the till"), "@ the till");
    EXPECT_EQ(mask_contact_details(""), "");
}

TEST(FeedbackFigures, NpsIsPromotersLessDetractorsOverAnswers) {
    EXPECT_EQ(feedback_figures(nps_tally({10, 9, 8, 6, 3})).nps_x10, 0) << "(2 - 2) / 5";
    EXPECT_EQ(feedback_figures(nps_tally({10, 9, 8})).nps_x10, 667) << "2/3 = 66.7";
    EXPECT_EQ(feedback_figures(nps_tally({0, 6, 9})).nps_x10, -333) << "-1/3 = -33.3";
    EXPECT_EQ(feedback_figures(nps_tally({10})).nps_x10, 1000);
    EXPECT_EQ(feedback_figures(nps_tally({0, 5})).nps_x10, -1000);
    EXPECT_EQ(feedback_figures(nps_tally({7, 8})).nps_x10, 0);
    EXPECT_FALSE(feedback_figures(FeedbackTally{}).nps_x10) << "no answers, no figure";
}

TEST(FeedbackFigures, CsatAndCesAreSharesAndMeansInIntegers) {
    // CSAT 5, 4, 3, 1: half satisfied, mean 3.25; CES 2, 3, 3: mean 2.666... -> 2.67.
    const FeedbackTally tally{4, 0, 0, 0, 4, 2, 13, 3, 8};
    const FeedbackFigures figures = feedback_figures(tally);
    EXPECT_EQ(figures.csat_satisfied_x10, 500);
    EXPECT_EQ(figures.csat_mean_x100, 325);
    EXPECT_EQ(figures.ces_mean_x100, 267);
    EXPECT_FALSE(figures.nps_x10);
}

TEST(FeedbackFigures, RoundHalfAwayFromZero) {
    EXPECT_EQ(rounded_ratio(1, 1000, 8), 125);
    EXPECT_EQ(rounded_ratio(1, 100, 8), 13) << "12.5 -> 13";
    EXPECT_EQ(rounded_ratio(-1, 100, 8), -13) << "-12.5 -> -13";
    EXPECT_EQ(rounded_ratio(1, 100, 3), 33);
    EXPECT_EQ(rounded_ratio(2, 100, 3), 67);
    EXPECT_EQ(rounded_ratio(0, 100, 3), 0);
}

// The query of a report over `from`..`to` cut `by`, for all stores, one store or each store.
ReportQuery query(const char* from, const char* to, PeriodSize by, std::optional<std::string> store = {},
                  bool by_store = false) {
    return ReportQuery{date(from), date(to), by, std::move(store), by_store, ReportFormat::kJson};
}

TEST(FeedbackReportRows, RollDaysIntoTheQuerysPeriodsWithAllStoresFirst) {
    const std::vector<FeedbackDayTally> days = {
        {"S002", date("2026-11-17"), nps_tally({10})},
        {"S001", date("2026-11-16"), nps_tally({9, 3})},
        {"S001", date("2026-11-23"), nps_tally({7})},
    };
    const auto rows = feedback_report_rows(days, query("2026-11-01", "2026-11-30", PeriodSize::kWeek, {}, true));
    ASSERT_EQ(rows.size(), 5U);
    EXPECT_EQ(rows[0].store, "");
    EXPECT_EQ(rows[0].period.name, "2026-11-16");
    EXPECT_EQ(rows[0].tally, nps_tally({10, 9, 3}));
    EXPECT_EQ(rows[1].store, "S001");
    EXPECT_EQ(rows[2].store, "S002");
    EXPECT_EQ(rows[3].store, "");
    EXPECT_EQ(rows[3].period.name, "2026-11-23");
    EXPECT_EQ(rows[4].tally, nps_tally({7}));

    const auto totals = feedback_report_rows(days, query("2026-11-01", "2026-11-30", PeriodSize::kWeek));
    ASSERT_EQ(totals.size(), 2U) << "without by_store, a row for all stores per period with answers";
    EXPECT_EQ(totals[0].store, "");
    EXPECT_EQ(totals[1].store, "");
}

TEST(FeedbackReportRows, ANamedStoreKeepsTheProgrammesRowWhole) {
    const std::vector<FeedbackDayTally> days = {
        {"S001", date("2026-11-16"), nps_tally({9})},
        {"S002", date("2026-11-17"), nps_tally({2})},
    };
    const auto rows = feedback_report_rows(days, query("2026-11-01", "2026-11-30", PeriodSize::kMonth, "S002"));
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].store, "");
    EXPECT_EQ(rows[0].tally, nps_tally({9, 2}));
    EXPECT_EQ(rows[1].store, "S002");
    EXPECT_EQ(rows[1].tally, nps_tally({2}));
}

TEST(FeedbackReportRows, PeriodsAreCutAtTheRangeAndMayBeJalaliMonths) {
    const std::vector<FeedbackDayTally> days = {
        {"S001", date("2026-11-20"), nps_tally({10})},  // 1405-08-29.
        {"S001", date("2026-11-22"), nps_tally({0})},   // 1405-09-01.
        {"S001", date("2026-12-30"), nps_tally({5})},   // Outside the range: left out.
    };
    const auto months = feedback_report_rows(days, query("2026-11-18", "2026-12-01", PeriodSize::kJalaliMonth));
    ASSERT_EQ(months.size(), 2U);
    EXPECT_EQ(months[0].period.name, "1405-08");
    EXPECT_EQ(months[0].period.first, date("2026-11-18")) << "cut at from";
    EXPECT_EQ(months[1].period.name, "1405-09");
    EXPECT_EQ(months[1].period.last, date("2026-12-01")) << "cut at to";
    EXPECT_EQ(months[1].tally, nps_tally({0}));

    const auto total = feedback_report_rows(days, query("2026-11-18", "2026-12-01", PeriodSize::kTotal));
    ASSERT_EQ(total.size(), 1U);
    EXPECT_EQ(total[0].period.name, "2026-11-18/2026-12-01");
    EXPECT_EQ(total[0].tally, nps_tally({10, 0}));
}

TEST(FeedbackReportDocument, CsvHasAHeaderAndARowPerPeriodAndScopeWithBlankFigures) {
    FeedbackTally csat_only;
    csat_only.responses = 1;
    csat_only.csat_answers = 1;
    csat_only.csat_satisfied = 1;
    csat_only.csat_sum = 5;
    const std::vector<FeedbackDayTally> days = {{"S001", date("2026-11-16"), csat_only}};
    const FeedbackReport report{
        query("2026-11-16", "2026-11-16", PeriodSize::kDay, "S001"), "Asia/Tehran",
        feedback_report_rows(days, query("2026-11-16", "2026-11-16", PeriodSize::kDay, "S001"))};
    EXPECT_EQ(feedback_report_csv(report),
              "period,from,to,scope,store,responses,nps_answers,promoters,detractors,nps_x10,csat_answers,"
              "csat_satisfied,csat_satisfied_share_x10,csat_mean_x100,ces_answers,ces_mean_x100\r\n"
              "2026-11-16,2026-11-16,2026-11-16,all,,1,0,0,0,,1,1,1000,500,0,\r\n"
              "2026-11-16,2026-11-16,2026-11-16,store,S001,1,0,0,0,,1,1,1000,500,0,\r\n");
    const auto json = feedback_report_json(report);
    EXPECT_EQ(json["report"], "feedback");
    EXPECT_EQ(json["by"], "day");
    EXPECT_EQ(json["store"], "S001");
    EXPECT_EQ(json["rows"][1]["store"], "S001");
    EXPECT_TRUE(json["rows"][0]["store"].is_null());
    EXPECT_TRUE(json["rows"][0]["nps"]["score_x10"].is_null()) << "no NPS answer, no figure";
    EXPECT_EQ(json["rows"][0]["csat"]["mean_x100"], 500);
}

}  // namespace
}  // namespace patron::core
