#include "loyalty/store/ledger/point_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/json_rows.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"
#include "loyalty/store/ledger/ledger_store.h"

namespace patron::store {
namespace {

// "1,2,3" for an IN list of the lots' ids.
std::string lot_id_list(const std::vector<core::LotTake>& lots) {
    std::vector<long long> ids;
    ids.reserve(lots.size());
    for (const core::LotTake& lot : lots) ids.push_back(lot.lot_id);
    return id_list(ids);
}

const char* due_condition(LotEvent event) {
    return event == LotEvent::kRelease ? "state = 'pending' AND pending_until <= :now AND held_by IS NULL"
                                       : "state = 'available' AND expires_at <= :now";
}

// Two statements a credit. `purchase`: the purchase's id or NULL, as the rows' purchase_id; none
// right behind the purchase's INSERT, where each row finds it in the row the statement before it made.
std::vector<std::string> credit_statements(soci::session& sql, long long program_id, std::span<const NewCredit> credits,
                                           core::Timestamp now, const std::optional<std::string>& purchase) {
    std::vector<std::string> statements;
    const auto time = [&](core::Timestamp at) { return sql_text(sql, to_sql_time(at)); };
    for (std::size_t i = 0; i < credits.size(); ++i) {
        const NewLot& lot = credits[i].lot;
        const std::string transfer_purchase = purchase ? *purchase
                                              : i == 0
                                                  ? "LAST_INSERT_ID()"
                                                  : "(SELECT purchase_id FROM point_lots WHERE id = LAST_INSERT_ID())";
        const std::string lot_purchase =
            purchase.value_or("(SELECT purchase_id FROM ledger_transfers WHERE id = LAST_INSERT_ID())");
        statements.push_back(transfer_insert(sql, program_id, transfer_purchase, credits[i].transfer, now));
        statements.push_back(
            "INSERT INTO point_lots (member_id, purchase_id, transfer_id, rule_id, rule_version, earned, remaining,"
            " state, earned_at, pending_until, expires_at, held_by) VALUES (" +
            std::to_string(lot.member_id) + ", " + lot_purchase + ", LAST_INSERT_ID(), " + sql_text(sql, lot.rule_id) +
            ", " + std::to_string(lot.rule_version) + ", " + std::to_string(lot.points) + ", " +
            std::to_string(lot.points) + ", " + (lot.pending ? "'pending'" : "'available'") + ", " +
            time(lot.earned_at) + ", " + time(lot.dates.pending_until) + ", " + time(lot.dates.expires_at) + ", " +
            sql_number_or_null(lot.held_by) + ")");
    }
    return statements;
}

}  // namespace

std::vector<std::string> credit_statements_after_purchase(soci::session& sql, long long program_id,
                                                          std::span<const NewCredit> credits, core::Timestamp now) {
    return credit_statements(sql, program_id, credits, now, std::nullopt);
}

std::vector<CreditIds> credits_written(soci::session& sql, std::span<const NewCredit> credits,
                                       std::span<const StatementOutcome> outcomes) {
    if (outcomes.size() != 2 * credits.size()) throw std::logic_error("two statements a credit");
    std::vector<CreditIds> ids;
    std::vector<core::LedgerTransfer> transfers;
    std::vector<long long> transfer_ids;
    for (std::size_t i = 0; i < credits.size(); ++i) {
        ids.push_back(CreditIds{static_cast<long long>(outcomes[2 * i].insert_id),
                                static_cast<long long>(outcomes[2 * i + 1].insert_id)});
        transfers.push_back(credits[i].transfer);
        transfer_ids.push_back(ids.back().transfer_id);
    }
    insert_entries(sql, transfers, transfer_ids);
    return ids;
}

std::vector<CreditIds> insert_credits(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                                      std::span<const NewCredit> credits, core::Timestamp now) {
    if (credits.empty()) return {};
    return credits_written(
        sql, credits, run_each(sql, credit_statements(sql, program_id, credits, now, sql_number_or_null(purchase_id))));
}

std::vector<core::LotBalance> available_lots_for_update(soci::session& sql, long long member_id, long long points) {
    std::vector<core::LotBalance> lots;
    long long held = 0;
    std::string after;  // Past the last lot read (first to expire, then by id): where the next page starts.
    for (int page = 16; held < points; page = 256) {
        std::string query =
            "SELECT CAST(id AS SIGNED), remaining, DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s.%f') FROM point_lots"
            " WHERE member_id = " +
            std::to_string(member_id) + " AND state = 'available' AND remaining > 0";
        if (!after.empty()) query += " AND " + after;
        query += " ORDER BY expires_at, id LIMIT " + std::to_string(page) + " FOR UPDATE";
        soci::rowset<soci::row> rows = sql.prepare << query;
        int read = 0;
        for (const soci::row& row : rows) {
            const std::string expires_text = row.get<std::string>(2);
            const auto expires = from_sql_time(expires_text);
            lots.push_back(
                core::LotBalance{row.get<long long>(0), row.get<long long>(1), expires.value_or(core::Timestamp{})});
            held += lots.back().remaining;
            const std::string at = "'" + expires_text + "'";  // MariaDB's own digits: no quote in it.
            after = "(expires_at > " + at + " OR (expires_at = " + at + " AND id > " +
                    std::to_string(lots.back().lot_id) + "))";
            ++read;
        }
        if (read < page) break;  // None left.
    }
    return lots;
}

void consume_lots(soci::session& sql, long long transfer_id, const std::vector<core::LotTake>& takes) {
    if (takes.empty()) return;
    std::map<long long, long long> taken;  // A lot taken from twice loses the sum of its takes.
    std::ostringstream rows;
    for (std::size_t i = 0; i < takes.size(); ++i) {
        taken[takes[i].lot_id] += takes[i].points;
        rows << (i == 0 ? "(" : ", (") << transfer_id << ", " << takes[i].lot_id << ", " << takes[i].points << ")";
    }
    std::ostringstream cases;
    std::vector<long long> ids;
    ids.reserve(taken.size());
    for (const auto& [lot_id, points] : taken) {
        cases << " WHEN " << lot_id << " THEN " << points;
        ids.push_back(lot_id);
    }
    sql << "UPDATE point_lots SET remaining = remaining - CASE CAST(id AS SIGNED)" + cases.str() +
               " END, state = IF(remaining = 0, 'closed', state) WHERE id IN (" + id_list(ids) + ")";
    sql << "INSERT INTO point_lot_uses (transfer_id, lot_id, points) VALUES " + rows.str();
}

void empty_lots(soci::session& sql, const std::vector<LotUse>& uses) {
    if (uses.empty()) return;
    std::vector<long long> ids;
    ids.reserve(uses.size());
    std::ostringstream rows;
    for (std::size_t i = 0; i < uses.size(); ++i) {
        ids.push_back(uses[i].take.lot_id);
        rows << (i == 0 ? "(" : ", (") << uses[i].transfer_id << ", " << uses[i].take.lot_id << ", "
             << uses[i].take.points << ")";
    }
    // Each lot only if it still holds what was read: a writer that did not hold its member's account
    // lock meanwhile makes the statement change fewer lots, and the transaction roll back.
    std::ostringstream held;
    for (const LotUse& use : uses) held << " WHEN " << use.take.lot_id << " THEN " << use.take.points;
    soci::statement update =
        (sql.prepare << "UPDATE point_lots SET remaining = 0, state = 'closed' WHERE id IN (" + id_list(ids) +
                            ") AND remaining = CASE CAST(id AS SIGNED)" + held.str() + " END");
    update.execute(true);
    if (update.get_affected_rows() != static_cast<long long>(uses.size())) {
        throw std::runtime_error("lots changed while they were being emptied");
    }
    sql << "INSERT INTO point_lot_uses (transfer_id, lot_id, points) VALUES " + rows.str();
}

long long count_members_with_lots_due(soci::session& sql, LotEvent event, core::Timestamp now) {
    const std::string when = to_sql_time(now);
    long long members = 0;
    sql << std::string("SELECT COUNT(DISTINCT member_id) FROM point_lots WHERE ") + due_condition(event),
        soci::use(when, "now"), soci::into(members);
    return members;
}

std::vector<MemberDue> members_with_lots_due(soci::session& sql, LotEvent event, core::Timestamp now, int limit) {
    std::vector<MemberDue> members;
    const std::string when = to_sql_time(now);
    // A member's programme never changes, so it is read without a lock.
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string("SELECT CAST(d.member_id AS SIGNED), CAST(m.program_id AS SIGNED) FROM"
                                    " (SELECT DISTINCT member_id FROM point_lots WHERE ") +
                            due_condition(event) +
                            " LIMIT :limit) d JOIN members m ON m.id = d.member_id ORDER BY d.member_id",
         soci::use(when, "now"), soci::use(limit, "limit"));
    for (const soci::row& row : rows) members.push_back(MemberDue{row.get<long long>(0), row.get<long long>(1)});
    return members;
}

std::vector<DueLot> due_lots(soci::session& sql, std::span<const long long> member_ids, LotEvent event,
                             core::Timestamp now) {
    std::vector<DueLot> lots;
    if (member_ids.empty()) return lots;
    const std::string when = to_sql_time(now);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(member_id AS SIGNED), CAST(id AS SIGNED), remaining FROM point_lots"
                        " WHERE member_id IN (" +
                            id_list(member_ids) + ") AND " + due_condition(event) + " ORDER BY member_id, id",
         soci::use(when, "now"));
    for (const soci::row& row : rows) {
        lots.push_back(DueLot{row.get<long long>(0), core::LotTake{row.get<long long>(1), row.get<long long>(2)}});
    }
    return lots;
}

std::vector<std::chrono::seconds> expiry_notices(soci::session& sql) {
    std::vector<std::chrono::seconds> notices;
    soci::rowset<int> rows = sql.prepare << "SELECT DISTINCT expiry_notice_s FROM programs WHERE expiry_notice_s > 0";
    for (const int seconds : rows) notices.emplace_back(seconds);
    return notices;
}

namespace {

// Lots not yet announced, of active members, expiring after `now` and by `now + until`, within
// their programme's notice; `where` and `order` add to the statement.
std::vector<ExpiringLot> unannounced_lots(soci::session& sql, core::Timestamp now, std::chrono::seconds until,
                                          const std::string& where, const std::string& order) {
    std::vector<ExpiringLot> lots;
    const std::string after = to_sql_time(now);
    const std::string last = to_sql_time(now + until);
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT CAST(l.id AS SIGNED), CAST(l.member_id AS SIGNED), CAST(m.program_id AS SIGNED),"
                " l.remaining, DATE_FORMAT(l.expires_at, "
             << kSqlTimeFormat
             << ") FROM point_lots l JOIN members m ON m.id = l.member_id JOIN programs p ON p.id = m.program_id"
                " WHERE l.state = 'available' AND l.expiry_noticed = 0 AND l.expires_at > :after"
                " AND l.expires_at <= :last AND m.status = 'active'"
                " AND l.expires_at <= CAST(:after AS DATETIME(6)) + INTERVAL p.expiry_notice_s SECOND"
             << where << order,
         soci::use(after, "after"), soci::use(last, "last"));
    for (const soci::row& row : rows) {
        lots.push_back(ExpiringLot{row.get<long long>(0), row.get<long long>(1), row.get<long long>(2),
                                   row.get<long long>(3),
                                   from_sql_time(row.get<std::string>(4)).value_or(core::Timestamp{})});
    }
    return lots;
}

}  // namespace

std::vector<ExpiringLot> lots_to_announce(soci::session& sql, core::Timestamp now, std::chrono::seconds notice,
                                          int limit) {
    return unannounced_lots(sql, now, notice, " AND p.expiry_notice_s = " + std::to_string(notice.count()),
                            " ORDER BY l.expires_at, l.id LIMIT " + std::to_string(limit));
}

std::vector<ExpiringLot> lots_to_announce(soci::session& sql, core::Timestamp now, std::chrono::seconds longest,
                                          std::span<const long long> members) {
    if (members.empty()) return {};
    return unannounced_lots(sql, now, longest, " AND l.member_id IN (" + id_list(members) + ")",
                            " ORDER BY l.member_id, l.expires_at, l.id");
}

void mark_expiry_announced(soci::session& sql, const std::vector<long long>& lot_ids) {
    if (lot_ids.empty()) return;
    sql << "UPDATE point_lots SET expiry_noticed = 1 WHERE id IN (" + id_list(lot_ids) + ")";
}

void close_empty_lots(soci::session& sql, const std::vector<core::LotTake>& lots) {
    if (lots.empty()) return;
    sql << "UPDATE point_lots SET state = 'closed' WHERE remaining = 0 AND id IN (" + lot_id_list(lots) + ")";
}

void mark_released(soci::session& sql, const std::vector<core::LotTake>& lots) {
    if (lots.empty()) return;
    sql << "UPDATE point_lots SET state = 'available' WHERE id IN (" + lot_id_list(lots) + ")";
}

std::array<std::string, kLotInstantsColumns> lot_instants_sql(long long member_id, int limit) {
    const std::string member = std::to_string(member_id);
    const auto sums = [&](const char* state, const char* column, const char* more) {
        return std::string("(SELECT JSON_ARRAYAGG(JSON_ARRAY(DATE_FORMAT(at, ") + kSqlTimeFormat +
               "), points) ORDER BY at LIMIT " + std::to_string(limit) + ") FROM (SELECT " + column +
               " AS at, CAST(SUM(remaining) AS SIGNED) AS points FROM point_lots WHERE member_id = " + member +
               " AND state = '" + state + "' AND remaining > 0" + more + " GROUP BY " + column + ") sums)";
    };
    return {sums("pending", "pending_until", " AND held_by IS NULL"), sums("available", "expires_at", ""),
            "(SELECT CAST(IFNULL(SUM(remaining), 0) AS SIGNED) FROM point_lots WHERE member_id = " + member +
                " AND state = 'pending' AND held_by IS NOT NULL)"};
}

LotInstants lot_instants_of(std::span<const std::optional<std::string>, kLotInstantsColumns> values) {
    LotInstants instants;
    const auto list = [](const std::optional<std::string>& rows) {
        std::vector<core::PointsAt> sums;
        for (const nlohmann::json& row : json_rows(rows)) {
            sums.push_back({from_sql_time(json_text(row, 0)).value_or(core::Timestamp{}), json_integer(row, 1)});
        }
        return sums;
    };
    instants.pending = list(values[0]);
    instants.expiring = list(values[1]);
    instants.held = values[2] ? std::stoll(*values[2]) : 0;
    return instants;
}

long long available_points_expiring_by(soci::session& sql, long long member_id, core::Timestamp by) {
    const std::string until = to_sql_time(by);
    long long points = 0;
    sql << "SELECT CAST(COALESCE(SUM(remaining), 0) AS SIGNED) FROM point_lots WHERE member_id = :member"
           " AND state = 'available' AND remaining > 0 AND expires_at <= :until",
        soci::into(points), soci::use(member_id, "member"), soci::use(until, "until");
    return points;
}

}  // namespace patron::store
