// Versioned schema migrations: files NNNN_description.sql applied in order and recorded in
// schema_migrations with their SHA-256. Applying twice is a no-op; a recorded file whose
// checksum changed stops everything with a clear message, because the schema it describes is
// no longer the one in the database. A named lock keeps two processes from migrating at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/store/db/embedded_migrations.h"

namespace soci {
class session;
}

namespace patron::store {

struct Migration {
    int version;
    std::string name;  // The file name.
    std::string sql;
    std::string checksum;  // Lowercase hex SHA-256 of the file.
};

// The migrations from embedded files, sorted by version; an error names a badly named file.
core::Result<std::vector<Migration>> prepare_migrations(const std::vector<EmbeddedMigration>& files);

// The statements of a SQL script, split at semicolons outside quotes and comments.
std::vector<std::string> split_sql_statements(std::string_view script);

struct MigrationReport {
    std::vector<std::string> applied;  // File names applied by this call, in order.
};

// Applies what is pending. Runs on a session in autocommit mode (MariaDB DDL is not transactional).
core::Result<MigrationReport> apply_migrations(soci::session& sql, const std::vector<Migration>& migrations);

// Success when every migration is applied with an unchanged checksum.
core::Result<void> check_migrations_current(soci::session& sql, const std::vector<Migration>& migrations);

}  // namespace patron::store
