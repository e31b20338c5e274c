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

// Members enrolled before a member could choose a primary card start with their oldest active one.
TEST(Migrations, MembersOfOldStartWithTheirOldestActiveCardAsPrimary) {
    testing::TestDatabase db(false);
    std::vector<Migration> before = all_migrations();
    std::erase_if(before, [](const Migration& migration) { return migration.version >= 22; });
    ASSERT_TRUE(apply_migrations(db.raw(), before).has_value());
    soci::session& sql = db.raw();
    sql << "INSERT INTO programs (id, code, name, currency, country_calling_code, language, card_prefix, created_at)"
           " VALUES (1, 'OLD', 'Old Club', 'IRR', '98', 'fa', '7001', '2026-01-01')";
    sql << "INSERT INTO members (id, program_id, status, created_at, updated_at) VALUES"
           " (1, 1, 'active', '2026-01-01', '2026-01-01'), (2, 1, 'active', '2026-01-01', '2026-01-01'),"
           " (3, 1, 'erased', '2026-01-01', '2026-01-01')";
    sql << "INSERT INTO cards (number, member_id, state, state_changed_at, created_at) VALUES"
           " ('7001000000000001', 1, 'replaced', '2026-01-01', '2026-01-01'),"
           " ('7001000000000009', 1, 'active', '2026-01-03', '2026-01-03'),"
           " ('7001000000000002', 1, 'active', '2026-01-02', '2026-01-02'),"
           " ('7001000000000003', 2, 'blocked', '2026-01-01', '2026-01-01'),"
           " ('7001000000000004', 3, 'closed', '2026-01-01', '2026-01-01')";
    ASSERT_TRUE(apply_migrations(sql, all_migrations()).has_value());
    std::vector<std::string> primaries;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT IFNULL(primary_card, '-') FROM members ORDER BY id");
    for (const soci::row& row : rows) primaries.push_back(row.get<std::string>(0));
    EXPECT_EQ(primaries, (std::vector<std::string>{"7001000000000002", "-", "-"}));
}

}  // namespace
}  // namespace patron::store
