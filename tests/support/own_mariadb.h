// A MariaDB server of the test's own (scripts/db in a temporary directory, durable commits), so
// that stopping, killing and starting it disturbs no other test.
#pragma once

#include <functional>
#include <string>

#include "tests/support/patrond_process.h"

namespace patron::testing {

class OwnMariaDb {
  public:
    // Started, with an empty database `patron`; on its socket, and on this TCP port of 127.0.0.1
    // when one is given. extra_args go to mariadbd (kBinaryLog, say).
    explicit OwnMariaDb(int port = 0, std::string extra_args = "");
    // Started on a data directory `fill` writes (a restored backup, say), whose accounts are the
    // ones it brings: the user patron's password is given. No database is created.
    OwnMariaDb(const std::function<void(const std::string& data_dir)>& fill, const std::string& password,
               std::string extra_args = "");
    ~OwnMariaDb();
    OwnMariaDb(const OwnMariaDb&) = delete;
    OwnMariaDb& operator=(const OwnMariaDb&) = delete;

    void start();                                    // Recovers what it holds after a crash.
    void stop();                                     // SIGTERM: a clean shutdown.
    void kill_hard();                                // SIGKILL: a crash, and waits until the process is gone.
    const std::string& url() const { return url_; }  // Of the database `patron`, by its socket.
    // Of the database `patron` through TCP at host:port (its own port, or a proxy's).
    std::string url_at(const std::string& host_port) const;

    std::string data_dir() const { return dir_.path() + "/data"; }
    std::string password() const;  // The user patron's.

    // A binary log in ROW format, in the data directory (binlog.NNNNNN), for point-in-time recovery.
    static constexpr const char* kBinaryLog = "--log-bin=binlog --binlog-format=ROW --server-id=1";

  private:
    TempDir dir_;
    int port_;
    std::string extra_args_;
    std::string url_;
};

}  // namespace patron::testing
