// Tenure at the till (issue 24) against a real MariaDB: a member's whole years of membership,
// counted from the day she enrolled to the till's day in the programme's time zone and calendar,
// scope and multiply points rules; a return takes back what the years gave; a backtest of a draft
// counts the years as the till does; `verify` keeps finding the books right.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/backtest.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/program/backtest_service.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using namespace std::chrono;
using nlohmann::json;

using testing::utc;

// Club points x1.5 from the first anniversary, and a bonus of 100 for members of a year or more.
const json kTenureRules = {{"rules", json::array({{{"id", "base"},
                                                   {"name", "Club points"},
                                                   {"points", 1},
                                                   {"per_amount", 10000},
                                                   {"multipliers", {{"tenure", {{"1", 1.5}}}}}},
                                                  {{"id", "loyal"},
                                                   {"name", "Loyal member"},
                                                   {"kind", "bonus"},
                                                   {"points", 100},
                                                   {"scope", {{"tenure", {{"min_years", 1}}}}}}})}};

class TenureAtTheTill : public testing::VerifiedWorldTest {
  protected:
    void SetUp() override {
        core::ProgramSettingsChange in_tehran;
        in_tehran.time_zone = "Asia/Tehran";
        in_tehran.fields = {"time_zone"};
        set(in_tehran);
        // Sara enrols at 10:00 on 1 January 2025 in Tehran: 12 Dey 1403. 1403 was a Jalali leap
        // year, so her first Jalali anniversary, 12 Dey 1404, is 2 January 2026: a day after her
        // Gregorian one.
        world.clock.set(utc("2025-01-01", 6, 30));
        sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
        const auto published =
            world.admin.publish_rules(world.program_id, core::RuleDocument(kTenureRules), world.clock.now());
        ASSERT_TRUE(published.has_value()) << published.error().message;
    }
    void set(core::ProgramSettingsChange change) {
        const auto changed = world.services.settings.update(admin, change);
        ASSERT_TRUE(changed.has_value()) << changed.error().message;
    }
    // A purchase of 100,000 IRR (10 points at x1) by Sara at `at`, committed: the till's answer.
    json buy_at(core::Timestamp at, const std::string& receipt) {
        world.clock.set(at);
        return committed(world.purchase(receipt, 100000, sara.card_number));
    }
    static std::vector<std::string> lines(const json& answer) {
        return answer.at("receipt_lines").get<std::vector<std::string>>();
    }

    service::StaffIdentity admin{world.program_id, "Ali (admin)", core::StaffRole::kAdmin};
    service::EnrolledMember sara;
};

TEST_F(TenureAtTheTill, APersianProgrammeCountsHerYearsInJalaliYearsOnTheTillsDayInTehran) {
    // 00:05 on 1 January 2026 in Tehran (still 31 December in UTC): 11 Dey 1404, her year not yet full.
    const json before = buy_at(utc("2025-12-31", 20, 35), "1");
    EXPECT_EQ(before["points"]["earned"], 10) << lines(before).front();
    // 00:05 on 2 January 2026 in Tehran (1 January in UTC): 12 Dey 1404, her first anniversary.
    const json on = buy_at(utc("2026-01-01", 20, 35), "2");
    EXPECT_EQ(on["points"]["earned"], 115) << "15 club points at x1.5 and the bonus of 100";
    const std::vector<std::string> printed = lines(on);
    EXPECT_NE(std::ranges::find(printed, "Club points (۱ سال ×۱٫۵): +۱۵ امتیاز"), printed.end()) << json(printed);
    EXPECT_NE(std::ranges::find(printed, "Loyal member: +۱۰۰ امتیاز"), printed.end()) << json(printed);
}

TEST_F(TenureAtTheTill, AnEnglishProgrammeCountsGregorianYears) {
    core::ProgramSettingsChange english;
    english.language = "en";
    english.fields = {"language"};
    set(english);
    const json on = buy_at(utc("2025-12-31", 20, 35), "1");  // 1 January 2026 in Tehran.
    EXPECT_EQ(on["points"]["earned"], 115);
    const std::vector<std::string> printed = lines(on);
    EXPECT_NE(std::ranges::find(printed, "Club points (1 year x1.5): +15 points"), printed.end()) << json(printed);
    // The day before, in Tehran, she is in her first year still.
    EXPECT_EQ(buy_at(utc("2025-12-30", 20, 35), "2")["points"]["earned"], 10);
}

TEST_F(TenureAtTheTill, AReturnTakesBackWhatHerYearsGaveAndTheBooksStayRight) {
    const json bought = buy_at(utc("2026-01-01", 20, 35), "1");
    ASSERT_EQ(bought["points"]["earned"], 115);
    world.clock.set(utc("2026-01-02", 8, 0));
    const auto returned =
        world.returns.commit(world.terminal, world.return_request("R1", "1", {{1, 1000}}),
                             crypto::sha256(crypto::as_bytes(std::string("R1"))), pos::encode_purchase_answer);
    ASSERT_TRUE(returned.has_value()) << returned.error().message;
    EXPECT_EQ(json::parse(returned->body)["points"]["earned"], -115) << returned->body;
    const auto balance = world.members.balance(world.program_id, sara.id);
    ASSERT_TRUE(balance.has_value());
    EXPECT_EQ(balance->points_available, 0);
}

TEST_F(TenureAtTheTill, ABacktestCountsHerYearsAsTheTillDoes) {
    // Under the first rules (no tenure): 10 points on 1 January, 10 on 2 January in Tehran.
    const auto plain = world.admin.publish_rules(
        world.program_id,
        core::RuleDocument(json{{"rules", json::array({{{"id", "base"}, {"points", 1}, {"per_amount", 10000}}})}}),
        world.clock.now());
    ASSERT_TRUE(plain.has_value()) << plain.error().message;
    EXPECT_EQ(buy_at(utc("2025-12-31", 20, 35), "1")["points"]["earned"], 10);
    EXPECT_EQ(buy_at(utc("2026-01-01", 20, 35), "2")["points"]["earned"], 10);
    // A draft with the tenure rules, backtested over those days: only the second purchase is of her second year.
    const auto saved = world.services.rules.replace_draft(marketer, core::RuleDocument(kTenureRules));
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
    world.clock.set(utc("2026-01-05", 8, 0));
    service::BacktestService backtests(world.db.database(), world.keys, world.clock, world.random, {});
    const auto window =
        backtests.window(world.program_id, {core::parse_date("2026-01-01"), core::parse_date("2026-01-02")});
    ASSERT_TRUE(window.has_value()) << window.error().message;
    service::BacktestProgress progress;
    const auto report = backtests.run(world.program_id, *window, progress);
    ASSERT_TRUE(report.has_value()) << report.error().message;
    EXPECT_EQ(report->draft.points, 10 + 115);
    EXPECT_EQ(report->published.points, 20);
}

}  // namespace
}  // namespace patron
