// The load generator of issue 19's harness, a process of its own: it drives one target over
// keep-alive HTTP connections (libcurl's multi interface, one thread) either closed-loop (each
// connection sends its next request as soon as the last is answered: the saturation rate) or
// open-loop at a fixed arrival rate (request k is due at start + k / rate whatever the answers
// do, and its latency counts from when it was due, so a slow answer cannot hide the requests that
// queued behind it). The work is one of:
//   purchases  signed POS commits from many registered terminals, each selling to a member of its
//              own: baskets of 1 to 30 lines, 10% paying with points, 10% presenting a coupon
//              (a public code of a 10%-off campaign the generator publishes first), 5% partial
//              returns of the terminal's previous receipt (set up through the staff API first);
//   balances   staff balance reads of those members;
//   cards      signed card look-ups from the terminals (what a till asks when a card is shown);
//   fixed      GET of the target's root (the HTTP ceiling's fixed answer).
// With --cards=FILE (card numbers, one a line, of members that exist already) purchases and
// look-ups are for a card drawn at random from the file instead, and the tills enrol no members.
// Prints "measuring" and "measured" as the measured seconds begin and end (so that whoever runs
// it can sample the servers' counters over exactly those seconds), then one JSON line: requests
// answered, per second, p50/p99/p99.9 in ms, and the answers that were not 2xx by status.
//   load_generator --url=http://127.0.0.1:8080 --work=purchases --token=STAFF_TOKEN
//                  [--terminals=200] [--mode=closed|open] [--connections=16] [--rate=1000]
//                  [--seconds=20] [--warmup=2] [--store=S001] [--seed=1] [--cards=FILE]
//                  [--lines=1-30] [--report-every=0]
// With --report-every=S (seconds), a JSON line for each S measured seconds as they end: requests
// answered, per second, p50/p99 in ms and the answers that were not 2xx (the soak's samples).
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/percentile.h"
#include "loyalty/core/time.h"
#include "tests/support/http_client.h"
#include "tests/support/pos_signer.h"

namespace {

using nlohmann::json;
using patron::testing::PosSigner;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string url, work = "purchases", token, mode = "closed", store = "S001", cards;
    int terminals = 200, connections = 16, rate = 1000, seconds = 20, warmup = 2, report_every = 0;
    int lines_min = 1, lines_max = 30;  // A basket's lines, drawn evenly.
    unsigned seed = 1;
};

Options read_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        const std::size_t equals = argument.find('=');
        if (!argument.starts_with("--") || equals == std::string::npos) throw std::runtime_error("bad " + argument);
        const std::string name = argument.substr(2, equals - 2), value = argument.substr(equals + 1);
        const auto number = [&value] { return std::max(1, std::atoi(value.c_str())); };
        if (name == "url")
            options.url = value;
        else if (name == "work")
            options.work = value;
        else if (name == "token")
            options.token = value;
        else if (name == "mode")
            options.mode = value;
        else if (name == "store")
            options.store = value;
        else if (name == "cards")
            options.cards = value;
        else if (name == "terminals")
            options.terminals = number();
        else if (name == "connections")
            options.connections = number();
        else if (name == "rate")
            options.rate = number();
        else if (name == "seconds")
            options.seconds = number();
        else if (name == "warmup")
            options.warmup = std::atoi(value.c_str());
        else if (name == "report-every")
            options.report_every = std::atoi(value.c_str());
        else if (name == "seed")
            options.seed = static_cast<unsigned>(number());
        else if (name == "lines") {
            const std::size_t dash = value.find('-');
            options.lines_min = std::max(1, std::atoi(value.substr(0, dash).c_str()));
            options.lines_max =
                dash == std::string::npos ? options.lines_min : std::max(1, std::atoi(value.substr(dash + 1).c_str()));
            if (options.lines_max < options.lines_min || options.lines_max > 1000) {
                throw std::runtime_error("--lines is MIN-MAX, 1 <= MIN <= MAX <= 1000");
            }
        } else
            throw std::runtime_error("unknown option " + name);
    }
    if (options.url.empty()) throw std::runtime_error("--url is needed");
    if (options.work != "purchases" && options.work != "balances" && options.work != "cards" &&
        options.work != "fixed") {
        throw std::runtime_error("--work is purchases, balances, cards or fixed");
    }
    if (options.work == "balances" && !options.cards.empty()) {
        throw std::runtime_error("--work=balances reads the tills' own members: no --cards");
    }
    if (options.work != "fixed" && options.token.empty()) throw std::runtime_error("--token (a staff token) is needed");
    if (options.mode != "closed" && options.mode != "open") throw std::runtime_error("--mode is closed or open");
    return options;
}

struct Till {
    PosSigner signer;
    std::string code;
    std::string card;
    long long member_id = 0;
    long long receipts = 0;       // Receipts sent so far (their numbers are 1..receipts).
    long long last_purchase = 0;  // Its last purchase answered and not yet returned from, if any.
};

// Publishes a campaign of 10% off the basket with a public code many may use, through the staff
// API; the code.
std::string set_up_coupon(const Options& options) {
    const std::vector<std::string> staff = {"Authorization: Bearer " + options.token, "Content-Type: application/json"};
    const std::string code = "LOAD" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                         std::chrono::system_clock::now().time_since_epoch())
                                                         .count() %
                                                     100'000'000);
    const json campaign = {{"name", "Load test: 10% off"}, {"type", "percent_off_basket"}, {"percent", 10}};
    const auto created = patron::testing::http({"POST", options.url + "/v1/coupon-campaigns", campaign.dump(), staff});
    if (created.status != 201) throw std::runtime_error("coupon campaign: " + created.body);
    const std::string id = std::to_string(json::parse(created.body)["id"].get<long long>());
    const auto coded = patron::testing::http(
        {"POST", options.url + "/v1/coupon-campaigns/" + id + "/codes", json{{"code", code}}.dump(), staff});
    if (coded.status / 100 != 2) throw std::runtime_error("coupon code: " + coded.body);
    const auto published =
        patron::testing::http({"POST", options.url + "/v1/coupon-campaigns/" + id + "/publish", "", staff});
    if (published.status / 100 != 2) throw std::runtime_error("coupon publish: " + published.body);
    return code;
}

// Registers `count` terminals at the store and, unless the cards come from a file, enrols a member
// for each, through the staff API.
std::vector<Till> set_up_tills(const Options& options) {
    const std::vector<std::string> staff = {"Authorization: Bearer " + options.token, "Content-Type: application/json"};
    std::vector<Till> tills;
    const long long tag =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() %
        100'000;
    for (int i = 0; i < options.terminals; ++i) {
        const std::string code = "LG" + std::to_string(tag) + "-" + std::to_string(i);
        const auto key = patron::testing::http(
            {"POST", options.url + "/v1/stores/" + options.store + "/terminals", json{{"code", code}}.dump(), staff});
        if (key.status != 201) throw std::runtime_error("terminal " + code + ": " + key.body);
        const json keys = json::parse(key.body);
        if (!options.cards.empty()) {
            tills.push_back({PosSigner{keys["key_id"], keys["secret"]}, code, "", 0});
            continue;
        }
        char phone[32];
        std::snprintf(phone, sizeof phone, "0936%02lld%05d", tag % 100, i % 100'000);
        const json member = {{"full_name", "Load Member " + std::to_string(i)}, {"phone", phone}};
        const auto enrolled = patron::testing::http({"POST", options.url + "/v1/members", member.dump(), staff});
        if (enrolled.status != 201) throw std::runtime_error("member " + std::to_string(i) + ": " + enrolled.body);
        const json answer = json::parse(enrolled.body);
        tills.push_back({PosSigner{keys["key_id"], keys["secret"]}, code, answer["cards"][0]["number"],
                         answer["id"].get<long long>()});
    }
    return tills;
}

std::vector<std::string> read_cards(const std::string& path) {
    std::vector<std::string> cards;
    std::ifstream file(path);
    for (std::string line; std::getline(file, line);) {
        if (!line.empty()) cards.push_back(line);
    }
    if (cards.empty()) throw std::runtime_error("no card numbers in " + path);
    return cards;
}

struct Request {
    std::string path;
    std::string body;  // Empty: a GET.
    std::vector<std::string> headers;
    Till* purchase_of = nullptr;  // A purchase's till, and its receipt.
    long long receipt = 0;
};

// What the till sends next: a purchase of 1 to 30 lines (10% paying 10 points once the member has
// some), or 5% of the time a return of one unit of its last purchase answered (once).
class Work {
  public:
    Work(const Options& options, std::vector<Till> tills, std::vector<std::string> cards, std::string coupon)
        : options_(options),
          tills_(std::move(tills)),
          cards_(std::move(cards)),
          coupon_(std::move(coupon)),
          random_(options.seed) {}

    Request next() {
        if (options_.work == "fixed") return {"/", "", {}};
        Till& till = tills_[next_till_++ % tills_.size()];
        if (options_.work == "balances") {
            return {"/v1/members/" + std::to_string(till.member_id) + "/balance",
                    "",
                    {"Authorization: Bearer " + options_.token}};
        }
        if (options_.work == "cards") {
            const std::string path = "/v1/cards/" + card_of(till);
            return {path, "", till.signer.headers("GET", path, "")};
        }
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const std::string at = patron::core::format_utc(now, patron::core::TimeFormat::kRfc3339);
        json document = {{"store", options_.store},
                         {"terminal", till.code},
                         {"business_day", at.substr(0, 10)},
                         {"pos_time", at.substr(0, 19) + "+00:00"},
                         {"currency", "IRR"}};
        std::string path = "/v1/pos/purchases";
        const long long receipt = ++till.receipts;
        document["receipt"] = std::to_string(receipt);
        if (till.last_purchase != 0 && chance(5)) {
            path = "/v1/pos/returns";
            document["original"] = {{"store", options_.store},
                                    {"terminal", till.code},
                                    {"business_day", at.substr(0, 10)},
                                    {"receipt", std::to_string(till.last_purchase)}};
            till.last_purchase = 0;
            document["lines"] = json::array({{{"line", 1}, {"quantity", 1}}});
        } else {
            const int lines = std::uniform_int_distribution<int>(options_.lines_min, options_.lines_max)(random_);
            json items = json::array();
            long long total = 0;
            for (int line = 1; line <= lines; ++line) {
                const int sku = std::uniform_int_distribution<int>(1, 500)(random_);
                const int quantity = std::uniform_int_distribution<int>(1, 3)(random_);
                const long long price = 10'000LL * std::uniform_int_distribution<int>(1, 50)(random_);
                items.push_back({{"line", line},
                                 {"sku", "SKU-" + std::to_string(sku)},
                                 {"category", "cat-" + std::to_string(sku % 12)},
                                 {"quantity", quantity},
                                 {"unit_price", price},
                                 {"amount", price * quantity}});
                total += price * quantity;
            }
            document["card"] = card_of(till);
            document["lines"] = std::move(items);
            document["total"] = total;
            if (receipt > 3 && chance(10)) document["redeem_points"] = 10;
            if (!coupon_.empty() && chance(10)) document["coupons"] = json::array({coupon_});
        }
        std::string body = document.dump();
        auto headers = till.signer.headers("POST", path, body);
        headers.push_back("Content-Type: application/json");
        const bool purchase = path == "/v1/pos/purchases";
        return {path, std::move(body), std::move(headers), purchase ? &till : nullptr, receipt};
    }

    // A purchase answered with 201 may be returned from.
    static void answered(const Request& request, long status) {
        if (request.purchase_of != nullptr && status == 201) request.purchase_of->last_purchase = request.receipt;
    }

  private:
    bool chance(int percent) { return std::uniform_int_distribution<int>(1, 100)(random_) <= percent; }

    // The till's own member's card, or one drawn from the file's.
    const std::string& card_of(const Till& till) {
        if (cards_.empty()) return till.card;
        return cards_[std::uniform_int_distribution<std::size_t>(0, cards_.size() - 1)(random_)];
    }

    const Options& options_;
    std::vector<Till> tills_;
    std::vector<std::string> cards_;
    std::string coupon_;  // Presented by 10% of the purchases.
    std::mt19937 random_;
    std::size_t next_till_ = 0;
};

// One keep-alive connection and the request it carries.
struct Connection {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle{curl_easy_init(), &curl_easy_cleanup};
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers{nullptr, &curl_slist_free_all};
    Request request;
    std::string answer;
    Clock::time_point due;
    bool busy = false;

    static std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
    }

    void start(CURLM* multi, const std::string& base, Request next, Clock::time_point due_at) {
        request = std::move(next);
        due = due_at;
        answer.clear();
        curl_slist* list = nullptr;
        for (const std::string& header : request.headers) list = curl_slist_append(list, header.c_str());
        headers.reset(list);
        CURL* easy = handle.get();
        curl_easy_setopt(easy, CURLOPT_URL, (base + request.path).c_str());
        if (request.body.empty()) {
            curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        } else {
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
            curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        }
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Connection::collect);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &answer);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
        curl_multi_add_handle(multi, easy);
        busy = true;
    }
};

int run(const Options& options) {
    std::vector<Till> tills;
    std::vector<std::string> cards;
    if (options.work != "fixed") tills = set_up_tills(options);
    if (!options.cards.empty()) cards = read_cards(options.cards);
    const std::string coupon = options.work == "purchases" ? set_up_coupon(options) : std::string();
    Work work(options, std::move(tills), std::move(cards), coupon);
    const bool open = options.mode == "open";
    // Open-loop: connections as many as the arrivals need, up to a bound a till fleet could have.
    const std::size_t most = open ? 512 : static_cast<std::size_t>(options.connections);
    std::vector<std::unique_ptr<Connection>> connections;
    std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), &curl_multi_cleanup);

    const auto started = Clock::now();
    const auto measured_from = started + std::chrono::seconds(options.warmup);
    const auto ends = measured_from + std::chrono::seconds(options.seconds);
    const auto interval = std::chrono::duration<double>(1.0 / options.rate);
    long long sent = 0;
    std::deque<Clock::time_point> queued;  // Open-loop: arrivals due that found no free connection.
    std::vector<double> latencies;
    std::map<long, long long> refused;  // Answers that were not 2xx, by status (0: no answer).
    int running = 0;
    // --report-every: each interval's latencies and failures, by when the request was due.
    std::map<long long, std::vector<double>> latencies_by_interval;
    std::map<long long, long long> failed_by_interval;
    int intervals_reported = 0;
    const auto report_interval = [&] {
        std::vector<double>& interval_latencies = latencies_by_interval[intervals_reported];
        const long long interval_failed = failed_by_interval[intervals_reported];
        std::sort(interval_latencies.begin(), interval_latencies.end());
        const json line = {{"interval", intervals_reported},
                           {"ends_s", (intervals_reported + 1) * options.report_every},
                           {"answered", interval_latencies.size()},
                           {"per_second", static_cast<double>(interval_latencies.size()) / options.report_every},
                           {"p50_ms", patron::bench::percentile(interval_latencies, 0.50)},
                           {"p99_ms", patron::bench::percentile(interval_latencies, 0.99)},
                           {"failed", interval_failed}};
        std::printf("%s\n", line.dump().c_str());
        std::fflush(stdout);
        latencies_by_interval.erase(intervals_reported);
        failed_by_interval.erase(intervals_reported);
        ++intervals_reported;
    };

    const auto free_connection = [&]() -> Connection* {
        for (auto& connection : connections) {
            if (!connection->busy) return connection.get();
        }
        if (connections.size() >= most) return nullptr;
        connections.push_back(std::make_unique<Connection>());
        return connections.back().get();
    };
    const auto send = [&](Clock::time_point due) {
        Connection* connection = free_connection();
        if (connection == nullptr) return false;
        connection->start(multi.get(), options.url, work.next(), due);
        ++running;
        return true;
    };

    if (!open) {
        for (int c = 0; c < options.connections; ++c) send(Clock::now());
    }
    bool measuring = false;
    for (;;) {
        const auto now = Clock::now();
        if (!measuring && now >= measured_from) {
            std::printf("measuring\n");
            std::fflush(stdout);
            measuring = true;
        }
        // An interval is reported once its seconds are over and what was due in it was answered
        // (or 10 s have passed): the requests of the next interval start counting meanwhile.
        if (options.report_every > 0 &&
            now >= measured_from + std::chrono::seconds(options.report_every * (intervals_reported + 1) + 1) &&
            intervals_reported < options.seconds / options.report_every) {
            report_interval();
        }
        // Open-loop: what was due in the measured seconds is waited for, but not for ever: a
        // request not answered within 10 s of the end counts as failed (status 0).
        if (now >= ends && (running == 0 || !open || now >= ends + std::chrono::seconds(10))) {
            if (open) refused[0] += static_cast<long long>(running) + static_cast<long long>(queued.size());
            break;
        }
        if (open && now < ends) {
            // Every arrival due by now is sent, or waits for a connection in order.
            for (;;) {
                const auto due = started + std::chrono::duration_cast<Clock::duration>(interval * sent);
                if (due > now || due >= ends) break;
                queued.push_back(due);
                ++sent;
            }
            while (!queued.empty() && send(queued.front())) queued.pop_front();
        }
        curl_multi_perform(multi.get(), &running);
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi.get(), &left)) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL* easy = message->easy_handle;
            Connection* connection = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &connection);
            long status = 0;
            if (message->data.result == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(multi.get(), easy);
            connection->busy = false;
            Work::answered(connection->request, status);
            const auto answered = Clock::now();
            if (connection->due >= measured_from && connection->due < ends) {
                const double ms = std::chrono::duration<double, std::milli>(answered - connection->due).count();
                if (status >= 200 && status < 300) {
                    latencies.push_back(ms);
                } else {
                    ++refused[status];
                }
                if (options.report_every > 0) {
                    // Late answers of an interval already reported count in the whole run only.
                    const long long interval_of =
                        (connection->due - measured_from) / std::chrono::seconds(options.report_every);
                    if (interval_of >= intervals_reported) {
                        if (status >= 200 && status < 300) {
                            latencies_by_interval[interval_of].push_back(ms);
                        } else {
                            ++failed_by_interval[interval_of];
                        }
                    }
                }
            }
            if (open) {
                if (!queued.empty() && send(queued.front())) queued.pop_front();
            } else if (answered < ends) {
                send(answered);
            }
        }
        int ready = 0;
        curl_multi_poll(multi.get(), nullptr, 0, open ? 1 : 50, &ready);
    }
    // The last intervals, ended with the run.
    while (options.report_every > 0 && intervals_reported < options.seconds / options.report_every) report_interval();
    std::printf("measured\n");
    std::fflush(stdout);
    std::sort(latencies.begin(), latencies.end());
    json errors = json::object();
    long long failed = 0;
    for (const auto& [status, count] : refused) {
        errors[std::to_string(status)] = count;
        failed += count;
    }
    const json result = {{"work", options.work},
                         {"mode", options.mode},
                         {"connections", open ? static_cast<int>(connections.size()) : options.connections},
                         {"offered_per_second", open ? json(options.rate) : json(nullptr)},
                         {"seconds", options.seconds},
                         {"answered", latencies.size()},
                         {"per_second", static_cast<double>(latencies.size()) / options.seconds},
                         {"p50_ms", patron::bench::percentile(latencies, 0.50)},
                         {"p99_ms", patron::bench::percentile(latencies, 0.99)},
                         {"p999_ms", patron::bench::percentile(latencies, 0.999)},
                         {"failed", failed},
                         {"errors", errors}};
    std::printf("%s\n", result.dump().c_str());
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int code = 2;
    try {
        code = run(read_options(argc, argv));
    } catch (const std::exception& error) {
        std::fprintf(stderr, "load_generator: %s\n", error.what());
    }
    curl_global_cleanup();
    return code;
}
