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
#include "tests/support/own_mariadb.h"

namespace patron::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

int fault_cycles() {
    const char* cycles = std::getenv("PATRON_FAULT_CYCLES");
    return cycles && std::atoi(cycles) > 0 ? std::atoi(cycles) : 3;
}

// The fixture's documents of the demo store, for the tills.
struct Documents : PatrondTest {
    using PatrondTest::purchase;
    using PatrondTest::return_of;
};

// A patrond that can crash and start again: its current address for every till.
class CrashingServer {
  public:
    explicit CrashingServer(const DemoSetup& setup) : setup_(setup) { start(); }

    std::string url(const std::string& path) {
        std::lock_guard lock(mutex_);
        return base_ + path;
    }
    // SIGKILL, then a new patrond on the same database; the tills find it by url().
    void crash_and_restart() {
        process_->kill_hard();
        process_.reset();
        start();
    }

  private:
    void start() {
        process_ = std::make_unique<PatrondProcess>(setup_.environment(), setup_.dir.path());
        std::lock_guard lock(mutex_);
        base_ = process_->url("");
    }

    const DemoSetup& setup_;
    std::unique_ptr<PatrondProcess> process_;
    std::mutex mutex_;
    std::string base_;
};

// One request a till sends, and the answer it finally got.
struct TillRequest {
    std::string kind;  // purchase, return, void, batch
    std::string path;
    std::string body;
    std::string key;                    // Its Idempotency-Key.
    std::vector<std::string> receipts;  // The receipts it writes, in order (a batch's items).
    long status = 0;
    std::string answer = {};
    int attempts = 0;
    bool replayed = false;  // Answered from what an earlier attempt stored (Idempotent-Replayed).
    int unavailable = 0;    // 503 answers before the last one.
    int unavailable_without_retry_after = 0;
};

// A till with a terminal of its own at the demo store, selling to the demo members.
class Till {
  public:
    Till(std::string terminal, PosSigner signer, std::vector<std::string> cards, unsigned seed, std::ofstream& log,
         std::mutex& log_mutex)
        : terminal_(std::move(terminal)),
          signer_(std::move(signer)),
          cards_(std::move(cards)),
          random_(seed),
          log_(log),
          log_mutex_(log_mutex) {}

    void run(CrashingServer& server, const std::atomic<bool>& selling) {
        while (selling) {
            TillRequest request = next();
            send(server, request, true);
            finish(server, std::move(request));
        }
    }

    // Logs an answered request; a batch's items answered 503 (written nowhere, or committed just
    // before the database went) go again in a batch of their own, as a till's next upload.
    void finish(CrashingServer& server, TillRequest request) {
        const bool answered = request.status >= 200 && request.status < 300;
        if (answered) acknowledge(request);
        std::optional<TillRequest> again;
        if (answered && request.kind == "batch") again = unanswered_items(request);
        sent.push_back(std::move(request));
        if (again) {
            send(server, *again, true);
            finish(server, std::move(*again));
        }
    }

    // Sends until an answer comes: a crash shows as no answer, or 503 while patrond starts.
    void send(CrashingServer& server, TillRequest& request, bool with_key) {
        for (;;) {
            ++request.attempts;
            std::vector<std::string> headers = signer_.headers("POST", request.path, request.body);
            headers.push_back("Content-Type: application/json");
            if (with_key) headers.push_back("Idempotency-Key: " + request.key);
            try {
                const HttpReply reply = http({"POST", server.url(request.path), request.body, headers, 10});
                if (reply.status != 503) {
                    request.status = reply.status;
                    request.answer = reply.body;
                    request.replayed = reply.headers.contains("idempotent-replayed");
                    return;
                }
                ++request.unavailable;
                if (!reply.headers.contains("retry-after")) ++request.unavailable_without_retry_after;
            } catch (const std::exception&) {
            }
            if (request.attempts > 3000) return;  // About five minutes without an answer: a finding.
            std::this_thread::sleep_for(100ms);
        }
    }

    std::vector<TillRequest> sent;

  private:
    json sale(const std::string& receipt) {
        const long long amount = 1000 * std::uniform_int_distribution<long long>(50, 2000)(random_);
        json document = Documents::purchase(receipt, cards_[random_() % cards_.size()], amount);
        document["terminal"] = terminal_;
        if (random_() % 4 == 0) document["redeem_points"] = std::uniform_int_distribution<int>(20, 60)(random_);
        return document;
    }

    std::string receipt() { return std::to_string(++receipts_); }

    // A purchase of this till acknowledged and not yet returned or voided, taken from the pool.
    std::optional<std::string> acknowledged_sale() {
        if (open_sales_.empty()) return std::nullopt;
        const std::size_t at = random_() % open_sales_.size();
        std::string receipt = open_sales_[at];
        open_sales_.erase(open_sales_.begin() + static_cast<std::ptrdiff_t>(at));
        return receipt;
    }

    TillRequest next() {
        TillRequest request;
        const unsigned roll = random_() % 100;
        std::optional<std::string> original = roll >= 55 && roll < 80 ? acknowledged_sale() : std::nullopt;
        if (original) {
            const bool whole = roll >= 70;
            const std::string receipt_number = receipt();
            json document = Documents::return_of(receipt_number, *original,
                                                 whole ? json(nullptr) : json{{{"line", 1}, {"quantity", 1}}});
            document["terminal"] = terminal_;
            document["original"]["terminal"] = terminal_;
            request = {whole ? "void" : "return",
                       whole ? "/v1/pos/voids" : "/v1/pos/returns",
                       document.dump(),
                       "",
                       {receipt_number}};
        } else if (roll >= 85) {
            json operations = json::array();
            std::vector<std::string> receipts;
            for (int i = 0; i < 3; ++i) {
                receipts.push_back(receipt());
                operations.push_back({{"type", "purchase"}, {"document", sale(receipts.back())}});
            }
            request = {"batch", "/v1/pos/batches", json{{"operations", operations}}.dump(), "", receipts};
        } else {
            const std::string receipt_number = receipt();
            request = {"purchase", "/v1/pos/purchases", sale(receipt_number).dump(), "", {receipt_number}};
        }
        request.key = terminal_ + "-" + request.receipts.front();
        return request;
    }

    std::optional<TillRequest> unanswered_items(const TillRequest& batch) {
        const json answer = json::parse(batch.answer, nullptr, false);
        const json sent_operations = json::parse(batch.body)["operations"];
        if (!answer.is_object()) return std::nullopt;
        json operations = json::array();
        std::vector<std::string> receipts;
        for (std::size_t i = 0; i < answer["results"].size(); ++i) {
            if (answer["results"][i]["status"] != 503) continue;
            operations.push_back(sent_operations[i]);
            receipts.push_back(batch.receipts[i]);
        }
        if (receipts.empty()) return std::nullopt;
        TillRequest again{"batch", batch.path, json{{"operations", operations}}.dump(), "", receipts};
        again.key = terminal_ + "-" + receipts.front() + "-again-" + std::to_string(++uploads_again_);
        return again;
    }

    // Into the log of acknowledged answers, and the sales into the pool of returns and voids.
    void acknowledge(const TillRequest& request) {
        {
            std::lock_guard lock(log_mutex_);
            log_ << json{{"terminal", terminal_},    {"kind", request.kind},    {"path", request.path},
                         {"body", request.body},     {"key", request.key},      {"receipts", request.receipts},
                         {"status", request.status}, {"answer", request.answer}}
                        .dump()
                 << "\n"
                 << std::flush;
        }
        if (request.kind == "purchase") open_sales_.push_back(request.receipts.front());
        if (request.kind == "batch") {
            const json results = json::parse(request.answer, nullptr, false);
            for (std::size_t i = 0; results.is_object() && i < results["results"].size(); ++i) {
                if (results["results"][i]["status"] == 201) open_sales_.push_back(request.receipts[i]);
            }
        }
    }

    std::string terminal_;
    PosSigner signer_;
    std::vector<std::string> cards_;
    std::mt19937 random_;
    std::ofstream& log_;
    std::mutex& log_mutex_;
    long long receipts_ = 0;
    int uploads_again_ = 0;
    std::vector<std::string> open_sales_;
};

// What the checker found, each figure by name.
using Figures = std::map<std::string, long long>;

// An operation the log says was acknowledged: a request's, or one item of a batch.
struct Acknowledged {
    std::string terminal;
    std::string receipt;
    std::string kind;  // purchase, return, void
    json answer;
};

// Reads the log of acknowledged answers: every operation a 2xx answered, a batch's items each.
std::vector<Acknowledged> read_acknowledged(const std::string& path) {
    std::vector<Acknowledged> operations;
    std::ifstream file(path);
    for (std::string line; std::getline(file, line);) {
        const json entry = json::parse(line);
        const json answer = json::parse(entry["answer"].get<std::string>());
        const auto& receipts = entry["receipts"];
        if (entry["kind"] != "batch") {
            operations.push_back({entry["terminal"].get<std::string>(), receipts[0].get<std::string>(),
                                  entry["kind"].get<std::string>(), answer});
            continue;
        }
        for (std::size_t i = 0; i < answer["results"].size(); ++i) {
            const json& item = answer["results"][i];
            const int status = item["status"].get<int>();
            if (status >= 200 && status < 300) {
                operations.push_back(
                    {entry["terminal"].get<std::string>(), receipts[i].get<std::string>(), "purchase", item["body"]});
            }
        }
    }
    return operations;
}

// Each operation of the tills' terminals the database holds, by terminal and receipt: how many
// rows, and the points its purchase's ledger transfers earned and redeemed for the member.
struct Stored {
    long long rows = 0;
    long long earned = 0;
    long long redeemed = 0;
};

std::map<std::pair<std::string, std::string>, Stored> stored_operations(soci::session& sql,
                                                                        const std::set<std::string>& terminals) {
    std::map<std::pair<std::string, std::string>, Stored> stored;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT p.terminal, p.receipt, CAST(COUNT(DISTINCT p.id) AS SIGNED),"
                        " CAST(IFNULL(SUM(IF(t.kind = 'earn', e.amount, 0)), 0) AS SIGNED),"
                        " CAST(IFNULL(SUM(IF(t.kind = 'redeem', -e.amount, 0)), 0) AS SIGNED)"
                        " FROM purchases p JOIN stores s ON s.id = p.store_id AND s.code = 'S001'"
                        " LEFT JOIN ledger_transfers t ON t.purchase_id = p.id"
                        " LEFT JOIN ledger_entries e ON e.transfer_id = t.id AND e.member_id IS NOT NULL"
                        " GROUP BY p.terminal, p.receipt");
    for (const soci::row& row : rows) {
        const auto terminal = row.get<std::string>(0);
        if (!terminals.contains(terminal)) continue;
        stored[{terminal, row.get<std::string>(1)}] = {row.get<long long>(2), row.get<long long>(3),
                                                       row.get<long long>(4)};
    }
    return stored;
}

// The checker's figures (acknowledged, found, lost, doubled, ...) and a line for each problem.
struct Checked {
    Figures figures;
    std::vector<std::string> problems;
};

// Reads the log of acknowledged answers and the database: each operation acknowledged must be
// there once, with the points its answer gave; each of the tills' operations there must have
// been acknowledged.
Checked check(const std::string& log_path, soci::session& sql, const std::set<std::string>& terminals) {
    Checked checked;
    Figures& figures = checked.figures;
    for (const char* name : {"acknowledged", "found", "lost", "doubled", "points other than acknowledged",
                             "in the database, never acknowledged"}) {
        figures[name] = 0;
    }
    const std::vector<Acknowledged> acknowledged = read_acknowledged(log_path);
    const auto stored = stored_operations(sql, terminals);
    std::set<std::pair<std::string, std::string>> seen;
    for (const Acknowledged& operation : acknowledged) {
        const std::pair key{operation.terminal, operation.receipt};
        const std::string name = operation.kind + " " + operation.terminal + "/" + operation.receipt;
        figures["acknowledged"] += 1;
        figures["acknowledged " + operation.kind] += 1;
        if (!seen.insert(key).second) checked.problems.push_back(name + " is in the log twice");
        const auto found = stored.find(key);
        if (found == stored.end()) {
            figures["lost"] += 1;
            checked.problems.push_back(name + " was acknowledged and is not in the database");
            continue;
        }
        figures["found"] += 1;
        if (found->second.rows > 1) {
            figures["doubled"] += 1;
            checked.problems.push_back(name + " is in the database " + std::to_string(found->second.rows) + " times");
        }
        if (operation.kind != "purchase") continue;
        const long long earned = operation.answer["points"]["earned"].get<long long>();
        const long long redeemed = operation.answer["points"]["redeemed"].get<long long>();
        if (found->second.earned != earned || found->second.redeemed != redeemed) {
            figures["points other than acknowledged"] += 1;
            checked.problems.push_back(name + " earned " + std::to_string(found->second.earned) + " and redeemed " +
                                       std::to_string(found->second.redeemed) + " in the ledger, acknowledged " +
                                       std::to_string(earned) + " and " + std::to_string(redeemed));
        }
    }
    for (const auto& [key, rows] : stored) {
        if (!seen.contains(key)) {
            figures["in the database, never acknowledged"] += 1;
            checked.problems.push_back(key.first + "/" + key.second + " is in the database but no 2xx answered it");
        }
    }
    return checked;
}

// The demo programme on a database, a patrond that can crash, and the tills' load with its checks.
class CrashLoad {
  public:
    explicit CrashLoad(const std::string& database_url) : setup(database_url), server(setup) {}

    // Four tills sell while `crash` strikes at a random moment of each cycle (and brings the
    // service back), then the checks; the figures are printed.
    void run(const std::function<void(std::mt19937&)>& crash);

    HttpReply staff(const std::string& method, const std::string& path, const std::string& body) {
        return http({method,
                     server.url(path),
                     body,
                     {"Authorization: Bearer " + setup.demo["staff_token"].get<std::string>(),
                      "Content-Type: application/json"}});
    }

    DemoSetup setup;
    CrashingServer server;
};

void CrashLoad::run(const std::function<void(std::mt19937&)>& crash) {
    // Every demo member holds points to redeem; each till has a terminal of its own.
    std::vector<std::string> cards;
    for (const json& member : setup.demo["members"]) {
        cards.push_back(member["card"].get<std::string>());
        const auto granted =
            staff("POST", "/v1/members/" + std::to_string(member["id"].get<long long>()) + "/points/adjustments",
                  R"({"points": 100000, "reason": "crash test"})");
        ASSERT_EQ(granted.status, 201) << granted.body;
    }
    const std::string log_path = setup.dir.path() + "/acknowledged.jsonl";
    std::ofstream log(log_path);
    std::mutex log_mutex;
    std::vector<std::unique_ptr<Till>> tills;
    std::set<std::string> terminals;
    const unsigned seed = std::random_device{}();
    for (int i = 1; i <= 4; ++i) {
        const std::string terminal = "C" + std::to_string(i);
        const auto registered = staff("POST", "/v1/stores/S001/terminals", json{{"code", terminal}}.dump());
        ASSERT_EQ(registered.status, 201) << registered.body;
        const json key = json::parse(registered.body);
        tills.push_back(std::make_unique<Till>(
            terminal, PosSigner{key["key_id"].get<std::string>(), key["secret"].get<std::string>()}, cards, seed + i,
            log, log_mutex));
        terminals.insert(terminal);
    }
    std::cout << "[seed] tills from seed " << seed << "\n";

    // The load, and a crash at a random moment of each cycle.
    std::atomic<bool> selling{true};
    std::vector<std::thread> running;
    for (auto& till : tills) running.emplace_back([&, till = till.get()] { till->run(server, selling); });
    std::mt19937 random(seed);
    const int cycles = fault_cycles();
    for (int cycle = 0; cycle < cycles; ++cycle) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(300, 2000)(random)));
        crash(random);
    }
    std::this_thread::sleep_for(1s);
    selling = false;
    for (std::thread& till : running) till.join();
    log.close();

    // What the tills saw.
    Figures figures{{"cycles", cycles},
                    {"requests retried", 0},
                    {"retries answered as stored before the crash", 0},
                    {"requests never answered", 0},
                    {"answers 5xx", 0},
                    {"batch items answered 503", 0}};
    for (const auto& till : tills) {
        for (const TillRequest& request : till->sent) {
            figures["requests"] += 1;
            figures["requests " + request.kind] += 1;
            if (request.attempts > 1) figures["requests retried"] += 1;
            figures["answers 503 (retried)"] += request.unavailable;
            figures["answers 503 without Retry-After"] += request.unavailable_without_retry_after;
            // A crash between the commit and the answer: the retry finds the operation done.
            if (request.attempts > 1 && request.replayed) figures["retries answered as stored before the crash"] += 1;
            if (request.status == 0) figures["requests never answered"] += 1;
            if (request.kind == "batch" && request.status >= 200 && request.status < 300) {
                // An item the database's absence stopped is answered 503 inside the batch: it
                // wrote nothing, and the till sends it again with its next upload.
                const json batch = json::parse(request.answer);
                for (const json& item : batch["results"]) {
                    if (item["status"].get<int>() >= 500) figures["batch items answered 503"] += 1;
                    if (item["status"].get<int>() >= 500 && item["status"] != 503) figures["answers 5xx"] += 1;
                }
            }
            if (request.status >= 500) figures["answers 5xx"] += 1;
            if (request.status >= 400 && request.status < 500) {
                const json answer = json::parse(request.answer, nullptr, false);
                const bool coded = answer.is_object() && answer.contains("error");
                figures["answers 4xx " + (coded ? answer["error"].value("code", "?") : std::string("?"))] += 1;
            }
        }
    }

    // The checker: the log of acknowledged answers against the database.
    soci::session sql(soci::mysql, store::soci_connection_string(setup.database_url).value());
    const Checked checked = check(log_path, sql, terminals);
    for (const auto& [name, count] : checked.figures) figures[name] += count;
    for (const std::string& problem : checked.problems) ADD_FAILURE() << problem;

    // The checker sees what it is there to see: a log that claims an operation the database does
    // not hold, and points other than the ledger's, and a database row the log never acknowledged.
    {
        std::ifstream original(log_path);
        std::vector<json> lines;
        for (std::string line; std::getline(original, line);) lines.push_back(json::parse(line));
        ASSERT_GT(lines.size(), 2U);
        const std::string tampered_path = setup.dir.path() + "/tampered.jsonl";
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
        const Checked caught = check(tampered_path, sql, terminals);
        EXPECT_EQ(caught.figures.at("lost"), 1) << json(caught.problems).dump();
        EXPECT_EQ(caught.figures.at("points other than acknowledged"), 1) << json(caught.problems).dump();
        EXPECT_GE(caught.figures.at("in the database, never acknowledged"), 1) << json(caught.problems).dump();
    }

    // Each acknowledged request again, after the crashes: its answer byte for byte. Sales, returns
    // and voids alternate between the receipt alone and the Idempotency-Key; batches keep the key.
    std::size_t turn = 0;
    for (auto& till : tills) {
        for (const TillRequest& request : till->sent) {
            if (request.status < 200 || request.status >= 300) continue;
            TillRequest again = request;
            again.attempts = 0;
            till->send(server, again, request.kind == "batch" || ++turn % 2 == 0);
            figures[again.answer == request.answer && again.status == request.status ? "replayed byte for byte"
                                                                                     : "replayed differently"] += 1;
            EXPECT_EQ(again.answer, request.answer) << request.kind << " " << request.receipts.front();
        }
    }

    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
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
    // A refusal is a sale the till lost: only the ones its basket earns are right.
    for (const auto& [name, count] : figures) {
        if (!name.starts_with("answers 4xx ")) continue;
        const std::string code = name.substr(std::string("answers 4xx ").size());
        EXPECT_TRUE(code == "POINTS_INSUFFICIENT" || code == "REDEMPTION_BELOW_MINIMUM") << count << " x " << code;
    }
    EXPECT_EQ(figures["answers 503 without Retry-After"], 0);
    EXPECT_EQ(figures["requests never answered"], 0);
    EXPECT_EQ(figures["replayed differently"], 0);
}

TEST(Crashes, PatrondKilledUnderLoadLosesNothingAcknowledgedAndCountsNothingTwice) {
    TestDatabase db(false);
    CrashLoad load(db.url());
    load.run([&](std::mt19937&) { load.server.crash_and_restart(); });
}

// MariaDB killed and started again after a second or two away: patrond answers 503 with
// Retry-After meanwhile (never another 5xx) and serves again by itself, without a restart.
TEST(Crashes, MariaDbKilledUnderLoadLosesNothingAcknowledgedAndPatrondRecoversByItself) {
    OwnMariaDb mariadb;
    CrashLoad load(mariadb.url());
    load.run([&](std::mt19937& random) {
        mariadb.kill_hard();
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(500, 2000)(random)));
        mariadb.start();
    });
}

}  // namespace
}  // namespace patron::testing
