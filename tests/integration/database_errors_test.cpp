// What a failed unit of work tells its caller, against a real MariaDB: the failure's class and
// MariaDB's error number, never the server's text nor the statement's values (the message reaches
// patrond's log as an incident's detail); and nothing the unit of work wrote is kept.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "tests/support/test_database.h"

namespace patron {
namespace {

// A value as personal as any: a store that quoted a failed statement would quote it.
const std::string kPlanted = "Parvaneh Ghasemi 0912 345 6789";

class DatabaseErrors : public ::testing::Test {
  protected:
    void SetUp() override {
        db.raw() << "CREATE TABLE planted (id INT PRIMARY KEY, label VARCHAR(64) NOT NULL, code VARCHAR(8) NULL,"
                    " UNIQUE KEY uq_planted_label (label))";
        db.raw() << "INSERT INTO planted (id, label) VALUES (1, :label)", soci::use(kPlanted);
    }

    testing::TestDatabase db;
};

TEST_F(DatabaseErrors, AFailedUnitOfWorkIsReportedByClassAndNumberNeverWithTheValuesItSent) {
    struct Case {
        const char* name;
        std::function<void(soci::session&)> fail;
        const char* reported;
    };
    const std::vector<Case> cases = {
        {"a duplicate key",
         [](soci::session& sql) { sql << "INSERT INTO planted (id, label) VALUES (3, :label)", soci::use(kPlanted); },
         "database error: soci_error unknown, MariaDB 1062"},
        {"a value too long for its column",
         [](soci::session& sql) {
             sql << "INSERT INTO planted (id, label, code) VALUES (3, 'x', :code)", soci::use(kPlanted);
         },
         "database error: soci_error unknown, MariaDB 1406"},
        {"a statement MariaDB cannot parse",
         [](soci::session& sql) { sql << "INSERT INTO planted VALUES (3, :label", soci::use(kPlanted); },
         "database error: soci_error unknown, MariaDB 1064"},
        {"a JSON parse error, which quotes its input",
         [](soci::session&) {
             const nlohmann::json parsed = nlohmann::json::parse("{\"phone\": " + kPlanted + "}");
             ADD_FAILURE() << "parsed " << parsed.dump();
         },
         "unit of work failed: json parse_error 101"},
        {"a standard exception", [](soci::session&) { throw std::out_of_range("no member " + kPlanted); },
         "unit of work failed: std::out_of_range"},
    };
    for (const Case& c : cases) {
        const auto failed = db.database().transact([&](soci::session& sql) -> core::Result<void> {
            sql << "INSERT INTO planted (id, label) VALUES (2, 'written first')";
            c.fail(sql);
            return {};
        });
        ASSERT_FALSE(failed.has_value()) << c.name;
        EXPECT_EQ(failed.error().code, core::ErrorCode::kInternal) << c.name;
        EXPECT_EQ(failed.error().message, c.reported) << c.name;
        EXPECT_EQ(failed.error().message.find("0912"), std::string::npos) << c.name;
        EXPECT_EQ(db.count("planted"), 1) << c.name << ": nothing of the unit of work is kept";
    }
}

}  // namespace
}  // namespace patron
