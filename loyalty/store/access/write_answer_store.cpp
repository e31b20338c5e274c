#include "loyalty/store/access/write_answer_store.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

constexpr unsigned kDuplicateKey = 1062;
constexpr unsigned kLockWaitTimeout = 1205;

}  // namespace

EnteredKey enter_write_key(soci::session& sql, const std::string& caller, const std::string& key,
                           const crypto::Bytes& request_digest, core::Timestamp now) {
    const std::string digest = crypto::to_hex(request_digest);
    const std::string created = to_sql_time(now);
    try {
        sql << "SET STATEMENT innodb_lock_wait_timeout = 1 FOR"
               " INSERT INTO write_answers (caller, idempotency_key, request_digest, answer_sealed, created_at)"
               " VALUES (:caller, :key, UNHEX(:digest), '', :created)",
            soci::use(caller), soci::use(key), soci::use(digest), soci::use(created);
    } catch (const soci::mysql_soci_error& error) {
        if (error.err_num_ == kDuplicateKey) return {};
        if (error.err_num_ == kLockWaitTimeout) return {std::nullopt, true};
        throw;
    }
    return {last_insert_id(sql), false};
}

void forget_write_key(soci::session& sql, long long id) { sql << "DELETE FROM write_answers WHERE id = :id", soci::use(id); }

std::optional<WriteAnswerRow> find_write_answer(soci::session& sql, const std::string& caller, const std::string& key) {
    WriteAnswerRow row;
    std::string digest, data_key, answer;
    sql << "SELECT id, HEX(request_digest), status, master_key_id, HEX(data_key_sealed), HEX(answer_sealed)"
           " FROM write_answers WHERE caller = :caller AND idempotency_key = :key LOCK IN SHARE MODE",
        soci::use(caller), soci::use(key), soci::into(row.id), soci::into(digest), soci::into(row.status),
        soci::into(row.master_key_id), soci::into(data_key), soci::into(answer);
    if (!sql.got_data()) return std::nullopt;
    row.request_digest = crypto::from_hex(digest).value_or(crypto::Bytes{});
    row.data_key_sealed = crypto::from_hex(data_key).value_or(crypto::Bytes{});
    row.answer_sealed = crypto::from_hex(answer).value_or(crypto::Bytes{});
    return row;
}

void complete_write_answer(soci::session& sql, long long id, int status, std::optional<long long> member_id,
                           const std::string& master_key_id, const crypto::Bytes& data_key_sealed,
                           const crypto::Bytes& answer_sealed) {
    const std::string data_key = crypto::to_hex(data_key_sealed);
    const std::string answer = crypto::to_hex(answer_sealed);
    long long member = member_id.value_or(0);
    soci::indicator member_indicator = member_id ? soci::i_ok : soci::i_null;
    sql << "UPDATE write_answers SET status = :status, member_id = :member, master_key_id = :master,"
           " data_key_sealed = UNHEX(:data_key), answer_sealed = UNHEX(:answer) WHERE id = :id",
        soci::use(status), soci::use(member, member_indicator), soci::use(master_key_id), soci::use(data_key),
        soci::use(answer), soci::use(id);
}

long long forget_write_answers(soci::session& sql, core::Timestamp before, int limit) {
    const std::string cutoff = to_sql_time(before);
    soci::statement forget =
        (sql.prepare << "DELETE FROM write_answers WHERE created_at < :before ORDER BY created_at LIMIT " << limit,
         soci::use(cutoff));
    forget.execute(true);
    return forget.get_affected_rows();
}

void forget_member_write_answers(soci::session& sql, long long member_id) {
    const std::string caller = "member:" + std::to_string(member_id);
    sql << "DELETE FROM write_answers WHERE member_id = :member", soci::use(member_id);
    sql << "DELETE FROM write_answers WHERE caller = :caller", soci::use(caller);
}

}  // namespace patron::store
