#include "loyalty/store/access_store.h"

#include <soci/soci.h>

#include "loyalty/store/sql_time.h"

namespace patron::store {

void insert_staff_token(soci::session& sql, const crypto::Bytes& token_sha256, const StaffTokenRecord& token,
                        core::Timestamp now, std::optional<core::Timestamp> expires_at) {
    const std::string hash = crypto::to_hex(token_sha256);
    const std::string created = to_sql_time(now);
    const std::string expires = expires_at ? to_sql_time(*expires_at) : std::string{};
    soci::indicator expires_indicator = expires_at ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO staff_tokens (token_sha256, program_id, label, role, created_at, expires_at)"
           " VALUES (UNHEX(:hash), :program, :label, :role, :created, :expires)",
        soci::use(hash), soci::use(token.program_id), soci::use(token.label), soci::use(token.role), soci::use(created),
        soci::use(expires, expires_indicator);
}

std::optional<StaffTokenRecord> find_staff_token(soci::session& sql, const crypto::Bytes& token_sha256,
                                                 core::Timestamp now) {
    const std::string hash = crypto::to_hex(token_sha256);
    const std::string when = to_sql_time(now);
    StaffTokenRecord token;
    sql << "SELECT program_id, label, role FROM staff_tokens WHERE token_sha256 = UNHEX(:hash)"
           " AND (expires_at IS NULL OR expires_at > :now)",
        soci::into(token.program_id), soci::into(token.label), soci::into(token.role), soci::use(hash), soci::use(when);
    if (!sql.got_data()) return std::nullopt;
    return token;
}

bool remember_nonce(soci::session& sql, const std::string& key_id, const std::string& nonce, core::Timestamp now) {
    const std::string seen = to_sql_time(now);
    soci::statement statement = (sql.prepare << "INSERT IGNORE INTO pos_nonces (key_id, nonce, seen_at)"
                                                " VALUES (:key, :nonce, :seen)",
                                 soci::use(key_id), soci::use(nonce), soci::use(seen));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

long long purge_nonces(soci::session& sql, core::Timestamp before, int limit) {
    const std::string cutoff = to_sql_time(before);
    soci::statement statement = (sql.prepare << "DELETE FROM pos_nonces WHERE seen_at < :cutoff LIMIT :limit",
                                 soci::use(cutoff), soci::use(limit));
    statement.execute(true);
    return statement.get_affected_rows();
}

}  // namespace patron::store
