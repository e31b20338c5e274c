#include "loyalty/store/insight/insight_rows.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {

crypto::Bytes bytes_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) != soci::i_ok) return {};
    return crypto::from_hex(row.get<std::string>(column)).value_or(crypto::Bytes{});
}

long long delete_refreshed_before(soci::session& sql, const char* table, long long program_id, core::Timestamp before,
                                  std::size_t limit) {
    const std::string at = to_sql_time(before);
    const long long count = static_cast<long long>(limit);
    soci::statement statement = (sql.prepare << "DELETE FROM " << table
                                             << " WHERE program_id = :program AND refreshed_at < :before LIMIT :count",
                                 soci::use(program_id), soci::use(at), soci::use(count));
    statement.execute(true);
    return statement.get_affected_rows();
}

}  // namespace patron::store
