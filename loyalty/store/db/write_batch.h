// Writes a unit of work sends with its COMMIT, in one round trip instead of one each.
//
// A transaction of Database::transact() may opt in with defer_writes(): from then on, the
// statements it hands to write() are kept, in order, and sent with the unit's COMMIT as one
// multi-statement query, which MariaDB runs statement by statement and stops at the first that
// fails (the COMMIT then never runs, the unit is rolled back and, for a deadlock, run again).
// Not on a Galera node: there a transaction another node's write set aborts between two
// statements of one query is rolled back and the query's next statements run outside it, each
// committed by itself (seen in scripts/cluster --test: a ledger entry inserted after its
// transfer was rolled back). On Galera every write goes at once, and COMMIT alone. Only
// a unit that never reads back what it wrote through write() may opt in: a deferred row is not
// there for the unit's own later statements. Everywhere else write() runs the statement at once.
//
// Statements given to write() are complete SQL text: integers of our own and texts escaped by
// sql_text(), never SOCI placeholders.
#pragma once

#include <string>

namespace soci {
class session;
}

namespace patron::store {

// This unit's write() statements wait for its COMMIT. Throws std::logic_error outside a unit of
// Database::transact() on this session.
void defer_writes(soci::session& sql);

// Runs the statement now, or with the unit's COMMIT when the unit deferred its writes.
void write(soci::session& sql, std::string statement);

// Runs statements separated by ';' in one round trip on a session whose connection takes several
// statements a query (Database's sessions do), reading every statement's outcome; throws
// soci::mysql_soci_error with the server's error number at the first that fails.
void run_statements(soci::session& sql, const std::string& statements);

// Database::execute's side of it: the thread's unit of work on this session while it lives.
class UnitWrites {
  public:
    // may_defer false (a Galera node): defer_writes() keeps nothing back.
    UnitWrites(soci::session& sql, bool may_defer);
    ~UnitWrites();
    UnitWrites(const UnitWrites&) = delete;
    UnitWrites& operator=(const UnitWrites&) = delete;

    // Sends what was deferred, if anything, and COMMIT; without deferred writes, SOCI's commit.
    void commit();
    // For a unit inside an enclosing one: sends what was deferred with RELEASE SAVEPOINT.
    void release(const std::string& savepoint);

  private:
    friend void defer_writes(soci::session&);
    friend void write(soci::session&, std::string);

    soci::session& sql_;
    UnitWrites* outer_;
    bool may_defer_;
    bool deferring_ = false;
    std::string deferred_;
};

}  // namespace patron::store
