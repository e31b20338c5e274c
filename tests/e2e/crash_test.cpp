// patrond killed with SIGKILL at random moments under signed POS load, and started again each
// time (issue 20). Tills of their own terminals sell, redeem points, return, void and send
// batches, each operation with its receipt and an Idempotency-Key, retried as a till retries
// (the same request, signed afresh) until it gets an answer. Every 2xx answer goes to a log, one
// JSON line each. Afterwards a checker reads that log and the database: each operation answered
// with a 2xx is there exactly once and whole (the points its answer says it earned and redeemed
// are the ledger's), none other is; each acknowledged request sent again gets its answer byte
// for byte; and patronctl verify finds nothing. PATRON_FAULT_CYCLES sets the number of crashes
// (3 in scripts/test; `scripts/bench --faults` runs 20); the figures are printed and added to
// PATRON_FAULT_REPORT when set (a JSON line per test).
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "loyalty/store/db/database.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/till_load.h"
#include "tests/support/own_mariadb.h"

namespace patron::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

int fault_cycles() {
    const char* cycles = std::getenv("PATRON_FAULT_CYCLES");
    return cycles && std::atoi(cycles) > 0 ? std::atoi(cycles) : 3;
}

// The tills' load on a database, with a crash at a random moment of each cycle (and the service
// brought back), then the checks; the figures are printed.
void run_with_crashes(const std::string& database_url, const std::function<void(TillLoad&, std::mt19937&)>& crash) {
    TillLoad load(database_url);
    load.start();
    std::mt19937 random(load.seed);
    const int cycles = fault_cycles();
    for (int cycle = 0; cycle < cycles; ++cycle) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(300, 2000)(random)));
        crash(load, random);
    }
    std::this_thread::sleep_for(1s);
    load.stop();

    Figures figures = load.till_figures();
    figures["cycles"] = cycles;
    // The checker: the log of acknowledged answers against the database.
    const Checked checked = load.check_database(load.setup.database_url);
    for (const auto& [name, count] : checked.figures) figures[name] += count;
    for (const std::string& problem : checked.problems) ADD_FAILURE() << problem;

    // The checker sees what it is there to see: a log that claims an operation the database does
    // not hold, and points other than the ledger's, and a database row the log never acknowledged.
    {
        std::ifstream original(load.log_path);
        std::vector<json> lines;
        for (std::string line; std::getline(original, line);) lines.push_back(json::parse(line));
        ASSERT_GT(lines.size(), 2U);
        const std::string tampered_path = load.setup.dir.path() + "/tampered.jsonl";
        std::ofstream tampered(tampered_path);
        json invented = lines[1];
        invented["kind"] = "void";
        invented["receipts"] = {"999999"};
        tampered << invented.dump() << "\n";
        bool changed = false;
        for (std::size_t i = 1; i < lines.size(); ++i) {
            json line = lines[i];
            if (line["kind"] == "purchase" && !changed) {
                json answer = json::parse(line["answer"].get<std::string>());
                answer["points"]["earned"] = answer["points"]["earned"].get<long long>() + 1;
                line["answer"] = answer.dump();
                changed = true;
            }
            tampered << line.dump() << "\n";
        }
        tampered.close();
        soci::session sql(soci::mysql, store::soci_connection_string(load.setup.database_url).value());
        const Checked caught = check(tampered_path, sql, load.terminals);
        EXPECT_EQ(caught.figures.at("lost"), 1) << json(caught.problems).dump();
        EXPECT_EQ(caught.figures.at("points other than acknowledged"), 1) << json(caught.problems).dump();
        EXPECT_GE(caught.figures.at("in the database, never acknowledged"), 1) << json(caught.problems).dump();
    }

    // Each acknowledged request again, after the crashes: its answer byte for byte. Sales, returns
    // and voids alternate between the receipt alone and the Idempotency-Key; batches keep the key.
    std::size_t turn = 0;
    for (auto& till : load.tills) {
        for (const TillRequest& request : till->sent) {
            if (request.status < 200 || request.status >= 300) continue;
            TillRequest again = request;
            again.attempts = 0;
            till->send(load.server, again, request.kind == "batch" || ++turn % 2 == 0);
            figures[again.answer == request.answer && again.status == request.status ? "replayed byte for byte"
                                                                                     : "replayed differently"] += 1;
            EXPECT_EQ(again.answer, request.answer) << request.kind << " " << request.receipts.front();
        }
    }

    const auto verified = run_command({patronctl_path(), "verify"}, load.setup.environment());
    figures["verify exit code"] = verified.exit_code;
    EXPECT_EQ(verified.exit_code, 0) << verified.output;

    const json report(figures);
    std::cout << "[figures] " << report.dump() << "\n";
    if (const char* path = std::getenv("PATRON_FAULT_REPORT")) {
        const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::ofstream(path, std::ios::app) << json{{"test", test}, {"figures", report}}.dump() << "\n";
    }
    EXPECT_GT(figures["acknowledged"], 0);
    EXPECT_GT(figures["requests retried"], 0) << "no crash caught a request in flight";
    EXPECT_EQ(figures["lost"], 0);
    EXPECT_EQ(figures["doubled"], 0);
    EXPECT_EQ(figures["answers 5xx"], 0) << "but 503, which the tills retried";
    for (const std::string& refusal : refusals_no_basket_earns(figures)) ADD_FAILURE() << refusal;
    EXPECT_EQ(figures["answers 503 without Retry-After"], 0);
    EXPECT_EQ(figures["requests never answered"], 0);
    EXPECT_EQ(figures["replayed differently"], 0);
}

TEST(Crashes, PatrondKilledUnderLoadLosesNothingAcknowledgedAndCountsNothingTwice) {
    TestDatabase db(false);
    run_with_crashes(db.url(), [](TillLoad& load, std::mt19937&) { load.server.crash_and_restart(); });
}

// MariaDB killed and started again after a second or two away: patrond answers 503 with
// Retry-After meanwhile (never another 5xx) and serves again by itself, without a restart.
TEST(Crashes, MariaDbKilledUnderLoadLosesNothingAcknowledgedAndPatrondRecoversByItself) {
    OwnMariaDb mariadb;
    run_with_crashes(mariadb.url(), [&](TillLoad&, std::mt19937& random) {
        mariadb.kill_hard();
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(500, 2000)(random)));
        mariadb.start();
    });
}

}  // namespace
}  // namespace patron::testing
