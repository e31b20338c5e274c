#include "tests/support/test_database.h"

#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <cstdlib>
#include <stdexcept>

#include "crypto/secure_random.h"
#include "loyalty/store/db/migrations.h"
#include "tests/support/database_url.h"

namespace patron::testing {
namespace {

std::string base_url() {
    const char* url = std::getenv("PATRON_TEST_DB_URL");
    if (url == nullptr || *url == '\0') {
        throw std::runtime_error("PATRON_TEST_DB_URL is not set: run the tests through scripts/test");
    }
    return url;
}

}  // namespace

std::string database_url(const std::string& database) { return with_database(base_url(), database); }

TestDatabase::TestDatabase(bool migrate) {
    crypto::SystemRandom random;
    name_ = "t_" + random.token_hex(6);
    url_ = database_url(name_);
    {
        soci::session admin(soci::mysql, store::soci_connection_string(database_url("mysql")).value());
        admin << "CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
    }
    raw_ = std::make_unique<soci::session>(soci::mysql, store::soci_connection_string(url_).value());
    *raw_ << "SET SESSION time_zone = '+00:00'";
    database_ = std::make_unique<store::Database>(store::DatabaseSettings{url_, 8});
    if (migrate) {
        const auto migrations = store::prepare_migrations(store::embedded_migrations()).value();
        const auto report = store::apply_migrations(*raw_, migrations);
        if (!report) throw std::runtime_error("migrations failed: " + report.error().message);
    }
}

TestDatabase::~TestDatabase() {
    database_.reset();
    try {
        *raw_ << "DROP DATABASE IF EXISTS " + name_;
    } catch (const soci::soci_error& error) {
        ADD_FAILURE() << "could not drop " << name_ << ": " << error.what();
    }
}

soci::session& TestDatabase::raw() { return *raw_; }

long long TestDatabase::count(const std::string& table) {
    long long rows = 0;
    *raw_ << "SELECT COUNT(*) FROM " + table, soci::into(rows);
    return rows;
}

}  // namespace patron::testing
