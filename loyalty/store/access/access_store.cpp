#include "loyalty/store/access/access_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"

namespace patron::store {

void insert_staff_token(soci::session& sql, const crypto::Bytes& token_sha256, const StaffTokenRecord& token,
                        core::Timestamp now, std::optional<core::Timestamp> expires_at) {
    const std::string hash = crypto::to_hex(token_sha256);
    const std::string created = to_sql_time(now);
    const std::string expires = expires_at ? to_sql_time(*expires_at) : std::string{};
    soci::indicator expires_indicator = expires_at ? soci::i_ok : soci::i_null;
    const long long user = token.staff_user_id.value_or(0);
    soci::indicator user_indicator = token.staff_user_id ? soci::i_ok : soci::i_null;
    const std::string role(token.role ? core::to_string(*token.role) : "");
    sql << "INSERT INTO staff_tokens (token_sha256, program_id, label, role, created_at, expires_at, staff_user_id)"
           " VALUES (UNHEX(:hash), :program, :label, :role, :created, :expires, :user)",
        soci::use(hash), soci::use(token.program_id), soci::use(token.label), soci::use(role), soci::use(created),
        soci::use(expires, expires_indicator), soci::use(user, user_indicator);
}

namespace {

// The rows of a token unexpired at `now` whose user, if any, is active (st the token, su its user: names no read
// that carries the check uses).
std::string live_staff_token(const crypto::Bytes& token_sha256, core::Timestamp now) {
    const std::string when = "'" + to_sql_time(now) + "'";  // Our own digits, as are the hash's.
    return " FROM staff_tokens st LEFT JOIN staff_users su ON su.id = st.staff_user_id WHERE st.token_sha256 = "
           "UNHEX('" +
           crypto::to_hex(token_sha256) + "') AND (st.expires_at IS NULL OR st.expires_at > " + when +
           ") AND (su.id IS NULL OR su.status = 'active')";
}

}  // namespace

std::optional<StaffTokenRecord> find_staff_token(soci::session& sql, const crypto::Bytes& token_sha256,
                                                 core::Timestamp now) {
    StaffTokenRecord token;
    std::string role;
    long long user = 0;
    sql << "SELECT st.program_id, COALESCE(su.name, st.label), COALESCE(su.role, st.role),"
           " IFNULL(CAST(st.staff_user_id AS SIGNED), 0)" +
               live_staff_token(token_sha256, now),
        soci::into(token.program_id), soci::into(token.label), soci::into(role), soci::into(user);
    if (!sql.got_data()) return std::nullopt;
    token.role = core::parse_staff_role(role);
    if (user != 0) token.staff_user_id = user;
    return token;
}

std::string staff_token_role_sql(const crypto::Bytes& token_sha256, core::Timestamp now) {
    return "(SELECT COALESCE(su.role, st.role)" + live_staff_token(token_sha256, now) + ")";
}

void delete_staff_token(soci::session& sql, const crypto::Bytes& token_sha256) {
    const std::string hash = crypto::to_hex(token_sha256);
    sql << "DELETE FROM staff_tokens WHERE token_sha256 = UNHEX(:hash)", soci::use(hash);
}

bool remember_nonce(soci::session& sql, const std::string& key_id, const std::string& nonce, core::Timestamp now) {
    const std::string seen = sql_text(sql, to_sql_time(now));
    // The key's state is read by the same statement: a revoked or expired key records nothing. Sent
    // through the store's runner, with the BEGIN of a unit that begins with it (write_batch.h).
    const auto outcomes = run_each(
        sql, {"INSERT IGNORE INTO pos_nonces (key_id, nonce, seen_at) SELECT k.key_id, " + sql_text(sql, nonce) + ", " +
              seen + " FROM terminal_keys k WHERE k.key_id = " + sql_text(sql, key_id) +
              " AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > " + seen + ")"});
    return outcomes.front().affected_rows == 1;
}

long long purge_nonces(soci::session& sql, core::Timestamp before, int limit) {
    const std::string cutoff = to_sql_time(before);
    soci::statement statement = (sql.prepare << "DELETE FROM pos_nonces WHERE seen_at < :cutoff LIMIT :limit",
                                 soci::use(cutoff), soci::use(limit));
    statement.execute(true);
    return statement.get_affected_rows();
}

}  // namespace patron::store
