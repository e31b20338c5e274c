// The soak (issue 20): a Release patrond on a durable MariaDB, first driven to its sustained maximum
// signed commit rate (closed loop, 16 connections: PATRON_SOAK_WARMUP seconds (120) unmeasured,
// then measured for 60 s, so that the maximum is what the database keeps up once its log and
// buffer pool are busy, not a fresh database's first seconds), then offered half of it open-loop for
// PATRON_SOAK_MINUTES (30) while, every PATRON_SOAK_INTERVAL seconds (30), it samples patrond's
// RSS, open files and threads, the database's connections and mariadbd's RSS beside the
// interval's answers per second and p50/p99 latency. Prints a row per sample and a summary that
// compares the last samples with the first and with those at half-time (what "flat" means here:
// ratios near 1; the second is free of a step made once early on, the first is not), runs
// patronctl verify on what the soak wrote, and, with PATRON_BENCH_RESULTS, writes the samples
// (JSON lines) and a gnuplot script for their plot. Run by `scripts/bench --soak [MINUTES]`.
#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "bench/load_run.h"
#include "bench/served_patrond.h"
#include "tests/support/patrond_process.h"
#include "tests/support/test_database.h"

namespace {

using namespace patron::testing;
using nlohmann::json;
using patron::bench::bin_dir;
using patron::bench::shell_quote;
namespace fs = std::filesystem;

int setting(const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::max(1, std::atoi(value)) : fallback;
}

long long open_files(pid_t pid) {
    std::error_code error;
    long long count = 0;
    for (auto it = fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error);
         !error && it != fs::directory_iterator(); it.increment(error)) {
        ++count;
    }
    return count;
}

long long status_field(pid_t pid, const std::string& field) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
        if (line.starts_with(field + ":")) return std::atoll(line.substr(field.size() + 1).c_str());
    }
    return 0;
}

long long global_status(soci::session& sql, const std::string& name) {
    std::string variable, value;
    sql << "SHOW GLOBAL STATUS LIKE '" + name + "'", soci::into(variable), soci::into(value);
    return std::atoll(value.c_str());
}

// The mean of a figure over samples [from, to).
double mean_of(const std::vector<json>& samples, std::size_t from, std::size_t to, const char* key) {
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += samples[i].value(key, 0.0);
    return to > from ? sum / static_cast<double>(to - from) : 0;
}

}  // namespace

int main() {
    const int minutes = setting("PATRON_SOAK_MINUTES", 30);
    const int interval = setting("PATRON_SOAK_INTERVAL", 30);
    const int warmup = setting("PATRON_SOAK_WARMUP", 120);
    TestDatabase database{false};
    const std::optional<pid_t> mariadbd = patron::bench::mariadbd_pid();
    DemoSetup setup(database.url());
    const auto environment = patron::bench::serving_environment(setup);
    PatrondProcess server(environment, setup.dir.path());
    const std::string url = server.url("");
    const std::vector<std::string> common = {"--url=" + url.substr(0, url.size() - (url.ends_with("/") ? 1 : 0)),
                                             "--token=" + setup.demo["staff_token"].get<std::string>(),
                                             "--terminals=200", "--lines=1-30"};

    std::fprintf(stderr, "the maximum: signed commits closed-loop at 16 connections, %d s unmeasured, then 60 s\n",
                 warmup);
    std::vector<std::string> closed = common;
    closed.insert(closed.end(), {"--work=purchases", "--connections=16", "--warmup=" + std::to_string(warmup),
                                 "--seconds=60", "--seed=1"});
    const patron::bench::Run maximum =
        patron::bench::run_load("maximum", closed, &database.raw(), server.pid(), mariadbd);
    const int rate = std::max(1, static_cast<int>(maximum.load["per_second"].get<double>() / 2));
    std::printf("maximum %.0f commits/s (p99 %.1f ms); the soak offers %d/s for %d minutes\n",
                maximum.load["per_second"].get<double>(), maximum.load["p99_ms"].get<double>(), rate, minutes);

    std::string command = shell_quote((bin_dir() / "load_generator").string());
    std::vector<std::string> open = common;
    open.insert(open.end(), {"--work=purchases", "--mode=open", "--rate=" + std::to_string(rate),
                             "--seconds=" + std::to_string(minutes * 60), "--report-every=" + std::to_string(interval),
                             "--warmup=5", "--seed=2"});
    for (const std::string& argument : open) command += " " + shell_quote(argument);
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return 1;
    std::vector<json> samples;
    std::printf("\n%8s %9s %8s %8s %7s %9s %7s %8s %9s %7s\n", "minute", "per s", "p50 ms", "p99 ms", "failed",
                "RSS MB", "files", "threads", "db conns", "db RSS");
    json whole;
    char buffer[65536];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
        const json line = json::parse(buffer, nullptr, false);
        if (!line.is_object()) continue;
        if (!line.contains("interval")) {
            whole = line;
            continue;
        }
        json sample = line;
        sample["minute"] = line["ends_s"].get<double>() / 60.0;
        sample["rss_mb"] = static_cast<double>(status_field(server.pid(), "VmRSS")) / 1024.0;
        sample["open_files"] = open_files(server.pid());
        sample["threads"] = status_field(server.pid(), "Threads");
        sample["db_connections"] = global_status(database.raw(), "Threads_connected");
        sample["mariadbd_rss_mb"] = mariadbd ? static_cast<double>(status_field(*mariadbd, "VmRSS")) / 1024.0 : 0.0;
        std::printf("%8.1f %9.0f %8.2f %8.2f %7lld %9.1f %7lld %8lld %9lld %7.0f\n", sample["minute"].get<double>(),
                    sample["per_second"].get<double>(), sample["p50_ms"].get<double>(), sample["p99_ms"].get<double>(),
                    sample["failed"].get<long long>(), sample["rss_mb"].get<double>(),
                    sample["open_files"].get<long long>(), sample["threads"].get<long long>(),
                    sample["db_connections"].get<long long>(), sample["mariadbd_rss_mb"].get<double>());
        std::fflush(stdout);
        samples.push_back(sample);
    }
    pclose(pipe);
    const auto verified = run_command({patronctl_path(), "verify"}, environment);

    // Flat: the last samples against the first, and against those at half-time (a tenth of the run
    // each, at least one sample). The first ratio takes in a step made once (the pool growing to its
    // size when the database first stalls and work piles up); the second shows whether the figure
    // still grows in the run's second half, as a leak or a fragmenting heap would.
    const std::size_t tenth = std::max<std::size_t>(1, samples.size() / 10);
    const std::size_t half = samples.size() / 2;
    json summary = {{"maximum_per_second", maximum.load["per_second"]},
                    {"offered_per_second", rate},
                    {"minutes", minutes},
                    {"samples", samples.size()},
                    {"whole", whole},
                    {"verify_exit_code", verified.exit_code}};
    std::printf("\n%-22s %10s %10s %10s %10s %12s\n", "figure", "first", "half-time", "last", "last/first",
                "last/half-time");
    for (const char* key :
         {"per_second", "p50_ms", "p99_ms", "rss_mb", "open_files", "threads", "db_connections", "mariadbd_rss_mb"}) {
        const double first = mean_of(samples, 0, std::min(tenth, samples.size()), key);
        const double middle = mean_of(samples, half, std::min(half + tenth, samples.size()), key);
        const double last = mean_of(samples, samples.size() - std::min(tenth, samples.size()), samples.size(), key);
        summary["first"][key] = first;
        summary["half_time"][key] = middle;
        summary["last"][key] = last;
        summary["ratio"][key] = first > 0 ? last / first : 0;
        summary["ratio_second_half"][key] = middle > 0 ? last / middle : 0;
        std::printf("%-22s %10.2f %10.2f %10.2f %10.2f %12.2f\n", key, first, middle, last,
                    first > 0 ? last / first : 0, middle > 0 ? last / middle : 0);
    }
    std::printf("whole run: %s\nverify exit code %d\n", whole.dump().c_str(), verified.exit_code);

    if (const char* path = std::getenv("PATRON_BENCH_RESULTS"); path != nullptr) {
        const std::string stem = fs::path(path).replace_extension("").string();
        std::ofstream out(path);
        out << json{{"summary", summary}}.dump() << "\n";
        for (const json& sample : samples) out << sample.dump() << "\n";
        std::ofstream data(stem + ".dat");
        data << "# minute per_second p50_ms p99_ms rss_mb open_files threads db_connections mariadbd_rss_mb\n";
        for (const json& sample : samples) {
            data << sample["minute"] << " " << sample["per_second"] << " " << sample["p50_ms"] << " "
                 << sample["p99_ms"] << " " << sample["rss_mb"] << " " << sample["open_files"] << " "
                 << sample["threads"] << " " << sample["db_connections"] << " " << sample["mariadbd_rss_mb"] << "\n";
        }
        std::ofstream plot(stem + ".gnuplot");
        plot << "set terminal pngcairo size 1200,1200 font ',10'\n"
             << "set output '" << stem << ".png'\n"
             << "set multiplot layout 3,1 title 'Soak: " << rate << " signed commits/s offered (half the maximum) for "
             << minutes << " minutes'\n"
             << "set grid\nset xlabel 'minute'\nset key outside right\n"
             << "set ylabel 'ms'\nset y2label 'answered per second'\nset y2tics\nset ytics nomirror\n"
             << "plot '" << stem
             << ".dat' using 1:3 with lines title 'p50 ms', '' using 1:4 with lines title 'p99 ms', "
             << "'' using 1:2 axes x1y2 with lines title 'per second'\n"
             << "unset y2tics\nunset y2label\n"
             // patrond's RSS on its own axis: beside mariadbd's buffer pool its drift would not show.
             << "set ylabel 'patrond RSS MB'\nset yrange [0:*]\nset y2label 'mariadbd RSS MB'\nset y2tics\n"
             << "set y2range [0:*]\n"
             << "plot '" << stem << ".dat' using 1:5 with lines title 'patrond RSS', '' using 1:9 axes x1y2 with lines "
             << "title 'mariadbd RSS'\n"
             << "unset y2tics\nunset y2label\n"
             << "set ylabel 'count'\n"
             << "plot '" << stem << ".dat' using 1:6 with lines title 'patrond open files', '' using 1:7 with lines "
             << "title 'patrond threads', '' using 1:8 with lines title 'database connections'\n"
             << "unset multiplot\n";
    }
    return verified.exit_code == 0 ? 0 : 1;
}
