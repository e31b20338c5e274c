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

}  // namespace

void run_statements(soci::session& sql, const std::string& statements) {
    MYSQL* connection = mysql_connection(sql);
    if (mysql_real_query(connection, statements.data(), statements.size()) != 0) throw_error(connection);
    for (;;) {
        // Writes give no result set; a statement that gives one has it read and dropped.
        if (MYSQL_RES* result = mysql_store_result(connection)) {
            mysql_free_result(result);
        } else if (mysql_field_count(connection) != 0) {
            throw_error(connection);
        }
        const int next = mysql_next_result(connection);
        if (next < 0) return;  // That was the last.
        if (next > 0) throw_error(connection);
    }
}

UnitWrites::UnitWrites(soci::session& sql, bool may_defer) : sql_(sql), outer_(t_unit), may_defer_(may_defer) {
    t_unit = this;
}

UnitWrites::~UnitWrites() { t_unit = outer_; }

void UnitWrites::commit() {
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
