// MariaDB's statement counters for the benchmarks that count statements per request.
#pragma once

#include <soci/soci.h>

#include <map>
#include <string>

namespace patron::bench {

// The server's Com_* counters (select, insert, ..., begin, commit) that are not 0, by name
// without "Com_". Each call counts itself once as show_status.
inline std::map<std::string, long long> statement_counts(soci::session& sql) {
    std::map<std::string, long long> counts;
    soci::rowset<soci::row> rows = (sql.prepare << "SHOW GLOBAL STATUS LIKE 'Com\\_%'");
    for (const soci::row& row : rows) {
        const long long value = std::stoll(row.get<std::string>(1));
        if (value != 0) counts[row.get<std::string>(0).substr(4)] = value;
    }
    return counts;
}

}  // namespace patron::bench
