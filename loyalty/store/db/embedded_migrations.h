// The migration files of migrations/, compiled into the binary at build time so that patrond
// and patronctl always carry exactly the schema they were built for.
#pragma once

#include <string>
#include <vector>

namespace patron::store {

struct EmbeddedMigration {
    std::string file_name;  // "0001_foundation.sql"
    std::string sql;
};

std::vector<EmbeddedMigration> embedded_migrations();

}  // namespace patron::store
