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

#include <soci/mysql/soci-mysql.h>

#include <cstddef>
#include <string>
#include <vector>

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

// What one statement of run_each() did.
struct StatementOutcome {
    unsigned long long affected_rows = 0;  // Rows it changed (or, for one that gave rows, read).
    unsigned long long insert_id = 0;      // The AUTO_INCREMENT value of its first new row; 0 for none.
};

// The error of the statement of run_each() that failed: the server's number, and which it was.
class StatementError : public soci::mysql_soci_error {
  public:
    StatementError(const std::string& message, int number, std::size_t index)
        : soci::mysql_soci_error(message, number), index(index) {}
    std::size_t index;  // Into the statements given.
};

// Runs the statements in order and tells what each did: in one round trip inside a unit that may
// defer its writes (not on a Galera node: the first paragraph says why), else one by one. A
// statement may use what the one before it did (LAST_INSERT_ID() is that one's new row, however
// the statements travel). Throws StatementError at the first that fails; none after it runs.
// Statements are complete SQL text, as for write().
std::vector<StatementOutcome> run_each(soci::session& sql, const std::vector<std::string>& statements);

// Sends this session's unit's BEGIN now if it still owes it (Begin::kWithFirstStatements), for a
// unit whose first statement is a SOCI one.
void send_pending_begin(soci::session& sql);

// Database::execute's side of it: the thread's unit of work on this session while it lives.
class UnitWrites {
  public:
    // may_defer false (a Galera node): defer_writes() keeps nothing back.
    UnitWrites(soci::session& sql, bool may_defer);
    // begin_pending: the unit's BEGIN was not sent, and goes with the first statement that
    // run_each(), run_statements(), send_pending_begin() or a write() not deferred sends
    // (Database::transact_for with Begin::kWithFirstStatements, only where the unit may defer its
    // writes). A deferred write() sends nothing before the COMMIT, which refuses a unit that still
    // owes its BEGIN.
    UnitWrites(soci::session& sql, bool may_defer, bool begin_pending);
    ~UnitWrites();
    UnitWrites(const UnitWrites&) = delete;
    UnitWrites& operator=(const UnitWrites&) = delete;

    // Sends what was deferred, if anything, and COMMIT; without deferred writes, SOCI's commit.
    void commit();
    // For a unit inside an enclosing one: sends what was deferred with RELEASE SAVEPOINT.
    void release(const std::string& savepoint);

  private:
    // "BEGIN;\n" when this session's unit still owes its BEGIN (which the caller now sends), else "".
    static std::string take_pending_begin(soci::session& sql);

    friend void defer_writes(soci::session&);
    friend void write(soci::session&, std::string);
    friend std::vector<StatementOutcome> run_each(soci::session&, const std::vector<std::string>&);
    friend void run_statements(soci::session&, const std::string&);
    friend void send_pending_begin(soci::session&);

    soci::session& sql_;
    UnitWrites* outer_;
    bool may_defer_;
    bool deferring_ = false;
    bool begin_pending_ = false;
    std::string deferred_;
};

}  // namespace patron::store
