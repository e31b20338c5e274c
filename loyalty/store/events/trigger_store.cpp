#include "loyalty/store/events/trigger_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/insight/purchase_sql.h"

namespace patron::store {
namespace {

const std::string kTriggerColumns =
    "CAST(id AS SIGNED), CAST(program_id AS SIGNED), name, state, rule,"
    " CAST(version AS SIGNED), " +
    time_column("scanned_at") + ", CAST(scanned_id AS SIGNED), " + time_column("created_at") + ", " +
    time_column("changed_at") + ", changed_by";

TriggerRecord trigger_of(const soci::row& row) {
    TriggerRecord record;
    record.id = integer_at(row, 0);
    record.program_id = integer_at(row, 1);
    record.name = row.get<std::string>(2);
    record.state = core::parse_trigger_state(row.get<std::string>(3)).value_or(core::TriggerState::kPaused);
    record.rule = row.get<std::string>(4);
    record.version = static_cast<int>(integer_at(row, 5));
    record.scanned_at = time_at(row, 6);
    record.scanned_id = integer_at(row, 7);
    record.created_at = time_at(row, 8).value_or(core::Timestamp{});
    record.changed_at = time_at(row, 9).value_or(core::Timestamp{});
    record.changed_by = row.get<std::string>(10);
    return record;
}

std::vector<TriggerRecord> triggers_where(soci::session& sql, const std::string& where) {
    std::vector<TriggerRecord> found;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT " << kTriggerColumns << " FROM triggers " << where);
    for (const soci::row& row : rows) found.push_back(trigger_of(row));
    return found;
}

}  // namespace

long long insert_trigger(soci::session& sql, long long program_id, const core::TriggerDocument& document,
                         core::TriggerState state, std::optional<core::Timestamp> scan_from, const std::string& by,
                         core::Timestamp now) {
    const std::string at = to_sql_time(now);
    const std::string state_name(core::to_string(state));
    const std::string condition(core::to_string(document.trigger.condition));
    soci::indicator scan_null = scan_from ? soci::i_ok : soci::i_null;
    const std::string scan = scan_from ? to_sql_time(*scan_from) : std::string();
    sql << "INSERT INTO triggers (program_id, name, state, condition_kind, rule, scanned_at, created_at, changed_at,"
           " changed_by) VALUES (:program, :name, :state, :condition, :rule, :scan, :at, :at2, :by)",
        soci::use(program_id), soci::use(document.trigger.name), soci::use(state_name), soci::use(condition),
        soci::use(document.rule_text), soci::use(scan, scan_null), soci::use(at), soci::use(at), soci::use(by);
    return last_insert_id(sql);
}

void update_trigger(soci::session& sql, const TriggerRecord& trigger, const std::string& condition_kind,
                    std::optional<core::Timestamp> scan_from, const std::string& by, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    const std::string state_name(core::to_string(trigger.state));
    const std::string scan = scan_from ? to_sql_time(*scan_from) : std::string();
    const int rescan = scan_from ? 1 : 0;
    sql << "UPDATE triggers SET name = :name, state = :state, condition_kind = :condition, rule = :rule,"
           " version = version + 1, scanned_at = IF(:rescan = 1, :scan, scanned_at),"
           " scanned_id = IF(:rescan2 = 1, 0, scanned_id), changed_at = :at, changed_by = :by WHERE id = :id",
        soci::use(trigger.name), soci::use(state_name), soci::use(condition_kind), soci::use(trigger.rule),
        soci::use(rescan), soci::use(scan), soci::use(rescan), soci::use(at), soci::use(by), soci::use(trigger.id);
}

std::optional<TriggerRecord> find_trigger(soci::session& sql, long long program_id, long long id, bool for_update) {
    auto found =
        triggers_where(sql, "WHERE id = " + std::to_string(id) + " AND program_id = " + std::to_string(program_id) +
                                (for_update ? " FOR UPDATE" : ""));
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<TriggerRecord> list_triggers(soci::session& sql, long long program_id) {
    return triggers_where(sql, "WHERE program_id = " + std::to_string(program_id) + " ORDER BY id");
}

std::vector<TriggerRecord> active_triggers(soci::session& sql, std::optional<long long> program_id) {
    return triggers_where(sql, "WHERE state = 'active'" +
                                   (program_id ? " AND program_id = " + std::to_string(*program_id) : std::string()) +
                                   " ORDER BY id");
}

long long count_live_triggers(soci::session& sql, long long program_id) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM triggers WHERE program_id = :program AND state <> 'ended'", soci::use(program_id),
        soci::into(count);
    return count;
}

bool trigger_is_current(soci::session& sql, long long trigger_id, int version) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM triggers WHERE id = :id AND version = :version AND state = 'active'",
        soci::use(trigger_id), soci::use(version), soci::into(count);
    return count > 0;
}

void move_trigger_firings(soci::session& sql, long long from, long long into) {
    sql << "UPDATE IGNORE trigger_firings SET member_id = :into WHERE member_id = :from", soci::use(into),
        soci::use(from);
    sql << "DELETE FROM trigger_firings WHERE member_id = :from", soci::use(from);
}

std::map<long long, FiringCounts> firing_counts(soci::session& sql, std::span<const long long> trigger_ids,
                                                core::Timestamp now) {
    std::map<long long, FiringCounts> counts;
    if (trigger_ids.empty()) return counts;
    const std::string month_ago = to_sql_time(now - std::chrono::days(30));
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(trigger_id AS SIGNED), COUNT(*), CAST(SUM(fired_at >= :since) AS SIGNED), "
                     << time_column("MAX(fired_at)") << " FROM trigger_firings WHERE trigger_id IN ("
                     << id_list(trigger_ids) << ") GROUP BY trigger_id",
         soci::use(month_ago));
    for (const soci::row& row : rows) {
        counts[integer_at(row, 0)] = FiringCounts{integer_at(row, 1), integer_at(row, 2), time_at(row, 3)};
    }
    return counts;
}

std::vector<FiringRecord> recent_firings(soci::session& sql, long long trigger_id, int limit) {
    std::vector<FiringRecord> found;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(member_id AS SIGNED), window_key, CAST(trigger_version AS SIGNED), outcome, "
                     << time_column("fired_at") << " FROM trigger_firings WHERE trigger_id = :id"
                     << " ORDER BY fired_at DESC, id DESC LIMIT " << limit,
         soci::use(trigger_id));
    for (const soci::row& row : rows) {
        found.push_back({integer_at(row, 0), row.get<std::string>(1), static_cast<int>(integer_at(row, 2)),
                         row.get<std::string>(3), time_at(row, 4).value_or(core::Timestamp{})});
    }
    return found;
}

std::optional<long long> insert_firing(soci::session& sql, long long trigger_id, int trigger_version,
                                       long long member_id, const std::string& window_key, core::Timestamp at) {
    const std::string when = to_sql_time(at);
    soci::statement statement =
        (sql.prepare << "INSERT IGNORE INTO trigger_firings (trigger_id, member_id, window_key, trigger_version,"
                        " outcome, fired_at) VALUES (:trigger, :member, :window, :version, 'fired', :at)",
         soci::use(trigger_id), soci::use(member_id), soci::use(window_key), soci::use(trigger_version),
         soci::use(when));
    statement.execute(true);
    if (statement.get_affected_rows() == 0) return std::nullopt;
    return last_insert_id(sql);
}

void set_firing_outcome(soci::session& sql, long long firing_id, const std::string& outcome) {
    sql << "UPDATE trigger_firings SET outcome = :outcome WHERE id = :id", soci::use(outcome), soci::use(firing_id);
}

bool fired_since(soci::session& sql, long long trigger_id, long long member_id, core::Timestamp since) {
    const std::string from = to_sql_time(since);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM trigger_firings WHERE trigger_id = :trigger AND member_id = :member"
           " AND fired_at >= :since",
        soci::use(trigger_id), soci::use(member_id), soci::use(from), soci::into(count);
    return count > 0;
}

long long forget_old_firings(soci::session& sql, core::Timestamp before, int limit) {
    const std::string until = to_sql_time(before);
    soci::statement statement =
        (sql.prepare << "DELETE FROM trigger_firings WHERE fired_at < :before ORDER BY fired_at LIMIT " << limit,
         soci::use(until));
    statement.execute(true);
    return statement.get_affected_rows();
}

std::vector<UnseenEvent> events_unseen_by_triggers(soci::session& sql, int limit) {
    std::vector<UnseenEvent> events;
    // A plain read: it locks nothing, so the tills' inserts of new events never wait on it.
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(e.id AS SIGNED), CAST(e.program_id AS SIGNED), e.event_type,"
                        " CAST(e.member_id AS SIGNED), "
                     << time_column("e.occurred_at") << ", " << time_column("p.pos_time")
                     << " FROM outbox_events e LEFT JOIN purchases p ON e.event_type IN ('purchase_committed',"
                        " 'purchase_claimed', 'purchase_returned') AND p.id = CAST(JSON_VALUE(e.data, '$.purchase_id')"
                        " AS UNSIGNED) WHERE e.triggers_seen = 0 ORDER BY e.id LIMIT "
                     << limit);
    for (const soci::row& row : rows) {
        UnseenEvent event;
        event.id = integer_at(row, 0);
        event.program_id = integer_at(row, 1);
        event.type = row.get<std::string>(2);
        if (row.get_indicator(3) != soci::i_null) event.member_id = integer_at(row, 3);
        event.occurred_at = time_at(row, 4).value_or(core::Timestamp{});
        event.purchase_time = time_at(row, 5);
        events.push_back(std::move(event));
    }
    return events;
}

void mark_seen_by_triggers(soci::session& sql, std::span<const long long> event_ids, int seen) {
    if (event_ids.empty()) return;
    sql << "UPDATE outbox_events SET triggers_seen = " + std::to_string(seen == 2 ? 2 : 1) + " WHERE id IN (" +
               id_list(event_ids) + ")";
}

core::TriggerCounts member_counts(soci::session& sql, long long member_id, core::Timestamp from,
                                  core::Timestamp until) {
    const std::string first = to_sql_time(from);
    const std::string end = to_sql_time(until);
    long long visits = 0;
    long long spend = 0;
    long long returns = 0;
    // The member's purchases by ix_purchases_member, then their till times.
    sql << std::string("SELECT CAST(COALESCE(SUM(") + kKeptPurchase + "), 0) AS SIGNED), CAST(COALESCE(SUM(" +
               kNetSpend + "), 0) AS SIGNED), CAST(COALESCE(SUM(p.kind = 'return'), 0) AS SIGNED)" +
               " FROM purchases p WHERE p.member_id = :member AND p.pos_time >= :from AND p.pos_time < :until",
        soci::use(member_id), soci::use(first), soci::use(end), soci::into(visits), soci::into(spend),
        soci::into(returns);
    return core::TriggerCounts{visits, spend, returns};
}

std::vector<ReceivedPurchase> purchases_received(soci::session& sql, long long program_id, core::Timestamp after_at,
                                                 long long after_id, core::Timestamp until, int limit) {
    const std::string after = to_sql_time(after_at);
    const std::string end = to_sql_time(until);
    std::vector<ReceivedPurchase> found;
    // The range of ix_purchases_program_received (program_id, received_at, member_id, kind, voided_at).
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(p.id AS SIGNED), CAST(p.member_id AS SIGNED), " << time_column("p.received_at")
                     << " FROM purchases p FORCE INDEX (ix_purchases_program_received)"
                        " STRAIGHT_JOIN member_accounts a ON a.member_id = p.member_id"
                        " AND a.last_purchase_at = p.received_at"
                        " WHERE p.program_id = :program AND p.received_at >= :after AND p.received_at <= :until"
                        " AND (p.received_at > :after2 OR p.id > :after_id) AND p.member_id IS NOT NULL AND "
                     << kKeptPurchase << " ORDER BY p.received_at, p.id LIMIT " << limit,
         soci::use(program_id), soci::use(after), soci::use(end), soci::use(after), soci::use(after_id));
    for (const soci::row& row : rows) {
        found.push_back({integer_at(row, 0), integer_at(row, 1), time_at(row, 2).value_or(core::Timestamp{})});
    }
    return found;
}

std::vector<Enrolment> members_enrolled_within(soci::session& sql, long long program_id,
                                               const std::vector<std::pair<core::Timestamp, core::Timestamp>>& days,
                                               long long after_id, int limit) {
    std::vector<Enrolment> found;
    if (days.empty()) return found;
    // Ranges of ix_members_program_created (program_id, created_at, status); the instants are
    // Patron's own, written by to_sql_time.
    std::string within;
    for (const auto& [start, end] : days) {
        within += std::string(within.empty() ? "" : " OR ") + "(created_at >= '" + to_sql_time(start) +
                  "' AND created_at < '" + to_sql_time(end) + "')";
    }
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), " << time_column("created_at")
                     << " FROM members WHERE program_id = :program AND status = 'active' AND id > :after AND ("
                     << within << ") ORDER BY id LIMIT " << limit,
         soci::use(program_id), soci::use(after_id));
    for (const soci::row& row : rows)
        found.push_back({integer_at(row, 0), time_at(row, 1).value_or(core::Timestamp{})});
    return found;
}

void set_scan_cursor(soci::session& sql, long long trigger_id, int version, core::Timestamp at, long long id) {
    const std::string when = to_sql_time(at);
    sql << "UPDATE triggers SET scanned_at = :at, scanned_id = :id WHERE id = :trigger AND version = :version"
           " AND (scanned_at IS NULL OR scanned_at < :at2 OR (scanned_at = :at3 AND scanned_id < :id2))",
        soci::use(when), soci::use(id), soci::use(trigger_id), soci::use(version), soci::use(when), soci::use(when),
        soci::use(id);
}

std::optional<core::Timestamp> last_purchase_at(soci::session& sql, long long member_id) {
    std::string text;
    soci::indicator indicator = soci::i_null;
    sql << "SELECT " << time_column("last_purchase_at") << " FROM member_accounts WHERE member_id = :member",
        soci::use(member_id), soci::into(text, indicator);
    if (!sql.got_data() || indicator == soci::i_null) return std::nullopt;
    return from_sql_time(text);
}

}  // namespace patron::store
