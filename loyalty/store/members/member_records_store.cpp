#include "loyalty/store/members/member_records_store.h"

#include <soci/soci.h>

namespace patron::store {
namespace {

// A column of a row as it came: numbers as numbers, the rest as text.
ColumnValue value_of(const soci::row& row, std::size_t i) {
    if (row.get_indicator(i) == soci::i_null) return std::monostate{};
    switch (row.get_properties(i).get_data_type()) {
        case soci::dt_long_long:
            return row.get<long long>(i);
        case soci::dt_integer:
            return static_cast<long long>(row.get<int>(i));
        case soci::dt_unsigned_long_long:
            return row.get<unsigned long long>(i);
        default:
            return row.get<std::string>(i);
    }
}

// Every row of a query about one member.
std::vector<RecordRow> rows_of(soci::session& sql, const std::string& query, long long member_id) {
    std::vector<RecordRow> rows;
    soci::rowset<soci::row> result = (sql.prepare << query, soci::use(member_id, "member"));
    for (const soci::row& row : result) {
        RecordRow columns;
        for (std::size_t i = 0; i < row.size(); ++i) {
            columns.emplace_back(row.get_properties(i).get_name(), value_of(row, i));
        }
        rows.push_back(std::move(columns));
    }
    return rows;
}

std::string utc(const char* column, const char* name) {
    return std::string("DATE_FORMAT(") + column + ", '%Y-%m-%dT%H:%i:%s.%fZ') AS " + name;
}

}  // namespace

MemberRecords member_records(soci::session& sql, long long program_id, long long member_id) {
    MemberRecords records;
    records.cards =
        rows_of(sql,
                "SELECT c.number, c.kind, c.state, c.state_reason, " + utc("c.state_changed_at", "state_changed_at") +
                    ", " + utc("c.created_at", "created_at") +
                    ", IF(c.number <=> m.primary_card, 1, 0) AS chosen_primary FROM cards c"
                    " JOIN members m ON m.id = c.member_id WHERE c.member_id = :member ORDER BY c.created_at",
                member_id);
    std::vector<RecordRow> account =
        rows_of(sql,
                "SELECT points_available, points_pending, cashback_balance, tier FROM member_accounts"
                " WHERE member_id = :member",
                member_id);
    if (!account.empty()) records.account = std::move(account.front());
    records.point_lots =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, rule_id, rule_version, earned, remaining, state, " +
                    utc("earned_at", "earned_at") + ", " + utc("pending_until", "pending_until") + ", " +
                    utc("expires_at", "expires_at") + " FROM point_lots WHERE member_id = :member ORDER BY id",
                member_id);
    records.ledger_entries =
        rows_of(sql,
                "SELECT CAST(t.id AS SIGNED) AS transfer, t.kind, t.rule_id, e.account, e.amount, " +
                    utc("t.created_at", "at") +
                    " FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id WHERE e.member_id = :member"
                    " ORDER BY e.id",
                member_id);
    records.purchases =
        rows_of(sql,
                "SELECT CAST(p.id AS SIGNED) AS id, p.kind, s.code AS store, p.terminal,"
                " DATE_FORMAT(p.business_day, '%Y-%m-%d') AS business_day, p.receipt, p.currency, p.total,"
                " p.points_earned, p.points_redeemed, " +
                    utc("p.received_at", "received_at") +
                    " FROM purchases p JOIN stores s ON s.id = p.store_id WHERE p.member_id = :member"
                    " ORDER BY p.id",
                member_id);
    records.tier_history = rows_of(sql,
                                   "SELECT from_tier, to_tier, reason, progress, " + utc("created_at", "at") +
                                       " FROM tier_history WHERE member_id = :member ORDER BY id",
                                   member_id);
    records.audit = rows_of(sql,
                            "SELECT actor, action, fields, " + utc("created_at", "at") +
                                " FROM audit_log WHERE program_id = " + std::to_string(program_id) +
                                " AND entity = 'member' AND entity_id = :member ORDER BY id",
                            member_id);
    return records;
}

}  // namespace patron::store
