// Backtests of the draft through a real patrond: purchases at the till under the demo's published
// rules (some anonymous, one voided, one partly returned), a different draft (double points on
// coffee capped per day, a new cashback rule), and the backtest's known answers: totals, each
// rule, what the published rules gave, the members touched and the purchases skipped, with
// nothing written. Then the refusals, a job that runs in the background (202, 409 for a second
// one, cancelled), and ids that name nothing.
#include <soci/soci.h>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

constexpr const char* kBacktest = "/v1/program/rules/draft/backtest";

// Every table a purchase, a return or a rule's counter writes to.
const std::vector<std::string> kWrittenTables = {
    "purchases",      "purchase_lines", "line_points",    "return_lines",       "ledger_transfers",
    "ledger_entries", "point_lots",     "point_lot_uses", "cashback_transfers", "cashback_entries",
    "stamp_events",   "stamp_progress", "stamp_rewards",  "coupon_redemptions", "member_rule_usage",
    "rule_budgets",   "tier_history",   "audit_log",      "rule_set_drafts",    "rule_sets",
    "outbox_events"};

class Backtests : public PatrondTest {
  protected:
    std::map<std::string, long long> row_counts() {
        std::map<std::string, long long> counts;
        for (const std::string& table : kWrittenTables) counts[table] = db.count(table);
        return counts;
    }
    // The demo's till on 2026-11-22 (Tehran): 90 + 30 points for member 0, 50 for member 1,
    // 60 for member 2 (of which a return later takes half), an anonymous purchase, and member
    // 1's second purchase voided.
    void trade() {
        for (const auto& [receipt, member, amount] : std::vector<std::tuple<std::string, int, long long>>{
                 {"P-1", 0, 900000}, {"P-2", 0, 300000}, {"P-3", 1, 500000}, {"P-4", -1, 400000}, {"P-5", 1, 200000}}) {
            const auto sold =
                pos("POST", "/v1/pos/purchases", purchase(receipt, member < 0 ? "" : card(member), amount).dump());
            ASSERT_EQ(sold.status, 201) << sold.body;
        }
        json two_cups = purchase("P-6", card(2), 600000);
        two_cups["lines"][0]["quantity"] = 2;
        two_cups["lines"][0]["unit_price"] = 300000;
        ASSERT_EQ(pos("POST", "/v1/pos/purchases", two_cups.dump()).status, 201);
        ASSERT_EQ(pos("POST", "/v1/pos/voids", return_of("V-5", "P-5", nullptr).dump()).status, 201);
        const auto returned =
            pos("POST", "/v1/pos/returns", return_of("R-6", "P-6", {{{"line", 1}, {"quantity", 1}}}).dump());
        ASSERT_EQ(returned.status, 201) << returned.body;
    }
    void draft_double_coffee_and_cashback() {
        const auto drafted = staff("PUT", "/v1/program/rules/draft", R"({
            "rules": [
              {"id": "base", "name": "Club points", "points": 1, "per_amount": 10000,
               "conditions": {"exclude_categories": ["gift_card"]}},
              {"id": "coffee_double", "name": "Coffee double", "points": 1, "per_amount": 10000,
               "conditions": {"categories": ["coffee"]}, "limits": {"per_day": 100}}],
            "cashback": [{"id": "cb2", "name": "Two percent back", "percent": 2}]})");
        ASSERT_EQ(drafted.status, 200) << drafted.body;
    }
    static const json& rule(const json& result, const std::string& id) {
        for (const json& entry : result["rules"]) {
            if (entry["id"] == id) return entry;
        }
        static const json kNone;
        ADD_FAILURE() << "no rule " << id << " in " << result.dump();
        return kNone;
    }
};

TEST_F(Backtests, RateTheDraftAgainstTheWindowsPurchasesWithKnownAnswersAndWriteNothing) {
    trade();
    draft_double_coffee_and_cashback();
    const auto draft_before = staff("GET", "/v1/program/rules/draft");
    const auto rows_before = row_counts();

    const auto ran = staff("POST", kBacktest, R"({"from": "2026-11-22", "to": "2026-11-22"})");
    ASSERT_EQ(ran.status, 200) << ran.body;
    const json job = json::parse(ran.body);
    EXPECT_EQ(job["state"], "done");
    EXPECT_EQ(job["progress"], (json{{"rated", 4}, {"total", 4}}));
    const json& result = job["result"];
    EXPECT_EQ(result["window"]["time_zone"], "Asia/Tehran");
    EXPECT_EQ(result["window"]["starts_at"], "2026-11-21T20:30:00.000000Z");
    EXPECT_EQ(result["currency"], "IRR");
    EXPECT_EQ(result["point_value_minor"], 1000);
    EXPECT_EQ(result["based_on_version"], 1);
    EXPECT_EQ(result["purchases"],
              (json{{"in_window", 6}, {"rated", 4}, {"skipped", {{"anonymous", 1}, {"voided", 1}}}, {"returned", 1}}));
    // Published: base 90 + 30 + 50 + 60. Draft: the same base, coffee doubled (90, then 10 under
    // member 0's cap of 100 a day, 50, 60) and 2% cashback on every rated purchase.
    const json& totals = result["totals"];
    EXPECT_EQ(totals["published"]["points"], 230);
    EXPECT_EQ(totals["published"]["cashback"], 0);
    EXPECT_EQ(totals["published"]["members"], 3);
    EXPECT_EQ(totals["published"]["purchases"], 4);
    EXPECT_EQ(totals["draft"]["points"], 440);
    EXPECT_EQ(totals["draft"]["points_value"], 440000);
    EXPECT_EQ(totals["draft"]["cashback"], 46000);
    EXPECT_EQ(totals["draft"]["members"], 3);
    EXPECT_EQ(totals["difference"]["points"], 210);
    EXPECT_EQ(totals["difference"]["points_value"], 210000);
    EXPECT_EQ(totals["difference"]["cashback"], 46000);

    const json& base = rule(result, "base");
    EXPECT_EQ(base["kind"], "points");
    EXPECT_EQ(base["draft"]["points"], 230);
    EXPECT_EQ(base["published"]["points"], 230);
    EXPECT_EQ(base["difference"]["points"], 0);
    const json& coffee = rule(result, "coffee_double");
    EXPECT_EQ(coffee["name"], "Coffee double");
    EXPECT_EQ(coffee["in_draft"], true);
    EXPECT_EQ(coffee["draft"]["points"], 210);
    EXPECT_EQ(coffee["draft"]["members"], 3);
    EXPECT_EQ(coffee["draft"]["purchases"], 4);
    EXPECT_EQ(coffee["published"]["points"], 0);
    const json& cashback = rule(result, "cb2");
    EXPECT_EQ(cashback["kind"], "cashback");
    EXPECT_EQ(cashback["draft"]["cashback"], 46000);
    EXPECT_EQ(cashback["draft"]["members"], 3);

    EXPECT_EQ(row_counts(), rows_before) << "a backtest writes nothing";
    EXPECT_EQ(staff("GET", "/v1/program/rules/draft").body, draft_before.body);
    const auto again = staff("GET", "/v1/program/rules/draft/backtests/" + job["id"].get<std::string>());
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(json::parse(again.body)["result"], result) << "kept for reading";

    // The operator's command rates the same window the same way, and writes nothing either.
    const auto command = run_command(
        {patronctl_path(), "rules", "backtest", "--from", "2026-11-22", "--to", "2026-11-22"}, setup.environment());
    ASSERT_EQ(command.exit_code, 0) << command.output;
    const json printed = json::parse(command.output.substr(command.output.find('{')));
    EXPECT_EQ(printed["totals"], result["totals"]);
    EXPECT_EQ(printed["rules"], result["rules"]);
    EXPECT_EQ(printed["purchases"], result["purchases"]);
    EXPECT_EQ(row_counts(), rows_before);
    const auto unknown =
        run_command({patronctl_path(), "rules", "backtest", "--from", "22-11-2026"}, setup.environment());
    EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
    EXPECT_NE(unknown.output.find("--from must be a date"), std::string::npos) << unknown.output;
}

TEST_F(Backtests, RefuseBadWindowsAndIdsThatNameNothing) {
    for (const auto& [body, field] :
         std::vector<std::pair<std::string, std::string>>{{R"({"from": "2026-13-01"})", "from"},
                                                          {R"({"to": 20261122})", "to"},
                                                          {R"({"from": "2026-11-22", "to": "2026-11-21"})", "from"},
                                                          {R"({"to": "2099-01-01"})", "to"},
                                                          {R"({"from": "2024-01-01", "to": "2026-11-22"})", "from"},
                                                          {R"({"since": "2026-11-01"})", "since"}}) {
        EXPECT_TRUE(refused(staff("POST", kBacktest, body), 422, field)) << body;
    }
    EXPECT_EQ(code_of(staff("POST", kBacktest, R"({"from": "x"})")), "VALIDATION_FAILED");
    EXPECT_TRUE(refused(staff("GET", "/v1/program/rules/draft/backtests/nothing"), 404, "id"));
    EXPECT_TRUE(refused(staff("DELETE", "/v1/program/rules/draft/backtests/nothing"), 404, "id"));
    // The defaults: the 30 days ending yesterday.
    const auto defaults = staff("POST", kBacktest);
    ASSERT_EQ(defaults.status, 200) << defaults.body;
    EXPECT_EQ(json::parse(defaults.body)["result"]["purchases"]["in_window"], 0);
}

// A job held up (its read of the purchases waits behind a table lock the test holds) answers 202
// with where to follow it, keeps a second one out (409), and stops when cancelled.
TEST_F(Backtests, RunInTheBackgroundOneAtATimeAndStopWhenCancelled) {
    trade();
    soci::session& lock_holder = db.raw();  // A connection of the test's own, not patrond's.
    lock_holder << "LOCK TABLES purchases WRITE";
    const auto started = staff("POST", kBacktest, R"({"from": "2026-11-22", "to": "2026-11-22"})");
    ASSERT_EQ(started.status, 202) << started.body;
    const json job = json::parse(started.body);
    EXPECT_EQ(job["state"], "running");
    EXPECT_EQ(job["progress"]["rated"], 0);
    const std::string path = "/v1/program/rules/draft/backtests/" + job["id"].get<std::string>();
    EXPECT_EQ(started.headers.count("location") ? started.headers.at("location") : "", path);

    const auto second = staff("POST", kBacktest, R"({"from": "2026-11-22", "to": "2026-11-22"})");
    EXPECT_EQ(second.status, 409) << second.body;
    EXPECT_EQ(code_of(second), "ALREADY_RUNNING");
    EXPECT_EQ(json::parse(staff("GET", path).body)["state"], "running");

    const auto cancelling = staff("DELETE", path);
    EXPECT_EQ(cancelling.status, 200) << cancelling.body;
    lock_holder << "UNLOCK TABLES";
    std::string state;
    for (int i = 0; i < 600 && state != "cancelled"; ++i) {  // Up to 30 s on a loaded machine.
        state = json::parse(staff("GET", path).body)["state"];
        if (state != "cancelled") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(state, "cancelled");
    EXPECT_EQ(staff("POST", kBacktest, R"({"from": "2026-11-22", "to": "2026-11-22"})").status, 200)
        << "another may run once it stopped";
}

}  // namespace
}  // namespace patron::testing
