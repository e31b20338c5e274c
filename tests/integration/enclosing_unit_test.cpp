// Units of work inside an enclosing one (store::Database::enclose), against a real MariaDB: they
// commit with it or not at all; a unit inside that fails is undone alone (its savepoint); a run()
// inside sees what the enclosing unit wrote and takes no other connection; and a real deadlock
// between two enclosing units, met inside a unit of each, runs the whole of the loser again.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "loyalty/store/db/write_batch.h"
#include "tests/support/test_database.h"

namespace patron {
namespace {

using core::ErrorCode;

class EnclosingUnit : public ::testing::Test {
  protected:
    void SetUp() override { db.raw() << "CREATE TABLE notes (id INT PRIMARY KEY, text VARCHAR(32) NOT NULL)"; }

    core::Result<void> insert(int id) {
        return db.database().transact([id](soci::session& sql) -> core::Result<void> {
            sql << "INSERT INTO notes (id, text) VALUES (:id, 'note')", soci::use(id);
            return {};
        });
    }

    std::vector<int> ids() {
        std::vector<int> found(64);
        db.raw() << "SELECT id FROM notes ORDER BY id", soci::into(found);
        return found;
    }

    testing::TestDatabase db;
};

TEST_F(EnclosingUnit, UnitsInsideCommitWithItOrNotAtAllAndAFailedOneIsUndoneAlone) {
    store::Database& database = db.database();
    ASSERT_TRUE(database.enclose([&](soci::session&) -> core::Result<void> {
        EXPECT_TRUE(insert(1));
        EXPECT_TRUE(insert(2));
        return {};
    }));
    EXPECT_EQ(ids(), (std::vector<int>{1, 2}));

    const auto failed = database.enclose([&](soci::session&) -> core::Result<void> {
        EXPECT_TRUE(insert(3));
        return core::fail(ErrorCode::kValidationFailed, "the enclosing unit fails");
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "the enclosing unit fails");
    EXPECT_EQ(ids(), (std::vector<int>{1, 2})) << "a unit inside commits with the enclosing one or not at all";

    ASSERT_TRUE(database.enclose([&](soci::session&) -> core::Result<void> {
        EXPECT_TRUE(insert(4));
        const auto refused = database.transact([](soci::session& sql) -> core::Result<void> {
            sql << "INSERT INTO notes (id, text) VALUES (5, 'refused')";
            return core::fail(ErrorCode::kValidationFailed, "refused");
        });
        EXPECT_EQ(refused.error().message, "refused");
        const auto duplicate = insert(4);  // MariaDB refuses it: an exception inside the unit.
        EXPECT_EQ(duplicate.error().code, ErrorCode::kInternal);
        EXPECT_EQ(duplicate.error().message, "database error: soci_error unknown, MariaDB 1062");
        EXPECT_TRUE(insert(6)) << "the enclosing transaction goes on after a unit inside failed";
        return {};
    }));
    EXPECT_EQ(ids(), (std::vector<int>{1, 2, 4, 6}));

    ASSERT_TRUE(database.enclose([&](soci::session&) -> core::Result<void> {
        EXPECT_TRUE(insert(7));
        const auto seen = database.run_for<long long>([](soci::session& sql) -> core::Result<long long> {
            long long count = 0;
            sql << "SELECT COUNT(*) FROM notes WHERE id = 7", soci::into(count);
            return count;
        });
        EXPECT_EQ(seen.value_or(-1), 1) << "a run() inside reads the enclosing unit's own writes";
        EXPECT_EQ(database.in_use(), 1U) << "and takes no other connection";
        return {};
    }));
    EXPECT_EQ(ids(), (std::vector<int>{1, 2, 4, 6, 7}));

    // Writes a unit inside defers go with its savepoint's release, or not at all.
    ASSERT_TRUE(database.enclose([&](soci::session&) -> core::Result<void> {
        EXPECT_TRUE(database.transact([](soci::session& sql) -> core::Result<void> {
            store::defer_writes(sql);
            store::write(sql, "INSERT INTO notes (id, text) VALUES (8, 'deferred')");
            return {};
        }));
        const auto undone = database.transact([](soci::session& sql) -> core::Result<void> {
            store::defer_writes(sql);
            store::write(sql, "INSERT INTO notes (id, text) VALUES (9, 'deferred')");
            return core::fail(ErrorCode::kValidationFailed, "refused");
        });
        EXPECT_FALSE(undone);
        const auto thrown = database.transact([](soci::session& sql) -> core::Result<void> {
            sql << "INSERT INTO notes (id, text) VALUES (10, 'then thrown')";
            throw std::runtime_error("a failure inside the unit");
        });
        EXPECT_EQ(thrown.error().message, "unit of work failed: std::runtime_error");
        return {};
    }));
    EXPECT_EQ(ids(), (std::vector<int>{1, 2, 4, 6, 7, 8})) << "the thrown unit's row is undone with it";
}

TEST_F(EnclosingUnit, ADeadlockMetInsideRunsTheWholeEnclosingUnitAgain) {
    db.raw() << "INSERT INTO notes (id, text) VALUES (1, 'one'), (2, 'two')";
    store::Database& database = db.database();
    std::atomic<int> runs{0};
    std::atomic<int> holding{0};  // How many first runs hold their first row.
    // Each locks its first row in a unit, waits (on its first run) until the other holds its
    // own, then updates the other's row in another unit: one of them is InnoDB's victim.
    const auto crossing = [&](int first, int second) {
        bool first_run = true;
        return database.enclose([&](soci::session&) -> core::Result<void> {
            ++runs;
            auto locked = database.transact([first](soci::session& sql) -> core::Result<void> {
                sql << "UPDATE notes SET text = CONCAT(text, '+') WHERE id = :id", soci::use(first);
                return {};
            });
            if (!locked) return locked;
            if (std::exchange(first_run, false)) {
                ++holding;
                for (int waited = 0; holding < 2 && waited < 500; ++waited) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
            }
            return database.transact([second](soci::session& sql) -> core::Result<void> {
                sql << "UPDATE notes SET text = CONCAT(text, '*') WHERE id = :id", soci::use(second);
                return {};
            });
        });
    };
    core::Result<void> a, b;
    std::thread one([&] { a = crossing(1, 2); });
    std::thread two([&] { b = crossing(2, 1); });
    one.join();
    two.join();
    EXPECT_TRUE(a) << a.error().message;
    EXPECT_TRUE(b) << b.error().message;
    EXPECT_EQ(runs, 3) << "the deadlock's victim ran once more, whole";
    const store::DatabaseCounters counters = database.counters();  // What /metrics shows.
    EXPECT_EQ(counters.deadlocks, 1u);
    EXPECT_EQ(counters.runs_again, 1u);
    EXPECT_EQ(counters.unavailable, 0u);
    EXPECT_EQ(counters.commits, 2u) << "two enclosing units committed; the units inside did not commit alone";
    EXPECT_EQ(counters.commits_within.back(), 2u) << "both within 2.5 s";
    EXPECT_GT(counters.commit_seconds, 0.0);
    std::vector<std::string> texts(2);
    db.raw() << "SELECT text FROM notes ORDER BY id", soci::into(texts);
    for (const std::string& text : texts) {
        // Each row marked once by each enclosing unit, in whichever order they committed.
        EXPECT_EQ(std::count(text.begin(), text.end(), '+'), 1) << text;
        EXPECT_EQ(std::count(text.begin(), text.end(), '*'), 1) << text;
    }
}

}  // namespace
}  // namespace patron
