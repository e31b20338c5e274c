// A MariaDB server of the test's own (scripts/db in a temporary directory, durable commits), so
// that stopping, killing and starting it disturbs no other test.
#pragma once

#include <string>

#include "tests/support/patrond_process.h"

namespace patron::testing {

class OwnMariaDb {
  public:
    // Started, with an empty database `patron`; on its socket, and on this TCP port of 127.0.0.1
    // when one is given.
    explicit OwnMariaDb(int port = 0);
    ~OwnMariaDb();
    OwnMariaDb(const OwnMariaDb&) = delete;
    OwnMariaDb& operator=(const OwnMariaDb&) = delete;

    void start();                                    // Recovers what it holds after a crash.
    void stop();                                     // SIGTERM: a clean shutdown.
    void kill_hard();                                // SIGKILL: a crash, and waits until the process is gone.
    const std::string& url() const { return url_; }  // Of the database `patron`, by its socket.
    // Of the database `patron` through TCP at host:port (its own port, or a proxy's).
    std::string url_at(const std::string& host_port) const;

  private:
    TempDir dir_;
    int port_;
    std::string url_;
};

}  // namespace patron::testing
