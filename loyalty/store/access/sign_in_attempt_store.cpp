#include "loyalty/store/access/sign_in_attempt_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

// A reservation meets a locked row, or a row another sign-in cleared or a purge removed between
// its two statements; the latter two are rare, and a few rounds settle them.
constexpr int kReservationRounds = 3;

// One attempt counted when the login is not locked at `now`: whether it was.
bool count_attempt(soci::session& sql, const std::string& mac, int failures_max, const std::string& now,
                   const std::string& lock_until) {
    // The row exists first, so the conditional UPDATE below decides alone; INSERT IGNORE commits
    // at once and holds no lock a parallel reservation could deadlock on.
    sql << "INSERT IGNORE INTO sign_in_attempts (login_mac, failures, updated_at) VALUES (UNHEX(:mac), 0, :now)",
        soci::use(mac), soci::use(now);
    // MariaDB applies SET left to right: locked_until sees the new count, failures the old lock.
    // A matched row always changes (failures does), so the affected rows say whether it matched.
    soci::statement update =
        (sql.prepare << "UPDATE sign_in_attempts SET failures = IF(locked_until IS NULL, failures, 0) + 1,"
                        " locked_until = IF(failures >= :max, :until, NULL), updated_at = :now"
                        " WHERE login_mac = UNHEX(:mac) AND (locked_until IS NULL OR locked_until <= :now2)",
         soci::use(failures_max), soci::use(lock_until), soci::use(now), soci::use(mac), soci::use(now));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

std::optional<core::Timestamp> locked_until(soci::session& sql, const std::string& mac, const std::string& now) {
    std::string until;
    soci::indicator until_indicator = soci::i_null;
    sql << "SELECT DATE_FORMAT(locked_until, " << kSqlTimeFormat
        << ") FROM sign_in_attempts WHERE login_mac = UNHEX(:mac) AND locked_until > :now",
        soci::into(until, until_indicator), soci::use(mac), soci::use(now);
    if (!sql.got_data() || until_indicator != soci::i_ok) return std::nullopt;
    return from_sql_time(until);
}

}  // namespace

SignInReservation reserve_sign_in_attempt(soci::session& sql, const crypto::Bytes& login_mac, int failures_max,
                                          core::Timestamp now, core::Timestamp lock_until) {
    const std::string mac = crypto::to_hex(login_mac);
    const std::string at = to_sql_time(now);
    const std::string until = to_sql_time(lock_until);
    for (int round = 0; round < kReservationRounds; ++round) {
        if (count_attempt(sql, mac, failures_max, at, until)) return {true};
        if (const auto locked = locked_until(sql, mac, at)) return {false, *locked};
    }
    return {false, lock_until};
}

void clear_sign_in_attempts(soci::session& sql, const crypto::Bytes& login_mac) {
    const std::string mac = crypto::to_hex(login_mac);
    sql << "DELETE FROM sign_in_attempts WHERE login_mac = UNHEX(:mac)", soci::use(mac);
}

long long purge_sign_in_attempts(soci::session& sql, core::Timestamp before, int limit) {
    const std::string cutoff = to_sql_time(before);
    soci::statement statement = (sql.prepare << "DELETE FROM sign_in_attempts WHERE updated_at < :cutoff LIMIT :limit",
                                 soci::use(cutoff), soci::use(limit));
    statement.execute(true);
    return statement.get_affected_rows();
}

}  // namespace patron::store
