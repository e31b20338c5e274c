// A MariaDB server of the test's own (scripts/db in a temporary directory, durable commits), so
// that stopping, killing and starting it disturbs no other test.
#pragma once

#include <string>

#include "tests/support/patrond_process.h"

namespace patron::testing {

class OwnMariaDb {
  public:
    OwnMariaDb();  // Started, with an empty database `patron`.
    ~OwnMariaDb();
    OwnMariaDb(const OwnMariaDb&) = delete;
    OwnMariaDb& operator=(const OwnMariaDb&) = delete;

    void start();                                    // Recovers what it holds after a crash.
    void stop();                                     // SIGTERM: a clean shutdown.
    void kill_hard();                                // SIGKILL: a crash, and waits until the process is gone.
    const std::string& url() const { return url_; }  // Of the database `patron`.

  private:
    TempDir dir_;
    std::string url_;
};

}  // namespace patron::testing
