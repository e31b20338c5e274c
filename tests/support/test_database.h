// A fresh MariaDB database for one test, on the server scripts/test starts (PATRON_TEST_DB_URL),
// built from the same migration files that patrond applies, and dropped when the test ends.
#pragma once

#include <memory>
#include <string>

#include "loyalty/store/db/database.h"

namespace soci {
class session;
}

namespace patron::testing {

// PATRON_TEST_DB_URL with its database name replaced.
std::string database_url(const std::string& database);

class TestDatabase {
  public:
    explicit TestDatabase(bool migrate = true);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& name() const { return name_; }
    const std::string& url() const { return url_; }
    store::Database& database() { return *database_; }
    // A session of its own for raw checks and set-up that the application never does.
    soci::session& raw();
    long long count(const std::string& table);

  private:
    std::string name_;
    std::string url_;
    std::unique_ptr<soci::session> raw_;
    std::unique_ptr<store::Database> database_;
};

}  // namespace patron::testing
