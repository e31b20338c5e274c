#include "loyalty/store/db/migrations.h"

#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "loyalty/store/access/audit_chain.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/pos/return_store.h"
#include "tests/support/test_database.h"
#include "tests/support/test_world.h"

namespace patron::store {
namespace {

std::vector<Migration> all_migrations() { return prepare_migrations(embedded_migrations()).value(); }

// Applies the migrations older than `version`, as a database an older release made has them.
bool apply_migrations_before(soci::session& sql, int version) {
    std::vector<Migration> before = all_migrations();
    std::erase_if(before, [&](const Migration& migration) { return migration.version >= version; });
    return apply_migrations(sql, before).has_value();
}

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

// patrond's own database user on a server set up with least privilege has no DDL (README.md, "Install
// on a server"): it starts on a current schema, and on an old one it is told to migrate first.
TEST(Migrations, AUserWithoutDdlRunsOnACurrentSchemaAndIsToldToMigrateAnOldOne) {
    testing::TestDatabase db(false);
    const std::string user = "dml_" + std::to_string(::getpid()) + "_" + std::to_string(::time(nullptr) % 100000);
    const std::string password = "dml-password-" + user;
    db.raw() << "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + password + "'";
    db.raw() << "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + db.name() + "`.* TO '" + user + "'@'localhost'";
    std::string url = db.url();  // mysql://USER:PASSWORD@localhost/DATABASE?socket=...
    url = "mysql://" + user + ":" + password + url.substr(url.find('@'));
    {
        soci::session dml(soci::mysql, soci_connection_string(url).value());
        const auto refused = apply_migrations(dml, all_migrations());
        ASSERT_FALSE(refused.has_value());
        EXPECT_NE(refused.error().message.find("may not change it (MariaDB 1142): run patronctl migrate as the "
                                               "migration user first"),
                  std::string::npos)
            << refused.error().message;
        long long tables = 0;
        db.raw() << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()",
            soci::into(tables);
        EXPECT_EQ(tables, 0) << "nothing half made";

        ASSERT_TRUE(apply_migrations(db.raw(), all_migrations()).has_value());  // The migration user.
        const auto current = apply_migrations(dml, all_migrations());
        ASSERT_TRUE(current.has_value()) << current.error().message;
        EXPECT_TRUE(current->applied.empty());
        EXPECT_TRUE(check_migrations_current(dml, all_migrations()).has_value());
    }
    db.raw() << "DROP USER '" + user + "'@'localhost'";
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

// The lock is a row, not GET_LOCK (which a Galera node keeps to itself): a run held by another
// process makes this one wait (UNAVAILABLE, patrond tries again), and a lease a killed process left
// behind ends by itself.
TEST(Migrations, OneProcessMigratesAtATimeAndALeaseLeftBehindRunsOut) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations(db.raw(), all_migrations()).has_value());
    soci::session& sql = db.raw();
    std::string holder = "x", until = "x";
    soci::indicator holder_known = soci::i_ok, until_known = soci::i_ok;
    sql << "SELECT holder, held_until FROM schema_migration_lock WHERE id = 1", soci::into(holder, holder_known),
        soci::into(until, until_known);
    EXPECT_EQ(holder_known, soci::i_null) << "a finished run lets the lock go";
    EXPECT_EQ(until_known, soci::i_null);

    std::vector<Migration> newer = all_migrations();
    newer.push_back(
        Migration{9999, "9999_future.sql", "CREATE TABLE future (id INT PRIMARY KEY)", std::string(64, 'a')});
    sql << "UPDATE schema_migration_lock SET holder = 'another-process', held_until = UTC_TIMESTAMP(6) + INTERVAL 1 "
           "MINUTE WHERE id = 1";
    const auto waiting = apply_migrations(sql, newer);
    ASSERT_FALSE(waiting.has_value());
    EXPECT_EQ(waiting.error().code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(db.count("schema_migrations"), static_cast<long long>(all_migrations().size())) << "nothing applied";

    sql << "UPDATE schema_migration_lock SET held_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = 1";
    const auto after = apply_migrations(sql, newer);
    ASSERT_TRUE(after.has_value()) << after.error().message;
    EXPECT_EQ(after->applied, std::vector<std::string>{"9999_future.sql"});
    EXPECT_TRUE(check_migrations_current(sql, newer).has_value());
}

TEST(Migrations, ReadinessOfADatabaseNeverMigratedIsNotReadyAndChangesNothing) {
    testing::TestDatabase db(false);
    const auto current = check_migrations_current(db.raw(), all_migrations());
    ASSERT_FALSE(current.has_value());
    EXPECT_EQ(current.error().code, core::ErrorCode::kUnavailable);
    long long tables = -1;
    db.raw() << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()", soci::into(tables);
    EXPECT_EQ(tables, 0) << "readiness creates no table";
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
    ASSERT_TRUE(apply_migrations_before(db.raw(), 22));
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

// Entries written before the audit log could be searched by member and staff user name the member
// a member entity is, a claimed purchase's and an assigned code's member, and the staff user whose
// name is the actor's when no other staff user of the programme has it and they existed by then.
TEST(Migrations, AuditEntriesOfOldNameTheirMemberAndStaffUserWhereTheDatabaseTells) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations_before(db.raw(), 38));
    soci::session& sql = db.raw();
    sql << "INSERT INTO programs (id, code, name, currency, country_calling_code, language, card_prefix, created_at)"
           " VALUES (1, 'OLD', 'Old Club', 'IRR', '98', 'fa', '7001', '2026-01-01')";
    sql << "INSERT INTO members (id, program_id, status, created_at, updated_at) VALUES"
           " (7, 1, 'active', '2026-01-01', '2026-01-01'), (8, 1, 'active', '2026-01-01', '2026-01-01')";
    sql << "INSERT INTO stores (id, program_id, code, name, currency, time_zone, created_at)"
           " VALUES (1, 1, 'S001', 'Main', 'IRR', 'Asia/Tehran', '2026-01-01')";
    sql << "INSERT INTO purchases (id, program_id, store_id, terminal, business_day, receipt, member_id, currency,"
           " total, pos_time, pos_offset_minutes, received_at, rule_set_version, points_earned, request_sha256,"
           " response_status, response_body) VALUES (30, 1, 1, 'T01', '2026-01-02', 'R1', 8, 'IRR', 1000,"
           " '2026-01-02', 210, '2026-01-02', 1, 0, REPEAT('x', 32), 201, '{}')";
    sql << "INSERT INTO coupon_campaigns (id, program_id, name, document, created_at, updated_at)"
           " VALUES (1, 1, 'Free coffee', '{}', '2026-01-01', '2026-01-01')";
    sql << "INSERT INTO coupon_codes (id, program_id, campaign_id, code, single_use, member_id, created_at)"
           " VALUES (40, 1, 1, 'COFFEE', TRUE, 7, '2026-01-01')";
    sql << "INSERT INTO staff_users (id, program_id, email, name, role, password_hash, created_at) VALUES"
           " (1, 1, 'sara@staff.example', 'Sara', 'support', 'x', '2026-01-01'),"
           " (2, 1, 'ali@staff.example', 'Ali', 'admin', 'x', '2026-01-01'),"
           " (3, 1, 'ali2@staff.example', 'Ali', 'admin', 'x', '2026-01-01'),"
           " (4, 1, 'reza@staff.example', 'Reza', 'admin', 'x', '2026-03-01')";
    sql << "INSERT INTO audit_log (id, program_id, actor, action, entity, entity_id, fields, created_at) VALUES"
           " (1, 1, 'Sara', 'points.adjust', 'member', 7, 'points_available', '2026-02-01'),"
           " (2, 1, 'Sara', 'purchase.claim', 'purchase', 30, 'member_id', '2026-02-01'),"
           " (3, 1, 'member', 'purchase.claim', 'purchase', 30, 'member_id', '2026-02-01'),"
           " (4, 1, 'Ali', 'coupon_code.assign', 'coupon_code', 40, 'member_id', '2026-02-01'),"
           " (5, 1, 'Reza', 'tiers.set', 'program', 1, 'tiers', '2026-02-01'),"
           " (6, 1, 'ops', 'store.register', 'store', 1, 'code,name,currency,time_zone', '2026-02-01')";
    ASSERT_TRUE(apply_migrations(sql, all_migrations()).has_value());
    std::vector<std::string> filled;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT CONCAT(id, ':', IFNULL(member_id, '-'), ':',"
                                                   " IFNULL(staff_user_id, '-')) FROM audit_log ORDER BY id");
    for (const soci::row& row : rows) filled.push_back(row.get<std::string>(0));
    // Ali is two staff users' name; Reza's account came after the entry; ops is a token's label.
    EXPECT_EQ(filled, (std::vector<std::string>{"1:7:1", "2:8:1", "3:8:-", "4:7:-", "5:-:-", "6:-:-"}));
}

// The consents members gave before their history was kept (migration 0044) start it, each at the
// time it was given or withdrawn; a consent never given or withdrawn has no entry.
TEST(Migrations, ConsentsOfOldStartTheirHistoryAtTheTimeTheyWereGiven) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations_before(db.raw(), 44));
    soci::session& sql = db.raw();
    sql << "INSERT INTO programs (id, code, name, currency, country_calling_code, language, card_prefix, created_at)"
           " VALUES (1, 'OLD', 'Old Club', 'IRR', '98', 'fa', '7001', '2026-01-01')";
    sql << "INSERT INTO members (id, program_id, status, created_at, updated_at) VALUES"
           " (1, 1, 'active', '2026-01-01', '2026-01-01'), (2, 1, 'active', '2026-01-01', '2026-01-01')";
    sql << "INSERT INTO member_consents (member_id, terms_version, terms_accepted_at, marketing_sms, marketing_sms_at,"
           " marketing_email, marketing_email_at) VALUES"
           " (1, '2026-01', '2026-01-01 10:00:00', 1, '2026-01-01 10:00:00', 0, '2026-02-01 09:00:00'),"
           " (2, NULL, NULL, 0, NULL, 0, NULL)";
    ASSERT_TRUE(apply_migrations(sql, all_migrations()).has_value());
    std::vector<std::string> history;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT CONCAT(member_id, ' ', consent, ' ', value, ' ',"
                                                   " DATE_FORMAT(changed_at, '%m-%d'), ' ', changed_by)"
                                                   " FROM member_consent_history ORDER BY id");
    for (const soci::row& row : rows) history.push_back(row.get<std::string>(0));
    EXPECT_EQ(history, (std::vector<std::string>{"1 marketing_sms granted 01-01 before history",
                                                 "1 terms 2026-01 01-01 before history",
                                                 "1 marketing_email not granted 02-01 before history"}));
}

// The points each line earned, by lot, kept in line_points before migration 0063, are copied onto
// their lines in the lots' order; a line that earned nothing keeps none. The table stays for the
// older patrond serving while the upgrade runs: what it writes there for a line without points of
// its own is read with the lines' own.
TEST(Migrations, LinePointsOfOldAreCopiedOntoTheirLinesAndAnOlderInstancesAreStillRead) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations_before(db.raw(), 63));
    soci::session& sql = db.raw();
    // The lines alone: the purchases and lots they name do not matter to the copy.
    sql << "SET SESSION foreign_key_checks = 0";
    sql << "INSERT INTO purchase_lines (purchase_id, line, sku, category, quantity_milli, unit_price, amount,"
           " discount) VALUES (7, 1, 'A', 'a', 1000, 100, 100, 0), (7, 2, 'B', 'b', 1000, 200, 200, 0),"
           " (7, 3, 'C', 'c', 1000, 300, 300, 0), (8, 1, 'A', 'a', 1000, 100, 100, 0)";
    sql << "INSERT INTO line_points (purchase_id, line, lot_id, points) VALUES"
           " (7, 1, 12, 10), (7, 2, 12, 20), (7, 2, 11, 5), (8, 1, 13, 1)";
    ASSERT_TRUE(apply_migrations(sql, all_migrations()).has_value());
    const auto points_of_lines = [&] {
        std::map<std::string, nlohmann::json> points;
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT CONCAT(purchase_id, ':', line), points FROM purchase_lines");
        for (const soci::row& row : rows) {
            points[row.get<std::string>(0)] = row.get_indicator(1) == soci::i_null
                                                  ? nlohmann::json()
                                                  : nlohmann::json::parse(row.get<std::string>(1));
        }
        return points;
    };
    const std::map<std::string, nlohmann::json> copied = points_of_lines();
    EXPECT_EQ(copied, (std::map<std::string, nlohmann::json>{
                          {"7:1", nlohmann::json::parse(R"([{"lot": 12, "points": 10}])")},
                          {"7:2", nlohmann::json::parse(R"([{"lot": 11, "points": 5}, {"lot": 12, "points": 20}])")},
                          {"7:3", nullptr},
                          {"8:1", nlohmann::json::parse(R"([{"lot": 13, "points": 1}])")}}));
    // Migrating again changes nothing (each statement may run again after a failure).
    sql << "DELETE FROM schema_migrations WHERE version = 63";
    ASSERT_TRUE(apply_migrations(sql, all_migrations()).has_value());
    EXPECT_EQ(points_of_lines(), copied);
    // An older instance credits line 3 in line_points; the lines' own points hide its copied rows.
    sql << "INSERT INTO line_points (purchase_id, line, lot_id, points) VALUES (7, 3, 14, 30)";
    sql << "SET SESSION foreign_key_checks = 1";
    std::vector<std::string> shares;
    for (const core::LotShare& share : line_points(sql, 7)) {
        shares.push_back(std::to_string(share.lot_id) + "/" + std::to_string(share.line) + "/" +
                         std::to_string(share.points));
    }
    EXPECT_EQ(shares, (std::vector<std::string>{"11/2/5", "12/1/10", "12/2/20", "14/3/30"}));
}

// The entries written before the log was chained (migration 0042) wait for patrond, which holds the
// keys, and then join their programme's chain in id order, before the entries written since.
TEST(Migrations, AuditEntriesOfOldAreSealedIntoTheChainsInTheirOrder) {
    testing::TestDatabase db(false);
    ASSERT_TRUE(apply_migrations_before(db.raw(), 42));
    soci::session& sql = db.raw();
    sql << "INSERT INTO programs (id, code, name, currency, country_calling_code, language, card_prefix, created_at)"
           " VALUES (1, 'OLD', 'Old Club', 'IRR', '98', 'fa', '7001', '2026-01-01'),"
           " (2, 'TWO', 'Other Club', 'IRR', '98', 'fa', '7002', '2026-01-01')";
    sql << "INSERT INTO audit_log (program_id, actor, action, entity, entity_id, member_id, fields, created_at)"
           " SELECT 1 + seq % 2, CONCAT('Staff ', seq), 'points.adjust', 'member', seq, seq, 'points_available',"
           " DATE_ADD('2026-02-01', INTERVAL seq SECOND) FROM seq_1_to_7";
    ASSERT_TRUE(apply_migrations(sql, all_migrations()).has_value());

    const crypto::KeyRing keys = testing::generated_key_ring();
    const crypto::ChainKey key(keys);
    const AuditChainReport waiting = verify_audit_chains(sql, key);
    EXPECT_EQ(waiting.legacy_unsealed, 7);
    EXPECT_TRUE(waiting.problems.empty());
    long long sealed = 0;
    while (const auto batch = seal_legacy_audit_entries(sql, key, 2)) sealed += *batch;
    EXPECT_EQ(sealed, 7);
    insert_audit(sql, keys,
                 {1, {"Sara", std::nullopt}, core::AuditAction::kPointsAdjust, "member", 9, "points_available"},
                 core::Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}});

    const AuditChainReport report = verify_audit_chains(sql, key);
    EXPECT_TRUE(report.problems.empty()) << report.problems.front();
    EXPECT_EQ(report.legacy_unsealed, 0);
    ASSERT_EQ(report.chains.size(), 2u);
    EXPECT_EQ(report.chains[0].links, 3 + 1) << "programme 1's entries 2, 4, 6, then the new one";
    EXPECT_EQ(report.chains[1].links, 4) << "programme 2's entries 1, 3, 5, 7";
    std::vector<long long> order;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(audit_id AS SIGNED) FROM audit_seals WHERE program_id = 2 ORDER BY seq");
    for (const soci::row& row : rows) order.push_back(row.get<long long>(0));
    EXPECT_EQ(order, (std::vector<long long>{1, 3, 5, 7}));
    EXPECT_FALSE(seal_legacy_audit_entries(sql, key).has_value()) << "nothing is left to seal";
}

}  // namespace
}  // namespace patron::store
