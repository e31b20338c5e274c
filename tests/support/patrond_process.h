// Runs the real binaries for end-to-end tests: patronctl to create keys and seed the demo
// program, and patrond as a child process on a free port (port 0, read back from its port file).
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/build_paths.h"

namespace patron::testing {

// A temporary directory, removed with everything in it when this object dies.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string output;  // Standard output and error together.
};

// Starts a program with extra environment variables, its output and errors sent to output_path;
// its pid.
pid_t spawn_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
                    const std::string& output_path);

// Runs a program to completion with extra environment variables.
CommandResult run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment);

class PatrondProcess {
  public:
    // Starts patrond with these environment variables (PATRON_LISTEN and PATRON_PORT_FILE are
    // added) and waits until it serves, or throws with its log.
    PatrondProcess(std::map<std::string, std::string> environment, const std::string& work_dir);
    ~PatrondProcess();
    PatrondProcess(const PatrondProcess&) = delete;
    PatrondProcess& operator=(const PatrondProcess&) = delete;

    std::string url(const std::string& path) const;
    // Sends SIGTERM and waits; the exit status.
    int stop();
    // Sends SIGKILL (a crash: no chance to finish anything) and waits.
    void kill_hard();
    std::string log() const;
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::string log_path_;
};

// A database, keys and the demo program seeded by patronctl, ready for a patrond.
struct DemoSetup {
    explicit DemoSetup(const std::string& database_url);

    std::map<std::string, std::string> environment() const;
    // Where patrond's file notifier writes members' one-time codes, one JSON line each.
    std::string notifications_file() const { return dir.path() + "/notifications.jsonl"; }

    TempDir dir;
    std::string database_url;
    std::string keys_file;
    nlohmann::json demo;  // var/demo.json as patronctl wrote it.
};

}  // namespace patron::testing
