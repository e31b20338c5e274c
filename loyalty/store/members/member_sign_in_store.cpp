#include "loyalty/store/members/member_sign_in_store.h"

#include <soci/soci.h>

#include "loyalty/core/member_status.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {

std::optional<MemberCredentials> find_member_credentials(soci::session& sql, long long member_id) {
    MemberCredentials credentials;
    sql << "SELECT password_hash FROM member_credentials WHERE member_id = :member",
        soci::into(credentials.password_hash), soci::use(member_id);
    if (!sql.got_data()) return std::nullopt;
    credentials.member_id = member_id;
    return credentials;
}

void save_member_password(soci::session& sql, long long member_id, const std::string& password_hash,
                          core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "INSERT INTO member_credentials (member_id, password_hash, updated_at) VALUES (:member, :hash, :at)"
           " ON DUPLICATE KEY UPDATE password_hash = VALUES(password_hash), updated_at = VALUES(updated_at)",
        soci::use(member_id), soci::use(password_hash), soci::use(at);
}

void insert_member_code(soci::session& sql, const MemberCodeRecord& code, core::Timestamp now,
                        core::Timestamp expires_at) {
    const std::string at = to_sql_time(now);
    const std::string until = to_sql_time(expires_at);
    const std::string mac = crypto::to_hex(code.code_mac);
    sql << "UPDATE member_codes SET used_at = :at WHERE member_id = :member AND used_at IS NULL", soci::use(at),
        soci::use(code.member_id);
    sql << "INSERT INTO member_codes (member_id, purpose, code_mac, created_at, expires_at)"
           " VALUES (:member, :purpose, UNHEX(:mac), :at, :until)",
        soci::use(code.member_id), soci::use(code.purpose), soci::use(mac), soci::use(at), soci::use(until);
}

int member_codes_since(soci::session& sql, long long member_id, core::Timestamp since) {
    const std::string from = to_sql_time(since);
    int count = 0;
    sql << "SELECT COUNT(*) FROM member_codes WHERE member_id = :member AND created_at >= :since", soci::into(count),
        soci::use(member_id), soci::use(from);
    return count;
}

std::optional<MemberCodeRecord> live_member_code(soci::session& sql, long long member_id, int attempts_max,
                                                 core::Timestamp now) {
    const std::string at = to_sql_time(now);
    MemberCodeRecord code;
    std::string mac;
    sql << "SELECT CAST(id AS SIGNED), purpose, HEX(code_mac), attempts FROM member_codes"
           " WHERE member_id = :member AND used_at IS NULL AND expires_at > :now AND attempts < :max"
           " ORDER BY id DESC LIMIT 1 FOR UPDATE",
        soci::into(code.id), soci::into(code.purpose), soci::into(mac), soci::into(code.attempts), soci::use(member_id),
        soci::use(at), soci::use(attempts_max);
    if (!sql.got_data()) return std::nullopt;
    code.member_id = member_id;
    code.code_mac = crypto::from_hex(mac).value_or(crypto::Bytes{});
    return code;
}

void count_member_code_attempt(soci::session& sql, long long code_id) {
    sql << "UPDATE member_codes SET attempts = attempts + 1 WHERE id = :id", soci::use(code_id);
}

void use_member_code(soci::session& sql, long long code_id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE member_codes SET used_at = :at WHERE id = :id", soci::use(at), soci::use(code_id);
}

void insert_member_token(soci::session& sql, const crypto::Bytes& token_sha256, const MemberTokenRecord& token,
                         core::Timestamp now, core::Timestamp expires_at) {
    const std::string hash = crypto::to_hex(token_sha256);
    const std::string at = to_sql_time(now);
    const std::string until = to_sql_time(expires_at);
    sql << "INSERT INTO member_tokens (token_sha256, member_id, program_id, created_at, expires_at)"
           " VALUES (UNHEX(:hash), :member, :program, :at, :until)",
        soci::use(hash), soci::use(token.member_id), soci::use(token.program_id), soci::use(at), soci::use(until);
}

namespace {

// The rows of a token unexpired at `now` whose member is active (mt the token, tm its member: names no
// read that carries the check uses).
std::string live_member_token(const crypto::Bytes& token_sha256, core::Timestamp now) {
    // Our own digits, as are the hash's.
    return " FROM member_tokens mt JOIN members tm ON tm.id = mt.member_id WHERE mt.token_sha256 = UNHEX('" +
           crypto::to_hex(token_sha256) + "') AND mt.expires_at > '" + to_sql_time(now) + "' AND tm.status = '" +
           std::string(core::to_string(core::MemberStatus::kActive)) + "'";
}

}  // namespace

std::optional<MemberTokenRecord> find_member_token(soci::session& sql, const crypto::Bytes& token_sha256,
                                                   core::Timestamp now) {
    MemberTokenRecord token;
    sql << "SELECT CAST(mt.member_id AS SIGNED), CAST(mt.program_id AS SIGNED)" + live_member_token(token_sha256, now),
        soci::into(token.member_id), soci::into(token.program_id);
    if (!sql.got_data()) return std::nullopt;
    return token;
}

std::string member_token_member_sql(const crypto::Bytes& token_sha256, core::Timestamp now) {
    return "(SELECT CAST(mt.member_id AS CHAR)" + live_member_token(token_sha256, now) + ")";
}

void delete_member_token(soci::session& sql, const crypto::Bytes& token_sha256) {
    const std::string hash = crypto::to_hex(token_sha256);
    sql << "DELETE FROM member_tokens WHERE token_sha256 = UNHEX(:hash)", soci::use(hash);
}

void delete_member_tokens(soci::session& sql, long long member_id) {
    sql << "DELETE FROM member_tokens WHERE member_id = :member", soci::use(member_id);
}

void delete_member_tokens_except(soci::session& sql, long long member_id, const crypto::Bytes& kept_sha256) {
    const std::string kept = crypto::to_hex(kept_sha256);
    sql << "DELETE FROM member_tokens WHERE member_id = :member AND token_sha256 <> UNHEX(:kept)", soci::use(member_id),
        soci::use(kept);
}

void forget_member_sign_in(soci::session& sql, long long member_id) {
    delete_member_tokens(sql, member_id);
    sql << "DELETE FROM member_codes WHERE member_id = :member", soci::use(member_id);
    sql << "DELETE FROM member_credentials WHERE member_id = :member", soci::use(member_id);
}

}  // namespace patron::store
