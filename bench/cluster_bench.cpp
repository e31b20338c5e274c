// Issue 22's benchmark, run by `scripts/cluster --bench`: signed commits through one MariaDB
// server against the same through a three-node Galera cluster, on this one machine, in one run.
// PATRON_TEST_DB_URL names the single server (durable commits) and PATRON_CLUSTER_NODES the
// cluster's three nodes (database "mysql" in each URL). Release patrond, load_generator closed-loop
// at 16 connections for PATRON_BENCH_SECONDS (15) each:
//   1. one server, one patrond: the baseline;
//   2. three nodes, one patrond on node 1: what replication and certification cost a commit;
//   3. three nodes, three patrond (one per node) behind HAProxy: the deployment scripts/cluster runs;
//   4. the same with causal reads off (PATRON_DB_CAUSAL_READS=no): what wsrep_sync_wait costs;
//   5. and 6. contention: every terminal selling to one of the demo's few members (their cards
//      drawn at random), through one server and through the cluster behind HAProxy: the cost of
//      certification failures, counted by the nodes (wsrep_local_cert_failures and
//      wsrep_local_bf_aborts) and by patrond (units run again).
// Prints a table with each run's ratio to the baseline and writes it as JSON
// (bench/results/cluster-DATE.json, or PATRON_BENCH_RESULTS).
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/load_run.h"
#include "loyalty/store/db/database.h"
#include "tests/support/balancer.h"
#include "tests/support/database_url.h"
#include "tests/support/http_client.h"
#include "tests/support/patrond_process.h"
#include "tests/support/test_database.h"

namespace {

using namespace patron::testing;
using nlohmann::json;
using patron::bench::Run;
using patron::bench::run_load;

int setting(const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && std::atoi(value) > 0 ? std::atoi(value) : fallback;
}

// A node's certification failures and brute-force aborts so far.
long long conflicts_on(const std::string& url) {
    soci::session sql(soci::mysql, patron::store::soci_connection_string(url).value());
    long long total = 0;
    soci::rowset<soci::row> rows = (sql.prepare << "SHOW GLOBAL STATUS WHERE Variable_name IN "
                                                   "('wsrep_local_cert_failures', 'wsrep_local_bf_aborts')");
    for (const soci::row& row : rows) total += std::atoll(row.get<std::string>(1).c_str());
    return total;
}

// patrond's units run again so far (its metric).
long long runs_again(const PatrondProcess& server) {
    const auto metrics = http({"GET", server.url("/metrics"), "", {}}).body;
    const std::string name = "patron_db_units_run_again_total ";
    const auto at = metrics.find("\n" + name);
    return at == std::string::npos ? 0 : std::atoll(metrics.c_str() + at + 1 + name.size());
}

struct Result {
    std::string name;
    Run run;
    long long node_conflicts = -1;  // -1: not a cluster run.
    long long units_run_again = 0;
};

}  // namespace

int main() {
    try {
        const int seconds = setting("PATRON_BENCH_SECONDS", 15);
        const int terminals = setting("PATRON_BENCH_TERMINALS", 100);
        const std::vector<std::string> nodes = cluster_node_urls();
        std::vector<Result> results;

        const auto environment_of = [](const DemoSetup& setup, const std::string& db_url, bool causal) {
            auto environment = setup.environment();
            environment["PATRON_DB_URL"] = db_url;
            environment["PATRON_THREADS"] = "2";
            environment["PATRON_DB_POOL"] = "32";
            environment["PATRON_WORKERS"] = "32";
            environment["PATRON_FRAUD_SCAN"] = "60";
            environment["PATRON_DB_CAUSAL_READS"] = causal ? "yes" : "no";
            return environment;
        };
        const auto cards_file = [](const DemoSetup& setup) {
            const std::string path = setup.dir.path() + "/hot-cards.txt";
            std::ofstream file(path);
            for (const json& member : setup.demo["members"]) file << member["card"].get<std::string>() << "\n";
            return path;
        };
        const auto measure = [&](const std::string& name, const std::string& url, const DemoSetup& setup,
                                 std::vector<std::string> extra, const std::vector<const PatrondProcess*>& servers,
                                 const std::vector<std::string>& node_urls) {
            std::vector<std::string> arguments = {"--url=" + url,
                                                  "--token=" + setup.demo["staff_token"].get<std::string>(),
                                                  "--work=purchases",
                                                  "--connections=16",
                                                  "--terminals=" + std::to_string(terminals),
                                                  "--seconds=" + std::to_string(seconds),
                                                  "--lines=1-10"};
            arguments.insert(arguments.end(), extra.begin(), extra.end());
            long long conflicts_before = 0, again_before = 0;
            for (const std::string& node : node_urls) conflicts_before += conflicts_on(node);
            for (const PatrondProcess* server : servers) again_before += runs_again(*server);
            Result result{name, run_load(name, arguments, nullptr, servers.front()->pid(), std::nullopt)};
            if (!node_urls.empty()) {
                long long conflicts_after = 0;
                for (const std::string& node : node_urls) conflicts_after += conflicts_on(node);
                result.node_conflicts = conflicts_after - conflicts_before;
            }
            for (const PatrondProcess* server : servers) result.units_run_again += runs_again(*server);
            result.units_run_again -= again_before;
            results.push_back(result);
        };

        std::fprintf(stderr, "one server\n");
        {
            TestDatabase database{false};
            DemoSetup setup(database.url());
            PatrondProcess server(environment_of(setup, database.url(), true), setup.dir.path());
            measure("one server, one patrond", server.url(""), setup, {}, {&server}, {});
            measure("one server, one patrond, hot members", server.url(""), setup, {"--cards=" + cards_file(setup)},
                    {&server}, {});
        }

        std::fprintf(stderr, "three nodes\n");
        setenv("PATRON_TEST_DB_URL", nodes[0].c_str(), 1);  // The database is made on node 1.
        TestDatabase database{false};
        DemoSetup setup(database.url());
        std::vector<std::string> node_urls;
        for (const std::string& node : nodes) node_urls.push_back(with_database(node, database.name()));
        {
            PatrondProcess server(environment_of(setup, node_urls[0], true), setup.dir.path());
            measure("three nodes, one patrond", server.url(""), setup, {}, {&server}, node_urls);
        }
        for (const bool causal : {true, false}) {
            std::vector<std::unique_ptr<TempDir>> dirs;  // Each instance's port file and log.
            std::vector<std::unique_ptr<PatrondProcess>> servers;
            std::vector<std::string> instances;
            std::vector<const PatrondProcess*> watched;
            for (const std::string& node : node_urls) {
                dirs.push_back(std::make_unique<TempDir>());
                servers.push_back(
                    std::make_unique<PatrondProcess>(environment_of(setup, node, causal), dirs.back()->path()));
                instances.push_back(servers.back()->url(""));
                watched.push_back(servers.back().get());
            }
            Balancer balancer(instances, setup.dir.path());
            const std::string url = balancer.url("");
            measure(causal ? "three nodes, three patrond, HAProxy" : "the same, causal reads off", url, setup, {},
                    watched, node_urls);
            if (causal) {
                measure("three nodes, three patrond, HAProxy, hot members", url, setup,
                        {"--cards=" + cards_file(setup)}, watched, node_urls);
            }
        }

        const double base = results.front().run.load["per_second"].get<double>();
        std::printf("\n%-50s %10s %8s %8s %8s %9s %12s %12s\n", "run", "commits/s", "ratio", "p50 ms", "p99 ms",
                    "non-2xx", "node confl.", "run again");
        json table = json::array();
        for (const Result& result : results) {
            const json& load = result.run.load;
            const double rate = load["per_second"].get<double>();
            const long long failed = load.value("failed", 0LL);
            std::printf("%-50s %10.1f %8.2f %8.1f %8.1f %9lld %12s %12lld\n", result.name.c_str(), rate, rate / base,
                        load.value("p50_ms", 0.0), load.value("p99_ms", 0.0), failed,
                        result.node_conflicts < 0 ? "-" : std::to_string(result.node_conflicts).c_str(),
                        result.units_run_again);
            table.push_back({{"run", result.name},
                             {"load", load},
                             {"ratio_to_one_server", rate / base},
                             {"node_conflicts", result.node_conflicts},
                             {"units_run_again", result.units_run_again}});
        }
        const char* named = std::getenv("PATRON_BENCH_RESULTS");
        std::string path;
        if (named != nullptr) {
            path = named;
        } else {
            char day[32];
            const std::time_t now = std::time(nullptr);
            std::strftime(day, sizeof day, "%Y-%m-%dT%H%MZ", std::gmtime(&now));
            std::filesystem::create_directories("bench/results");
            path = std::string("bench/results/cluster-") + day + ".json";
        }
        std::ofstream(path) << json{{"seconds", seconds}, {"terminals", terminals}, {"runs", table}}.dump(2) << "\n";
        std::printf("\nwritten: %s\n", path.c_str());
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "cluster_bench: %s\n", error.what());
        return 1;
    }
}
