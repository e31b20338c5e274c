#include "loyalty/store/db/migrations.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "crypto/bytes.h"
#include "crypto/digest.h"
#include "loyalty/store/db/database_error.h"

namespace patron::store {
namespace {

using core::ErrorCode;
using core::fail;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(200) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

std::map<int, std::pair<std::string, std::string>> applied_migrations(soci::session& sql) {
    std::map<int, std::pair<std::string, std::string>> applied;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT version, name, checksum FROM schema_migrations");
    for (const soci::row& row : rows) {
        applied[row.get<int>(0)] = {row.get<std::string>(1), row.get<std::string>(2)};
    }
    return applied;
}

core::Result<void> check_recorded(const std::map<int, std::pair<std::string, std::string>>& applied,
                                  const std::vector<Migration>& migrations) {
    for (const Migration& migration : migrations) {
        const auto it = applied.find(migration.version);
        if (it != applied.end() && it->second.second != migration.checksum) {
            return fail(ErrorCode::kInternal,
                        "migration " + migration.name + " was changed after it was applied (checksum " +
                            it->second.second.substr(0, 12) + "... in the database, " +
                            migration.checksum.substr(0, 12) +
                            "... in this build); restore the file and put the change in a new migration");
        }
    }
    return {};
}

// The migration run's lock: a row every migrating process tries to take with one UPDATE. Not
// MariaDB's GET_LOCK, which a Galera node keeps to itself (two instances on two nodes would both
// get it): two UPDATEs of the row on two nodes are a conflict that certification settles, one
// commit wins and the other fails. A process killed while it holds the lock keeps it at most
// kLease past its last statement: each statement applied renews it. (A single statement that runs
// longer, an ALTER of a very large table, is for `patronctl migrate` alone: docs/cluster.md.)
constexpr const char* kCreateLockTable =
    "CREATE TABLE IF NOT EXISTS schema_migration_lock ("
    " id TINYINT NOT NULL PRIMARY KEY,"
    " holder CHAR(36) NULL,"
    " held_until DATETIME(6) NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
constexpr const char* kLease = "INTERVAL 2 MINUTE";

class MigrationLock {
  public:
    explicit MigrationLock(soci::session& sql) : sql_(sql) {
        sql_ << kCreateLockTable;
        sql_ << "INSERT IGNORE INTO schema_migration_lock (id) VALUES (1)";
        sql_ << "SELECT UUID()", soci::into(holder_);
        try {
            soci::statement take = (sql_.prepare << std::string("UPDATE schema_migration_lock SET holder = :h, "
                                                                "held_until = UTC_TIMESTAMP(6) + ") +
                                                        kLease +
                                                        " WHERE id = 1 AND (holder IS NULL OR held_until < "
                                                        "UTC_TIMESTAMP(6))",
                                    soci::use(holder_));
            take.execute(true);
            held_ = take.get_affected_rows() == 1;
        } catch (const soci::mysql_soci_error& error) {
            if (error.err_num_ != 1213) throw;  // Another node's process took it first.
        }
    }
    ~MigrationLock() {
        if (!held_) return;
        try {
            sql_ << "UPDATE schema_migration_lock SET holder = NULL, held_until = NULL WHERE id = 1 AND holder = :h",
                soci::use(holder_);
        } catch (const soci::soci_error&) {
            // The connection is gone; the lease ends by itself.
        }
    }
    void renew() {
        sql_ << std::string("UPDATE schema_migration_lock SET held_until = UTC_TIMESTAMP(6) + ") + kLease +
                    " WHERE id = 1 AND holder = :h",
            soci::use(holder_);
    }
    bool held() const { return held_; }

  private:
    soci::session& sql_;
    std::string holder_;
    bool held_ = false;
};

}  // namespace

core::Result<std::vector<Migration>> prepare_migrations(const std::vector<EmbeddedMigration>& files) {
    std::vector<Migration> migrations;
    for (const EmbeddedMigration& file : files) {
        int version = 0;
        const char* begin = file.file_name.data();
        const auto [end, error] = std::from_chars(begin, begin + file.file_name.size(), version);
        if (error != std::errc() || end - begin != 4 || *end != '_' || !file.file_name.ends_with(".sql")) {
            return fail(ErrorCode::kInternal, "migration file " + file.file_name + " is not named NNNN_name.sql");
        }
        migrations.push_back(
            Migration{version, file.file_name, file.sql, crypto::to_hex(crypto::sha256(crypto::as_bytes(file.sql)))});
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version) {
            return fail(ErrorCode::kInternal, "two migrations have version " + std::to_string(migrations[i].version));
        }
    }
    return migrations;
}

std::vector<std::string> split_sql_statements(std::string_view script) {
    std::vector<std::string> statements;
    std::string current;
    char quote = 0;
    for (std::size_t i = 0; i < script.size(); ++i) {
        const char c = script[i];
        if (quote != 0) {
            current += c;
            if (c == '\\' && i + 1 < script.size()) {
                current += script[++i];
            } else if (c == quote) {
                quote = 0;
            }
        } else if (c == '-' && script.substr(i, 3) == "-- ") {
            i = std::min(script.find('\n', i), script.size()) - 1;
        } else if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            current += c;
        } else if (c == ';') {
            statements.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    statements.push_back(current);
    std::erase_if(statements, [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; });
    return statements;
}

namespace {

// A user without DDL (patrond's, on a server set up with least privilege: README.md, "Install on a
// server") meeting a migration: 1142 table, 1044 database, 1227 privilege, 1143 column denied.
bool is_access_denied(const soci::mysql_soci_error& error) {
    return error.err_num_ == 1142 || error.err_num_ == 1044 || error.err_num_ == 1227 || error.err_num_ == 1143;
}

core::Result<MigrationReport> not_allowed(const std::vector<Migration>& migrations,
                                          const soci::mysql_soci_error& error) {
    return fail(ErrorCode::kInternal, "the schema needs migrations up to " + migrations.back().name +
                                          " and this database user may not change it (MariaDB " +
                                          std::to_string(error.err_num_) +
                                          "): run patronctl migrate as the migration user first");
}

}  // namespace

core::Result<MigrationReport> apply_migrations(soci::session& sql, const std::vector<Migration>& migrations) {
    // Nothing to apply (every start of every instance but the first after a release): no lock, no
    // schema change (on Galera even CREATE TABLE IF NOT EXISTS is one every node runs in turn).
    if (check_migrations_current(sql, migrations)) return MigrationReport{};
    std::optional<MigrationLock> lock;
    try {
        lock.emplace(sql);
        if (!lock->held()) return fail(ErrorCode::kUnavailable, "another process is migrating the database");
        sql << kCreateTable;
    } catch (const soci::mysql_soci_error& error) {
        if (!is_access_denied(error)) throw;
        return not_allowed(migrations, error);
    }
    const auto applied = applied_migrations(sql);
    if (auto recorded = check_recorded(applied, migrations); !recorded) return std::unexpected(recorded.error());

    MigrationReport report;
    for (const Migration& migration : migrations) {
        if (applied.contains(migration.version)) continue;
        const std::vector<std::string> statements = split_sql_statements(migration.sql);
        for (std::size_t i = 0; i < statements.size(); ++i) {
            try {
                sql << statements[i];
                lock->renew();
            } catch (const soci::soci_error& error) {
                // A connection lost, or a Galera node that stopped serving (1047), is the database's
                // state, not the migration's fault: Database answers UNAVAILABLE and patrond waits.
                const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error);
                if (error.get_error_category() == soci::soci_error::connection_error ||
                    (mysql != nullptr && mysql->err_num_ == 1047)) {
                    throw;
                }
                if (mysql != nullptr && is_access_denied(*mysql)) return not_allowed(migrations, *mysql);
                // By number and class only: the server's text can quote the rows a statement met.
                return fail(ErrorCode::kInternal, "migration " + migration.name + " failed at statement " +
                                                      std::to_string(i + 1) + ": " + database_error_class(error));
            }
        }
        sql << "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (:v, :n, :c, "
               "UTC_TIMESTAMP(6))",
            soci::use(migration.version), soci::use(migration.name), soci::use(migration.checksum);
        report.applied.push_back(migration.name);
    }
    return report;
}

core::Result<void> check_migrations_current(soci::session& sql, const std::vector<Migration>& migrations) {
    // Read only: readiness is asked every second or so, and on Galera even a CREATE TABLE IF NOT
    // EXISTS is a schema change every node runs in turn.
    long long tables = 0;
    sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
           "table_name = 'schema_migrations'",
        soci::into(tables);
    if (tables == 0) return fail(ErrorCode::kUnavailable, "the database is not migrated yet");
    const auto applied = applied_migrations(sql);
    if (auto recorded = check_recorded(applied, migrations); !recorded) return recorded;
    for (const Migration& migration : migrations) {
        if (!applied.contains(migration.version)) {
            return fail(ErrorCode::kUnavailable, "migration " + migration.name + " is not applied yet");
        }
    }
    return {};
}

}  // namespace patron::store
