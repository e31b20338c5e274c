// What the load benchmarks measure the same way: latency percentiles, and the statements MariaDB
// ran per request (its Com_* counters before and after the measured seconds).
#pragma once

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "bench/percentile.h"

namespace patron::bench {

using StatementCounts = std::map<std::string, long long>;

// The server's Com_* counters (select, insert, ..., begin, commit) that are not 0, by name
// without "Com_". Each call counts itself once as show_status.
inline StatementCounts statement_counts(soci::session& sql) {
    StatementCounts counts;
    soci::rowset<soci::row> rows = (sql.prepare << "SHOW GLOBAL STATUS LIKE 'Com\\_%'");
    for (const soci::row& row : rows) {
        const long long value = std::stoll(row.get<std::string>(1));
        if (value != 0) counts[row.get<std::string>(0).substr(4)] = value;
    }
    return counts;
}

// The statements run between two readings per request answered, by kind and in all; the
// readings' own SHOW GLOBAL STATUS is left out.
struct StatementsPerRequest {
    double all = 0;
    std::map<std::string, double> by_kind;
};

inline StatementsPerRequest statements_per_request(const StatementCounts& before, const StatementCounts& after,
                                                   double requests) {
    StatementsPerRequest per;
    requests = std::max(1.0, requests);
    for (const auto& [kind, count] : after) {
        const auto earlier = before.find(kind);
        const long long ran = count - (earlier == before.end() ? 0 : earlier->second) - (kind == "show_status" ? 1 : 0);
        if (ran <= 0) continue;
        per.by_kind[kind] = static_cast<double>(ran) / requests;
        per.all += static_cast<double>(ran) / requests;
    }
    return per;
}

}  // namespace patron::bench
