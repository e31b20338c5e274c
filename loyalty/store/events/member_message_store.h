// Messages to members (migration 0051, issue 21): queued with the events they tell of, claimed by
// the sender when due, and finished as sent, skipped (with why) or failed; the programme's message
// policy (weekly cap, quiet hours) kept on its row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/events.h"
#include "loyalty/core/member_messages.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// Queues a message for each event that makes one (core::message_kind_of), due when it happened, in
// the session's unit of work (at its COMMIT when the unit deferred its writes); nothing for none. A
// void withdraws the messages not yet sent about the purchase it undoes (skipped, purchase_undone):
// the card it filled and the tier it lifted are no more. (A return may take back only part: what
// it lowered is caught when the message is decided.)
void queue_messages(soci::session& sql, const std::vector<core::Event>& events);

// Queues one message no event tells of (a tier about to be lost), due at `at`, as queue_messages.
void queue_message(soci::session& sql, long long program_id, long long member_id, core::MessageKind kind,
                   const nlohmann::json& data, core::Timestamp at);

core::MessagePolicy find_message_policy(soci::session& sql, long long program_id);
void set_message_policy(soci::session& sql, long long program_id, const core::MessagePolicy& policy);

struct DueMessage {
    long long id = 0;
    long long program_id = 0;
    long long member_id = 0;
    std::string kind;
    std::string data;  // JSON.
    int attempts = 0;
    core::Timestamp created_at{};
    core::Timestamp claimed_until{};
};

// Up to `limit` pending messages due at `now`, those about her own account before a segment's, then
// first due first, each claimed until `claim_until`
// (its due_at set to it: a sender that dies mid-send leaves it to be sent again then). Run it in a
// transaction.
std::vector<DueMessage> claim_due_messages(soci::session& sql, core::Timestamp now, core::Timestamp claim_until,
                                           int limit);

// Renews a claim just before the message is handed over: whether it still held `claimed_until`
// (neither withdrawn nor taken by another sender since); then it holds `until`.
bool extend_claim(soci::session& sql, long long id, core::Timestamp claimed_until, core::Timestamp until);

// When the messages sent to the member since `since` went, first first.
std::vector<core::Timestamp> sent_since(soci::session& sql, long long member_id, core::Timestamp since);

enum class MessageState { kPending, kSent, kSkipped, kFailed };
std::string_view to_string(MessageState state);

struct MessageOutcome {
    MessageState state = MessageState::kSent;
    std::string reason;                           // Why skipped or failed (or the last try failed).
    std::optional<core::MessageChannel> channel;  // Sent, or tried, by.
    bool attempted = false;                       // Handed to the notifier (counts an attempt).
    core::Timestamp at{};                         // When sent; or, pending, when due again.
};
// Writes the outcome, if the message still holds the claim it was taken under; whether it did.
bool finish_message(soci::session& sql, long long id, core::Timestamp claimed_until, const MessageOutcome& outcome);

// Gives up up to `limit` messages made before `before` that are still pending (skipped, too_old):
// nothing waits that long unless no instance can send at all; how many.
// Not one a sender holds at `now` (its claim, due_at, ahead of now).
long long expire_stale_messages(soci::session& sql, core::Timestamp before, core::Timestamp now, int limit);

// Forgets up to `limit` messages made before `before` that are no longer pending; how many.
long long forget_old_messages(soci::session& sql, core::Timestamp before, int limit);

}  // namespace patron::store
