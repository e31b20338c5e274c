#include "loyalty/store/db/server_facts.h"

#include <soci/soci.h>

namespace patron::store {

ServerFacts read_server_facts(soci::session& sql) {
    ServerFacts facts;
    int binlog = 0;
    soci::indicator basename_known = soci::i_ok;
    sql << "SELECT @@datadir, @@version, @@log_bin, @@log_bin_basename", soci::into(facts.data_dir),
        soci::into(facts.version), soci::into(binlog), soci::into(facts.binlog_basename, basename_known);
    facts.binlog = binlog != 0;
    if (basename_known != soci::i_ok) facts.binlog_basename.clear();
    soci::indicator known = soci::i_ok;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(facts.schema_version, known);
    if (known != soci::i_ok) facts.schema_version = 0;
    return facts;
}

}  // namespace patron::store
