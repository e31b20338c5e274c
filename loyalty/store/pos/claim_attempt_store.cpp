#include "loyalty/store/pos/claim_attempt_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {

void insert_failed_claim(soci::session& sql, long long member_id, core::Timestamp at) {
    const std::string when = to_sql_time(at);
    sql << "INSERT INTO member_claim_failures (member_id, failed_at) VALUES (:member, :at)", soci::use(member_id),
        soci::use(when);
}

long long count_failed_claims(soci::session& sql, long long member_id, core::Timestamp since) {
    const std::string from = to_sql_time(since);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM member_claim_failures WHERE member_id = :member AND failed_at >= :since",
        soci::use(member_id), soci::use(from), soci::into(count);
    return count;
}

long long forget_failed_claims(soci::session& sql, core::Timestamp before, int limit) {
    const std::string until = to_sql_time(before);
    soci::statement forget = (sql.prepare << "DELETE FROM member_claim_failures WHERE failed_at < :before LIMIT :limit",
                              soci::use(until), soci::use(limit));
    forget.execute(true);
    return static_cast<long long>(forget.get_affected_rows());
}

}  // namespace patron::store
