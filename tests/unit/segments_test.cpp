// Rule-based segments judged in memory: every condition against facts with known answers, the
// scope of a rule naming segments, and the feedback rows per RFM segment.
#include "loyalty/core/segments.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/feedback_report.h"
#include "loyalty/core/rule_set.h"

namespace patron::core {
namespace {

using nlohmann::json;

SegmentConditions conditions(const json& written) {
    const auto parsed = parse_segment_conditions(written.dump());
    EXPECT_TRUE(parsed.has_value()) << written;
    return parsed.value_or(SegmentConditions{});
}

SegmentFacts regular() {
    SegmentFacts facts;
    facts.member_id = 7;
    facts.tier = "gold";
    facts.days_since_last_purchase = 12;
    facts.windows[30] = WindowActivity{900'000, 3, {"S001", "S002"}};
    facts.birth_month = 4;
    facts.city = "tehran";
    facts.marketing_email = true;
    facts.rfm_segment = RfmSegment::kLoyal;
    facts.churn_band = ChurnBand::kLow;
    return facts;
}

TEST(SegmentConditions, EveryConditionMustHold) {
    const SegmentFacts facts = regular();
    const struct {
        json written;
        bool holds;
    } cases[] = {
        {json::object(), true},
        {{{"tiers", {"silver", "gold"}}}, true},
        {{{"tiers", {"silver"}}}, false},
        {{{"days_since_last_purchase", {{"min", 12}, {"max", 12}}}}, true},
        {{{"days_since_last_purchase", {{"min", 13}}}}, false},
        {{{"spend", {{"days", 30}, {"min", 900'000}}}}, true},
        {{{"spend", {{"days", 30}, {"max", 899'999}}}}, false},
        {{{"spend", {{"days", 7}, {"max", 0}}}}, true},
        {{{"visits", {{"days", 30}, {"min", 3}, {"max", 3}}}}, true},
        {{{"birthday_month", 4}}, true},
        {{{"birthday_month", 5}}, false},
        {{{"birthday_month", "current"}}, true},
        {{{"cities", {" Tehran"}}}, true},
        {{{"cities", {"Shiraz"}}}, false},
        {{{"marketing_consent", "email"}}, true},
        {{{"marketing_consent", "sms"}}, false},
        {{{"marketing_consent", "any"}}, true},
        {{{"marketing_consent", "none"}}, false},
        {{{"stores_visited", {{"stores", {"S002"}}, {"days", 30}}}}, true},
        {{{"stores_visited", {{"stores", {"S002"}}, {"days", 7}}}}, false},
        {{{"rfm_segments", {"champions", "loyal"}}}, true},
        {{{"churn_bands", {"high"}}}, false},
        {{{"tiers", {"gold"}}, {"churn_bands", {"low"}}, {"cities", {"tehran"}}}, true},
    };
    for (const auto& test : cases) {
        EXPECT_EQ(segment_contains(conditions(test.written), facts, 4, false), test.holds) << test.written;
    }
    SegmentFacts never = facts;
    never.days_since_last_purchase.reset();
    EXPECT_FALSE(segment_contains(conditions({{"days_since_last_purchase", {{"max", 1000}}}}), never, 4, false))
        << "a member who never bought matches no days-since condition";
    EXPECT_TRUE(conditions({{"cities", {"a"}}}).needs_profile());
    EXPECT_FALSE(conditions({{"tiers", {"a"}}}).needs_profile());
    EXPECT_EQ(conditions({{"spend", {{"days", 30}}}, {"stores_visited", {{"stores", {"S"}}, {"days", 30}}}}).windows(),
              std::vector<int>{30});
}

TEST(SegmentConditions, AddedByTriggerHoldsOnlyForAMemberATriggerAddedAndTheRestMustHoldToo) {
    const SegmentFacts facts = regular();
    const SegmentConditions picked = conditions({{"added_by_trigger", true}});
    EXPECT_TRUE(picked.added_by_trigger);
    EXPECT_TRUE(segment_contains(picked, facts, 4, true));
    EXPECT_FALSE(segment_contains(picked, facts, 4, false)) << "alone, it is a segment of those a trigger picked";
    EXPECT_TRUE(segment_contains(conditions({{"added_by_trigger", true}, {"tiers", {"gold"}}}), facts, 4, true));
    EXPECT_FALSE(segment_contains(conditions({{"added_by_trigger", true}, {"tiers", {"silver"}}}), facts, 4, true))
        << "added, but not of the tier";
    EXPECT_TRUE(segment_contains(conditions({{"added_by_trigger", false}}), facts, 4, false)) << "false is as absent";
    EXPECT_TRUE(segment_contains(conditions(json::object()), facts, 4, true)) << "an addition takes nobody out";
    const auto refused =
        decode_segment_document({{"code", "x"}, {"name", "x"}, {"conditions", {{"added_by_trigger", 1}}}});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field, "conditions.added_by_trigger");
}

TEST(SegmentScope, AMemberInAnyNamedSegmentIsAdmitted) {
    Scope scope;
    EXPECT_TRUE(scope.admits({})) << "no segment named: everyone";
    scope.segments = {"vip", "lapsed"};
    EXPECT_TRUE(scope.admits({"tehran", "lapsed"}));
    EXPECT_FALSE(scope.admits({"tehran"}));
    EXPECT_FALSE(scope.admits({}));
}

TEST(FeedbackReportRows, RowsPerRfmSegmentFollowTheRowsOfEverySegment) {
    FeedbackTally one;
    one.responses = 1;
    const std::vector<FeedbackDayTally> days = {
        {"S001", LocalDate{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{16}}, one, "loyal"},
        {"S001", LocalDate{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{17}}, one, "lost"},
    };
    const ReportQuery query{LocalDate{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}},
                            LocalDate{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{30}},
                            PeriodSize::kMonth,
                            std::nullopt,
                            false,
                            ReportFormat::kJson};
    const auto rows = feedback_report_rows(days, query);
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_EQ(rows[0].segment, "");
    EXPECT_EQ(rows[0].tally.responses, 2);
    EXPECT_EQ(rows[1].segment, "lost");
    EXPECT_EQ(rows[2].segment, "loyal");
}

}  // namespace
}  // namespace patron::core
