// Triggers without a database: the documents marketers send (every problem by its JSON path), the
// windows a condition counts over (a week from Monday, a month, a Jalali month, the last D days in
// the programme's zone) and the keys firings are kept under, and whether counts meet a condition.
#include "loyalty/core/triggers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "loyalty/service/runtime/time_zones.h"

namespace patron {
namespace {

using nlohmann::json;

// An instant in UTC.
core::Timestamp at(int year, unsigned month, unsigned day, int hour, int minute = 0, int second = 0) {
    return core::Timestamp{
        std::chrono::sys_days{std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day)} +
        std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second)};
}

// The refused fields of a document, in order.
std::vector<std::string> refused(const json& document) {
    const auto decoded = core::decode_trigger_document(document);
    if (decoded) return {"(taken)"};
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kValidationFailed);
    std::vector<std::string> fields;
    for (const auto& problem : decoded.error().problems) fields.push_back(problem.field);
    if (fields.empty()) fields.push_back(decoded.error().field);
    return fields;
}

const json kMessage = {{"kind", "message"}, {"text", {{"en", "Thank you"}, {"fa", "ممنونیم"}}}};

TEST(TriggerDocuments, EachConditionAndActionIsReadAndTheRuleIsKeptAsWritten) {
    const auto visits =
        core::decode_trigger_document({{"name", "Third visit"},
                                       {"state", "paused"},
                                       {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "jalali_month"}}},
                                       {"action", kMessage}});
    ASSERT_TRUE(visits.has_value()) << visits.error().message;
    EXPECT_EQ(visits->trigger.condition, core::TriggerCondition::kVisits);
    EXPECT_EQ(visits->trigger.at_least, 3);
    EXPECT_EQ(visits->trigger.period, core::PeriodSize::kJalaliMonth);
    EXPECT_EQ(visits->trigger.text_fa, "ممنونیم");
    EXPECT_EQ(*visits->state, core::TriggerState::kPaused);
    EXPECT_EQ(json::parse(visits->rule_text)["condition"]["period"], "jalali_month");
    EXPECT_TRUE(visits->trigger.counts(false));
    EXPECT_FALSE(visits->trigger.counts(true)) << "a return is no visit";

    const auto lapse = core::decode_trigger_document({{"name", "Win back"},
                                                      {"condition", {{"kind", "no_purchase"}, {"days", 45}}},
                                                      {"action", {{"kind", "bonus_points"}, {"points", 100}}}});
    ASSERT_TRUE(lapse.has_value());
    EXPECT_EQ(lapse->trigger.days, 45);
    EXPECT_EQ(lapse->trigger.points, 100);
    EXPECT_FALSE(lapse->state) << "active unless told";
    const auto stored = core::parse_stored_trigger("Win back", lapse->rule_text);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->days, 45);

    const auto returns =
        core::decode_trigger_document({{"name", "Returns"},
                                       {"condition", {{"kind", "returns"}, {"at_least", 4}, {"days", 30}}},
                                       {"action", {{"kind", "coupon"}, {"campaign_id", 7}}}});
    ASSERT_TRUE(returns.has_value());
    EXPECT_EQ(returns->trigger.campaign_id, 7);
    EXPECT_TRUE(returns->trigger.counts(true));

    const auto suspicious =
        core::decode_trigger_document({{"name", "Returns galore"},
                                       {"condition", {{"kind", "returns"}, {"at_least", 5}, {"period", "month"}}},
                                       {"action", {{"kind", "fraud_signal"}, {"policy", "hold"}}}});
    ASSERT_TRUE(suspicious.has_value());
    EXPECT_EQ(suspicious->trigger.action, core::TriggerAction::kFraudSignal);
    EXPECT_EQ(suspicious->trigger.policy, core::FraudAction::kHold);
    const auto flag_only =
        core::decode_trigger_document({{"name", "x"},
                                       {"condition", {{"kind", "returns"}, {"at_least", 5}, {"period", "month"}}},
                                       {"action", {{"kind", "fraud_signal"}}}});
    ASSERT_TRUE(flag_only.has_value());
    EXPECT_EQ(flag_only->trigger.policy, core::FraudAction::kFlag) << "a signal only flags unless told";

    const auto regulars =
        core::decode_trigger_document({{"name", "Regulars"},
                                       {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "month"}}},
                                       {"action", {{"kind", "segment"}, {"segment", "regulars"}, {"days", 30}}}});
    ASSERT_TRUE(regulars.has_value());
    EXPECT_EQ(regulars->trigger.action, core::TriggerAction::kSegment);
    EXPECT_EQ(regulars->trigger.segment, "regulars");
    EXPECT_EQ(regulars->trigger.segment_days, 30);
    const auto read_back = core::parse_stored_trigger("Regulars", regulars->rule_text);
    ASSERT_TRUE(read_back.has_value());
    EXPECT_EQ(read_back->segment, "regulars");
    EXPECT_EQ(read_back->segment_days, 30);
}

TEST(TriggerDocuments, EveryProblemIsRefusedByItsPath) {
    EXPECT_EQ(refused(json::array()), std::vector<std::string>{"$"});
    EXPECT_EQ(refused(json::object()), (std::vector<std::string>{"name", "condition", "action"}));
    EXPECT_EQ(refused({{"name", "   "},
                       {"colour", "red"},
                       {"state", "ended"},
                       {"condition", {{"kind", "visits"}, {"at_least", 0}, {"period", "month"}, {"days", 30}}},
                       {"action", {{"kind", "message"}, {"text", {{"en", ""}}}}}}),
              (std::vector<std::string>{"colour", "name", "state", "condition.at_least", "condition.period",
                                        "action.text.en", "action.text.fa"}));
    EXPECT_EQ(
        refused({{"name", "x"},
                 {"condition", {{"kind", "no_purchase"}, {"days", 400}, {"at_least", 2}}},
                 {"action", {{"kind", "bonus_points"}, {"points", 2000000}, {"campaign_id", 3}}}}),
        (std::vector<std::string>{"condition.at_least", "condition.days", "action.campaign_id", "action.points"}));
    EXPECT_EQ(refused({{"name", "x"},
                       {"condition", {{"kind", "spend"}, {"at_least", 5}, {"period", "fortnight"}}},
                       {"action", {{"kind", "fraud"}}}}),
              (std::vector<std::string>{"condition.period", "action.kind"}));
    EXPECT_EQ(refused({{"name", "x"},
                       {"condition", {{"kind", "returns"}, {"at_least", 5}, {"period", "month"}}},
                       {"action", {{"kind", "fraud_signal"}, {"policy", "freeze"}, {"points", 5}}}}),
              (std::vector<std::string>{"action.points", "action.policy"}));
    EXPECT_EQ(refused({{"name", "x"},
                       {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "month"}}},
                       {"action", {{"kind", "segment"}, {"points", 5}, {"days", 367}}}}),
              (std::vector<std::string>{"action.points", "action.segment", "action.days"}));
    EXPECT_EQ(refused({{"name", "x"},
                       {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "month"}}},
                       {"action", {{"kind", "segment"}, {"segment", 7}}}}),
              (std::vector<std::string>{"action.segment", "action.days"}));
    EXPECT_EQ(refused({{"name", std::string(101, 'x')}, {"condition", "visits"}, {"action", kMessage}}),
              (std::vector<std::string>{"name", "condition"}));
    // 480 Persian letters are 960 bytes, and fit.
    std::string letters;
    for (int i = 0; i < 480; ++i) letters += "ب";
    EXPECT_EQ(refused({{"name", "x"},
                       {"condition", {{"kind", "visits"}, {"at_least", 1}, {"days", 1}}},
                       {"action", {{"kind", "message"}, {"text", {{"en", "hi"}, {"fa", letters}}}}}}),
              std::vector<std::string>{"(taken)"});
    EXPECT_EQ(refused({{"name", "x"},
                       {"condition", {{"kind", "visits"}, {"at_least", 1}, {"days", 1}}},
                       {"action", {{"kind", "message"}, {"text", {{"en", "hi"}, {"fa", letters + "ب"}}}}}}),
              std::vector<std::string>{"action.text.fa"});

    EXPECT_EQ(core::decode_trigger_state_change({{"state", "ended"}}).value(), core::TriggerState::kEnded);
    EXPECT_EQ(core::decode_trigger_state_change({{"state", "gone"}}).error().field, "state");
    EXPECT_EQ(core::decode_trigger_state_change({{"state", "paused"}, {"name", "x"}}).error().field, "name");
}

TEST(TriggerDocuments, AnAnniversaryNamesTheYearsItMarksOrMarksEvery) {
    const auto fifth = core::decode_trigger_document({{"name", "Five years"},
                                                      {"condition", {{"kind", "anniversary"}, {"years", {10, 5, 1}}}},
                                                      {"action", {{"kind", "bonus_points"}, {"points", 500}}}});
    ASSERT_TRUE(fifth.has_value()) << fifth.error().message;
    EXPECT_EQ(fifth->trigger.condition, core::TriggerCondition::kAnniversary);
    EXPECT_EQ(fifth->trigger.years, (std::vector<int>{1, 5, 10}));
    EXPECT_TRUE(fifth->trigger.marks(5));
    EXPECT_FALSE(fifth->trigger.marks(2));
    EXPECT_FALSE(fifth->trigger.counts(false)) << "decided by the daily scan, not by purchases";
    EXPECT_FALSE(fifth->trigger.counts(true));
    EXPECT_EQ(core::anniversary_key(5), "year 5");
    const auto stored = core::parse_stored_trigger("Five years", fifth->rule_text);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->years, (std::vector<int>{1, 5, 10}));

    const auto every = core::decode_trigger_document(
        {{"name", "Every year"}, {"condition", {{"kind", "anniversary"}}}, {"action", kMessage}});
    ASSERT_TRUE(every.has_value()) << every.error().message;
    EXPECT_TRUE(every->trigger.marks(1));
    EXPECT_TRUE(every->trigger.marks(37));
    EXPECT_FALSE(every->trigger.marks(0)) << "the day she enrolled is no anniversary";

    EXPECT_EQ(refused({{"name", "x"},
                       {"condition", {{"kind", "anniversary"}, {"years", {0, 5, 5, 101, "3", 2.5}}, {"days", 3}}},
                       {"action", kMessage}}),
              (std::vector<std::string>{"condition.days", "condition.years[0]", "condition.years[2]",
                                        "condition.years[3]", "condition.years[4]", "condition.years[5]"}));
    EXPECT_EQ(
        refused(
            {{"name", "x"}, {"condition", {{"kind", "anniversary"}, {"years", json::array()}}}, {"action", kMessage}}),
        std::vector<std::string>{"condition.years"});
    EXPECT_EQ(refused({{"name", "x"}, {"condition", {{"kind", "birthday"}}}, {"action", kMessage}}),
              std::vector<std::string>{"condition.kind"});
}

TEST(AnniversaryScans, GoOnWithTheDayThenTheNextOnceItHasComeAndNeverMoreThanAWeekBack) {
    const auto day = [](const char* text) { return *core::parse_date(text); };
    const auto scan = [&](const char* cursor, long long after, const char* today) {
        const auto next = core::next_anniversary_scan(day(cursor), after, day(today));
        return next ? core::format_date(next->day) + " " + std::to_string(next->after_id) : std::string("none");
    };
    EXPECT_EQ(scan("2026-01-02", 41, "2026-01-02"), "2026-01-02 41") << "today's batch goes on past the last id";
    EXPECT_EQ(scan("2026-01-02", core::kAnniversaryDayDone, "2026-01-02"), "none") << "today is done";
    EXPECT_EQ(scan("2026-01-02", core::kAnniversaryDayDone, "2026-01-03"), "2026-01-03 0");
    EXPECT_EQ(scan("2026-01-01", core::kAnniversaryDayDone, "2026-01-03"), "2026-01-02 0") << "a day at a time";
    EXPECT_EQ(scan("2026-01-03", core::kAnniversaryDayDone, "2026-06-04"), "2026-05-28 0") << "a week back at most";
    EXPECT_EQ(scan("2026-01-03", 17, "2026-06-04"), "2026-05-28 0");
    EXPECT_EQ(scan("2026-01-05", 3, "2026-01-04"), "none") << "a clock set back";
}

TEST(TriggerWindows, APeriodIsTheLocalCalendarsAndDaysAreTheLastDaysUpToToday) {
    const auto tehran = service::locate_time_zone("Asia/Tehran");
    ASSERT_TRUE(tehran);
    core::Trigger trigger;
    trigger.condition = core::TriggerCondition::kVisits;
    // 2026-11-30 22:00 UTC is 1 December 01:30 in Tehran (UTC+3:30): December there.
    const core::Timestamp late = at(2026, 11, 30, 22);
    trigger.period = core::PeriodSize::kMonth;
    core::TriggerWindow window = core::trigger_window(trigger, *tehran, late);
    EXPECT_EQ(window.key, "2026-12-01");
    EXPECT_EQ(window.from, at(2026, 11, 30, 20, 30));
    EXPECT_EQ(window.until, at(2026, 12, 31, 20, 30));
    // The Jalali month Azar 1405 runs from 22 November to 21 December 2026.
    trigger.period = core::PeriodSize::kJalaliMonth;
    window = core::trigger_window(trigger, *tehran, late);
    EXPECT_EQ(window.key, "2026-11-22");
    EXPECT_EQ(window.until, at(2026, 12, 21, 20, 30));
    // A week from Monday: Tuesday 1 December is in the week of Monday 30 November.
    trigger.period = core::PeriodSize::kWeek;
    EXPECT_EQ(core::trigger_window(trigger, *tehran, late).key, "2026-11-30");
    // The last 30 days: 2 November to 1 December, keyed by the day.
    trigger.period.reset();
    trigger.days = 30;
    window = core::trigger_window(trigger, *tehran, late);
    EXPECT_EQ(window.key, "2026-12-01");
    EXPECT_EQ(window.from, at(2026, 11, 1, 20, 30));
    EXPECT_EQ(window.until, at(2026, 12, 1, 20, 30));

    EXPECT_EQ(core::lapse_key(at(2026, 10, 19, 10, 22, 33)), "after 2026-10-19 10:22:33.000000");
}

TEST(TriggerWindows, CountsMeetAConditionAtItsThreshold) {
    core::Trigger trigger;
    trigger.at_least = 3;
    trigger.condition = core::TriggerCondition::kVisits;
    EXPECT_FALSE(core::trigger_condition_holds(trigger, {2, 1'000'000, 5}));
    EXPECT_TRUE(core::trigger_condition_holds(trigger, {3, 0, 0}));
    trigger.condition = core::TriggerCondition::kSpend;
    trigger.at_least = 500'000;
    EXPECT_TRUE(core::trigger_condition_holds(trigger, {1, 500'000, 0}));
    EXPECT_FALSE(core::trigger_condition_holds(trigger, {9, 499'999, 0}));
    trigger.condition = core::TriggerCondition::kReturns;
    trigger.at_least = 2;
    EXPECT_TRUE(core::trigger_condition_holds(trigger, {0, 0, 2}));
    trigger.condition = core::TriggerCondition::kNoPurchase;
    EXPECT_FALSE(core::trigger_condition_holds(trigger, {0, 0, 0})) << "decided by the lapse scan";
}

}  // namespace
}  // namespace patron
