// Issue 19's till benchmark: Patron measured against this machine's own ceilings in one run.
//   1. the DB ceiling: db_ceiling's durable two-insert transactions at 16 and 32 connections (the
//      better counts);
//   2. the HTTP ceiling: load_generator closed-loop on http_ceiling (patrond's I/O threads);
//   3. Patron (a fresh database with the demo programme, patrond as an operator would size it):
//      signed commits closed-loop at 4, 16 and 64 connections and open-loop at 1,000 per second
//      offered, and staff balance reads at 32 connections; over each run's measured seconds, the
//      statements MariaDB ran per request (its Com_* counters), the CPU patrond and mariadbd spent
//      per request (/proc), and patrond's RSS after.
// Prints a table with every ratio to the ceilings, and writes it as JSON (PATRON_BENCH_RESULTS)
// with a gnuplot script and data beside it for the plot. Needs PATRON_TEST_DB_URL (scripts/bench
// starts a durable MariaDB; PATRON_BENCH_DB_DIR names its directory for mariadbd's pid).
// PATRON_BENCH_SECONDS (15) and PATRON_BENCH_TERMINALS (200) change the run.
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

#include "bench/measures.h"
#include "tests/support/patrond_process.h"
#include "tests/support/test_database.h"

namespace {

namespace fs = std::filesystem;
using namespace patron::testing;
using nlohmann::json;

int setting(const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && std::atoi(value) > 0 ? std::atoi(value) : fallback;
}

const fs::path& bin_dir() {
    static const fs::path dir = fs::read_symlink("/proc/self/exe").parent_path();
    return dir;
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
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

// A process's CPU time so far (user and system), from /proc; 0 when it cannot be read.
double cpu_seconds(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const std::size_t after_name = text.rfind(')');
    if (after_name == std::string::npos) return 0;
    std::istringstream fields(text.substr(after_name + 2));
    std::string field;
    unsigned long long user = 0, system = 0;
    for (int index = 3; fields >> field; ++index) {  // Field 3 is the state; 14 and 15 the times.
        if (index == 14) user = std::stoull(field);
        if (index == 15) {
            system = std::stoull(field);
            break;
        }
    }
    return static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double rss_mb(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
        if (line.starts_with("VmRSS:")) return std::stod(line.substr(6)) / 1024.0;
    }
    return 0;
}

// What one load run measured, with the servers' counters over its measured seconds.
struct Run {
    std::string name;
    json load;  // load_generator's answer.
    patron::bench::StatementsPerRequest statements = {};
    double patrond_cpu_ms = 0, mariadbd_cpu_ms = 0;  // Per request answered.
    double rss_mb = 0;
};

// Runs load_generator with `arguments`; while its measured seconds pass, samples the counters.
Run run_load(const std::string& name, const std::vector<std::string>& arguments, soci::session* sql, pid_t patrond,
             std::optional<pid_t> mariadbd) {
    std::string command = shell_quote((bin_dir() / "load_generator").string());
    for (const std::string& argument : arguments) command += " " + shell_quote(argument);
    std::fprintf(stderr, "  %s ...\n", name.c_str());
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
    struct Reading {
        patron::bench::StatementCounts statements;
        double patrond_cpu = 0, mariadbd_cpu = 0;
    };
    const auto read_now = [&] {
        Reading reading;
        if (sql != nullptr) reading.statements = patron::bench::statement_counts(*sql);
        if (patrond > 0) reading.patrond_cpu = cpu_seconds(patrond);
        if (mariadbd) reading.mariadbd_cpu = cpu_seconds(*mariadbd);
        return reading;
    };
    Reading before, after;
    std::string last;
    char buffer[65536];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
        last = buffer;
        if (last == "measuring\n") before = read_now();
        if (last == "measured\n") after = read_now();
    }
    pclose(pipe);
    Run run{name, json::parse(last, nullptr, false)};
    if (!run.load.is_object()) throw std::runtime_error(name + ": load_generator said " + last);
    const double answered = std::max(1.0, run.load["answered"].get<double>());
    run.statements = patron::bench::statements_per_request(before.statements, after.statements, answered);
    run.patrond_cpu_ms = (after.patrond_cpu - before.patrond_cpu) * 1000.0 / answered;
    run.mariadbd_cpu_ms = (after.mariadbd_cpu - before.mariadbd_cpu) * 1000.0 / answered;
    if (patrond > 0) run.rss_mb = rss_mb(patrond);
    return run;
}

json db_ceiling(const DbTarget& target, const std::string& database, int seconds) {
    json best;
    for (const int connections : {16, 32}) {
        const CommandResult result =
            run_command({(bin_dir() / "db_ceiling").string(), target.socket, target.user, target.password, database,
                         std::to_string(connections), std::to_string(seconds)},
                        {});
        if (result.exit_code != 0) throw std::runtime_error("db_ceiling: " + result.output);
        std::istringstream words(result.output);
        json figures = json::object();
        for (std::string key, value; words >> key >> value;) figures[key] = std::stod(value);
        std::fprintf(stderr, "  db ceiling at %d connections: %.0f transactions per second\n", connections,
                     figures["per_second"].get<double>());
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
    std::optional<pid_t> mariadbd;
    if (const char* dir = std::getenv("PATRON_BENCH_DB_DIR"); dir != nullptr) {
        std::ifstream pid_file(std::string(dir) + "/mysqld.pid");
        pid_t pid = 0;
        if (pid_file >> pid && pid > 0) mariadbd = pid;
    }

    std::fprintf(stderr, "ceilings of this machine\n");
    const json db = db_ceiling(target, database.name(), seconds);
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
    const std::vector<std::string> common = {"--url=" + url.substr(0, url.size() - (url.ends_with("/") ? 1 : 0)),
                                             "--token=" + token, "--terminals=" + std::to_string(terminals),
                                             "--seconds=" + std::to_string(seconds)};
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
    std::printf("%-40s %10.0f %8s %8.2f %8.2f %8s %7s %9s %9s %7s %7s\n", "DB ceiling (durable 2-insert tx)", db_rate,
                "1.00", get(db, "p50_ms"), get(db, "p99_ms"), "", "", "", "", "", "");
    std::printf("%-40s %10.0f %8s %8.2f %8.2f %8.2f %7s %9s %9s %7s %7s\n", "HTTP ceiling (fixed JSON)", http_rate,
                "1.00", get(http.load, "p50_ms"), get(http.load, "p99_ms"), get(http.load, "p999_ms"), "", "", "", "",
                "");
    json results = {{"db_ceiling", db}, {"http_ceiling", http.load}, {"runs", json::array()}};
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
        "patrond, mariadbd: CPU per request; RSS: patrond's after the run\n");
    if (const char* path = std::getenv("PATRON_BENCH_RESULTS"); path != nullptr) {
        std::ofstream(path) << results.dump(2) << "\n";
        // The plot's data and script beside the JSON: throughput and latency of each run.
        const std::string stem = fs::path(path).replace_extension("").string();
        std::ofstream data(stem + ".dat");
        data << "# run per_second p50_ms p99_ms\n";
        data << "\"DB ceiling\" " << db_rate << " " << get(db, "p50_ms") << " " << get(db, "p99_ms") << "\n";
        data << "\"HTTP ceiling\" " << http_rate << " " << get(http.load, "p50_ms") << " " << get(http.load, "p99_ms")
             << "\n";
        for (const Run& run : runs) {
            data << "\"" << run.name << "\" " << get(run.load, "per_second") << " " << get(run.load, "p50_ms") << " "
                 << get(run.load, "p99_ms") << "\n";
        }
        std::ofstream plot(stem + ".gnuplot");
        plot << "set terminal pngcairo size 1200,900 font ',10'\n"
             << "set output '" << stem << ".png'\n"
             << "set multiplot layout 2,1 title 'Patron against this machine\\'s ceilings, one run'\n"
             << "set style data histograms\nset style fill solid 0.8\nset xtics rotate by -20\nset grid ytics\n"
             << "set ylabel 'requests per second'\n"
             << "plot '" << stem << ".dat' using 2:xtic(1) title 'per second'\n"
             << "set ylabel 'latency ms'\n"
             << "plot '" << stem << ".dat' using 3:xtic(1) title 'p50', '' using 4 title 'p99'\n"
             << "unset multiplot\n";
    }
    return 0;
}
