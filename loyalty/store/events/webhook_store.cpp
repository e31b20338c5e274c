#include "loyalty/store/events/webhook_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "loyalty/core/utf8.h"
#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

std::string joined(const std::vector<std::string>& types) {
    std::string text;
    for (const std::string& type : types) text += (text.empty() ? "" : ",") + type;
    return text;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> types;
    std::stringstream in(text);
    for (std::string type; std::getline(in, type, ',');) {
        if (!type.empty()) types.push_back(type);
    }
    return types;
}

std::optional<core::Timestamp> optional_time(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return std::nullopt;
    return from_sql_time(row.get<std::string>(column));
}

std::optional<long long> optional_integer(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return std::nullopt;
    return integer_at(row, column);
}

const std::string& subscription_columns() {
    static const std::string columns =
        "CAST(id AS SIGNED), CAST(program_id AS SIGNED), url, description, event_types, state, HEX(secret_sealed), "
        "master_key_id, CAST(after_event_id AS SIGNED), " +
        time_column("created_at") + ", " + time_column("updated_at");
    return columns;
}

WebhookSubscriptionRecord subscription_from(const soci::row& row) {
    WebhookSubscriptionRecord record;
    record.id = integer_at(row, 0);
    record.program_id = integer_at(row, 1);
    record.url = row.get<std::string>(2);
    record.description = row.get<std::string>(3);
    record.event_types = split(row.get<std::string>(4));
    record.state = core::parse_webhook_state(row.get<std::string>(5)).value_or(core::WebhookState::kPaused);
    record.secret_sealed = crypto::from_hex(row.get<std::string>(6)).value_or(crypto::Bytes{});
    record.master_key_id = row.get<std::string>(7);
    record.after_event_id = integer_at(row, 8);
    record.created_at = from_sql_time(row.get<std::string>(9)).value_or(core::Timestamp{});
    record.updated_at = from_sql_time(row.get<std::string>(10)).value_or(core::Timestamp{});
    return record;
}

// Subscriptions not deleted, `also` (" AND ...") when given, `lock` (" LOCK IN SHARE MODE") too.
std::vector<WebhookSubscriptionRecord> subscriptions_where(soci::session& sql, const std::string& also,
                                                           const char* lock = "") {
    std::vector<WebhookSubscriptionRecord> records;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << subscription_columns() << " FROM webhook_subscriptions WHERE deleted_at IS NULL"
                     << also << " ORDER BY id" << lock);
    for (const soci::row& row : rows) records.push_back(subscription_from(row));
    return records;
}

const std::string& delivery_columns() {
    static const std::string columns =
        "CAST(d.id AS SIGNED), CAST(d.subscription_id AS SIGNED), CAST(d.event_id AS SIGNED), e.event_type, "
        "CAST(d.member_id AS SIGNED), d.state, CAST(d.attempts AS SIGNED), " +
        time_column("d.created_at") + ", " + time_column("d.next_attempt_at") + ", " +
        time_column("d.last_attempt_at") + ", CAST(d.last_status AS SIGNED), d.last_error, " +
        time_column("d.delivered_at");
    return columns;
}

DeliveryRecord delivery_from(const soci::row& row) {
    DeliveryRecord record;
    record.id = integer_at(row, 0);
    record.subscription_id = integer_at(row, 1);
    record.event_id = integer_at(row, 2);
    record.event_type = row.get<std::string>(3);
    record.member_id = optional_integer(row, 4);
    record.state = parse_delivery_state(row.get<std::string>(5)).value_or(DeliveryState::kPending);
    record.attempts = static_cast<int>(integer_at(row, 6));
    record.created_at = from_sql_time(row.get<std::string>(7)).value_or(core::Timestamp{});
    record.next_attempt_at = from_sql_time(row.get<std::string>(8)).value_or(core::Timestamp{});
    record.last_attempt_at = optional_time(row, 9);
    if (auto status = optional_integer(row, 10)) record.last_status = static_cast<int>(*status);
    if (row.get_indicator(11) != soci::i_null) record.last_error = row.get<std::string>(11);
    record.delivered_at = optional_time(row, 12);
    return record;
}

}  // namespace

long long insert_webhook_subscription(soci::session& sql, const WebhookSubscriptionRecord& record) {
    const std::string types = joined(record.event_types);
    const std::string state(core::to_string(record.state));
    const std::string secret = crypto::to_hex(record.secret_sealed);
    const std::string created = to_sql_time(record.created_at);
    sql << "INSERT INTO webhook_subscriptions (program_id, url, description, event_types, state, secret_sealed,"
           " master_key_id, after_event_id, created_at, updated_at)"
           " SELECT :program, :url, :description, :types, :state, UNHEX(:secret), :master, COALESCE(MAX(id), 0),"
           " :created, :updated FROM outbox_events",
        soci::use(record.program_id), soci::use(record.url), soci::use(record.description), soci::use(types),
        soci::use(state), soci::use(secret), soci::use(record.master_key_id), soci::use(created), soci::use(created);
    return last_insert_id(sql);
}

void set_webhook_secret(soci::session& sql, long long id, const crypto::Bytes& sealed) {
    const std::string hex = crypto::to_hex(sealed);
    sql << "UPDATE webhook_subscriptions SET secret_sealed = UNHEX(:sealed) WHERE id = :id", soci::use(hex),
        soci::use(id);
}

void update_webhook_subscription(soci::session& sql, const WebhookSubscriptionRecord& record) {
    const std::string types = joined(record.event_types);
    const std::string state(core::to_string(record.state));
    const std::string updated = to_sql_time(record.updated_at);
    sql << "UPDATE webhook_subscriptions SET url = :url, description = :description, event_types = :types,"
           " state = :state, updated_at = :updated WHERE id = :id",
        soci::use(record.url), soci::use(record.description), soci::use(types), soci::use(state), soci::use(updated),
        soci::use(record.id);
}

std::optional<WebhookSubscriptionRecord> find_webhook_subscription(soci::session& sql, long long program_id,
                                                                   long long id, bool for_update) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << subscription_columns()
                     << " FROM webhook_subscriptions WHERE id = :id AND program_id = :program"
                        " AND deleted_at IS NULL"
                     << (for_update ? " FOR UPDATE" : ""),
         soci::use(id), soci::use(program_id));
    for (const soci::row& row : rows) return subscription_from(row);
    return std::nullopt;
}

std::vector<WebhookSubscriptionRecord> webhook_subscriptions_of_program(soci::session& sql, long long program_id) {
    return subscriptions_where(sql, " AND program_id = " + std::to_string(program_id));
}

std::vector<WebhookSubscriptionRecord> all_webhook_subscriptions(soci::session& sql) {
    return subscriptions_where(sql, "");
}

long long count_webhook_subscriptions_locked(soci::session& sql, long long program_id) {
    // The programme's row written, not only locked: Galera (docs/cluster.md, "Row locks").
    sql << "UPDATE programs SET write_mark = write_mark + 1 WHERE id = :program", soci::use(program_id);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM webhook_subscriptions WHERE program_id = :program AND deleted_at IS NULL",
        soci::use(program_id), soci::into(count);
    return count;
}

void delete_webhook_subscription(soci::session& sql, long long id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE webhook_subscriptions SET deleted_at = :at, updated_at = :updated WHERE id = :id"
           " AND deleted_at IS NULL",
        soci::use(at), soci::use(at), soci::use(id);
}

int hand_out_events(soci::session& sql, core::Timestamp now, int limit) {
    struct Waiting {
        long long id;
        long long program_id;
        std::string type;
        std::optional<long long> member_id;
    };
    std::vector<Waiting> events;
    {
        // A plain read: it locks nothing, so the tills' inserts of new events never wait on it.
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT CAST(id AS SIGNED), CAST(program_id AS SIGNED), event_type,"
                            " CAST(member_id AS SIGNED) FROM outbox_events WHERE handed_out = 0 ORDER BY id LIMIT "
                         << limit);
        for (const soci::row& row : rows) {
            events.push_back(
                {integer_at(row, 0), integer_at(row, 1), row.get<std::string>(2), optional_integer(row, 3)});
        }
    }
    if (events.empty()) return 0;
    // After the events (see the header); shared locks held to the commit, so that a deletion (which
    // locks the row for update) waits for a hand-out that saw the subscription, and no delivery is
    // written for a subscription once it is deleted.
    const std::vector<WebhookSubscriptionRecord> subscriptions = subscriptions_where(sql, "", " LOCK IN SHARE MODE");
    std::string values;
    for (const WebhookSubscriptionRecord& subscription : subscriptions) {
        std::vector<const Waiting*> wanted;
        std::vector<long long> members;
        for (const Waiting& event : events) {
            if (subscription.program_id != event.program_id || event.id <= subscription.after_event_id ||
                !core::wants_event(subscription.event_types, event.type)) {
                continue;
            }
            wanted.push_back(&event);
            if (event.member_id) members.push_back(*event.member_id);
        }
        if (wanted.empty()) continue;
        // The members whose deliveries wait behind a pending one: due no sooner than it.
        std::map<long long, std::string> behind;
        if (!members.empty()) {
            std::sort(members.begin(), members.end());
            members.erase(std::unique(members.begin(), members.end()), members.end());
            soci::rowset<soci::row> rows =
                (sql.prepare << "SELECT CAST(member_id AS SIGNED), " << time_column("MAX(next_attempt_at)")
                             << " FROM webhook_deliveries WHERE subscription_id = " << subscription.id
                             << " AND state = 'pending' AND member_id IN (" << id_list(members)
                             << ") GROUP BY member_id");
            for (const soci::row& row : rows) behind[integer_at(row, 0)] = row.get<std::string>(1);
        }
        const std::string now_text = to_sql_time(now);
        for (const Waiting* event : wanted) {
            std::string due = now_text;
            if (event->member_id) {
                const auto found = behind.find(*event->member_id);
                if (found != behind.end() && found->second > due) due = found->second;
            }
            const std::string at = sql_text(sql, due);
            values += (values.empty() ? "(" : ",(") + std::to_string(subscription.id) + "," +
                      std::to_string(event->id) + "," + sql_number_or_null(event->member_id) + "," +
                      sql_text(sql, now_text) + "," + at + ")";
        }
    }
    if (!values.empty()) {
        // IGNORE: an event handed out already to this subscription (by a dispatcher whose lease had
        // just run out) keeps its one delivery.
        sql << "INSERT IGNORE INTO webhook_deliveries (subscription_id, event_id, member_id, created_at,"
               " next_attempt_at) VALUES " +
                   values;
    }
    std::vector<long long> ids;
    ids.reserve(events.size());
    for (const Waiting& event : events) ids.push_back(event.id);
    sql << "UPDATE outbox_events SET handed_out = 1 WHERE id IN (" + id_list(ids) + ")";
    return static_cast<int>(events.size());
}

std::vector<DueDelivery> claim_due_deliveries(soci::session& sql, long long subscription_id, core::Timestamp now,
                                              core::Timestamp claim_until, int limit) {
    const std::string at = to_sql_time(now);
    std::vector<DueDelivery> due;
    {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT CAST(d.id AS SIGNED), CAST(d.member_id AS SIGNED), CAST(d.attempts AS SIGNED), "
                         << time_column("d.first_attempt_at")
                         << ", CAST(e.id AS SIGNED), e.event_type, e.version, CAST(e.program_id AS SIGNED), "
                         << time_column("e.occurred_at")
                         << ", e.data, CAST(d.window_attempts AS SIGNED)"
                            " FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id"
                            " JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.deleted_at IS NULL"
                            " AND s.state = 'active'"
                            " WHERE d.subscription_id = :subscription AND d.state = 'pending'"
                            " AND d.next_attempt_at <= :now AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p"
                            " WHERE p.subscription_id = d.subscription_id AND p.member_id = d.member_id"
                            " AND p.state = 'pending' AND p.event_id < d.event_id)"
                            " ORDER BY d.next_attempt_at, d.id LIMIT "
                         << limit << " FOR UPDATE",
             soci::use(subscription_id), soci::use(at));
        for (const soci::row& row : rows) {
            DueDelivery delivery;
            delivery.id = integer_at(row, 0);
            delivery.subscription_id = subscription_id;
            delivery.member_id = optional_integer(row, 1);
            delivery.attempts = static_cast<int>(integer_at(row, 2));
            delivery.first_attempt_at = optional_time(row, 3);
            delivery.event.id = integer_at(row, 4);
            delivery.event.type = row.get<std::string>(5);
            delivery.event.version = static_cast<int>(integer_at(row, 6));
            delivery.event.program_id = integer_at(row, 7);
            delivery.event.member_id = delivery.member_id;
            delivery.event.occurred_at = from_sql_time(row.get<std::string>(8)).value_or(core::Timestamp{});
            delivery.event.data = row.get<std::string>(9);
            delivery.window_attempts = static_cast<int>(integer_at(row, 10));
            delivery.claimed_until = claim_until;
            due.push_back(std::move(delivery));
        }
    }
    if (due.empty()) return due;
    std::vector<long long> ids;
    for (const DueDelivery& delivery : due) ids.push_back(delivery.id);
    sql << "UPDATE webhook_deliveries SET next_attempt_at = " + sql_text(sql, to_sql_time(claim_until)) +
               " WHERE id IN (" + id_list(ids) + ")";
    return due;
}

bool record_attempt(soci::session& sql, long long delivery_id, const AttemptOutcome& outcome) {
    const std::string at = to_sql_time(outcome.attempted_at);
    const std::string claim = to_sql_time(outcome.claimed_until);
    const std::string error(core::utf8_prefix(outcome.error, 200));
    soci::indicator status_indicator = outcome.status ? soci::i_ok : soci::i_null;
    const int status = outcome.status.value_or(0);
    soci::indicator error_indicator = error.empty() ? soci::i_null : soci::i_ok;
    const std::string state = outcome.delivered ? "delivered" : outcome.dead ? "dead" : "pending";
    const std::string next =
        to_sql_time(outcome.delivered || outcome.dead ? outcome.attempted_at : outcome.next_attempt_at);
    const std::string first = to_sql_time(outcome.first_attempt_at.value_or(outcome.attempted_at));
    const std::string delivered_at = to_sql_time(outcome.attempted_at);
    soci::indicator delivered_indicator = outcome.delivered ? soci::i_ok : soci::i_null;
    soci::statement update =
        (sql.prepare
             << "UPDATE webhook_deliveries SET attempts = attempts + 1, window_attempts = window_attempts + 1,"
                " state = :state, next_attempt_at = :next, first_attempt_at = COALESCE(first_attempt_at, :first),"
                " last_attempt_at = :at, last_status = :status, last_error = :error, delivered_at = :delivered"
                " WHERE id = :id AND state = 'pending' AND next_attempt_at = :claim",
         soci::use(state), soci::use(next), soci::use(first), soci::use(at), soci::use(status, status_indicator),
         soci::use(error, error_indicator), soci::use(delivered_at, delivered_indicator), soci::use(delivery_id),
         soci::use(claim));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
    const long long duration = std::max(0LL, outcome.duration_ms);
    sql << "INSERT INTO webhook_attempts (delivery_id, attempted_at, status, error, duration_ms)"
           " VALUES (:delivery, :at, :status, :error, :duration)",
        soci::use(delivery_id), soci::use(at), soci::use(status, status_indicator), soci::use(error, error_indicator),
        soci::use(duration);
    if (outcome.member_id) {
        // Her later deliveries wait for this one's retry; once it is delivered or dead, not at all
        // (they were handed out due no sooner than it, its claim included).
        const bool waits = !outcome.delivered && !outcome.dead;
        sql << std::string("UPDATE webhook_deliveries SET next_attempt_at = ") +
                   (waits ? "GREATEST(next_attempt_at, :next)" : "LEAST(next_attempt_at, :next)") +
                   " WHERE subscription_id = :subscription AND member_id = :member AND state = 'pending'"
                   " AND event_id > :event",
            soci::use(next), soci::use(outcome.subscription_id), soci::use(*outcome.member_id),
            soci::use(outcome.event_id);
    }
    return true;
}

void release_claims(soci::session& sql, const std::vector<std::pair<long long, core::Timestamp>>& claims,
                    core::Timestamp now) {
    const std::string at = to_sql_time(now);
    for (const auto& [id, claim] : claims) {
        const std::string held = to_sql_time(claim);
        sql << "UPDATE webhook_deliveries SET next_attempt_at = :now WHERE id = :id AND state = 'pending'"
               " AND next_attempt_at = :claim",
            soci::use(at), soci::use(id), soci::use(held);
    }
}

std::string_view to_string(DeliveryState state) {
    switch (state) {
        case DeliveryState::kPending:
            return "pending";
        case DeliveryState::kDelivered:
            return "delivered";
        case DeliveryState::kDead:
            return "dead";
    }
    return "pending";
}

std::optional<DeliveryState> parse_delivery_state(std::string_view name) {
    for (const DeliveryState state : {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kDead}) {
        if (to_string(state) == name) return state;
    }
    return std::nullopt;
}

std::vector<DeliveryRecord> deliveries_of_subscription(soci::session& sql, long long subscription_id,
                                                       std::optional<DeliveryState> state, long long before_id,
                                                       int limit) {
    std::string where = " WHERE d.subscription_id = " + std::to_string(subscription_id);
    if (state) where += " AND d.state = '" + std::string(to_string(*state)) + "'";
    if (before_id > 0) where += " AND d.id < " + std::to_string(before_id);
    std::vector<DeliveryRecord> records;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << delivery_columns()
                     << " FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id" << where
                     << " ORDER BY d.id DESC LIMIT " << limit);
    for (const soci::row& row : rows) records.push_back(delivery_from(row));
    return records;
}

std::optional<DeliveryRecord> find_delivery(soci::session& sql, long long subscription_id, long long delivery_id) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << delivery_columns()
                     << " FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id"
                        " WHERE d.id = :id AND d.subscription_id = :subscription",
         soci::use(delivery_id), soci::use(subscription_id));
    for (const soci::row& row : rows) return delivery_from(row);
    return std::nullopt;
}

std::vector<AttemptRecord> attempts_of_delivery(soci::session& sql, long long delivery_id, int limit) {
    std::vector<AttemptRecord> attempts;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << time_column("attempted_at")
                     << ", CAST(status AS SIGNED), error, CAST(duration_ms AS SIGNED) FROM webhook_attempts"
                        " WHERE delivery_id = :delivery ORDER BY id DESC LIMIT "
                     << std::max(limit, 0),
         soci::use(delivery_id));
    for (const soci::row& row : rows) {
        AttemptRecord attempt;
        attempt.attempted_at = from_sql_time(row.get<std::string>(0)).value_or(core::Timestamp{});
        if (auto status = optional_integer(row, 1)) attempt.status = static_cast<int>(*status);
        if (row.get_indicator(2) != soci::i_null) attempt.error = row.get<std::string>(2);
        attempt.duration_ms = integer_at(row, 3);
        attempts.push_back(std::move(attempt));
    }
    std::reverse(attempts.begin(), attempts.end());
    return attempts;
}

std::map<long long, DeliveryCounts> delivery_counts(soci::session& sql, const std::vector<long long>& subscriptions) {
    std::map<long long, DeliveryCounts> counts;
    if (subscriptions.empty()) return counts;
    for (const long long id : subscriptions) counts[id] = {};
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(subscription_id AS SIGNED), state, COUNT(*) FROM webhook_deliveries"
                        " WHERE subscription_id IN ("
                     << id_list(subscriptions) << ") GROUP BY subscription_id, state");
    for (const soci::row& row : rows) {
        DeliveryCounts& of = counts[integer_at(row, 0)];
        const auto state = parse_delivery_state(row.get<std::string>(1));
        const long long count = integer_at(row, 2);
        if (state == DeliveryState::kPending) of.pending = count;
        if (state == DeliveryState::kDelivered) of.delivered = count;
        if (state == DeliveryState::kDead) of.dead = count;
    }
    return counts;
}

bool replay_delivery(soci::session& sql, long long subscription_id, long long delivery_id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    soci::statement update =
        (sql.prepare
             << "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = :now,"
                " first_attempt_at = NULL, window_attempts = 0 WHERE id = :id AND subscription_id = :subscription"
                " AND state = 'dead'",
         soci::use(at), soci::use(delivery_id), soci::use(subscription_id));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

long long replay_dead_deliveries(soci::session& sql, long long subscription_id, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    soci::statement update =
        (sql.prepare << "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = :now,"
                        " first_attempt_at = NULL, window_attempts = 0 WHERE subscription_id = :subscription"
                        " AND state = 'dead'",
         soci::use(at), soci::use(subscription_id));
    update.execute(true);
    return update.get_affected_rows();
}

namespace {

// Forgets the deliveries `which` selects (a query of their ids, at most `limit`), deleting each only
// while `still` (a condition on webhook_deliveries) holds, and then their attempts; how many went.
long long forget_deliveries(soci::session& sql, const std::string& which, const std::string& still) {
    std::vector<long long> ids;
    {
        soci::rowset<soci::row> rows = sql.prepare << which;
        for (const soci::row& row : rows) ids.push_back(integer_at(row, 0));
    }
    if (ids.empty()) return 0;
    // The delivery first, its condition checked again (a replay may have made it pending, an attempt
    // may be written meanwhile), then the attempts of what is gone.
    soci::statement remove =
        (sql.prepare << "DELETE FROM webhook_deliveries WHERE id IN (" << id_list(ids) << ") AND " << still);
    remove.execute(true);
    sql << "DELETE FROM webhook_attempts WHERE delivery_id IN (" + id_list(ids) +
               ") AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = webhook_attempts.delivery_id)";
    return static_cast<long long>(ids.size());
}

}  // namespace

WebhookBacklog webhook_backlog(soci::session& sql) {
    const std::string most = std::to_string(kWebhookBacklogCountMax);
    long long waiting = 0;
    std::string oldest;
    soci::indicator oldest_known = soci::i_null;
    sql << "SELECT CAST(COUNT(*) AS SIGNED), " + time_column("MIN(made_at)") +
               " FROM ("
               "(SELECT occurred_at AS made_at FROM outbox_events WHERE handed_out = 0 LIMIT " +
               most +
               ") UNION ALL (SELECT d.created_at FROM webhook_subscriptions s JOIN webhook_deliveries d"
               " ON d.subscription_id = s.id AND d.state = 'pending'"
               " WHERE s.state = 'active' AND s.deleted_at IS NULL LIMIT " +
               most + ")) waiting",
        soci::into(waiting), soci::into(oldest, oldest_known);
    WebhookBacklog backlog;
    backlog.waiting = waiting;
    if (waiting > 0 && oldest_known == soci::i_ok) backlog.oldest = from_sql_time(oldest);
    return backlog;
}

long long forget_delivered(soci::session& sql, core::Timestamp before, int limit) {
    const std::string at = sql_text(sql, to_sql_time(before));
    return forget_deliveries(sql,
                             "SELECT CAST(id AS SIGNED) FROM webhook_deliveries WHERE state = 'delivered'"
                             " AND delivered_at < " +
                                 at + " ORDER BY delivered_at LIMIT " + std::to_string(limit),
                             "state = 'delivered' AND delivered_at < " + at);
}

long long forget_dead(soci::session& sql, core::Timestamp before, int limit) {
    const std::string at = sql_text(sql, to_sql_time(before));
    // Through each subscription, whose (subscription_id, state, next_attempt_at) range is read.
    return forget_deliveries(sql,
                             "SELECT CAST(d.id AS SIGNED) FROM webhook_subscriptions s JOIN webhook_deliveries d"
                             " ON d.subscription_id = s.id AND d.state = 'dead' AND d.next_attempt_at < " +
                                 at + " LIMIT " + std::to_string(limit),
                             "state = 'dead' AND next_attempt_at < " + at);
}

long long expire_paused(soci::session& sql, core::Timestamp made_before, core::Timestamp now, const std::string& why,
                        int limit) {
    const std::string before = sql_text(sql, to_sql_time(made_before));
    std::vector<long long> ids;
    {
        // A queued delivery is due no sooner than it was made: the range of those due before the
        // limit holds every old one, and few others.
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT CAST(d.id AS SIGNED) FROM webhook_subscriptions s JOIN webhook_deliveries d"
                            " ON d.subscription_id = s.id AND d.state = 'pending' AND d.next_attempt_at < "
                         << before << " WHERE s.state = 'paused' AND s.deleted_at IS NULL AND d.created_at < " << before
                         << " LIMIT " << limit);
        for (const soci::row& row : rows) ids.push_back(integer_at(row, 0));
    }
    if (ids.empty()) return 0;
    const std::string at = to_sql_time(now);
    const std::string error(core::utf8_prefix(why, 200));
    // Only while the subscription is still paused (an admin may resume it meanwhile).
    sql << "UPDATE webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id"
           " AND s.state = 'paused' SET d.state = 'dead', d.next_attempt_at = :at, d.last_error = :why"
           " WHERE d.state = 'pending' AND d.id IN (" +
               id_list(ids) + ")",
        soci::use(at), soci::use(error);
    return static_cast<long long>(ids.size());
}

std::vector<long long> deleted_subscriptions(soci::session& sql, int limit) {
    std::vector<long long> ids;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED) FROM webhook_subscriptions WHERE deleted_at IS NOT NULL"
                        " ORDER BY deleted_at LIMIT "
                     << limit);
    for (const soci::row& row : rows) ids.push_back(integer_at(row, 0));
    return ids;
}

long long forget_deliveries_of(soci::session& sql, long long subscription_id, int limit) {
    const std::string id = std::to_string(subscription_id);
    return forget_deliveries(sql,
                             "SELECT CAST(id AS SIGNED) FROM webhook_deliveries WHERE subscription_id = " + id +
                                 " ORDER BY id LIMIT " + std::to_string(limit),
                             "subscription_id = " + id);
}

bool forget_deleted_subscription(soci::session& sql, long long subscription_id) {
    soci::statement remove =
        (sql.prepare << "DELETE FROM webhook_subscriptions WHERE id = :id AND deleted_at IS NOT NULL AND NOT EXISTS"
                        " (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = :same)",
         soci::use(subscription_id), soci::use(subscription_id));
    remove.execute(true);
    return remove.get_affected_rows() == 1;
}

long long forget_old_events(soci::session& sql, core::Timestamp before, int limit) {
    const std::string at = to_sql_time(before);
    // The first event to keep by its time bounds the scan: the old ones before it (what is to go,
    // and the few a delivery still holds), not the whole outbox every minute.
    long long bound = 0;
    soci::indicator found = soci::i_null;
    sql << "SELECT CAST(id AS SIGNED) FROM outbox_events WHERE occurred_at >= :before ORDER BY id LIMIT 1",
        soci::use(at), soci::into(bound, found);
    const std::string below = found == soci::i_ok ? " AND id < " + std::to_string(bound) : "";
    soci::statement remove =
        (sql.prepare
             << "DELETE FROM outbox_events WHERE handed_out = 1 AND triggers_seen <> 0 AND occurred_at < :before"
             << below
             << " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = outbox_events.id)"
                " ORDER BY id LIMIT "
             << limit,
         soci::use(at));
    remove.execute(true);
    return remove.get_affected_rows();
}

}  // namespace patron::store
