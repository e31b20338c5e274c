#include "loyalty/store/db/write_batch.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <stdexcept>

#include "loyalty/store/db/sql_text.h"

namespace patron::store {
namespace {

// The unit of work this thread runs now (units run on their caller's thread, one at a time).
thread_local UnitWrites* t_unit = nullptr;

[[noreturn]] void throw_error(MYSQL* connection) {
    throw soci::mysql_soci_error(mysql_error(connection), static_cast<int>(mysql_errno(connection)));
}

// What the statement the connection answered last did; a statement that gives rows has them read
// and dropped.
StatementOutcome outcome_of(MYSQL* connection) {
    StatementOutcome outcome;
    if (MYSQL_RES* result = mysql_store_result(connection)) {
        outcome.affected_rows = mysql_num_rows(result);
        mysql_free_result(result);
        return outcome;
    }
    if (mysql_field_count(connection) != 0) throw_error(connection);
    outcome.affected_rows = mysql_affected_rows(connection);
    outcome.insert_id = mysql_insert_id(connection);
    return outcome;
}

// Sends the statements as one query and reads every statement's outcome, in order; a failure is
// thrown as the StatementError of its statement, counted from `first`.
std::vector<StatementOutcome> run_query(MYSQL* connection, const std::string& statements, std::size_t first = 0) {
    const auto fail = [&](std::size_t index) -> StatementError {
        return StatementError(mysql_error(connection), static_cast<int>(mysql_errno(connection)), index);
    };
    if (mysql_real_query(connection, statements.data(), statements.size()) != 0) throw fail(first);
    std::vector<StatementOutcome> outcomes;
    for (;;) {
        try {
            outcomes.push_back(outcome_of(connection));
        } catch (const soci::mysql_soci_error&) {
            throw fail(first + outcomes.size());
        }
        const int next = mysql_next_result(connection);
        if (next < 0) return outcomes;  // That was the last.
        if (next > 0) throw fail(first + outcomes.size());
    }
}

}  // namespace

std::string UnitWrites::take_pending_begin(soci::session& sql) {
    if (t_unit == nullptr || &t_unit->sql_ != &sql || !t_unit->begin_pending_) return {};
    t_unit->begin_pending_ = false;
    return "BEGIN;\n";
}

void run_statements(soci::session& sql, const std::string& statements) {
    run_query(mysql_connection(sql), UnitWrites::take_pending_begin(sql) + statements);
}

void send_pending_begin(soci::session& sql) {
    const std::string begin = UnitWrites::take_pending_begin(sql);
    if (!begin.empty()) run_query(mysql_connection(sql), begin);
}

std::vector<StatementOutcome> run_each(soci::session& sql, const std::vector<std::string>& statements) {
    MYSQL* connection = mysql_connection(sql);
    const std::string begin = UnitWrites::take_pending_begin(sql);
    if (statements.empty() && begin.empty()) return {};
    const bool together = t_unit != nullptr && &t_unit->sql_ == &sql && t_unit->may_defer_;
    std::vector<StatementOutcome> outcomes;
    if (!together) {
        if (!begin.empty()) run_query(connection, begin);
        for (const std::string& statement : statements) {
            outcomes.push_back(run_query(connection, statement, outcomes.size()).front());
        }
        return outcomes;
    }
    std::string query = begin;
    for (const std::string& statement : statements) query += statement + ";\n";
    // The BEGIN before them, when it goes too, is statement -1.
    try {
        outcomes = run_query(connection, query);
    } catch (const StatementError& error) {
        if (begin.empty()) throw;
        if (error.index == 0) throw soci::mysql_soci_error(error.get_error_message(), error.err_num_);
        throw StatementError(error.get_error_message(), error.err_num_, error.index - 1);
    }
    if (!begin.empty()) outcomes.erase(outcomes.begin());
    return outcomes;
}

UnitWrites::UnitWrites(soci::session& sql, bool may_defer) : UnitWrites(sql, may_defer, false) {}

UnitWrites::UnitWrites(soci::session& sql, bool may_defer, bool begin_pending)
    : sql_(sql), outer_(t_unit), may_defer_(may_defer), begin_pending_(begin_pending && may_defer) {
    t_unit = this;
}

UnitWrites::~UnitWrites() { t_unit = outer_; }

void UnitWrites::commit() {
    if (begin_pending_) {
        // Whatever the unit sent went through SOCI, each statement committed by itself.
        throw std::logic_error("a unit that begins with its first statement sent none through the store's runner");
    }
    if (deferred_.empty()) {
        sql_.commit();
        return;
    }
    deferred_ += "COMMIT";
    std::string statements = std::move(deferred_);
    deferred_.clear();
    run_statements(sql_, statements);
}

void UnitWrites::release(const std::string& savepoint) {
    std::string statements = std::move(deferred_);
    deferred_.clear();
    statements += "RELEASE SAVEPOINT " + savepoint;
    run_statements(sql_, statements);
}

void defer_writes(soci::session& sql) {
    if (t_unit == nullptr || &t_unit->sql_ != &sql) {
        throw std::logic_error("defer_writes outside a transaction of this session");
    }
    t_unit->deferring_ = t_unit->may_defer_;
}

void write(soci::session& sql, std::string statement) {
    if (t_unit != nullptr && t_unit->deferring_ && &t_unit->sql_ == &sql) {
        t_unit->deferred_ += statement;
        t_unit->deferred_ += ";\n";
        return;
    }
    run_statements(sql, statement);
}

}  // namespace patron::store
