#include "loyalty/store/fraud/fraud_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/program/program_store.h"

namespace patron::store {
namespace {

const std::string& signal_columns() {
    static const std::string columns =
        "CAST(id AS SIGNED), CAST(program_id AS SIGNED), kind, CAST(member_id AS SIGNED),"
        " CAST(purchase_id AS SIGNED), action, state, evidence, " +
        time_column("raised_at") + ", " + time_column("reviewed_at") +
        ", IFNULL(reviewed_by, ''), IFNULL(review_note, ''), points_forfeited";
    return columns;
}

std::optional<long long> optional_integer(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) != soci::i_ok) return std::nullopt;
    return integer_at(row, column);
}

SignalRecord read_signal(const soci::row& row) {
    SignalRecord record;
    record.id = integer_at(row, 0);
    record.program_id = integer_at(row, 1);
    record.kind = core::parse_fraud_kind(row.get<std::string>(2)).value_or(core::FraudKind::kCardVelocity);
    record.member_id = optional_integer(row, 3);
    record.purchase_id = optional_integer(row, 4);
    record.action = core::parse_fraud_action(row.get<std::string>(5)).value_or(core::FraudAction::kFlag);
    record.state = core::parse_fraud_signal_state(row.get<std::string>(6)).value_or(core::FraudSignalState::kOpen);
    record.evidence = row.get<std::string>(7);
    record.raised_at = time_at(row, 8).value_or(core::Timestamp{});
    record.reviewed_at = time_at(row, 9);
    record.reviewed_by = row.get<std::string>(10);
    record.review_note = row.get<std::string>(11);
    record.points_forfeited = integer_at(row, 12);
    return record;
}

}  // namespace

core::Result<core::FraudPolicy> find_fraud_policy(soci::session& sql, long long program_id) {
    std::string document;
    int version = 0;
    soci::indicator document_i = soci::i_null;
    sql << "SELECT fraud_policy, fraud_policy_version FROM programs WHERE id = :id", soci::into(document, document_i),
        soci::into(version), soci::use(program_id);
    if (document_i != soci::i_ok) document.clear();
    return core::parse_stored_fraud_policy(document, version);
}

int store_fraud_policy(soci::session& sql, long long program_id, const std::string& document) {
    sql << "UPDATE programs SET fraud_policy = :document, fraud_policy_version = fraud_policy_version + 1,"
           " settings_version = settings_version + 1 WHERE id = :id",
        soci::use(document), soci::use(program_id);
    int version = 0;
    sql << "SELECT fraud_policy_version FROM programs WHERE id = :id", soci::into(version), soci::use(program_id);
    return version;
}

std::optional<long long> insert_signal(soci::session& sql, const NewSignal& signal, core::Timestamp now) {
    const std::string kind(core::to_string(signal.draft.kind));
    const std::string action(core::to_string(signal.draft.action));
    const std::string evidence = signal.draft.evidence.dump();
    const std::string at = to_sql_time(now);
    const long long member = signal.member_id.value_or(0);
    const long long purchase = signal.purchase_id.value_or(0);
    soci::indicator member_i = signal.member_id ? soci::i_ok : soci::i_null;
    soci::indicator purchase_i = signal.purchase_id ? soci::i_ok : soci::i_null;
    soci::statement statement =
        (sql.prepare << "INSERT IGNORE INTO fraud_signals (program_id, kind, subject_key, member_id, purchase_id,"
                        " action, evidence, raised_at) VALUES (:program, :kind, :subject, :member, :purchase,"
                        " :action, :evidence, :at)",
         soci::use(signal.program_id), soci::use(kind), soci::use(signal.draft.subject_key),
         soci::use(member, member_i), soci::use(purchase, purchase_i), soci::use(action), soci::use(evidence),
         soci::use(at));
    statement.execute(true);
    if (statement.get_affected_rows() == 0) return std::nullopt;
    return last_insert_id(sql);
}

std::optional<SignalRecord> find_signal(soci::session& sql, long long program_id, long long id, bool for_update) {
    std::optional<SignalRecord> found;
    {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " + signal_columns() +
                                " FROM fraud_signals WHERE id = :id AND program_id = :program" +
                                (for_update ? " FOR UPDATE" : ""),
             soci::use(id), soci::use(program_id));
        for (const soci::row& row : rows) found = read_signal(row);
    }
    if (!found) return found;
    sql << "SELECT CAST(IFNULL(SUM(remaining), 0) AS SIGNED) FROM point_lots WHERE held_by = :id AND state = 'pending'",
        soci::into(found->points_held), soci::use(id);
    soci::rowset<std::string> cards =
        (sql.prepare << "SELECT card_number FROM fraud_signal_cards WHERE signal_id = :id ORDER BY card_number",
         soci::use(id));
    for (const std::string& card : cards) found->blocked_cards.push_back(card);
    return found;
}

std::vector<SignalRecord> list_signals(soci::session& sql, const SignalQuery& query) {
    std::string where = " WHERE program_id = :program";
    const std::string state = query.state ? std::string(core::to_string(*query.state)) : std::string();
    const std::string kind = query.kind ? std::string(core::to_string(*query.kind)) : std::string();
    const long long member = query.member_id.value_or(0);
    const long long before = query.before_id.value_or(0);
    if (query.state) where += " AND state = :state";
    if (query.kind) where += " AND kind = :kind";
    if (query.member_id) where += " AND member_id = :member";
    if (query.before_id) where += " AND id < :before";
    soci::statement statement(sql);
    statement.alloc();
    statement.prepare("SELECT " + signal_columns() + " FROM fraud_signals" + where + " ORDER BY id DESC LIMIT :limit");
    soci::row row;
    statement.exchange(soci::into(row));
    statement.exchange(soci::use(query.program_id, "program"));
    if (query.state) statement.exchange(soci::use(state, "state"));
    if (query.kind) statement.exchange(soci::use(kind, "kind"));
    if (query.member_id) statement.exchange(soci::use(member, "member"));
    if (query.before_id) statement.exchange(soci::use(before, "before"));
    statement.exchange(soci::use(query.limit, "limit"));
    statement.define_and_bind();
    std::vector<SignalRecord> signals;
    if (!statement.execute(true)) return signals;
    do {
        signals.push_back(read_signal(row));
    } while (statement.fetch());
    return signals;
}

void hold_member_points(soci::session& sql, long long member_id, long long signal_id) {
    sql << "UPDATE member_accounts SET fraud_hold_id = :signal WHERE member_id = :member AND fraud_hold_id IS NULL",
        soci::use(signal_id), soci::use(member_id);
}

std::vector<std::string> block_member_cards(soci::session& sql, long long member_id, long long signal_id,
                                            core::Timestamp now) {
    std::vector<std::string> numbers;
    {
        soci::rowset<std::string> rows =
            (sql.prepare << "SELECT number FROM cards WHERE member_id = :member AND state = 'active' ORDER BY number"
                            " FOR UPDATE",
             soci::use(member_id));
        for (const std::string& number : rows) numbers.push_back(number);
    }
    if (numbers.empty()) return numbers;
    const std::string at = to_sql_time(now);
    const std::string reason = "fraud signal " + std::to_string(signal_id);
    sql << "UPDATE cards SET state = 'blocked', state_reason = :reason, state_changed_at = :at"
           " WHERE member_id = :member AND state = 'active'",
        soci::use(reason), soci::use(at), soci::use(member_id);
    sql << "INSERT INTO fraud_signal_cards (signal_id, card_number) SELECT :signal, number FROM cards"
           " WHERE member_id = :member AND state_reason = :reason AND state = 'blocked'",
        soci::use(signal_id), soci::use(member_id), soci::use(reason);
    return numbers;
}

void end_member_hold(soci::session& sql, long long member_id, long long signal_id) {
    sql << "UPDATE member_accounts SET fraud_hold_id = (SELECT MAX(s.id) FROM fraud_signals s"
           " WHERE s.member_id = :member AND s.state = 'open' AND s.action <> 'flag' AND s.id <> :signal)"
           " WHERE member_id = :member2 AND fraud_hold_id = :signal2",
        soci::use(member_id), soci::use(signal_id), soci::use(member_id), soci::use(signal_id);
}

void unhold_lots(soci::session& sql, long long signal_id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE point_lots SET expires_at = expires_at + INTERVAL GREATEST(TIMESTAMPDIFF(MICROSECOND,"
           " pending_until, :now), 0) MICROSECOND, expiry_noticed = 0, held_by = NULL WHERE held_by = :signal",
        soci::use(at), soci::use(signal_id);
}

std::vector<HeldLot> held_lots(soci::session& sql, long long signal_id) {
    std::vector<HeldLot> lots;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), remaining FROM point_lots WHERE held_by = :signal"
                        " AND state = 'pending' AND remaining > 0 ORDER BY id FOR UPDATE",
         soci::use(signal_id));
    for (const soci::row& row : rows) lots.push_back(HeldLot{integer_at(row, 0), integer_at(row, 1)});
    return lots;
}

void unblock_cards(soci::session& sql, long long signal_id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE cards c JOIN fraud_signal_cards f ON f.card_number = c.number SET c.state = 'active',"
           " c.state_reason = NULL, c.state_changed_at = :at WHERE f.signal_id = :signal AND c.state = 'blocked'"
           " AND c.state_reason = CONCAT('fraud signal ', f.signal_id)",
        soci::use(at), soci::use(signal_id);
}

void record_review(soci::session& sql, long long signal_id, const SignalReview& review, core::Timestamp now) {
    const std::string state(core::to_string(review.state));
    const std::string at = to_sql_time(now);
    sql << "UPDATE fraud_signals SET state = :state, reviewed_at = :at, reviewed_by = :by, review_note = :note,"
           " points_forfeited = :forfeited WHERE id = :id",
        soci::use(state), soci::use(at), soci::use(review.by), soci::use(review.note),
        soci::use(review.points_forfeited), soci::use(signal_id);
}

CardActivity card_activity(soci::session& sql, long long member_id, const std::string& card, long long store_id,
                           long long purchase_id, core::Timestamp received_at, core::Timestamp pos_time,
                           const core::CardVelocityWatch& watch) {
    CardActivity activity;
    if (watch.purchases_per_hour > 0) {
        const std::string hour_ago = to_sql_time(received_at - std::chrono::hours(1));
        const std::string until = to_sql_time(received_at);
        sql << "SELECT COUNT(*) FROM (SELECT 1 FROM purchases FORCE INDEX (ix_purchases_member)"
               " WHERE member_id = :member AND received_at >= :from"
               " AND received_at <= :until AND kind = 'purchase' AND card_number = :card LIMIT :cap) counted",
            soci::into(activity.purchases_last_hour), soci::use(member_id), soci::use(hour_ago), soci::use(until),
            soci::use(card), soci::use(watch.purchases_per_hour);
    }
    if (watch.other_store_minutes <= 0) return activity;
    // Her last purchase received within the day before: read backwards along the member index
    // (named: with the optimiser's own choice, the join to stores came first, then a temporary
    // table sorted her day's purchases on every commit), the store's code only for a sighting.
    const std::string day_before = to_sql_time(received_at - std::chrono::days(1));
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), CAST(store_id AS SIGNED), " + time_column("pos_time") +
                            " FROM purchases FORCE INDEX (ix_purchases_member) WHERE member_id = :member"
                            " AND received_at >= :from AND kind = 'purchase' AND voided_at IS NULL"
                            " AND card_number = :card AND id <> :purchase"
                            " ORDER BY received_at DESC, id DESC LIMIT 1",
         soci::use(member_id), soci::use(day_before), soci::use(card), soci::use(purchase_id));
    long long other_store = 0;  // Read once the rows are done with: the session is theirs till then.
    for (const soci::row& row : rows) {
        const core::Timestamp previous = time_at(row, 2).value_or(core::Timestamp{});
        if (integer_at(row, 1) != store_id &&
            std::chrono::abs(previous - pos_time) < std::chrono::minutes(watch.other_store_minutes)) {
            other_store = integer_at(row, 1);
            activity.elsewhere = core::CardUse::Elsewhere{integer_at(row, 0), "", previous};
        }
    }
    if (activity.elsewhere) activity.elsewhere->store = find_store(sql, other_store).value_or(StoreRecord{}).code;
    return activity;
}

long long returns_taking_points(soci::session& sql, long long member_id, core::Timestamp since, core::Timestamp until,
                                int cap) {
    const std::string from = to_sql_time(since);
    const std::string to = to_sql_time(until);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM (SELECT 1 FROM purchases WHERE member_id = :member AND received_at >= :from"
           " AND received_at <= :to AND kind IN ('return', 'void') AND original_id IS NOT NULL AND points_earned < 0"
           " LIMIT :cap) counted",
        soci::into(count), soci::use(member_id), soci::use(from), soci::use(to), soci::use(cap);
    return count;
}

long long adjustments_by(soci::session& sql, long long program_id, const std::optional<long long>& staff_user_id,
                         const std::string& staff, core::Timestamp since, int cap) {
    const std::string from = to_sql_time(since);
    long long count = 0;
    if (staff_user_id) {
        sql << "SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE program_id = :program AND staff_user_id = :user"
               " AND action = 'points.adjust' AND created_at >= :from LIMIT :cap) counted",
            soci::into(count), soci::use(program_id), soci::use(*staff_user_id), soci::use(from), soci::use(cap);
    } else {
        sql << "SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE program_id = :program AND actor = :actor"
               " AND action = 'points.adjust' AND created_at >= :from LIMIT :cap) counted",
            soci::into(count), soci::use(program_id), soci::use(staff), soci::use(from), soci::use(cap);
    }
    return count;
}

void move_fraud_signals(soci::session& sql, long long from, long long into) {
    sql << "UPDATE member_accounts i JOIN member_accounts f ON f.member_id = :from SET i.fraud_hold_id ="
           " IFNULL(i.fraud_hold_id, f.fraud_hold_id) WHERE i.member_id = :into",
        soci::use(from), soci::use(into);
    sql << "UPDATE fraud_signals SET member_id = :into WHERE member_id = :from", soci::use(into), soci::use(from);
    sql << "UPDATE member_accounts SET fraud_hold_id = NULL WHERE member_id = :from", soci::use(from);
}

}  // namespace patron::store
