// Runs the load generator (bench/load_generator.cpp) as a process of its own and samples, over
// exactly its measured seconds, what the servers spent: MariaDB's statements, patrond's and
// mariadbd's CPU (/proc), and patrond's RSS after. Shared by the benchmarks that drive a real
// patrond (till_bench, scale_bench).
#pragma once

#include <soci/soci.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/measures.h"

namespace patron::bench {

// The directory of the running benchmark, where its sibling programs are built.
inline const std::filesystem::path& bin_dir() {
    static const std::filesystem::path dir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
    return dir;
}

inline std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// A process's CPU time so far (user and system), from /proc; 0 when it cannot be read.
inline double cpu_seconds(pid_t pid) {
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

inline double rss_mb(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
        if (line.starts_with("VmRSS:")) return std::stod(line.substr(6)) / 1024.0;
    }
    return 0;
}

// What one load run measured, with the servers' counters over its measured seconds.
struct Run {
    std::string name;
    nlohmann::json load;  // load_generator's answer.
    StatementsPerRequest statements = {};
    double patrond_cpu_ms = 0, mariadbd_cpu_ms = 0;  // Per request answered.
    double rss_mb = 0;
};

// Runs load_generator with `arguments`; while its measured seconds pass, samples the counters.
inline Run run_load(const std::string& name, const std::vector<std::string>& arguments, soci::session* sql,
                    pid_t patrond, std::optional<pid_t> mariadbd) {
    std::string command = shell_quote((bin_dir() / "load_generator").string());
    for (const std::string& argument : arguments) command += " " + shell_quote(argument);
    std::fprintf(stderr, "  %s ...\n", name.c_str());
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
    struct Reading {
        StatementCounts statements;
        double patrond_cpu = 0, mariadbd_cpu = 0;
    };
    const auto read_now = [&] {
        Reading reading;
        if (sql != nullptr) reading.statements = statement_counts(*sql);
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
    Run run{name, nlohmann::json::parse(last, nullptr, false)};
    if (!run.load.is_object()) throw std::runtime_error(name + ": load_generator said " + last);
    const double answered = std::max(1.0, run.load["answered"].get<double>());
    run.statements = statements_per_request(before.statements, after.statements, answered);
    run.patrond_cpu_ms = (after.patrond_cpu - before.patrond_cpu) * 1000.0 / answered;
    run.mariadbd_cpu_ms = (after.mariadbd_cpu - before.mariadbd_cpu) * 1000.0 / answered;
    if (patrond > 0) run.rss_mb = rss_mb(patrond);
    return run;
}

// mariadbd's pid, from the pid file in PATRON_BENCH_DB_DIR (scripts/db's directory), if named.
inline std::optional<pid_t> mariadbd_pid() {
    const char* dir = std::getenv("PATRON_BENCH_DB_DIR");
    if (dir == nullptr) return std::nullopt;
    std::ifstream pid_file(std::string(dir) + "/mysqld.pid");
    pid_t pid = 0;
    if (pid_file >> pid && pid > 0) return pid;
    return std::nullopt;
}

}  // namespace patron::bench
