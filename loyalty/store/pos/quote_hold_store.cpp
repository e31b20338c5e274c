#include "loyalty/store/pos/quote_hold_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {

void insert_quote_hold(soci::session& sql, const QuoteHold& hold, core::Timestamp now) {
    const std::string created = to_sql_time(now), expires = to_sql_time(hold.expires_at);
    const std::string basket = crypto::to_hex(hold.basket_sha256);
    sql << "INSERT INTO quote_holds (quote_id, program_id, store_id, member_id, points, points_earned,"
           " rule_set_version, tier, basket_sha256, created_at, expires_at)"
           " VALUES (:quote, :program, :store, :member, :points, :earned, :version, :tier, UNHEX(:basket),"
           " :created, :expires)",
        soci::use(hold.quote_id), soci::use(hold.program_id), soci::use(hold.store_id), soci::use(hold.member_id),
        soci::use(hold.points), soci::use(hold.points_earned), soci::use(hold.rule_set_version), soci::use(hold.tier),
        soci::use(basket), soci::use(created), soci::use(expires);
}

std::optional<QuoteHold> find_quote_hold(soci::session& sql, const std::string& quote_id, bool for_update) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT quote_id, CAST(program_id AS SIGNED), CAST(store_id AS SIGNED),"
                        " CAST(member_id AS SIGNED), points, points_earned, rule_set_version, tier, HEX(basket_sha256),"
                        " DATE_FORMAT(expires_at, "
                     << kSqlTimeFormat
                     << "), IFNULL(CAST(used_by_purchase_id AS SIGNED), 0) FROM quote_holds WHERE quote_id = :quote"
                     << (for_update ? " FOR UPDATE" : ""),
         soci::use(quote_id));
    for (const soci::row& row : rows) {
        QuoteHold hold{row.get<std::string>(0),
                       row.get<long long>(1),
                       row.get<long long>(2),
                       row.get<long long>(3),
                       row.get<long long>(4),
                       row.get<long long>(5),
                       row.get<int>(6),
                       row.get<std::string>(7),
                       crypto::from_hex(row.get<std::string>(8)).value_or(crypto::Bytes{}),
                       from_sql_time(row.get<std::string>(9)).value_or(core::Timestamp{}),
                       std::nullopt};
        if (const long long used = row.get<long long>(10); used != 0) hold.used_by_purchase_id = used;
        return hold;
    }
    return std::nullopt;
}

long long held_points(soci::session& sql, long long member_id, core::Timestamp now, const std::string& except) {
    const std::string at = to_sql_time(now);
    long long held = 0;
    soci::indicator indicator = soci::i_null;
    sql << "SELECT CAST(SUM(points) AS SIGNED) FROM quote_holds WHERE member_id = :member AND expires_at > :now"
           " AND used_by_purchase_id IS NULL AND quote_id <> :except",
        soci::into(held, indicator), soci::use(member_id), soci::use(at), soci::use(except);
    return indicator == soci::i_ok ? held : 0;
}

void use_quote_hold(soci::session& sql, const std::string& quote_id, long long purchase_id) {
    sql << "UPDATE quote_holds SET used_by_purchase_id = :purchase WHERE quote_id = :quote", soci::use(purchase_id),
        soci::use(quote_id);
}

bool end_quote_hold(soci::session& sql, const std::string& quote_id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    soci::statement end = (sql.prepare << "UPDATE quote_holds SET expires_at = :now WHERE quote_id = :quote"
                                          " AND used_by_purchase_id IS NULL AND expires_at > :now",
                           soci::use(at, "now"), soci::use(quote_id, "quote"));
    end.execute(true);
    return end.get_affected_rows() > 0;
}

long long purge_quote_holds(soci::session& sql, core::Timestamp before, int limit) {
    const std::string at = to_sql_time(before);
    soci::statement purge = (sql.prepare << "DELETE FROM quote_holds WHERE expires_at < :before LIMIT :limit",
                             soci::use(at), soci::use(limit));
    purge.execute(true);
    return purge.get_affected_rows();
}

}  // namespace patron::store
