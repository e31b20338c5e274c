#include "loyalty/store/db/migrations.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "tests/support/test_database.h"

namespace patron::store {
namespace {

std::vector<Migration> all_migrations() { return prepare_migrations(embedded_migrations()).value(); }

TEST(Migrations, BuildTheSchemaFromAnEmptyDatabase) {
    testing::TestDatabase db(false);
    const auto report = apply_migrations(db.raw(), all_migrations());
    ASSERT_TRUE(report.has_value()) << report.error().message;
    EXPECT_EQ(report->applied.size(), all_migrations().size());
    for (const char* table :
         {"programs", "stores", "terminals", "members", "member_lookups", "cards", "member_accounts", "purchases",
          "purchase_lines", "ledger_transfers", "ledger_entries", "rule_sets", "staff_tokens", "pos_nonces"}) {
        EXPECT_EQ(db.count(table), 0) << table;
    }
    EXPECT_EQ(db.count("schema_migrations"), static_cast<long long>(all_migrations().size()));
    EXPECT_TRUE(check_migrations_current(db.raw(), all_migrations()).has_value());
}

TEST(Migrations, RunningTwiceIsANoOp) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations(db.raw(), all_migrations()).has_value());
    const auto again = apply_migrations(db.raw(), all_migrations());
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->applied.empty());
}

TEST(Migrations, AnAppliedFileWhoseChecksumChangedStopsEverything) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations(db.raw(), all_migrations()).has_value());
    std::vector<Migration> edited = all_migrations();
    edited.front().sql += "\n-- edited after release\n";
    edited.front().checksum = std::string(64, 'f');
    const auto refused = apply_migrations(db.raw(), edited);
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message.find("0001_foundation.sql was changed after it was applied"), std::string::npos)
        << refused.error().message;
    EXPECT_FALSE(check_migrations_current(db.raw(), edited).has_value());
}

TEST(Migrations, ReadinessSeesAPendingMigration) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations(db.raw(), all_migrations()).has_value());
    std::vector<Migration> newer = all_migrations();
    newer.push_back(Migration{9999, "9999_future.sql", "CREATE TABLE future (id INT)", std::string(64, 'a')});
    const auto current = check_migrations_current(db.raw(), newer);
    ASSERT_FALSE(current.has_value());
    EXPECT_NE(current.error().message.find("9999_future.sql is not applied"), std::string::npos);
}

}  // namespace
}  // namespace patron::store
