#include "tests/support/patrond_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

#include "tests/support/personal_data_log.h"

namespace patron::testing {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> variables;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string text(*entry);
        const auto eq = text.find('=');
        if (eq != std::string::npos && !text.starts_with("PATRON_"))
            variables[text.substr(0, eq)] = text.substr(eq + 1);
    }
    for (const auto& [name, value] : extra) variables[name] = value;
    std::vector<std::string> list;
    for (const auto& [name, value] : variables) list.push_back(name + "=" + value);
    return list;
}

// Spawns argv with its output sent to output_path; the child's pid.
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
            const std::string& output_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    // Nothing else of the test's: a patrond left behind by a killed test must not hold the test
    // run's lock file (or any other descriptor) open and stall every later run.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const std::vector<std::string> variables = merged_environment(environment);
    std::vector<char*> env;
    for (const std::string& variable : variables) env.push_back(const_cast<char*>(variable.c_str()));
    env.push_back(nullptr);
    pid_t pid = -1;
    const int status = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (status != 0) throw std::runtime_error("cannot start " + argv[0]);
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

pid_t spawn_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
                    const std::string& output_path) {
    return spawn(argv, environment, output_path);
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "patron-e2e-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

CommandResult run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment) {
    TempDir dir;
    const std::string output = dir.path() + "/output";
    CommandResult result;
    result.exit_code = wait_exit(spawn(argv, environment, output));
    result.output = read_file(output);
    return result;
}

PatrondProcess::PatrondProcess(std::map<std::string, std::string> environment, const std::string& work_dir) {
    const std::string port_file = work_dir + "/patrond.port";
    log_path_ = work_dir + "/patrond.log";
    std::filesystem::remove(port_file);
    environment["PATRON_LISTEN"] = "127.0.0.1:0";
    environment["PATRON_PORT_FILE"] = port_file;
    pid_ = spawn({patrond_path()}, environment, log_path_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("patrond exited at start-up:\n" + log());
        }
        std::ifstream file(port_file);
        if (file >> port_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    throw std::runtime_error("patrond did not start in time:\n" + log());
}

PatrondProcess::~PatrondProcess() {
    if (pid_ > 0) stop();
}

std::string PatrondProcess::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

int PatrondProcess::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    const int status = wait_exit(pid_);
    pid_ = -1;
    keep_log(log_path_);
    return status;
}

void PatrondProcess::kill_hard() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    wait_exit(pid_);
    pid_ = -1;
    keep_log(log_path_);
}

std::string PatrondProcess::log() const { return read_file(log_path_); }

DemoSetup::DemoSetup(const std::string& url) : database_url(url), keys_file(dir.path() + "/keys.txt") {
    const auto keys = run_command({patronctl_path(), "keys", "init", keys_file}, {});
    if (keys.exit_code != 0) throw std::runtime_error("patronctl keys init: " + keys.output);
    const std::string demo_path = dir.path() + "/demo.json";
    auto environment_now = environment();
    const auto migrate = run_command({patronctl_path(), "migrate"}, environment_now);
    if (migrate.exit_code != 0) throw std::runtime_error("patronctl migrate: " + migrate.output);
    const auto seed = run_command({patronctl_path(), "demo", "seed", demo_path, "http://127.0.0.1"}, environment_now);
    if (seed.exit_code != 0) throw std::runtime_error("patronctl demo seed: " + seed.output);
    demo = nlohmann::json::parse(read_file(demo_path));
}

std::map<std::string, std::string> DemoSetup::environment() const {
    return {{"PATRON_DB_URL", database_url},
            {"PATRON_KEYS_FILE", keys_file},
            {"PATRON_THREADS", "2"},
            {"PATRON_DB_POOL", "4"},
            {"PATRON_WORKERS", "4"},
            {"PATRON_STARTUP_WAIT", "5"},
            {"PATRON_NOTIFY", "file:" + notifications_file()},
            // Webhook receivers in tests listen on loopback; retries come within a second.
            {"PATRON_WEBHOOK_PRIVATE_RECEIVERS", "yes"},
            {"PATRON_WEBHOOK_RETRY_FIRST_MS", "200"},
            {"PATRON_WEBHOOK_RETRY_LONGEST_MS", "1000"},
            // Tills are measured every second, not every minute.
            {"PATRON_FRAUD_SCAN", "1"}};
}

}  // namespace patron::testing
