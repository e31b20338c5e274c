#include "loyalty/store/events/member_message_store.h"

#include <soci/soci.h>

#include "loyalty/core/utf8.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"

namespace patron::store {

void queue_messages(soci::session& sql, const std::vector<core::Event>& events) {
    std::string values;
    std::string withdrawn;  // Purchases voided: what they filled or lifted is not told.
    for (const core::Event& event : events) {
        if (!event.member_id) continue;
        if (event.type == core::EventType::kPurchaseVoided || event.type == core::EventType::kPurchaseReturned) {
            const auto original = event.data.find("original_purchase_id");
            if (original == event.data.end() || !original->is_number_integer()) continue;
            const std::string purchase = std::to_string(original->get<long long>());
            if (event.type == core::EventType::kPurchaseVoided) {
                withdrawn += (withdrawn.empty() ? "" : ",") + purchase;
                continue;
            }
            // A return that took back as many of a card's rewards as the purchase filled: the message
            // that the card was full goes too. (The rewards taken back are the newest unused ones,
            // which may be a later purchase's: a message is then withdrawn that was still true.)
            std::string cards;
            for (const auto& card : event.data.value("stamps", nlohmann::json::array())) {
                if (!card.is_object() || card.value("rewards", 0LL) >= 0 || !card.contains("stamp_card") ||
                    !card["stamp_card"].is_string()) {
                    continue;
                }
                cards += std::string(cards.empty() ? "" : " OR ") +
                         "(JSON_VALUE(data, '$.stamp_card') = " + sql_text(sql, card["stamp_card"].get<std::string>()) +
                         " AND CAST(JSON_VALUE(data, '$.rewards') AS SIGNED) <= " +
                         std::to_string(-card.value("rewards", 0LL)) + ")";
            }
            if (!cards.empty()) {
                write(sql,
                      "UPDATE member_messages SET state = 'skipped', reason = 'purchase_undone' WHERE purchase_id = " +
                          purchase + " AND state = 'pending' AND kind = 'stamp_card_completed' AND (" + cards + ")");
            }
            continue;
        }
        const auto kind = core::message_kind_of(event.type, event.data);
        if (!kind) continue;
        const auto purchase = event.data.find("purchase_id");
        const std::string purchase_id = purchase != event.data.end() && purchase->is_number_integer()
                                            ? std::to_string(purchase->get<long long>())
                                            : std::string("NULL");
        const std::string at = sql_text(sql, to_sql_time(event.occurred_at));
        values += (values.empty() ? "(" : ", (") + std::to_string(event.program_id) + ", " +
                  std::to_string(*event.member_id) + ", " + sql_text(sql, core::to_string(*kind)) + ", " +
                  std::to_string(core::message_priority(*kind, event.data)) + ", " + purchase_id + ", " +
                  sql_text(sql, event.data.dump()) + ", " + at + ", " + at + ")";
    }
    if (!withdrawn.empty()) {
        write(sql, "UPDATE member_messages SET state = 'skipped', reason = 'purchase_undone' WHERE purchase_id IN (" +
                       withdrawn + ") AND state = 'pending'");
    }
    if (values.empty()) return;
    write(sql,
          "INSERT INTO member_messages (program_id, member_id, kind, priority, purchase_id, data, created_at, due_at)"
          " VALUES " +
              values);
}

void queue_message(soci::session& sql, long long program_id, long long member_id, core::MessageKind kind,
                   const nlohmann::json& data, core::Timestamp at) {
    const std::string when = sql_text(sql, to_sql_time(at));
    write(sql,
          "INSERT INTO member_messages (program_id, member_id, kind, priority, data, created_at, due_at) VALUES (" +
              std::to_string(program_id) + ", " + std::to_string(member_id) + ", " +
              sql_text(sql, core::to_string(kind)) + ", " + std::to_string(core::message_priority(kind, data)) + ", " +
              sql_text(sql, data.dump()) + ", " + when + ", " + when + ")");
}

core::MessagePolicy find_message_policy(soci::session& sql, long long program_id) {
    core::MessagePolicy policy;
    int cap = policy.weekly_cap;
    int from = policy.quiet_from_hour;
    int until = policy.quiet_until_hour;
    int past_cap = 0;
    sql << "SELECT message_weekly_cap, message_quiet_from, message_quiet_until, message_warnings_past_cap"
           " FROM programs WHERE id = :program",
        soci::use(program_id), soci::into(cap), soci::into(from), soci::into(until), soci::into(past_cap);
    policy.weekly_cap = cap;
    policy.quiet_from_hour = from;
    policy.quiet_until_hour = until;
    policy.warnings_past_cap = past_cap != 0;
    return policy;
}

void set_message_policy(soci::session& sql, long long program_id, const core::MessagePolicy& policy) {
    const int past_cap = policy.warnings_past_cap ? 1 : 0;
    sql << "UPDATE programs SET message_weekly_cap = :cap, message_quiet_from = :from_hour,"
           " message_quiet_until = :until_hour, message_warnings_past_cap = :past_cap,"
           " settings_version = settings_version + 1 WHERE id = :program",
        soci::use(policy.weekly_cap), soci::use(policy.quiet_from_hour), soci::use(policy.quiet_until_hour),
        soci::use(past_cap), soci::use(program_id);
}

std::vector<DueMessage> claim_due_messages(soci::session& sql, core::Timestamp now, core::Timestamp claim_until,
                                           int limit) {
    const std::string at = to_sql_time(now);
    std::vector<DueMessage> due;
    // Messages about her own account first, then a segment's: each a range of the due index.
    for (int priority = 0; priority <= core::kMessagePriorityLowest && std::ssize(due) < limit; ++priority) {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT CAST(id AS SIGNED), CAST(program_id AS SIGNED), CAST(member_id AS SIGNED), kind,"
                            " data, CAST(attempts AS SIGNED), DATE_FORMAT(created_at, "
                         << kSqlTimeFormat << ") FROM member_messages WHERE state = 'pending' AND priority = "
                         << priority << " AND due_at <= :now ORDER BY due_at, id LIMIT " << limit - std::ssize(due)
                         << " FOR UPDATE SKIP LOCKED",
             soci::use(at));
        for (const soci::row& row : rows) {
            DueMessage message;
            message.id = integer_at(row, 0);
            message.program_id = integer_at(row, 1);
            message.member_id = integer_at(row, 2);
            message.kind = row.get<std::string>(3);
            message.data = row.get<std::string>(4);
            message.attempts = static_cast<int>(integer_at(row, 5));
            message.created_at = from_sql_time(row.get<std::string>(6)).value_or(core::Timestamp{});
            message.claimed_until = claim_until;
            due.push_back(std::move(message));
        }
    }
    if (due.empty()) return due;
    std::string ids;
    for (const DueMessage& message : due) ids += (ids.empty() ? "" : ",") + std::to_string(message.id);
    sql << "UPDATE member_messages SET due_at = " + sql_text(sql, to_sql_time(claim_until)) + " WHERE id IN (" + ids +
               ")";
    return due;
}

bool extend_claim(soci::session& sql, long long id, core::Timestamp claimed_until, core::Timestamp until) {
    const std::string claim = to_sql_time(claimed_until);
    const std::string to = to_sql_time(until);
    soci::statement update = (sql.prepare << "UPDATE member_messages SET due_at = :until"
                                             " WHERE id = :id AND state = 'pending' AND due_at = :claim",
                              soci::use(to), soci::use(id), soci::use(claim));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

std::vector<core::Timestamp> sent_since(soci::session& sql, long long member_id, core::Timestamp since) {
    const std::string at = to_sql_time(since);
    std::vector<core::Timestamp> sent;
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT DATE_FORMAT(sent_at, " << kSqlTimeFormat
                     << ") FROM member_messages WHERE member_id = :member AND sent_at > :since AND state = 'sent'"
                        " ORDER BY sent_at",
         soci::use(member_id), soci::use(at));
    for (const std::string& text : rows) {
        if (const auto time = from_sql_time(text)) sent.push_back(*time);
    }
    return sent;
}

std::string_view to_string(MessageState state) {
    switch (state) {
        case MessageState::kPending:
            return "pending";
        case MessageState::kSent:
            return "sent";
        case MessageState::kSkipped:
            return "skipped";
        case MessageState::kFailed:
            return "failed";
    }
    return "pending";
}

bool finish_message(soci::session& sql, long long id, core::Timestamp claimed_until, const MessageOutcome& outcome) {
    const std::string state(to_string(outcome.state));
    const std::string reason(core::utf8_prefix(outcome.reason, 40));
    soci::indicator reason_indicator = reason.empty() ? soci::i_null : soci::i_ok;
    const std::string channel = outcome.channel ? std::string(core::to_string(*outcome.channel)) : std::string();
    soci::indicator channel_indicator = outcome.channel ? soci::i_ok : soci::i_null;
    const std::string at = to_sql_time(outcome.at);
    const bool sent = outcome.state == MessageState::kSent;
    soci::indicator sent_indicator = sent ? soci::i_ok : soci::i_null;
    const int attempted = outcome.attempted ? 1 : 0;
    const std::string claim = to_sql_time(claimed_until);
    // A message sent is recorded sent even when a void withdrew it while it was in the gateway's
    // hands: the claim (due_at) is this sender's own, and what went must be counted.
    const std::string still =
        sent ? "(state = 'pending' OR (state = 'skipped' AND reason = 'purchase_undone'))" : "state = 'pending'";
    soci::statement update =
        (sql.prepare << "UPDATE member_messages SET state = :state, reason = :reason, channel = :channel,"
                        " attempts = attempts + :attempted, due_at = :due, sent_at = :sent"
                        " WHERE id = :id AND due_at = :claim AND "
                     << still,
         soci::use(state), soci::use(reason, reason_indicator), soci::use(channel, channel_indicator),
         soci::use(attempted), soci::use(at), soci::use(at, sent_indicator), soci::use(id), soci::use(claim));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

long long expire_stale_messages(soci::session& sql, core::Timestamp before, core::Timestamp now, int limit) {
    const std::string made = to_sql_time(before);
    const std::string at = to_sql_time(now);
    // Not one in hand: its claim is ahead of now.
    soci::statement expire =
        (sql.prepare << "UPDATE member_messages SET state = 'skipped', reason = 'too_old' WHERE state = 'pending'"
                        " AND created_at < :before AND due_at <= :now ORDER BY created_at LIMIT "
                     << limit,
         soci::use(made), soci::use(at));
    expire.execute(true);
    return expire.get_affected_rows();
}

long long forget_old_messages(soci::session& sql, core::Timestamp before, int limit) {
    const std::string at = to_sql_time(before);
    soci::statement remove =
        (sql.prepare << "DELETE FROM member_messages WHERE created_at < :before AND state <> 'pending' ORDER BY"
                        " created_at LIMIT "
                     << limit,
         soci::use(at));
    remove.execute(true);
    return remove.get_affected_rows();
}

}  // namespace patron::store
