// Webhook subscriptions, their deliveries and the attempts at each (migration 0048), and the lease
// that lets one patrond among several dispatch at a time.
//
// Handing out: the outbox's events not yet handed out are read in id order, a delivery is written
// for each subscription of the event's programme that wants its type (active or paused: a paused
// subscription keeps its deliveries for when it is resumed, for 30 days) and the events are marked,
// all in one transaction (migration 0050 adds deletion and what is kept). Sending: for each subscription and member,
// only the pending delivery with the smallest event id is due (her events arrive in the order they happened); a
// delivery about no member is due on its own.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/time.h"
#include "loyalty/core/webhooks.h"

namespace soci {
class session;
}

namespace patron::store {

struct WebhookSubscriptionRecord {
    long long id = 0;
    long long program_id = 0;
    std::string url;
    std::string description;
    std::vector<std::string> event_types;  // {"*"} for all.
    core::WebhookState state = core::WebhookState::kActive;
    crypto::Bytes secret_sealed;
    std::string master_key_id;
    long long after_event_id = 0;  // It is sent the events with a larger id.
    core::Timestamp created_at{};
    core::Timestamp updated_at{};
};

// Inserts the subscription with after_event_id the outbox's last event id now; its id.
long long insert_webhook_subscription(soci::session& sql, const WebhookSubscriptionRecord& record);
// The subscription's sealed secret, written once its id (what the sealing is bound to) is known.
void set_webhook_secret(soci::session& sql, long long id, const crypto::Bytes& sealed);
// Url, description, event types and state (the secret is never changed here).
void update_webhook_subscription(soci::session& sql, const WebhookSubscriptionRecord& record);
std::optional<WebhookSubscriptionRecord> find_webhook_subscription(soci::session& sql, long long program_id,
                                                                   long long id, bool for_update);
std::vector<WebhookSubscriptionRecord> webhook_subscriptions_of_program(soci::session& sql, long long program_id);
// Every programme's subscriptions: the dispatcher's view. Deleted ones are never read here, nor by
// find_webhook_subscription and webhook_subscriptions_of_program.
std::vector<WebhookSubscriptionRecord> all_webhook_subscriptions(soci::session& sql);
// How many subscriptions the programme has (not deleted), its programme row locked so that two
// admins adding one at once count one after the other. Run it in a transaction.
long long count_webhook_subscriptions_locked(soci::session& sql, long long program_id);
// Hidden at once, handed no more events and sent nothing more; its rows go with
// forget_deliveries_of and forget_deleted_subscription.
void delete_webhook_subscription(soci::session& sql, long long id, core::Timestamp now);

// Hands out up to `limit` events: a delivery for each subscription of the event's programme that
// wants its type and was made before it (after_event_id), due at `now` or, when the member has a
// pending delivery to that subscription, when that one is; the events are marked handed out. The
// events are read before the subscriptions: a subscription not seen then was made after those
// events had committed, and its after_event_id covers them. Returns how many were handed out.
int hand_out_events(soci::session& sql, core::Timestamp now, int limit);

// A delivery ready to send, with its event.
struct DueDelivery {
    long long id = 0;
    long long subscription_id = 0;
    std::optional<long long> member_id;
    int attempts = 0;         // All its attempts so far (Patron-Attempt is one more).
    int window_attempts = 0;  // Since first_attempt_at: a replay starts both again.
    std::optional<core::Timestamp> first_attempt_at;
    core::Timestamp claimed_until{};  // The claim it is sent under.
    core::EventEnvelope event;
};

// Up to `limit` deliveries of the subscription due at `now` (heads of their members' queues),
// first due first; each is claimed until `claim_until` (its next_attempt_at set to it), so that it
// and the member's later ones are not due again while it is being sent, and a dispatcher that dies
// mid-send leaves it to be sent again then. Run it in a transaction.
std::vector<DueDelivery> claim_due_deliveries(soci::session& sql, long long subscription_id, core::Timestamp now,
                                              core::Timestamp claim_until, int limit);

struct AttemptOutcome {
    long long subscription_id = 0;
    std::optional<long long> member_id;
    long long event_id = 0;
    core::Timestamp claimed_until{};  // Written only while the delivery still holds this claim.
    core::Timestamp attempted_at{};
    std::optional<int> status;  // The receiver's HTTP status, when it answered.
    std::string error;          // Empty when delivered.
    long long duration_ms = 0;
    bool delivered = false;
    bool dead = false;                                // Given up: to the dead-letter list.
    core::Timestamp next_attempt_at{};                // When not delivered and not dead.
    std::optional<core::Timestamp> first_attempt_at;  // The delivery's, when this is its first attempt.
};
// Records an attempt and moves the delivery on (delivered, due again at next_attempt_at, or dead),
// if it still holds the claim it was sent under: false (nothing written) when it does not (its
// claim lapsed and it was sent again, or staff replayed it). A retry's wait is also the member's
// later deliveries' to the subscription: none of them is due before it.
bool record_attempt(soci::session& sql, long long delivery_id, const AttemptOutcome& outcome);

// Gives back the claims of deliveries still being sent when their dispatcher stops: due at `now`.
void release_claims(soci::session& sql, const std::vector<std::pair<long long, core::Timestamp>>& claims,
                    core::Timestamp now);

enum class DeliveryState { kPending, kDelivered, kDead };
std::string_view to_string(DeliveryState state);
std::optional<DeliveryState> parse_delivery_state(std::string_view name);

struct DeliveryRecord {
    long long id = 0;
    long long subscription_id = 0;
    long long event_id = 0;
    std::string event_type;
    std::optional<long long> member_id;
    DeliveryState state = DeliveryState::kPending;
    int attempts = 0;
    core::Timestamp created_at{};
    core::Timestamp next_attempt_at{};
    std::optional<core::Timestamp> last_attempt_at;
    std::optional<int> last_status;
    std::string last_error;
    std::optional<core::Timestamp> delivered_at;
};

struct AttemptRecord {
    core::Timestamp attempted_at{};
    std::optional<int> status;
    std::string error;
    long long duration_ms = 0;
};

// The subscription's deliveries, newest first, with an id below `before_id` (0: from the newest),
// in `state` when given, at most `limit`.
std::vector<DeliveryRecord> deliveries_of_subscription(soci::session& sql, long long subscription_id,
                                                       std::optional<DeliveryState> state, long long before_id,
                                                       int limit);
std::optional<DeliveryRecord> find_delivery(soci::session& sql, long long subscription_id, long long delivery_id);
// The delivery's last `limit` attempts, oldest first.
std::vector<AttemptRecord> attempts_of_delivery(soci::session& sql, long long delivery_id, int limit);
// How many of each subscription's deliveries are in each state, in one query.
struct DeliveryCounts {
    long long pending = 0;
    long long delivered = 0;
    long long dead = 0;
};
std::map<long long, DeliveryCounts> delivery_counts(soci::session& sql, const std::vector<long long>& subscriptions);

// Puts dead deliveries back in the queue, due at `now`, with a new retry window: the one named
// (false when it is not dead), or every dead one of the subscription (how many).
bool replay_delivery(soci::session& sql, long long subscription_id, long long delivery_id, core::Timestamp now);
long long replay_dead_deliveries(soci::session& sql, long long subscription_id, core::Timestamp now);

// Forgets up to `limit` deliveries delivered before `before`, with their attempts; how many.
long long forget_delivered(soci::session& sql, core::Timestamp before, int limit);
// Forgets up to `limit` dead deliveries (of any subscription) that died before `before`; how many.
long long forget_dead(soci::session& sql, core::Timestamp before, int limit);
// Up to `limit` pending deliveries of paused subscriptions, made before `made_before`, become dead
// at `now`, `why` their last error (not if the subscription was resumed meanwhile); how many.
long long expire_paused(soci::session& sql, core::Timestamp made_before, core::Timestamp now, const std::string& why,
                        int limit);
// Up to `limit` deleted subscriptions whose rows are still there, first deleted first.
std::vector<long long> deleted_subscriptions(soci::session& sql, int limit);
// Forgets up to `limit` of the (deleted) subscription's deliveries with their attempts; how many.
long long forget_deliveries_of(soci::session& sql, long long subscription_id, int limit);
// Removes the deleted subscription's row once none of its deliveries is left; whether it did.
bool forget_deleted_subscription(soci::session& sql, long long subscription_id);
// What waits to be sent to webhook receivers (patrond's /metrics): events not handed out yet and
// pending deliveries of active subscriptions, each kind counted up to kWebhookBacklogCountMax, and
// when the oldest of them was made.
inline constexpr long long kWebhookBacklogCountMax = 1'000'000;
struct WebhookBacklog {
    long long waiting = 0;
    std::optional<core::Timestamp> oldest;
};
WebhookBacklog webhook_backlog(soci::session& sql);

// Forgets up to `limit` events handed out and seen by triggers, from before `before`, that no delivery
// refers to; how many.
long long forget_old_events(soci::session& sql, core::Timestamp before, int limit);

}  // namespace patron::store
