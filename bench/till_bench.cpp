// Issue 19's till benchmark: Patron measured against this machine's own ceilings in one run.
//   1. the DB ceiling: db_ceiling's durable two-insert transactions at 16 and 32 connections (the
//      better counts), sent as SQL text as Patron's statements are; then the same with the inserts
//      prepared on the server, shown beside it (what server-side prepared statements would give);
//   2. the HTTP ceiling: load_generator closed-loop on http_ceiling (patrond's I/O threads);
//   3. Patron (a fresh database with the demo programme, patrond as an operator would size it):
//      signed commits closed-loop at 4, 16 and 64 connections and open-loop at 1,000 per second
//      offered, and staff balance reads at 32 connections; over each run's measured seconds, the
//      statements MariaDB ran per request (its Com_* counters), the CPU patrond and mariadbd spent
//      per request (/proc), and patrond's RSS after.
// Prints a table with every ratio to the ceilings, and writes it as JSON (PATRON_BENCH_RESULTS)
// with a gnuplot script and data beside it for the plot. Needs PATRON_TEST_DB_URL (scripts/bench
// starts a durable MariaDB; PATRON_BENCH_DB_DIR names its directory for mariadbd's pid).
// PATRON_BENCH_SECONDS (15), PATRON_BENCH_TERMINALS (200) and PATRON_BENCH_LINES (a basket's
// lines, MIN-MAX: 1-30) change the run.
#include <signal.h>
#include <soci/soci.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/load_run.h"
#include "bench/measures.h"
#include "tests/support/patrond_process.h"
#include "tests/support/test_database.h"

namespace {

namespace fs = std::filesystem;
using namespace patron::testing;
using nlohmann::json;
using patron::bench::bin_dir;
using patron::bench::Run;
using patron::bench::run_load;

int setting(const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && std::atoi(value) > 0 ? std::atoi(value) : fallback;
}

// mysql://user:password@host/database?socket=PATH, as scripts/db writes it.
struct DbTarget {
    std::string user, password, socket;
};

DbTarget target_of(const std::string& url) {
    const std::size_t scheme = url.find("://"), colon = url.find(':', scheme + 3), at = url.find('@');
    const std::size_t socket = url.find("socket=");
    if (scheme == std::string::npos || colon == std::string::npos || at == std::string::npos ||
        socket == std::string::npos) {
        throw std::runtime_error("a MariaDB url with a socket is needed: " + url);
    }
    return {url.substr(scheme + 3, colon - scheme - 3), url.substr(colon + 1, at - colon - 1), url.substr(socket + 7)};
}

// The DB ceiling at its best concurrency, with the CPU mariadbd spent per transaction (what each of
// Patron's requests spends there compares with it).
// `form`: text or prepared (db_ceiling.cpp).
json db_ceiling(const DbTarget& target, const std::string& database, int seconds, std::optional<pid_t> mariadbd,
                const std::string& form) {
    json best;
    for (const int connections : {16, 32}) {
        const double cpu_before = mariadbd ? patron::bench::cpu_seconds(*mariadbd) : 0;
        const CommandResult result =
            run_command({(bin_dir() / "db_ceiling").string(), target.socket, target.user, target.password, database,
                         std::to_string(connections), std::to_string(seconds), form},
                        {});
        if (result.exit_code != 0) throw std::runtime_error("db_ceiling: " + result.output);
        std::istringstream words(result.output);
        json figures = json::object();
        for (std::string key, value; words >> key >> value;) figures[key] = std::stod(value);
        if (mariadbd && figures.value("transactions", 0.0) > 0) {
            figures["mariadbd_cpu_ms_per_transaction"] =
                (patron::bench::cpu_seconds(*mariadbd) - cpu_before) * 1000 / figures["transactions"].get<double>();
        }
        std::fprintf(stderr, "  db ceiling (%s) at %d connections: %.0f transactions per second\n", form.c_str(),
                     connections, figures["per_second"].get<double>());
        if (best.is_null() || figures["per_second"] > best["per_second"]) best = figures;
    }
    return best;
}

// The HTTP ceiling: http_ceiling on `threads` I/O threads, loaded closed-loop at 32 connections.
Run http_ceiling(int threads, int seconds, const std::string& scratch) {
    const std::string port_file = scratch + "/http_ceiling.out";
    const pid_t pid = spawn_process({(bin_dir() / "http_ceiling").string(), std::to_string(threads)}, {}, port_file);
    std::string port;
    for (int tries = 0; tries < 100 && port.empty(); ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::ifstream file(port_file);
        std::getline(file, port);
    }
    if (port.empty()) throw std::runtime_error("http_ceiling did not start");
    Run run = run_load(
        "HTTP ceiling",
        {"--url=http://127.0.0.1:" + port, "--work=fixed", "--connections=32", "--seconds=" + std::to_string(seconds)},
        nullptr, pid, std::nullopt);
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    return run;
}

double get(const json& document, const char* key) { return document.value(key, 0.0); }

}  // namespace

int main() {
    const int seconds = setting("PATRON_BENCH_SECONDS", 15);
    const int terminals = setting("PATRON_BENCH_TERMINALS", 200);
    const int threads = setting("PATRON_THREADS", 2);
    TestDatabase database{false};
    const DbTarget target = target_of(database.url());
    const std::optional<pid_t> mariadbd = patron::bench::mariadbd_pid();

    std::fprintf(stderr, "ceilings of this machine\n");
    const json db = db_ceiling(target, database.name(), seconds, mariadbd, "text");
    const json db_prepared = db_ceiling(target, database.name(), seconds, mariadbd, "prepared");
    DemoSetup setup(database.url());
    const Run http = http_ceiling(threads, seconds, setup.dir.path());

    std::fprintf(stderr, "Patron\n");
    auto environment = setup.environment();
    environment["PATRON_THREADS"] = std::to_string(threads);
    environment["PATRON_DB_POOL"] = std::to_string(setting("PATRON_DB_POOL", 32));
    environment["PATRON_WORKERS"] = std::to_string(setting("PATRON_WORKERS", 32));
    PatrondProcess server(environment, setup.dir.path());
    const std::string url = server.url("");
    const std::string token = setup.demo["staff_token"];
    // Baskets' lines, MIN-MAX (1-30): what a commit stores grows with them.
    const char* lines_setting = std::getenv("PATRON_BENCH_LINES");
    const std::string lines = lines_setting != nullptr && *lines_setting != '\0' ? lines_setting : "1-30";
    const std::vector<std::string> common = {"--url=" + url.substr(0, url.size() - (url.ends_with("/") ? 1 : 0)),
                                             "--token=" + token, "--terminals=" + std::to_string(terminals),
                                             "--seconds=" + std::to_string(seconds), "--lines=" + lines};
    const auto with = [&common](std::vector<std::string> more) {
        more.insert(more.begin(), common.begin(), common.end());
        return more;
    };
    std::vector<Run> runs;
    for (const int connections : {4, 16, 64}) {
        runs.push_back(run_load("commits at " + std::to_string(connections) + " connections",
                                with({"--work=purchases", "--connections=" + std::to_string(connections)}),
                                &database.raw(), server.pid(), mariadbd));
    }
    runs.push_back(run_load("commits at 1,000 per second offered",
                            with({"--work=purchases", "--mode=open", "--rate=1000"}), &database.raw(), server.pid(),
                            mariadbd));
    runs.push_back(run_load("balance reads at 32 connections", with({"--work=balances", "--connections=32"}),
                            &database.raw(), server.pid(), mariadbd));

    const double db_rate = get(db, "per_second"), http_rate = get(http.load, "per_second");
    std::printf("\n%-40s %10s %8s %8s %8s %8s %7s %9s %9s %7s %7s\n", "what", "per s", "ratio", "p50 ms", "p99 ms",
                "p99.9 ms", "stmts", "patrond", "mariadbd", "RSS MB", "failed");
    char db_cpu[32] = "";
    if (db.contains("mariadbd_cpu_ms_per_transaction")) {
        std::snprintf(db_cpu, sizeof db_cpu, "%7.2fms", get(db, "mariadbd_cpu_ms_per_transaction"));
    }
    std::printf("%-40s %10.0f %8s %8.2f %8.2f %8s %7s %9s %9s %7s %7s\n", "DB ceiling (durable 2-insert tx)", db_rate,
                "1.00", get(db, "p50_ms"), get(db, "p99_ms"), "", "4.0", "", db_cpu, "", "");
    char prepared_cpu[32] = "", prepared_ratio[32];
    if (db_prepared.contains("mariadbd_cpu_ms_per_transaction")) {
        std::snprintf(prepared_cpu, sizeof prepared_cpu, "%7.2fms",
                      get(db_prepared, "mariadbd_cpu_ms_per_transaction"));
    }
    std::snprintf(prepared_ratio, sizeof prepared_ratio, "%.2fxD", get(db_prepared, "per_second") / db_rate);
    std::printf("%-40s %10.0f %8s %8.2f %8.2f %8s %7s %9s %9s %7s %7s\n", "... its inserts prepared on the server",
                get(db_prepared, "per_second"), prepared_ratio, get(db_prepared, "p50_ms"), get(db_prepared, "p99_ms"),
                "", "4.0", "", prepared_cpu, "", "");
    std::printf("%-40s %10.0f %8s %8.2f %8.2f %8.2f %7s %9s %9s %7s %7s\n", "HTTP ceiling (fixed JSON)", http_rate,
                "1.00", get(http.load, "p50_ms"), get(http.load, "p99_ms"), get(http.load, "p999_ms"), "", "", "", "",
                "");
    json results = {{"db_ceiling", db},
                    {"db_ceiling_prepared", db_prepared},
                    {"http_ceiling", http.load},
                    {"basket_lines", lines},
                    {"runs", json::array()}};
    for (const Run& run : runs) {
        const bool reads = run.name.starts_with("balance");
        const double rate = get(run.load, "per_second");
        const double ratio = rate / (reads ? http_rate : db_rate);
        char ratio_text[32];
        std::snprintf(ratio_text, sizeof ratio_text, "%.2f%s", ratio, reads ? "xH" : "xD");
        std::printf("%-40s %10.0f %8s %8.2f %8.2f %8.2f %7.1f %7.2fms %7.2fms %7.0f %7lld\n", run.name.c_str(), rate,
                    ratio_text, get(run.load, "p50_ms"), get(run.load, "p99_ms"), get(run.load, "p999_ms"),
                    run.statements.all, run.patrond_cpu_ms, run.mariadbd_cpu_ms, run.rss_mb,
                    run.load.value("failed", 0LL));
        results["runs"].push_back({{"name", run.name},
                                   {"load", run.load},
                                   {"ratio", ratio},
                                   {"ratio_to", reads ? "http_ceiling" : "db_ceiling"},
                                   {"statements_per_request", run.statements.all},
                                   {"statements_by_kind", run.statements.by_kind},
                                   {"patrond_cpu_ms_per_request", run.patrond_cpu_ms},
                                   {"mariadbd_cpu_ms_per_request", run.mariadbd_cpu_ms},
                                   {"patrond_rss_mb", run.rss_mb}});
    }
    std::printf(
        "ratio: xD to the DB ceiling, xH to the HTTP ceiling; stmts: MariaDB statements per request;\n"
        "patrond, mariadbd: CPU per request; RSS: patrond's after the run; failed: answered with an\n"
        "error, or (open loop) still unanswered 10 s after the run's end, when more was offered than served\n");
    if (const char* path = std::getenv("PATRON_BENCH_RESULTS"); path != nullptr) {
        std::ofstream(path) << results.dump(2) << "\n";
        // The plot's data and script beside the JSON: throughput and latency of each run.
        const std::string stem = fs::path(path).replace_extension("").string();
        std::ofstream data(stem + ".dat");
        data << "# run per_second p50_ms p99_ms\n";
        data << "\"DB ceiling\" " << db_rate << " " << get(db, "p50_ms") << " " << get(db, "p99_ms") << "\n";
        data << "\"DB ceiling, prepared\" " << get(db_prepared, "per_second") << " " << get(db_prepared, "p50_ms")
             << " " << get(db_prepared, "p99_ms") << "\n";
        data << "\"HTTP ceiling\" " << http_rate << " " << get(http.load, "p50_ms") << " " << get(http.load, "p99_ms")
             << "\n";
        for (const Run& run : runs) {
            data << "\"" << run.name << "\" " << get(run.load, "per_second") << " " << get(run.load, "p50_ms") << " "
                 << get(run.load, "p99_ms") << "\n";
        }
        std::ofstream plot(stem + ".gnuplot");
        plot << "set terminal pngcairo size 1200,900 font ',10'\n"
             << "set output '" << stem << ".png'\n"
             << "set multiplot layout 2,1 title 'Patron against this machine''s ceilings, one run'\n"
             << "set style data histograms\nset style fill solid 0.8\nset xtics rotate by -20\nset grid ytics\n"
             << "set rmargin 14\n"  // room for the last label, rotated past the plot's edge
             << "set ylabel 'requests per second'\n"
             << "plot '" << stem << ".dat' using 2:xtic(1) title 'per second'\n"
             << "set ylabel 'latency ms (log scale)'\nset logscale y\n"
             << "plot '" << stem << ".dat' using 3:xtic(1) title 'p50', '' using 4 title 'p99'\n"
             << "unset multiplot\n";
    }
    return 0;
}
