#include "loyalty/store/access/terminal_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

const std::string kKeyColumns =
    std::string("k.key_id, CAST(k.terminal_id AS SIGNED), HEX(k.secret_sealed), k.master_key_id, ") +
    "DATE_FORMAT(k.created_at, " + kSqlTimeFormat + "), IFNULL(DATE_FORMAT(k.expires_at, " + kSqlTimeFormat +
    "), ''), IFNULL(DATE_FORMAT(k.revoked_at, " + kSqlTimeFormat + "), '')";

TerminalKeyRecord key_from(const soci::row& row) {
    return TerminalKeyRecord{row.get<std::string>(0),
                             row.get<long long>(1),
                             crypto::from_hex(row.get<std::string>(2)).value_or(crypto::Bytes{}),
                             row.get<std::string>(3),
                             from_sql_time(row.get<std::string>(4)).value_or(core::Timestamp{}),
                             from_sql_time(row.get<std::string>(5)),
                             from_sql_time(row.get<std::string>(6))};
}

}  // namespace

long long insert_terminal(soci::session& sql, const TerminalRecord& terminal, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    sql << "INSERT INTO terminals (store_id, code, created_at) VALUES (:store, :code, :created)",
        soci::use(terminal.store_id), soci::use(terminal.code), soci::use(created);
    return last_insert_id(sql);
}

std::optional<TerminalRecord> find_terminal(soci::session& sql, long long store_id, const std::string& code,
                                            bool for_update) {
    TerminalRecord terminal;
    sql << "SELECT CAST(id AS SIGNED), CAST(store_id AS SIGNED), code FROM terminals"
           " WHERE store_id = :store AND code = :code"
        << (for_update ? " FOR UPDATE" : ""),
        soci::into(terminal.id), soci::into(terminal.store_id), soci::into(terminal.code), soci::use(store_id),
        soci::use(code);
    if (!sql.got_data()) return std::nullopt;
    return terminal;
}

std::vector<TerminalRecord> terminals_of_store(soci::session& sql, long long store_id) {
    std::vector<TerminalRecord> terminals;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), CAST(store_id AS SIGNED), code FROM terminals"
                        " WHERE store_id = :store ORDER BY code",
         soci::use(store_id));
    for (const soci::row& row : rows) {
        terminals.push_back(TerminalRecord{row.get<long long>(0), row.get<long long>(1), row.get<std::string>(2)});
    }
    return terminals;
}

void insert_terminal_key(soci::session& sql, const TerminalKeyRecord& key) {
    const std::string created = to_sql_time(key.created_at);
    const std::string secret = crypto::to_hex(key.secret_sealed);
    sql << "INSERT INTO terminal_keys (key_id, terminal_id, secret_sealed, master_key_id, created_at)"
           " VALUES (:key, :terminal, UNHEX(:secret), :master, :created)",
        soci::use(key.key_id), soci::use(key.terminal_id), soci::use(secret), soci::use(key.master_key_id),
        soci::use(created);
}

std::optional<SigningKey> find_signing_key(soci::session& sql, const std::string& key_id) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kKeyColumns
                     << ", t.code, CAST(s.id AS SIGNED), s.code, CAST(s.program_id AS SIGNED), s.currency"
                        " FROM terminal_keys k JOIN terminals t ON t.id = k.terminal_id"
                        " JOIN stores s ON s.id = t.store_id WHERE k.key_id = :key",
         soci::use(key_id));
    for (const soci::row& row : rows) {
        return SigningKey{key_from(row),           row.get<std::string>(7), row.get<long long>(8),
                          row.get<std::string>(9), row.get<long long>(10),  row.get<std::string>(11)};
    }
    return std::nullopt;
}

std::vector<TerminalKeyRecord> keys_of_terminal(soci::session& sql, long long terminal_id) {
    std::vector<TerminalKeyRecord> keys;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT " << kKeyColumns
                                                << " FROM terminal_keys k WHERE k.terminal_id = :terminal"
                                                   " ORDER BY k.created_at, k.key_id",
                                    soci::use(terminal_id));
    for (const soci::row& row : rows) keys.push_back(key_from(row));
    return keys;
}

std::optional<KeyOwner> find_key_owner(soci::session& sql, const std::string& key_id) {
    KeyOwner owner;
    sql << "SELECT CAST(t.id AS SIGNED), CAST(s.program_id AS SIGNED) FROM terminal_keys k"
           " JOIN terminals t ON t.id = k.terminal_id JOIN stores s ON s.id = t.store_id WHERE k.key_id = :key",
        soci::into(owner.terminal_id), soci::into(owner.program_id), soci::use(key_id);
    if (!sql.got_data()) return std::nullopt;
    return owner;
}

void end_open_keys(soci::session& sql, long long terminal_id, core::Timestamp at) {
    const std::string end = to_sql_time(at);
    sql << "UPDATE terminal_keys SET expires_at = :end"
           " WHERE terminal_id = :terminal AND expires_at IS NULL AND revoked_at IS NULL",
        soci::use(end), soci::use(terminal_id);
}

bool revoke_terminal_key(soci::session& sql, const std::string& key_id, core::Timestamp now) {
    const std::string revoked = to_sql_time(now);
    soci::statement update = (sql.prepare << "UPDATE terminal_keys SET revoked_at = :now"
                                             " WHERE key_id = :key AND revoked_at IS NULL",
                              soci::use(revoked), soci::use(key_id));
    update.execute(true);
    return update.get_affected_rows() > 0;
}

}  // namespace patron::store
