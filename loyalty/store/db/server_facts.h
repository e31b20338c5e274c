// What the database server tells about itself, for a backup: where its data lies, its version,
// whether and where it keeps a binary log, and the schema version Patron's migrations reached.
#pragma once

#include <string>

namespace soci {
class session;
}

namespace patron::store {

struct ServerFacts {
    std::string data_dir;
    std::string version;
    bool binlog = false;
    std::string binlog_basename;  // Empty without a binary log.
    long long schema_version = 0;
};

ServerFacts read_server_facts(soci::session& sql);

}  // namespace patron::store
