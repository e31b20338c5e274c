// Webhook subscriptions as admins manage them (issue 21): a URL, the event types it wants, active
// or paused, and a signing secret shown once when the subscription is made (Patron keeps it only
// sealed under a master key); the deliveries and their attempts, which support staff may read too;
// and the dead-letter list, whose deliveries an admin sends again, one or all. Every change is
// audited. Sending is the dispatcher's (notify/webhook_dispatcher.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/webhooks.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/job_lease.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/events/webhook_store.h"

namespace patron::service {

// What a subscription's sealed secret is bound to: a secret moved to another row does not open.
std::string webhook_secret_binding(long long subscription_id);

// The subscription's signing secret in clear, from its sealed form; nullopt when the key ring no
// longer holds its master key.
std::optional<std::string> open_webhook_secret(const crypto::KeyRing& keys,
                                               const store::WebhookSubscriptionRecord& subscription);

struct WebhookView {
    store::WebhookSubscriptionRecord subscription;  // Its secret stays sealed.
    store::DeliveryCounts deliveries;
};

struct NewWebhook {
    WebhookView webhook;
    std::string secret;  // Shown once.
};

struct DeliveryView {
    store::DeliveryRecord delivery;
    std::vector<store::AttemptRecord> attempts;  // Oldest first.
};

inline constexpr int kDeliveryPageMax = 200;
// Subscriptions a programme may have (deleted ones not counted).
inline constexpr int kWebhooksPerProgram = 20;
// A delivery's attempts shown with it: its last ones (its `attempts` counts them all).
inline constexpr int kAttemptsShown = 50;
// The lease (table job_leases) that lets one patrond among several dispatch at a time.
inline constexpr const char* kWebhookLease = "webhooks";
// How long delivered deliveries (with their attempts) and events are kept after delivery, dead ones
// after they died, and a paused subscription's pending ones after they were made (then they die);
// an event as long as a delivery of it is kept.
inline constexpr int kWebhookKeepDays = 30;

struct WebhookForgetting {
    long long deliveries = 0;     // Delivered, dead, and of deleted subscriptions.
    long long expired = 0;        // A paused subscription's, dead now.
    long long subscriptions = 0;  // Deleted ones whose rows are all gone now.
    long long events = 0;
};

class WebhookService {
  public:
    WebhookService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                   crypto::RandomSource& random);

    // Admin. A programme has at most kWebhooksPerProgram: one more is refused NOT_AVAILABLE.
    core::Result<NewWebhook> create(const StaffIdentity& staff, const core::WebhookRequest& request);
    core::Result<WebhookView> change(const StaffIdentity& staff, long long id, const core::WebhookRequest& request);
    // Admin: gone at once (NOT_FOUND from then on, nothing more sent); its deliveries are removed by
    // forget_old.
    core::Result<void> remove(const StaffIdentity& staff, long long id);
    // Admin or support.
    core::Result<std::vector<WebhookView>> list(const StaffIdentity& staff);
    core::Result<WebhookView> get(const StaffIdentity& staff, long long id);
    // Newest first; `before` pages on (the last page's smallest id); at most `limit` (1 to 200).
    core::Result<std::vector<store::DeliveryRecord>> deliveries(const StaffIdentity& staff, long long id,
                                                                std::optional<store::DeliveryState> state,
                                                                long long before, int limit);
    core::Result<DeliveryView> delivery(const StaffIdentity& staff, long long id, long long delivery_id);
    // Admin: a dead delivery queued again now, with a new retry window (one that is not dead is
    // refused NOT_AVAILABLE, field delivery); or every dead one of the subscription (how many).
    core::Result<DeliveryView> replay(const StaffIdentity& staff, long long id, long long delivery_id);
    core::Result<long long> replay_dead(const StaffIdentity& staff, long long id);

    // Housekeeping (patrond, every minute), in batches: what is older than kWebhookKeepDays (a
    // paused subscription's pending deliveries die then) and deleted subscriptions' deliveries.
    core::Result<WebhookForgetting> forget_old();
    // What waits to be sent (store::webhook_backlog), for /metrics.
    core::Result<store::WebhookBacklog> backlog();

    // The dispatcher's work (notify/webhook_dispatcher.h), each a unit of work of its own: the
    // lease (whether `holder` holds it now), every programme's subscriptions and one's secret in
    // clear, handing events out, claiming what is due, writing down attempts (each true when
    // written, false when the delivery's claim had moved on), and giving claims and the lease back.
    core::Result<bool> take_lease(const std::string& holder, int seconds);
    core::Result<void> give_up_lease(const std::string& holder);
    core::Result<std::vector<store::WebhookSubscriptionRecord>> subscriptions_to_send();
    std::optional<std::string> secret_of(const store::WebhookSubscriptionRecord& subscription) const;
    core::Result<int> hand_out(core::Timestamp now, int limit);
    core::Result<std::vector<store::DueDelivery>> claim_due(long long subscription_id, core::Timestamp now,
                                                            core::Timestamp claim_until, int limit);
    core::Result<std::vector<bool>> record_attempts(
        const std::vector<std::pair<long long, store::AttemptOutcome>>& attempts);
    core::Result<void> release_claims(const std::vector<std::pair<long long, core::Timestamp>>& claims,
                                      core::Timestamp now);

  private:
    // Deleted subscriptions' deliveries, then their rows, within `budget`.
    core::Result<void> forget_deleted(WebhookForgetting& forgotten, std::chrono::steady_clock::duration budget);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
    JobLease lease_;
};

}  // namespace patron::service
