#include "tests/e2e/till_load.h"

#include <soci/mysql/soci-mysql.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "loyalty/store/db/database.h"
#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {

using json = nlohmann::json;
using namespace std::chrono_literals;

long long unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Till::Till(std::string terminal, PosSigner signer, std::vector<std::string> cards, unsigned seed, std::ofstream& log,
           std::mutex& log_mutex)
    : terminal_(std::move(terminal)),
      signer_(std::move(signer)),
      cards_(std::move(cards)),
      random_(seed),
      log_(log),
      log_mutex_(log_mutex) {}

void Till::run(TillServer& server, const std::atomic<bool>& selling) {
    while (selling) {
        TillRequest request = next();
        send(server, request, true);
        finish(server, std::move(request));
    }
}

// Logs an answered request; a batch's items answered 503 (written nowhere, or committed just
// before the database went) go again in a batch of their own, as a till's next upload.
void Till::finish(TillServer& server, TillRequest request) {
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
void Till::send(TillServer& server, TillRequest& request, bool with_key) {
    for (;;) {
        ++request.attempts;
        if (request.sent_at_ms == 0) request.sent_at_ms = unix_ms_now();
        std::vector<std::string> headers = signer_.headers("POST", request.path, request.body);
        headers.push_back("Content-Type: application/json");
        if (with_key) headers.push_back("Idempotency-Key: " + request.key);
        try {
            const HttpReply reply = http({"POST", server.url(request.path), request.body, headers, 10});
            if (reply.status != 503) {
                request.status = reply.status;
                request.answer = reply.body;
                request.replayed = reply.headers.contains("idempotent-replayed");
                request.answered_at_ms = unix_ms_now();
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

json Till::sale(const std::string& receipt) {
    const long long amount = 1000 * std::uniform_int_distribution<long long>(50, 2000)(random_);
    json document = PatrondTest::purchase(receipt, cards_[random_() % cards_.size()], amount);
    document["terminal"] = terminal_;
    // The demo's point pays 1,000 IRR: a till never offers more points than the basket is worth.
    if (random_() % 4 == 0) {
        document["redeem_points"] =
            std::min<long long>(std::uniform_int_distribution<int>(20, 60)(random_), amount / 1000);
    }
    return document;
}

// A purchase of this till acknowledged and not yet returned or voided, taken from the pool.
std::optional<std::string> Till::acknowledged_sale() {
    if (open_sales_.empty()) return std::nullopt;
    const std::size_t at = random_() % open_sales_.size();
    std::string receipt = open_sales_[at];
    open_sales_.erase(open_sales_.begin() + static_cast<std::ptrdiff_t>(at));
    return receipt;
}

TillRequest Till::next() {
    TillRequest request;
    const unsigned roll = random_() % 100;
    std::optional<std::string> original = roll >= 55 && roll < 80 ? acknowledged_sale() : std::nullopt;
    if (original) {
        const bool whole = roll >= 70;
        const std::string receipt_number = receipt();
        json document = PatrondTest::return_of(receipt_number, *original,
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

std::optional<TillRequest> Till::unanswered_items(const TillRequest& batch) {
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
void Till::acknowledge(const TillRequest& request) {
    {
        std::lock_guard lock(log_mutex_);
        log_ << json{{"terminal", terminal_},
                     {"kind", request.kind},
                     {"path", request.path},
                     {"body", request.body},
                     {"key", request.key},
                     {"receipts", request.receipts},
                     {"status", request.status},
                     {"answer", request.answer},
                     {"sent_at_ms", request.sent_at_ms},
                     {"acknowledged_at_ms", unix_ms_now()}}
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
                                  entry["kind"].get<std::string>(), answer, entry["sent_at_ms"].get<long long>(),
                                  entry["acknowledged_at_ms"].get<long long>()});
            continue;
        }
        for (std::size_t i = 0; i < answer["results"].size(); ++i) {
            const json& item = answer["results"][i];
            const int status = item["status"].get<int>();
            if (status >= 200 && status < 300) {
                operations.push_back({entry["terminal"].get<std::string>(), receipts[i].get<std::string>(), "purchase",
                                      item["body"], entry["sent_at_ms"].get<long long>(),
                                      entry["acknowledged_at_ms"].get<long long>()});
            }
        }
    }
    return operations;
}

namespace {

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

}  // namespace

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

Tills::Tills(const DemoSetup& setup, TillServer& server)
    : log_path(setup.dir.path() + "/acknowledged.jsonl"), seed(std::random_device{}()), setup_(setup), server_(server) {
    std::vector<std::string> cards;
    for (const json& member : setup_.demo["members"]) {
        cards.push_back(member["card"].get<std::string>());
        const auto granted =
            staff("POST", "/v1/members/" + std::to_string(member["id"].get<long long>()) + "/points/adjustments",
                  R"({"points": 100000, "reason": "till load"})");
        if (granted.status != 201) throw std::runtime_error("points for the tills' members: " + granted.body);
    }
    log_.open(log_path);
    for (int i = 1; i <= 4; ++i) {
        const std::string terminal = "C" + std::to_string(i);
        const auto registered = staff("POST", "/v1/stores/S001/terminals", json{{"code", terminal}}.dump());
        if (registered.status != 201) throw std::runtime_error("terminal " + terminal + ": " + registered.body);
        const json key = json::parse(registered.body);
        tills.push_back(std::make_unique<Till>(
            terminal, PosSigner{key["key_id"].get<std::string>(), key["secret"].get<std::string>()}, cards, seed + i,
            log_, log_mutex_));
        terminals.insert(terminal);
    }
    std::cout << "[seed] tills from seed " << seed << "\n";
}

Tills::~Tills() { stop(); }

void Tills::start() {
    selling_ = true;
    for (auto& till : tills) running_.emplace_back([this, till = till.get()] { till->run(server_, selling_); });
}

void Tills::stop() {
    selling_ = false;
    for (std::thread& till : running_) till.join();
    running_.clear();
    log_.flush();
}

HttpReply Tills::staff(const std::string& method, const std::string& path, const std::string& body) {
    return http(
        {method,
         server_.url(path),
         body,
         {"Authorization: Bearer " + setup_.demo["staff_token"].get<std::string>(), "Content-Type: application/json"}});
}

Checked Tills::check_database(const std::string& database_url) const {
    soci::session sql(soci::mysql, store::soci_connection_string(database_url).value());
    return check(log_path, sql, terminals);
}

std::vector<double> Tills::latencies_ms(long long from_ms, long long to_ms) const {
    std::vector<double> latencies;
    for (const auto& till : tills) {
        for (const TillRequest& request : till->sent) {
            if (request.attempts != 1 || request.answered_at_ms == 0) continue;
            if (request.sent_at_ms < from_ms || request.sent_at_ms >= to_ms) continue;
            latencies.push_back(static_cast<double>(request.answered_at_ms - request.sent_at_ms));
        }
    }
    std::sort(latencies.begin(), latencies.end());
    return latencies;
}

Figures Tills::till_figures() const {
    Figures figures{{"requests retried", 0},
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
    return figures;
}

std::vector<std::string> refusals_no_basket_earns(const Figures& figures) {
    const std::string prefix = "answers 4xx ";
    std::vector<std::string> wrong;
    for (const auto& [name, count] : figures) {
        if (!name.starts_with(prefix)) continue;
        const std::string code = name.substr(prefix.size());
        if (code != "POINTS_INSUFFICIENT" && code != "REDEMPTION_BELOW_MINIMUM") {
            wrong.push_back(std::to_string(count) + " x " + code);
        }
    }
    return wrong;
}

}  // namespace patron::testing
