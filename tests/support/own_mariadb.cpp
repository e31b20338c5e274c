#include "tests/support/own_mariadb.h"

#include <signal.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "loyalty/store/db/database.h"

namespace patron::testing {
namespace {

std::string script() { return source_dir() + "/scripts/db"; }

std::string trimmed(std::string text) {
    text.erase(text.find_last_not_of(" \n\r\t") + 1);
    return text;
}

}  // namespace

OwnMariaDb::OwnMariaDb(int port, std::string extra_args) : port_(port), extra_args_(std::move(extra_args)) {
    start();
    url_ = trimmed(run_command({"/bin/bash", script(), "url", dir_.path(), "patron"}, {}).output);
    soci::session admin(soci::mysql,
                        store::soci_connection_string(
                            trimmed(run_command({"/bin/bash", script(), "url", dir_.path(), "mysql"}, {}).output))
                            .value());
    admin << "CREATE DATABASE patron CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
}

OwnMariaDb::OwnMariaDb(const std::function<void(const std::string&)>& fill, const std::string& password,
                       std::string extra_args)
    : port_(0), extra_args_(std::move(extra_args)) {
    fill(data_dir());
    {
        std::ofstream file(dir_.path() + "/password");
        file << password << "\n";
    }
    std::filesystem::permissions(dir_.path() + "/password",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    start();
    url_ = trimmed(run_command({"/bin/bash", script(), "url", dir_.path(), "patron"}, {}).output);
}

OwnMariaDb::~OwnMariaDb() { stop(); }

std::string OwnMariaDb::password() const {
    std::string password;
    std::ifstream(dir_.path() + "/password") >> password;
    return password;
}

void OwnMariaDb::start() {
    // Durable whatever the suite's own server runs with: a crash must lose nothing committed.
    const auto started = run_command(
        port_ > 0 ? std::vector<std::string>{"/bin/bash", script(), "start", dir_.path(), std::to_string(port_)}
                  : std::vector<std::string>{"/bin/bash", script(), "start", dir_.path()},
        {{"PATRON_DB_EXTRA_ARGS", "--innodb-flush-log-at-trx-commit=1 --innodb-buffer-pool-size=64M " + extra_args_}});
    if (started.exit_code != 0) {
        // scripts/db sends mariadb-install-db's words to install.log and the server's to error.log.
        const auto tail = [this](const std::string& name) {
            std::ifstream file(dir_.path() + "/" + name);
            const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
            return name + ": " + text.substr(text.size() > 2000 ? text.size() - 2000 : 0) + "\n";
        };
        throw std::runtime_error("MariaDB did not start (exit " + std::to_string(started.exit_code) +
                                 "): " + started.output + "\n" + tail("install.log") + tail("error.log"));
    }
}

std::string OwnMariaDb::url_at(const std::string& host_port) const {
    return "mysql://patron:" + password() + "@" + host_port + "/patron";
}

void OwnMariaDb::stop() { run_command({"/bin/bash", script(), "stop", dir_.path()}, {}); }

void OwnMariaDb::kill_hard() {
    const std::string pid_file = dir_.path() + "/mysqld.pid";
    pid_t pid = 0;
    std::ifstream(pid_file) >> pid;
    if (pid <= 0 || kill(pid, SIGKILL) != 0) return;
    // Gone, or a zombie waiting for whoever adopted it: either way it serves no more.
    const auto gone = [pid] {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string skip, state;
        return !(stat >> skip >> skip >> state) || state == "Z";
    };
    for (int waited = 0; waited < 1000 && !gone(); ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // scripts/db takes a pid file whose process answers kill -0 for a running server.
    std::filesystem::remove(pid_file);
}

}  // namespace patron::testing
