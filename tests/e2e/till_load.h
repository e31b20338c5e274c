// Tills under signed POS load and a checker of what they were told (issue 20). Four tills, each
// with a terminal of its own at the demo store, sell (a quarter of the sales pay with points),
// return, void and send batches, each operation with its receipt and an Idempotency-Key, retried
// as a till retries (the same request, signed afresh) until it gets an answer. Every 2xx answer
// goes to a log, one JSON line each; the checker reads that log and a database and finds each
// operation acknowledged there exactly once and whole, and none other.
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/patrond_process.h"
#include "tests/support/pos_signer.h"

namespace patron::testing {

// Figures by name: what the tills saw, what the checker found.
using Figures = std::map<std::string, long long>;

// Where the tills find patrond.
class TillServer {
  public:
    virtual ~TillServer() = default;
    virtual std::string url(const std::string& path) = 0;
};

// A patrond that serves for the whole test.
class ServingPatrond : public TillServer {
  public:
    explicit ServingPatrond(PatrondProcess& process) : process_(process) {}
    std::string url(const std::string& path) override { return process_.url(path); }

  private:
    PatrondProcess& process_;
};

// A patrond that can crash and start again: its current address for every till.
class CrashingServer : public TillServer {
  public:
    explicit CrashingServer(const DemoSetup& setup) : setup_(setup) { start(); }

    std::string url(const std::string& path) override {
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
    long long sent_at_ms = 0;      // When it was first sent (Unix milliseconds).
    long long answered_at_ms = 0;  // When its last answer came.
};

// Now, in Unix milliseconds.
long long unix_ms_now();

// A till with a terminal of its own at the demo store, selling to the demo members.
class Till {
  public:
    Till(std::string terminal, PosSigner signer, std::vector<std::string> cards, unsigned seed, std::ofstream& log,
         std::mutex& log_mutex);

    // Sells (and returns, voids, sends batches) until `selling` turns false.
    void run(TillServer& server, const std::atomic<bool>& selling);

    // Logs an answered request; a batch's items answered 503 (written nowhere, or committed just
    // before the database went) go again in a batch of their own, as a till's next upload.
    void finish(TillServer& server, TillRequest request);

    // Sends until an answer comes: a crash shows as no answer, or 503 while patrond starts.
    void send(TillServer& server, TillRequest& request, bool with_key);

    std::vector<TillRequest> sent;

  private:
    nlohmann::json sale(const std::string& receipt);

    std::string receipt() { return std::to_string(++receipts_); }

    // A purchase of this till acknowledged and not yet returned or voided, taken from the pool.
    std::optional<std::string> acknowledged_sale();

    TillRequest next();

    std::optional<TillRequest> unanswered_items(const TillRequest& batch);

    // Into the log of acknowledged answers, and the sales into the pool of returns and voids.
    void acknowledge(const TillRequest& request);

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

// An operation the log says was acknowledged: a request's, or one item of a batch, with when
// its request was first sent and when its answer came (Unix milliseconds).
struct Acknowledged {
    std::string terminal;
    std::string receipt;
    std::string kind;  // purchase, return, void
    nlohmann::json answer;
    long long sent_at_ms = 0;
    long long acknowledged_at_ms = 0;
};

// Reads the log of acknowledged answers: every operation a 2xx answered, a batch's items each.
std::vector<Acknowledged> read_acknowledged(const std::string& path);

// The checker's figures (acknowledged, found, lost, doubled, ...) and a line for each problem.
struct Checked {
    Figures figures;
    std::vector<std::string> problems;
};

// Reads the log of acknowledged answers and the database: each operation acknowledged must be
// there once, with the points its answer gave; each of the tills' operations there must have
// been acknowledged.
Checked check(const std::string& log_path, soci::session& sql, const std::set<std::string>& terminals);

// Four tills of terminals of their own at the demo store of `setup`, selling to its members (each
// of whom is given points to redeem) through `server`, and the log of what they were told.
class Tills {
  public:
    Tills(const DemoSetup& setup, TillServer& server);
    ~Tills();
    Tills(const Tills&) = delete;
    Tills& operator=(const Tills&) = delete;

    void start();  // The tills sell.
    void stop();   // They finish what they are sending and stop; the log is complete.
    // What the tills saw: requests by kind, retried, answered 503, 5xx, 4xx by code, never answered.
    Figures till_figures() const;
    // The checker on the database at this URL (the load's own, or one restored from it).
    Checked check_database(const std::string& database_url) const;
    HttpReply staff(const std::string& method, const std::string& path, const std::string& body);
    // Milliseconds from sending to the answer of the requests first sent between the two moments
    // (Unix milliseconds) and answered at the first attempt, in order.
    std::vector<double> latencies_ms(long long from_ms, long long to_ms) const;

    std::string log_path;
    std::set<std::string> terminals;
    std::vector<std::unique_ptr<Till>> tills;
    unsigned seed;

  private:
    const DemoSetup& setup_;
    TillServer& server_;
    std::ofstream log_;
    std::mutex log_mutex_;
    std::atomic<bool> selling_{false};
    std::vector<std::thread> running_;
};

// The 4xx answers among the figures that no till's basket earns, as "COUNT x CODE": a refusal is
// a sale the till lost, and only running short of points or paying below the minimum are right.
std::vector<std::string> refusals_no_basket_earns(const Figures& figures);

// The demo programme on a database and a patrond that can crash: what the tills sell on.
struct CrashingDemo {
    explicit CrashingDemo(const std::string& database_url) : setup(database_url), server(setup) {}
    DemoSetup setup;
    CrashingServer server;
};

// The demo programme on a database, a patrond that can crash, and the four tills selling there.
class TillLoad : public CrashingDemo, public Tills {
  public:
    explicit TillLoad(const std::string& database_url) : CrashingDemo(database_url), Tills(setup, server) {}
};

}  // namespace patron::testing
