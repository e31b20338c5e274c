// Writes a unit of work defers to its COMMIT (store::defer_writes, store::write), against a real
// MariaDB: they land with the commit and only then, all or nothing with the rest of the unit, and a
// deadlock met by one of them runs the whole unit again.
#include "loyalty/store/db/write_batch.h"

#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "loyalty/store/db/database.h"
#include "tests/support/test_database.h"

namespace patron {
namespace {

class WriteBatch : public ::testing::Test {
  protected:
    void SetUp() override {
        db.raw() << "CREATE TABLE counted (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB";
        db.raw() << "INSERT INTO counted (id, n) VALUES (1, 0), (2, 0)";
    }

    long long value(int id) {
        long long n = -1;
        db.raw() << "SELECT n FROM counted WHERE id = :id", soci::into(n), soci::use(id);
        return n;
    }

    testing::TestDatabase db{false};
    // One session, so that every unit meets the session the one before it left behind.
    store::Database database{store::DatabaseSettings{db.url(), 1}};
};

long long count_in(soci::session& sql) {
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM counted", soci::into(rows);
    return rows;
}

TEST_F(WriteBatch, DeferredWritesLandWithTheCommitAndNotBefore) {
    long long seen_inside = -1;
    const auto done = database.transact([&](soci::session& sql) -> core::Result<void> {
        store::defer_writes(sql);
        store::write(sql, "INSERT INTO counted (id, n) VALUES (3, 7)");
        store::write(sql, "UPDATE counted SET n = n + 1 WHERE id = 3");
        seen_inside = count_in(sql);
        return {};
    });
    ASSERT_TRUE(done.has_value()) << done.error().message;
    EXPECT_EQ(seen_inside, 2) << "a deferred row is not there for the unit's own reads";
    EXPECT_EQ(db.count("counted"), 3);
    EXPECT_EQ(value(3), 8) << "deferred writes run in the order they were given";
}

TEST_F(WriteBatch, WithoutDeferringAWriteRunsAtOnce) {
    long long seen_inside = -1;
    const auto done = database.transact([&](soci::session& sql) -> core::Result<void> {
        store::write(sql, "INSERT INTO counted (id, n) VALUES (3, 7)");
        seen_inside = count_in(sql);
        return {};
    });
    ASSERT_TRUE(done.has_value()) << done.error().message;
    EXPECT_EQ(seen_inside, 3);
    EXPECT_EQ(db.count("counted"), 3);
}

TEST_F(WriteBatch, AFailingDeferredWriteUndoesTheWholeUnitAndTheSessionServesTheNext) {
    const auto failed = database.transact([&](soci::session& sql) -> core::Result<void> {
        sql << "UPDATE counted SET n = 5 WHERE id = 1";  // At once.
        store::defer_writes(sql);
        store::write(sql, "INSERT INTO counted (id, n) VALUES (3, 1)");
        store::write(sql, "INSERT INTO counted (id, n) VALUES (2, 1)");  // A duplicate key.
        store::write(sql, "INSERT INTO counted (id, n) VALUES (4, 1)");  // Never runs.
        return {};
    });
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, core::ErrorCode::kInternal);
    EXPECT_EQ(failed.error().message, "database error: soci_error unknown, MariaDB 1062");
    EXPECT_EQ(db.count("counted"), 2);
    EXPECT_EQ(value(1), 0) << "the unit's write made at once was rolled back with it";

    const auto next = database.transact([&](soci::session& sql) -> core::Result<void> {
        store::defer_writes(sql);
        store::write(sql, "UPDATE counted SET n = n + 1 WHERE id = 2");
        return {};
    });
    ASSERT_TRUE(next.has_value()) << next.error().message;
    EXPECT_EQ(value(2), 1);
    EXPECT_EQ(db.count("counted"), 2) << "nothing of the failed unit came back with the next";
}

TEST_F(WriteBatch, AUnitThatRefusesAfterDeferringSendsNothing) {
    const auto refused = database.transact([&](soci::session& sql) -> core::Result<void> {
        store::defer_writes(sql);
        store::write(sql, "INSERT INTO counted (id, n) VALUES (3, 1)");
        return core::fail(core::ErrorCode::kValidationFailed, "no");
    });
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidationFailed);
    EXPECT_EQ(db.count("counted"), 2);
}

TEST_F(WriteBatch, OnlyAUnitInATransactionMayDefer) {
    const auto refused = database.run([&](soci::session& sql) -> core::Result<void> {
        store::defer_writes(sql);
        return {};
    });
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().message, "unit of work failed: std::logic_error");
}

TEST_F(WriteBatch, RunEachTellsWhatEachStatementDidAndALaterOneNamesTheRowAnEarlierOneMade) {
    db.raw() << "CREATE TABLE made (id INT AUTO_INCREMENT PRIMARY KEY, parent INT NULL) ENGINE=InnoDB";
    std::vector<store::StatementOutcome> outcomes;
    const auto done = database.transact([&](soci::session& sql) -> core::Result<void> {
        outcomes = store::run_each(
            sql, {"INSERT INTO made (parent) VALUES (NULL)", "INSERT INTO made (parent) VALUES (LAST_INSERT_ID())",
                  "UPDATE counted SET n = n + 1", "SELECT id FROM made"});
        return {};
    });
    ASSERT_TRUE(done.has_value()) << done.error().message;
    ASSERT_EQ(outcomes.size(), 4u);
    EXPECT_GT(outcomes[0].insert_id, 0u);
    EXPECT_GT(outcomes[1].insert_id, outcomes[0].insert_id);
    EXPECT_EQ(outcomes[1].affected_rows, 1u);
    EXPECT_EQ(outcomes[2].insert_id, 0u) << "an UPDATE makes no row";
    EXPECT_EQ(outcomes[2].affected_rows, 2u);
    EXPECT_EQ(outcomes[3].affected_rows, 2u) << "a statement that gives rows tells how many";
    long long parent = 0;
    db.raw() << "SELECT parent FROM made WHERE id = :id", soci::into(parent),
        soci::use(static_cast<long long>(outcomes[1].insert_id));
    EXPECT_EQ(parent, static_cast<long long>(outcomes[0].insert_id));
    EXPECT_EQ(value(1), 1);
}

TEST_F(WriteBatch, RunEachStopsAtTheFirstStatementThatFails) {
    long long seen_inside = -1;
    int error = 0;
    std::size_t failed_at = 9;
    const auto failed = database.transact([&](soci::session& sql) -> core::Result<void> {
        try {
            store::run_each(sql, {"INSERT INTO counted (id, n) VALUES (3, 1)",
                                  "INSERT INTO counted (id, n) VALUES (2, 1)",  // A duplicate key.
                                  "INSERT INTO counted (id, n) VALUES (4, 1)"});
        } catch (const store::StatementError& e) {
            error = e.err_num_;
            failed_at = e.index;
        }
        seen_inside = count_in(sql);
        return core::fail(core::ErrorCode::kValidationFailed, "no");
    });
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(error, 1062);
    EXPECT_EQ(failed_at, 1u) << "the second statement, counted from 0";
    EXPECT_EQ(seen_inside, 3) << "the statement before the failing one ran, the one after it did not";
    EXPECT_EQ(db.count("counted"), 2);
}

TEST_F(WriteBatch, AUnitThatBeginsWithItsFirstStatementsHasThemInItsTransaction) {
    const auto refused = database.transact_for<int>(
        [&](soci::session& sql) -> core::Result<int> {
            store::run_each(sql, {"UPDATE counted SET n = 5 WHERE id = 1"});
            sql << "UPDATE counted SET n = 6 WHERE id = 2";
            return core::fail(core::ErrorCode::kValidationFailed, "no");
        },
        store::Begin::kWithFirstStatements);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(value(1), 0) << "the first statement went with the BEGIN, and was rolled back with the unit";
    EXPECT_EQ(value(2), 0);

    const auto done = database.transact_for<int>(
        [&](soci::session& sql) -> core::Result<int> {
            store::defer_writes(sql);
            store::send_pending_begin(sql);
            sql << "UPDATE counted SET n = 7 WHERE id = 1";
            store::write(sql, "UPDATE counted SET n = 8 WHERE id = 2");
            return 1;
        },
        store::Begin::kWithFirstStatements);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    EXPECT_EQ(value(1), 7);
    EXPECT_EQ(value(2), 8);

    std::size_t failed_at = 9;
    const auto failed = database.transact_for<int>(
        [&](soci::session& sql) -> core::Result<int> {
            try {
                store::run_each(sql, {"INSERT INTO counted (id, n) VALUES (3, 1)",
                                      "INSERT INTO counted (id, n) VALUES (1, 1)"});  // A duplicate key.
            } catch (const store::StatementError& e) {
                failed_at = e.index;
            }
            return core::fail(core::ErrorCode::kValidationFailed, "no");
        },
        store::Begin::kWithFirstStatements);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed_at, 1u) << "counted among the unit's statements, not after its BEGIN";
    EXPECT_EQ(db.count("counted"), 2);
}

TEST_F(WriteBatch, AUnitThatShouldBeginWithItsFirstStatementsButSendsASociOneFirstFailsAtItsCommit) {
    const auto failed = database.transact_for<int>(
        [&](soci::session& sql) -> core::Result<int> {
            sql << "UPDATE counted SET n = 5 WHERE id = 1";
            return 1;
        },
        store::Begin::kWithFirstStatements);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().message, "unit of work failed: std::logic_error");
    // What the guard cannot undo, and why such a unit must send its first statement through the store's runner.
    EXPECT_EQ(value(1), 5) << "the statement ran outside any transaction";
}

TEST_F(WriteBatch, ADeadlockMetByADeferredWriteRunsTheUnitAgainAndItCountsOnce) {
    // The other transaction holds row 2 and is heavier (InnoDB rolls back the lighter of two).
    soci::session& other = db.raw();
    other << "CREATE TABLE heavy (id INT PRIMARY KEY) ENGINE=InnoDB";
    other.begin();
    other << "INSERT INTO heavy (id) SELECT seq FROM seq_1_to_200";
    other << "UPDATE counted SET n = n + 10 WHERE id = 2";

    std::atomic<int> attempts = 0;
    core::Result<void> outcome;
    std::thread unit([&] {
        outcome = database.transact([&](soci::session& sql) -> core::Result<void> {
            ++attempts;
            store::defer_writes(sql);
            sql << "UPDATE counted SET n = n + 1 WHERE id = 1";              // Row 1 locked at once,
            store::write(sql, "UPDATE counted SET n = n + 1 WHERE id = 2");  // row 2 waited for at COMMIT.
            return {};
        });
    });
    soci::session watcher(soci::mysql, *store::soci_connection_string(db.url()));
    long long waiting = 0;
    for (int i = 0; i < 1000 && waiting == 0; ++i) {
        // The batch is in the process list for as long as its UPDATE waits for row 2's lock.
        watcher << "SELECT COUNT(*) FROM information_schema.processlist WHERE command = 'Query'"
                   " AND info LIKE 'UPDATE counted SET n = n + 1 WHERE id = 2%'",
            soci::into(waiting);
        if (waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(waiting, 1) << "the unit's COMMIT never waited for row 2";
    bool other_lost = false;
    try {
        if (waiting == 1) other << "UPDATE counted SET n = n + 10 WHERE id = 1";  // The deadlock: the unit loses.
        other.commit();
    } catch (const soci::soci_error&) {
        other_lost = true;  // InnoDB chose the heavier transaction after all.
        other.rollback();
    }
    unit.join();
    ASSERT_FALSE(other_lost) << "InnoDB rolled back the heavier transaction, not the unit";

    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(attempts.load(), 2);
    EXPECT_EQ(value(1), 11);
    EXPECT_EQ(value(2), 11);
    EXPECT_EQ(db.count("heavy"), 200);
}

}  // namespace
}  // namespace patron
