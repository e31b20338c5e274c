// Signed purchase commits from many concurrent terminals against a real patrond (the build's
// own, Release under scripts/bench) and a MariaDB with durable commits: the whole path a till
// waits for (HTTP, signature and nonce, worker pool, the commit transaction, the answer).
// Each terminal is its own registered till with its own key, selling to its own member, and
// keeps its connection open as a till would. Prints commits per second, latency percentiles and
// the statements MariaDB ran per commit (its global Com_* counters over the measured seconds).
// Needs PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it). PATRON_LOAD_TERMINALS (50)
// and PATRON_LOAD_SECONDS (20) change the run.
#include <curl/curl.h>
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench/measures.h"
#include "bench/served_patrond.h"
#include "tests/support/http_client.h"
#include "tests/support/patrond_process.h"
#include "tests/support/pos_signer.h"
#include "tests/support/test_database.h"

namespace {

using namespace patron::testing;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

int setting(const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::max(1, std::atoi(value)) : fallback;
}

struct Till {
    PosSigner signer;
    std::string code;
    std::string card;
};

// One till's keep-alive connection.
class Connection {
  public:
    Connection() : curl_(curl_easy_init(), &curl_easy_cleanup) {}

    long post(const std::string& url, const std::string& body, const std::vector<std::string>& headers) {
        CURL* handle = curl_.get();
        curl_slist* list = nullptr;
        for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
        list = curl_slist_append(list, "Content-Type: application/json");
        answer_.clear();
        curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Connection::collect);
        curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer_);
        curl_easy_setopt(handle, CURLOPT_TIMEOUT, 30L);
        long status = 0;
        if (curl_easy_perform(handle) == CURLE_OK) curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(list);
        return status;
    }

  private:
    static std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_;
    std::string answer_;
};

// Two coffees and a cake: 1,100,000 IRR, 110 points.
const json kBasket = json::parse(R"({
    "store": "S001", "business_day": "2026-11-22", "pos_time": "2026-11-22T18:03:40+03:30", "currency": "IRR",
    "lines": [{"line": 1, "sku": "COF-1", "category": "coffee", "quantity": 2, "unit_price": 450000, "amount": 900000},
              {"line": 2, "sku": "CAKE-3", "category": "bakery", "quantity": 1, "unit_price": 200000, "amount": 200000}],
    "total": 1100000})");

std::string purchase(const Till& till, long long receipt) {
    json document = kBasket;
    document["terminal"] = till.code;
    document["receipt"] = std::to_string(receipt);
    document["card"] = till.card;
    return document.dump();
}

// Registers `count` terminals at the demo store and enrols a member for each.
std::vector<Till> register_tills(const PatrondProcess& server, const std::string& token, int count) {
    const std::vector<std::string> staff = {"Authorization: Bearer " + token, "Content-Type: application/json"};
    std::vector<Till> tills;
    for (int i = 0; i < count; ++i) {
        const std::string code = "L" + std::to_string(i);
        const auto key = http({"POST", server.url("/v1/stores/S001/terminals"), json{{"code", code}}.dump(), staff});
        if (key.status != 201) throw std::runtime_error("terminal " + code + ": " + key.body);
        char phone[16];
        std::snprintf(phone, sizeof phone, "0935%07d", i);
        const json member = {{"full_name", "Load Member " + std::to_string(i)},
                             {"phone", phone},
                             {"email", "load" + std::to_string(i) + "@example.ir"},
                             {"birth_date", "1990-01-01"}};
        const auto enrolled = http({"POST", server.url("/v1/members"), member.dump(), staff});
        if (enrolled.status != 201) throw std::runtime_error("member " + std::to_string(i) + ": " + enrolled.body);
        const json keys = json::parse(key.body);
        tills.push_back({PosSigner{keys["key_id"], keys["secret"]}, code,
                         json::parse(enrolled.body)["cards"][0]["number"].get<std::string>()});
    }
    return tills;
}

}  // namespace

int main() {
    const int terminals = setting("PATRON_LOAD_TERMINALS", 50);
    const int seconds = setting("PATRON_LOAD_SECONDS", 20);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TestDatabase database{false};
    DemoSetup setup(database.url());
    const auto environment = patron::bench::serving_environment(setup);
    PatrondProcess server(environment, setup.dir.path());
    const std::vector<Till> tills = register_tills(server, setup.demo["staff_token"], terminals);

    const std::string url = server.url("/v1/pos/purchases");
    std::atomic<bool> measuring{false}, stopping{false};
    std::vector<std::vector<double>> latencies(tills.size());
    std::vector<long> failures(tills.size(), 0);
    std::latch ready(static_cast<std::ptrdiff_t>(tills.size()) + 1);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < tills.size(); ++t) {
        threads.emplace_back([&, t] {
            Connection connection;
            long long receipt = 1;
            ready.arrive_and_wait();
            while (!stopping.load()) {
                const std::string body = purchase(tills[t], receipt++);
                const auto headers = tills[t].signer.headers("POST", "/v1/pos/purchases", body);
                const auto started = Clock::now();
                const long status = connection.post(url, body, headers);
                const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
                if (!measuring.load()) continue;
                if (status == 201) {
                    latencies[t].push_back(ms);
                } else {
                    ++failures[t];
                }
            }
        });
    }
    ready.arrive_and_wait();
    std::this_thread::sleep_for(std::chrono::seconds(2));  // Warm-up: connections, caches, buffer pool.
    const patron::bench::StatementCounts counted_before = patron::bench::statement_counts(database.raw());
    measuring = true;
    const auto started = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    measuring = false;
    const patron::bench::StatementCounts counted_after = patron::bench::statement_counts(database.raw());
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    stopping = true;
    for (std::thread& thread : threads) thread.join();

    std::vector<double> all;
    long failed = 0;
    for (std::size_t t = 0; t < tills.size(); ++t) {
        all.insert(all.end(), latencies[t].begin(), latencies[t].end());
        failed += failures[t];
    }
    std::sort(all.begin(), all.end());
    std::printf("signed commits over HTTP: %d terminals, %d s measured (after 2 s warm-up)\n", terminals, seconds);
    std::printf("  commits        %zu (%.0f per second), failed %ld\n", all.size(),
                static_cast<double>(all.size()) / elapsed, failed);
    std::printf("  latency ms     p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", patron::bench::percentile(all, 0.50),
                patron::bench::percentile(all, 0.90), patron::bench::percentile(all, 0.99),
                all.empty() ? 0.0 : all.back());
    std::printf("  per terminal   %.1f commits per second\n",
                static_cast<double>(all.size()) / elapsed / static_cast<double>(terminals));
    // Commits still in flight at either end make the figure approximate to a few hundredths.
    if (!all.empty()) {
        const auto per =
            patron::bench::statements_per_request(counted_before, counted_after, static_cast<double>(all.size()));
        std::string by_kind;
        for (const auto& [kind, count] : per.by_kind) {
            char each[64];
            std::snprintf(each, sizeof each, " %s %.2f", kind.c_str(), count);
            by_kind += each;
        }
        std::printf("  statements     %.2f per commit:%s\n", per.all, by_kind.c_str());
    }
    curl_global_cleanup();
    return failed == 0 ? 0 : 1;
}
