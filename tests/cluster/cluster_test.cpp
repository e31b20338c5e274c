// Patron on a three-node MariaDB Galera cluster (issue 22), run by `scripts/cluster --test`, which
// starts the cluster and names its nodes (PATRON_CLUSTER_NODES, three database URLs), its
// directory and itself (to kill and restart a node). Three patrond, instance i on node i, and for
// the tills HAProxy in front of them, sending each request to an instance whose /readyz answers.
//
// - The racing scenarios of the single-server tests with the racers spread over the three
//   instances, so that every race is between nodes and only certification can settle it: exactly
//   the affordable ones succeed.
// - A node killed with SIGKILL under signed POS load and later rejoined (IST): every acknowledged
//   operation is there exactly once on each of the three nodes, patronctl verify is clean on each,
//   the nodes' tables are identical, no answer was a 5xx but 503, and the longest pause of the
//   tills' acknowledgements around the kill is printed (the fail-over time).
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "loyalty/store/db/database.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/till_load.h"
#include "tests/support/balancer.h"
#include "tests/support/database_url.h"

namespace patron::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string required(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        throw std::runtime_error(std::string(name) + " is not set: run these tests with scripts/cluster --test");
    }
    return value;
}

// The cluster scripts/cluster started: its nodes' URLs (database "mysql"), its directory, the script.
struct ClusterNodes {
    std::vector<std::string> urls = cluster_node_urls();
    std::string dir = required("PATRON_CLUSTER_DIR");
    std::string script = required("PATRON_CLUSTER_SCRIPT");

    // Node n's URL (1-based) with another database.
    std::string url(int n, const std::string& database) const { return with_database(urls.at(n - 1), database); }
    void node(const std::string& action, int n) const {
        // The child gets no PATRON_ variable of this process but those named here.
        const char* offset = std::getenv("PATRON_CLUSTER_PORT_OFFSET");
        const auto done = run_command({script, "node", action, dir, std::to_string(n)},
                                      {{"PATRON_CLUSTER_PORT_OFFSET", offset != nullptr ? offset : "0"}});
        if (done.exit_code != 0) throw std::runtime_error("scripts/cluster node " + action + ": " + done.output);
    }
};

// The tills' server: the balancer.
class BalancedServer : public TillServer {
  public:
    explicit BalancedServer(const Balancer& balancer) : balancer_(balancer) {}
    std::string url(const std::string& path) override { return balancer_.url(path); }

  private:
    const Balancer& balancer_;
};

// Instance i's /readyz status, 0 when it does not answer.
long ready_status(const std::string& url) {
    try {
        return http({"GET", url, "", {}, 5}).status;
    } catch (const std::exception&) {
        return 0;
    }
}

// The demo programme on a database of the cluster and three patrond, instance i on node i (the
// fixture's own on node 1). PATRON_TEST_DB_URL is node 1's, so the database is made there.
class Cluster : public PatrondTest {
  protected:
    Cluster() {
        for (int n = 2; n <= 3; ++n) {
            auto environment = setup.environment();
            environment["PATRON_DB_URL"] = nodes.url(n, db.name());
            other_dirs.push_back(std::make_unique<TempDir>());
            others.push_back(std::make_unique<PatrondProcess>(environment, other_dirs.back()->path()));
        }
    }

    // Instance i's address (0, 1, 2: on nodes 1, 2, 3).
    std::string at(int instance, const std::string& path) const {
        return instance == 0 ? server.url(path) : others[instance - 1]->url(path);
    }
    std::vector<std::string> instances() const { return {at(0, ""), at(1, ""), at(2, "")}; }

    // A signed POS request to instance i, sent again (signed afresh) while it is answered 503, as
    // a till does; the answer, and the 503s on the way in `unavailable`.
    HttpReply pos_at(int instance, const std::string& path, const std::string& body, const std::string& key = {},
                     std::atomic<int>* unavailable = nullptr) {
        for (int attempt = 0;; ++attempt) {
            std::vector<std::string> headers = signer().headers("POST", path, body);
            headers.push_back("Content-Type: application/json");
            if (!key.empty()) headers.push_back("Idempotency-Key: " + key);
            HttpReply reply = http({"POST", at(instance, path), body, headers});
            if (reply.status != 503 || attempt == 20) return reply;
            if (unavailable != nullptr) ++*unavailable;
            std::this_thread::sleep_for(std::chrono::milliseconds(50 + 25 * attempt));
        }
    }

    long long available(int member) {
        const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id(member)) + "/balance");
        EXPECT_EQ(balance.status, 200) << balance.body;
        return json::parse(balance.body)["points"]["available"].get<long long>();
    }

    // The purchases sent at once, racer i to instance i mod 3: how they were answered ("201", or
    // "422 POINTS_INSUFFICIENT", ...); the 503s the racers sent again are printed.
    std::map<std::string, int> race(const std::vector<json>& purchases, const std::string& key = {}) {
        std::atomic<int> unavailable{0};
        std::vector<std::future<HttpReply>> racers;
        for (std::size_t i = 0; i < purchases.size(); ++i) {
            racers.push_back(std::async(std::launch::async, [&, i, body = purchases[i].dump()] {
                return pos_at(static_cast<int>(i % 3), "/v1/pos/purchases", body, key, &unavailable);
            }));
        }
        std::map<std::string, int> outcomes;
        answered.clear();
        for (auto& racer : racers) {
            const HttpReply reply = racer.get();
            outcomes[reply.status == 201 ? "201" : std::to_string(reply.status) + " " + code_of(reply)] += 1;
            if (reply.status == 201) answered.push_back(json::parse(reply.body));
        }
        std::cout << "[figures] " << purchases.size() << " racers over three nodes, " << unavailable
                  << " answers 503 sent again: " << json(outcomes).dump() << "\n";
        for (int n = 1; n <= 3; ++n) expect_verified(n);
        return outcomes;
    }

    // patronctl verify on node n's copy of the database (after the node has applied everything).
    void expect_verified(int n) {
        caught_up(n);
        auto environment = setup.environment();
        environment["PATRON_DB_URL"] = nodes.url(n, db.name());
        const auto verified = run_command({patronctl_path(), "verify"}, environment);
        EXPECT_EQ(verified.exit_code, 0) << "node " << n << ": " << verified.output;
    }

    // Waits until node n has applied every write the cluster committed so far.
    void caught_up(int n) {
        soci::session sql(soci::mysql, store::soci_connection_string(nodes.url(n, db.name())).value());
        sql << "SET SESSION wsrep_sync_wait = 1";
        int one = 0;
        sql << "SELECT 1", soci::into(one);
    }

    ClusterNodes nodes;
    std::vector<std::unique_ptr<TempDir>> other_dirs;  // Their port files and logs.
    std::vector<std::unique_ptr<PatrondProcess>> others;
    std::vector<json> answered;  // The last race's 201 answers.
};

TEST_F(Cluster, AHundredTillsOnThreeNodesRedeemingOneBalanceSpendExactlyWhatItHolds) {
    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"points": {"hold_days": 1}})").status, 200);
    const json grant = {{"points", 500 - available(0)}, {"reason", "cluster race"}};
    ASSERT_EQ(staff("POST", "/v1/members/" + std::to_string(member_id(0)) + "/points/adjustments", grant.dump()).status,
              201);
    ASSERT_EQ(available(0), 500);
    std::vector<json> racers;
    for (int i = 0; i < 100; ++i) {
        json sale = purchase("R-" + std::to_string(i), card(0), 100000);
        sale["redeem_points"] = 20;
        racers.push_back(sale);
    }
    EXPECT_EQ(race(racers), (std::map<std::string, int>{{"201", 25}, {"422 POINTS_INSUFFICIENT", 75}}));
    long long redeemed = 0;
    for (const json& answer : answered) redeemed += answer["points"]["redeemed"].get<long long>();
    EXPECT_EQ(redeemed, 500) << json(answered).dump();
    EXPECT_EQ(available(0), 0);
}

TEST_F(Cluster, FiftyTillsOnThreeNodesRacingForOneSingleUseCodeAndFiftyForACodeOfTenGetOneAndTen) {
    const std::string single_use = first_code(publish_campaign(
        {{"name", "Once"}, {"type", "percent_off_basket"}, {"percent", 10}}, {{"count", 1}, {"prefix", "ONE-"}}));
    ASSERT_TRUE(single_use.starts_with("ONE-")) << single_use;
    publish_campaign(
        {{"name", "Ten"}, {"type", "percent_off_basket"}, {"percent", 10}, {"limits", {{"redemptions", 10}}}},
        {{"code", "TEN-RACE"}, {"single_use", false}});
    std::vector<json> racers;
    for (int i = 0; i < 100; ++i) {
        json sale = purchase("K-" + std::to_string(i), card(i % 3), 100000);
        sale["coupons"] = {i % 2 == 0 ? single_use : std::string("TEN-RACE")};
        racers.push_back(sale);
    }
    EXPECT_EQ(race(racers), (std::map<std::string, int>{
                                {"201", 1 + 10}, {"409 COUPON_ALREADY_USED", 49}, {"422 COUPON_LIMIT_REACHED", 40}}));
}

TEST_F(Cluster, AHundredTillsOnThreeNodesPayingFromOneCashbackWalletSpendExactlyWhatItHolds) {
    const auto rule = staff("PUT", "/v1/program/rules/draft/cashback/cb5",
                            R"({"name": "Cashback 5%", "percent": 5, "caps": {"per_purchase": 40000},
                                "conditions": {"min_basket": 1000000}})");
    ASSERT_EQ(rule.status, 200) << rule.body;
    ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);
    const auto filled = pos_at(1, "/v1/pos/purchases", purchase_now("fill", card(0), 1000000).dump());
    ASSERT_EQ(filled.status, 201) << filled.body;
    ASSERT_EQ(json::parse(filled.body).value("/cashback/balance"_json_pointer, 0), 40000) << filled.body;
    std::vector<json> racers;
    for (int i = 0; i < 100; ++i) {
        json sale = purchase_now("W-" + std::to_string(i), card(0), 100000);
        sale["spend_cashback"] = 2000;
        racers.push_back(sale);
    }
    EXPECT_EQ(race(racers), (std::map<std::string, int>{{"201", 20}, {"422 CASHBACK_INSUFFICIENT", 80}}));
}

TEST_F(Cluster, ACampaignBudgetSharedByThreeNodesIsNeverExceeded) {
    // A campaign that may give 10% off until 50,000 IRR of discount is given in all: 5 baskets of
    // 100,000 (10,000 off each), whichever nodes they come through.
    publish_campaign(
        {{"name", "Budget"}, {"type", "percent_off_basket"}, {"percent", 10}, {"limits", {{"budget", 50000}}}},
        {{"code", "BUDGET-RACE"}, {"single_use", false}});
    std::vector<json> racers;
    for (int i = 0; i < 60; ++i) {
        json sale = purchase("B-" + std::to_string(i), card(i % 3), 100000);
        sale["coupons"] = {"BUDGET-RACE"};
        racers.push_back(sale);
    }
    EXPECT_EQ(race(racers), (std::map<std::string, int>{{"201", 5}, {"422 COUPON_LIMIT_REACHED", 55}}));
}

TEST_F(Cluster, TwentyIdenticalCommitsWithOneKeyThroughThreeNodesApplyOnceAndAllGetItsAnswer) {
    std::vector<std::future<HttpReply>> racers;
    const std::string body = purchase("P-1", card(0), 900000).dump();
    for (int i = 0; i < 20; ++i) {
        racers.push_back(std::async(std::launch::async,
                                    [&, i] { return pos_at(i % 3, "/v1/pos/purchases", body, "cluster-race-1"); }));
    }
    std::set<std::string> bodies;
    for (auto& racer : racers) {
        const HttpReply reply = racer.get();
        EXPECT_EQ(reply.status, 201) << reply.body;
        bodies.insert(reply.body);
    }
    EXPECT_EQ(bodies.size(), 1U) << "every racer got the winner's answer";
    for (int n = 1; n <= 3; ++n) {
        caught_up(n);
        soci::session sql(soci::mysql, store::soci_connection_string(nodes.url(n, db.name())).value());
        long long purchases = 0;
        sql << "SELECT COUNT(*) FROM purchases WHERE receipt = 'P-1'", soci::into(purchases);
        EXPECT_EQ(purchases, 1) << "node " << n;
    }
    for (int n = 1; n <= 3; ++n) expect_verified(n);
}

// What each request's first wait is for: a row committed through node 1 and read at once through
// node 2. Read plainly, node 2 may not have applied it yet (counted and printed); read as a
// request's first unit of work (store::CausalReads, what the API opens), it always has.
TEST_F(Cluster, ARequestsFirstReadOnAnotherNodeSeesWhatWasJustCommittedThere) {
    soci::session writer(soci::mysql, store::soci_connection_string(nodes.url(1, db.name())).value());
    soci::session plain(soci::mysql, store::soci_connection_string(nodes.url(2, db.name())).value());
    store::Database reader(store::DatabaseSettings{nodes.url(2, db.name())});
    writer << "CREATE TABLE causal_probe (id INT PRIMARY KEY)";
    caught_up(2);
    int stale_plain = 0, stale_causal = 0;
    constexpr int kRounds = 400;
    for (int i = 1; i <= kRounds; ++i) {
        writer << "INSERT INTO causal_probe (id) VALUES (:id)", soci::use(i);
        int found = 0;
        plain << "SELECT COUNT(*) FROM causal_probe WHERE id = :id", soci::use(i), soci::into(found);
        stale_plain += found == 0 ? 1 : 0;
        const int next = kRounds + i;
        writer << "INSERT INTO causal_probe (id) VALUES (:id)", soci::use(next);
        store::CausalReads request;
        const auto seen = reader.run_for<int>([&](soci::session& sql) -> core::Result<int> {
            int count = 0;
            sql << "SELECT COUNT(*) FROM causal_probe WHERE id = :id", soci::use(next), soci::into(count);
            return count;
        });
        ASSERT_TRUE(seen.has_value()) << seen.error().message;
        stale_causal += *seen == 0 ? 1 : 0;
    }
    std::cout << "[figures] " << kRounds << " commits on node 1 read at once on node 2: " << stale_plain
              << " not there yet when read plainly, " << stale_causal << " as a request's first read\n";
    EXPECT_EQ(stale_causal, 0);
}

// A till posts a sale through one instance and its return at once through another: the return
// finds the sale (the request's first statement waited until its node had applied it).
TEST_F(Cluster, AReturnSentThroughAnotherNodeRightAfterItsSaleFindsIt) {
    for (int i = 0; i < 30; ++i) {
        const std::string receipt = "S-" + std::to_string(i);
        const auto sold = pos_at(i % 3, "/v1/pos/purchases", purchase(receipt, card(0), 500000).dump());
        ASSERT_EQ(sold.status, 201) << sold.body;
        const auto back =
            pos_at((i + 1) % 3, "/v1/pos/returns",
                   return_of("RT-" + std::to_string(i), receipt, {{{"line", 1}, {"quantity", 1}}}).dump());
        EXPECT_EQ(back.status, 201) << "return " << i << " through another node: " << back.body;
    }
}

// Three instances started at once on three nodes against a database never migrated: one takes the
// migration lock (a row; MariaDB's GET_LOCK would be granted on every node), the others wait for it,
// every migration is applied once, and all three serve.
TEST(ClusterSchema, ThreeInstancesStartingAtOnceOnThreeNodesMigrateAFreshDatabaseOnce) {
    const ClusterNodes nodes;
    TestDatabase db(false);  // Made on node 1 (PATRON_TEST_DB_URL), empty.
    TempDir dir;
    const std::string keys = dir.path() + "/keys.txt";
    ASSERT_EQ(run_command({patronctl_path(), "keys", "init", keys}, {}).exit_code, 0);
    TempDir work[3];  // Each instance's port file and log.
    std::vector<std::future<std::unique_ptr<PatrondProcess>>> starting;
    for (int n = 1; n <= 3; ++n) {
        starting.push_back(std::async(std::launch::async, [&, n] {
            return std::make_unique<PatrondProcess>(
                std::map<std::string, std::string>{{"PATRON_DB_URL", nodes.url(n, db.name())},
                                                   {"PATRON_KEYS_FILE", keys},
                                                   {"PATRON_STARTUP_WAIT", "50"},
                                                   {"PATRON_THREADS", "2"},
                                                   {"PATRON_DB_POOL", "4"}},
                work[n - 1].path());
        }));
    }
    std::vector<std::unique_ptr<PatrondProcess>> servers;
    for (auto& instance : starting) servers.push_back(instance.get());
    std::map<std::string, int> applied;  // Migration file: by how many instances.
    for (const auto& server : servers) {
        EXPECT_EQ(http({"GET", server->url("/readyz"), "", {}}).status, 200) << server->log();
        std::istringstream log(server->log());
        for (std::string line; std::getline(log, line);) {
            const json entry = json::parse(line, nullptr, false);
            if (entry.is_object() && entry.value("event", "") == "migration_applied") applied[entry["name"]] += 1;
        }
    }
    long long recorded = 0;
    db.raw() << "SELECT COUNT(*) FROM schema_migrations", soci::into(recorded);
    EXPECT_GT(recorded, 60);
    EXPECT_EQ(static_cast<long long>(applied.size()), recorded) << "every migration applied by some instance";
    for (const auto& [name, times] : applied) EXPECT_EQ(times, 1) << name;
}

// One node killed with SIGKILL under signed POS load through the balancer, and rejoined.
TEST_F(Cluster, ANodeKilledUnderLoadLosesNothingAcknowledgedOnAnyNode) {
    Balancer balancer(instances(), setup.dir.path());
    BalancedServer served(balancer);
    Tills load(setup, served);
    load.start();
    std::this_thread::sleep_for(8s);

    // Milliseconds from `since` until instance 1 (node 2's) answers /readyz with `status`; -1: not in ten seconds.
    const auto until_ready_is = [&](long status, long long since) -> long long {
        for (int i = 0; i < 100; ++i) {
            if (ready_status(at(1, "/readyz")) == status) return unix_ms_now() - since;
            std::this_thread::sleep_for(100ms);
        }
        return -1;
    };
    const long long killed_at = unix_ms_now();
    nodes.node("kill", 2);
    // Its instance stops being ready, and the balancer stops sending it traffic.
    const long long unready_after_ms = until_ready_is(503, killed_at);
    EXPECT_GE(unready_after_ms, 0) << "the instance of the killed node still said it was ready";
    std::this_thread::sleep_for(10s);

    const long long rejoin_started = unix_ms_now();
    nodes.node("start", 2);  // Waits until it is Synced again.
    const long long rejoined_at = unix_ms_now();
    const long long ready_after_ms = until_ready_is(200, rejoined_at);
    EXPECT_GE(ready_after_ms, 0) << "the instance of the rejoined node did not become ready by itself";
    std::this_thread::sleep_for(8s);
    load.stop();

    Figures figures = load.till_figures();
    // The pause: the longest time without an acknowledgement, from a second before the kill to ten
    // seconds after; and for comparison the longest in the seconds before the kill.
    std::vector<long long> moments;
    for (const Acknowledged& done : read_acknowledged(load.log_path)) moments.push_back(done.acknowledged_at_ms);
    std::sort(moments.begin(), moments.end());
    const auto longest_gap = [&](long long from, long long to) {
        long long longest = 0, last = from;
        for (const long long at : moments) {
            if (at < from) continue;
            if (at > to) break;
            longest = std::max(longest, at - last);
            last = at;
        }
        return std::max(longest, to - last);
    };
    figures["pause around the kill (ms)"] = longest_gap(killed_at - 1000, killed_at + 10000);
    figures["longest pause before the kill (ms)"] = longest_gap(killed_at - 7000, killed_at - 1000);
    figures["killed node's instance unready after (ms)"] = unready_after_ms;
    figures["node rejoin until Synced (ms)"] = rejoined_at - rejoin_started;
    figures["rejoined node's instance ready after (ms)"] = ready_after_ms;

    for (int n = 1; n <= 3; ++n) {
        caught_up(n);
        const Checked checked = load.check_database(nodes.url(n, db.name()));
        for (const auto& [name, count] : checked.figures) figures["node " + std::to_string(n) + " " + name] = count;
        for (const std::string& problem : checked.problems) ADD_FAILURE() << "node " << n << ": " << problem;
        EXPECT_EQ(checked.figures.at("lost"), 0) << "node " << n;
        EXPECT_EQ(checked.figures.at("doubled"), 0) << "node " << n;
        expect_verified(n);
    }
    std::cout << "[figures] " << json(figures).dump() << "\n";
    EXPECT_GT(figures["node 1 acknowledged"], 1000);
    EXPECT_EQ(figures["answers 5xx"], 0) << "but 503, which the tills retried";
    EXPECT_EQ(figures["answers 503 without Retry-After"], 0);
    EXPECT_EQ(figures["requests never answered"], 0);
    for (const std::string& refusal : refusals_no_basket_earns(figures)) ADD_FAILURE() << refusal;

    // The three copies are the same, table for table, once no instance writes any more.
    server.stop();
    others.clear();
    std::map<std::string, std::string> first;
    for (int n = 1; n <= 3; ++n) {
        soci::session sql(soci::mysql, store::soci_connection_string(nodes.url(n, db.name())).value());
        sql << "SET SESSION wsrep_sync_wait = 1";
        std::string list;
        soci::rowset<std::string> names = (sql.prepare << "SELECT table_name FROM information_schema.tables "
                                                          "WHERE table_schema = DATABASE() ORDER BY table_name");
        for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
        std::map<std::string, std::string> sums;
        soci::rowset<soci::row> rows = (sql.prepare << "CHECKSUM TABLE " + list);
        for (const soci::row& row : rows) {
            std::ostringstream sum;
            if (row.get_indicator(1) == soci::i_ok) {
                const auto type = row.get_properties(1).get_data_type();
                if (type == soci::dt_long_long) sum << row.get<long long>(1);
                if (type == soci::dt_unsigned_long_long) sum << row.get<unsigned long long>(1);
                if (type == soci::dt_integer) sum << row.get<int>(1);
                if (type == soci::dt_string) sum << row.get<std::string>(1);
            }
            sums[row.get<std::string>(0)] = sum.str();
        }
        if (n == 1) {
            first = sums;
            EXPECT_GT(first.size(), 50U);
        } else {
            EXPECT_EQ(sums, first) << "node " << n << "'s tables differ from node 1's";
        }
    }
}

}  // namespace
}  // namespace patron::testing
