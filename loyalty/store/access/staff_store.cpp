#include "loyalty/store/access/staff_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/known_value.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

constexpr const char* kColumns =
    "CAST(id AS SIGNED), CAST(program_id AS SIGNED), email, name, role, password_hash, status";

StaffUserRecord user_from(const soci::row& row) {
    return StaffUserRecord{row.get<long long>(0),
                           row.get<long long>(1),
                           row.get<std::string>(2),
                           row.get<std::string>(3),
                           known_value(core::parse_staff_role(row.get<std::string>(4))),
                           row.get<std::string>(5),
                           row.get<std::string>(6)};
}

}  // namespace

std::optional<long long> insert_staff_user(soci::session& sql, const StaffUserRecord& user, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    const std::string role(core::to_string(user.role));
    soci::statement insert =
        (sql.prepare << "INSERT IGNORE INTO staff_users (program_id, email, name, role, password_hash, created_at)"
                        " VALUES (:program, :email, :name, :role, :hash, :created)",
         soci::use(user.program_id), soci::use(user.email), soci::use(user.name), soci::use(role),
         soci::use(user.password_hash), soci::use(created));
    insert.execute(true);
    if (insert.get_affected_rows() == 0) return std::nullopt;
    return last_insert_id(sql);
}

std::optional<StaffUserRecord> find_staff_user_by_email(soci::session& sql, const std::string& email, bool for_update) {
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT " << kColumns << " FROM staff_users WHERE email = :email"
                                                << (for_update ? " FOR UPDATE" : ""),
                                    soci::use(email));
    for (const soci::row& row : rows) return user_from(row);
    return std::nullopt;
}

std::optional<StaffUserRecord> find_staff_user(soci::session& sql, long long program_id, long long id,
                                               bool for_update) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kColumns << " FROM staff_users WHERE id = :id AND program_id = :program"
                     << (for_update ? " FOR UPDATE" : ""),
         soci::use(id), soci::use(program_id));
    for (const soci::row& row : rows) return user_from(row);
    return std::nullopt;
}

void update_staff_user(soci::session& sql, const StaffUserRecord& user) {
    const std::string role(core::to_string(user.role));
    sql << "UPDATE staff_users SET name = :name, role = :role, status = :status WHERE id = :id", soci::use(user.name),
        soci::use(role), soci::use(user.status), soci::use(user.id);
    if (user.status != "active") sql << "DELETE FROM staff_tokens WHERE staff_user_id = :id", soci::use(user.id);
}

std::vector<StaffUserRecord> staff_users_of_program(soci::session& sql, long long program_id) {
    std::vector<StaffUserRecord> users;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kColumns << " FROM staff_users WHERE program_id = :program ORDER BY email",
         soci::use(program_id));
    for (const soci::row& row : rows) users.push_back(user_from(row));
    return users;
}

}  // namespace patron::store
