#include "loyalty/service/events/webhook_service.h"

#include <soci/soci.h>

#include <map>

#include "crypto/aead.h"
#include "loyalty/service/runtime/forget_in_batches.h"
#include "loyalty/store/access/audit_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr core::StaffRoles kManages{core::StaffRole::kAdmin};
constexpr core::StaffRoles kReads =
    core::StaffRoles{core::StaffRole::kAdmin} | core::StaffRoles{core::StaffRole::kSupport};

core::Result<void> require(const StaffIdentity& staff, core::StaffRoles roles) {
    if (may(staff, roles)) return {};
    return fail(ErrorCode::kForbidden,
                may(staff, kReads) ? "only admin staff manage webhooks" : "only admin and support staff read webhooks");
}

core::Result<store::WebhookSubscriptionRecord> subscription_of(soci::session& sql, long long program_id, long long id,
                                                               bool for_update) {
    auto found = store::find_webhook_subscription(sql, program_id, id, for_update);
    if (!found) return fail(ErrorCode::kNotFound, "the program has no webhook " + std::to_string(id), "id");
    return *found;
}

std::vector<WebhookView> views_of(soci::session& sql, std::vector<store::WebhookSubscriptionRecord> subscriptions) {
    std::vector<long long> ids;
    for (const store::WebhookSubscriptionRecord& subscription : subscriptions) ids.push_back(subscription.id);
    std::map<long long, store::DeliveryCounts> counts = store::delivery_counts(sql, ids);
    std::vector<WebhookView> views;
    for (store::WebhookSubscriptionRecord& subscription : subscriptions) {
        const long long id = subscription.id;
        views.push_back(WebhookView{std::move(subscription), counts[id]});
    }
    return views;
}

WebhookView view_of(soci::session& sql, store::WebhookSubscriptionRecord subscription) {
    std::vector<store::WebhookSubscriptionRecord> one;
    one.push_back(std::move(subscription));
    return std::move(views_of(sql, std::move(one)).front());
}

// The fields a request sent, for the audit entry: names only.
std::string fields_sent(const core::WebhookRequest& request) {
    std::string fields;
    const auto add = [&](bool sent, const char* name) {
        if (sent) fields += (fields.empty() ? "" : ",") + std::string(name);
    };
    add(request.url.has_value(), "url");
    add(request.event_types.has_value(), "event_types");
    add(request.description.has_value(), "description");
    add(request.state.has_value(), "state");
    return fields;
}

}  // namespace

std::string webhook_secret_binding(long long subscription_id) {
    return "patron:webhook-secret:" + std::to_string(subscription_id);
}

std::optional<std::string> open_webhook_secret(const crypto::KeyRing& keys,
                                               const store::WebhookSubscriptionRecord& subscription) {
    const auto masters = keys.masters_holding(subscription.master_key_id);
    if (masters == nullptr) return std::nullopt;
    const auto opened = crypto::open(*masters->find(subscription.master_key_id), subscription.secret_sealed,
                                     webhook_secret_binding(subscription.id));
    if (!opened) return std::nullopt;
    const auto bytes = opened->view();
    return std::string(bytes.begin(), bytes.end());
}

WebhookService::WebhookService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                               crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random), lease_(database, kWebhookLease) {}

core::Result<NewWebhook> WebhookService::create(const StaffIdentity& staff, const core::WebhookRequest& request) {
    if (auto allowed = require(staff, kManages); !allowed) return std::unexpected(allowed.error());
    if (!request.url || !request.event_types) {
        return fail(ErrorCode::kValidationFailed, "a webhook needs a url and event_types",
                    request.url ? "event_types" : "url");
    }
    return database_.transact_for<NewWebhook>([&](soci::session& sql) -> core::Result<NewWebhook> {
        if (store::count_webhook_subscriptions_locked(sql, staff.program_id) >= kWebhooksPerProgram) {
            return fail(ErrorCode::kNotAvailable, "a programme has at most " + std::to_string(kWebhooksPerProgram) +
                                                      " webhooks: delete one it no longer needs first");
        }
        const core::Timestamp now = clock_.now();
        store::WebhookSubscriptionRecord record;
        record.program_id = staff.program_id;
        record.url = *request.url;
        record.description = request.description.value_or("");
        record.event_types = *request.event_types;
        record.state = request.state.value_or(core::WebhookState::kActive);
        record.created_at = now;
        record.updated_at = now;
        const auto masters = keys_.masters();
        record.master_key_id = masters->active_id;
        // The secret is sealed to the row's id, known once the row is in: written empty, then sealed.
        record.id = store::insert_webhook_subscription(sql, record);
        NewWebhook made;
        made.secret = "whsec_" + random_.token_hex(32);
        record.secret_sealed =
            crypto::seal(masters->active(), crypto::as_bytes(made.secret), webhook_secret_binding(record.id), random_);
        store::set_webhook_secret(sql, record.id, record.secret_sealed);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kWebhookCreate, "webhook",
                             record.id, fields_sent(request)},
                            now);
        made.webhook = WebhookView{std::move(record), {}};
        return made;
    });
}

core::Result<WebhookView> WebhookService::change(const StaffIdentity& staff, long long id,
                                                 const core::WebhookRequest& request) {
    if (auto allowed = require(staff, kManages); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<WebhookView>([&](soci::session& sql) -> core::Result<WebhookView> {
        auto record = subscription_of(sql, staff.program_id, id, true);
        if (!record) return std::unexpected(record.error());
        if (request.url) record->url = *request.url;
        if (request.event_types) record->event_types = *request.event_types;
        if (request.description) record->description = *request.description;
        if (request.state) record->state = *request.state;
        const core::Timestamp now = clock_.now();
        record->updated_at = now;
        store::update_webhook_subscription(sql, *record);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kWebhookChange, "webhook", id,
                             fields_sent(request)},
                            now);
        return view_of(sql, std::move(*record));
    });
}

core::Result<void> WebhookService::remove(const StaffIdentity& staff, long long id) {
    if (auto allowed = require(staff, kManages); !allowed) return std::unexpected(allowed.error());
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        auto record = subscription_of(sql, staff.program_id, id, true);
        if (!record) return std::unexpected(record.error());
        const core::Timestamp now = clock_.now();
        store::delete_webhook_subscription(sql, id, now);
        store::insert_audit(
            sql, keys_, {staff.program_id, audit_actor(staff), core::AuditAction::kWebhookDelete, "webhook", id, ""},
            now);
        return {};
    });
}

core::Result<std::vector<WebhookView>> WebhookService::list(const StaffIdentity& staff) {
    if (auto allowed = require(staff, kReads); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<std::vector<WebhookView>>(
        [&](soci::session& sql) -> core::Result<std::vector<WebhookView>> {
            return views_of(sql, store::webhook_subscriptions_of_program(sql, staff.program_id));
        });
}

core::Result<WebhookView> WebhookService::get(const StaffIdentity& staff, long long id) {
    if (auto allowed = require(staff, kReads); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<WebhookView>([&](soci::session& sql) -> core::Result<WebhookView> {
        auto record = subscription_of(sql, staff.program_id, id, false);
        if (!record) return std::unexpected(record.error());
        return view_of(sql, std::move(*record));
    });
}

core::Result<std::vector<store::DeliveryRecord>> WebhookService::deliveries(const StaffIdentity& staff, long long id,
                                                                            std::optional<store::DeliveryState> state,
                                                                            long long before, int limit) {
    if (auto allowed = require(staff, kReads); !allowed) return std::unexpected(allowed.error());
    if (limit < 1 || limit > kDeliveryPageMax) {
        return fail(ErrorCode::kValidationFailed, "must be from 1 to 200", "limit");
    }
    return database_.run_for<std::vector<store::DeliveryRecord>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::DeliveryRecord>> {
            auto record = subscription_of(sql, staff.program_id, id, false);
            if (!record) return std::unexpected(record.error());
            return store::deliveries_of_subscription(sql, id, state, before, limit);
        });
}

core::Result<DeliveryView> WebhookService::delivery(const StaffIdentity& staff, long long id, long long delivery_id) {
    if (auto allowed = require(staff, kReads); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<DeliveryView>([&](soci::session& sql) -> core::Result<DeliveryView> {
        auto record = subscription_of(sql, staff.program_id, id, false);
        if (!record) return std::unexpected(record.error());
        auto found = store::find_delivery(sql, id, delivery_id);
        if (!found) {
            return fail(ErrorCode::kNotFound, "the webhook has no delivery " + std::to_string(delivery_id), "delivery");
        }
        return DeliveryView{*found, store::attempts_of_delivery(sql, delivery_id, kAttemptsShown)};
    });
}

core::Result<DeliveryView> WebhookService::replay(const StaffIdentity& staff, long long id, long long delivery_id) {
    if (auto allowed = require(staff, kManages); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<DeliveryView>([&](soci::session& sql) -> core::Result<DeliveryView> {
        auto record = subscription_of(sql, staff.program_id, id, true);
        if (!record) return std::unexpected(record.error());
        const core::Timestamp now = clock_.now();
        if (!store::replay_delivery(sql, id, delivery_id, now)) {
            const auto found = store::find_delivery(sql, id, delivery_id);
            if (!found) {
                return fail(ErrorCode::kNotFound, "the webhook has no delivery " + std::to_string(delivery_id),
                            "delivery");
            }
            return fail(
                ErrorCode::kNotAvailable,
                "only a dead delivery is sent again; this one is " + std::string(store::to_string(found->state)),
                "delivery");
        }
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kWebhookReplay,
                             "webhook_delivery", delivery_id, "state"},
                            now);
        auto found = store::find_delivery(sql, id, delivery_id);
        return DeliveryView{*found, store::attempts_of_delivery(sql, delivery_id, kAttemptsShown)};
    });
}

core::Result<long long> WebhookService::replay_dead(const StaffIdentity& staff, long long id) {
    if (auto allowed = require(staff, kManages); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        auto record = subscription_of(sql, staff.program_id, id, true);
        if (!record) return std::unexpected(record.error());
        const core::Timestamp now = clock_.now();
        const long long replayed = store::replay_dead_deliveries(sql, id, now);
        if (replayed > 0) {
            store::insert_audit(
                sql, keys_,
                {staff.program_id, audit_actor(staff), core::AuditAction::kWebhookReplay, "webhook", id, "deliveries"},
                now);
        }
        return replayed;
    });
}

core::Result<store::WebhookBacklog> WebhookService::backlog() {
    return database_.run_for<store::WebhookBacklog>(
        [](soci::session& sql) -> core::Result<store::WebhookBacklog> { return store::webhook_backlog(sql); });
}

core::Result<WebhookForgetting> WebhookService::forget_old() {
    constexpr int kBatch = 500;
    const core::Timestamp now = clock_.now();
    const core::Timestamp before = now - std::chrono::days(kWebhookKeepDays);
    // One budget for the whole run: what is left waits for the next minute.
    const auto until = std::chrono::steady_clock::now() + kForgetRunBudget;
    const auto left = [&] {
        return std::max(until - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero());
    };
    WebhookForgetting forgotten;
    // Each kind in batches until it is done or the budget is spent.
    const auto run = [&](long long& total, auto&& forget) -> core::Result<void> {
        auto done = forget_in_batches(database_, kBatch, forget, left());
        if (!done) return std::unexpected(done.error());
        total += *done;
        return {};
    };
    const std::string paused_too_long = "paused for more than " + std::to_string(kWebhookKeepDays) + " days";
    core::Result<void> done = run(forgotten.deliveries, [&](soci::session& sql, int limit) {
        return store::forget_delivered(sql, before, limit);
    });
    if (done) {
        done = run(forgotten.expired, [&](soci::session& sql, int limit) {
            return store::expire_paused(sql, before, now, paused_too_long, limit);
        });
    }
    if (done) {
        done = run(forgotten.deliveries,
                   [&](soci::session& sql, int limit) { return store::forget_dead(sql, before, limit); });
    }
    if (done) done = forget_deleted(forgotten, left());
    if (done) {
        done = run(forgotten.events,
                   [&](soci::session& sql, int limit) { return store::forget_old_events(sql, before, limit); });
    }
    if (!done) return std::unexpected(done.error());
    return forgotten;
}

core::Result<void> WebhookService::forget_deleted(WebhookForgetting& forgotten,
                                                  std::chrono::steady_clock::duration budget) {
    constexpr int kBatch = 500;
    const auto until = std::chrono::steady_clock::now() + budget;
    auto deleted =
        database_.run_for<std::vector<long long>>([](soci::session& sql) -> core::Result<std::vector<long long>> {
            return store::deleted_subscriptions(sql, 100);
        });
    if (!deleted) return std::unexpected(deleted.error());
    for (const long long id : *deleted) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= until) break;
        auto gone = forget_in_batches(
            database_, kBatch,
            [&](soci::session& sql, int limit) { return store::forget_deliveries_of(sql, id, limit); }, until - now);
        if (!gone) return std::unexpected(gone.error());
        forgotten.deliveries += *gone;
        auto removed = database_.run_for<bool>(
            [&](soci::session& sql) -> core::Result<bool> { return store::forget_deleted_subscription(sql, id); });
        if (!removed) return std::unexpected(removed.error());
        forgotten.subscriptions += *removed ? 1 : 0;
    }
    return {};
}

core::Result<bool> WebhookService::take_lease(const std::string& holder, int seconds) {
    return lease_.take(holder, seconds);
}

core::Result<void> WebhookService::give_up_lease(const std::string& holder) { return lease_.give_up(holder); }

core::Result<std::vector<store::WebhookSubscriptionRecord>> WebhookService::subscriptions_to_send() {
    return database_.run_for<std::vector<store::WebhookSubscriptionRecord>>(
        [](soci::session& sql) -> core::Result<std::vector<store::WebhookSubscriptionRecord>> {
            return store::all_webhook_subscriptions(sql);
        });
}

std::optional<std::string> WebhookService::secret_of(const store::WebhookSubscriptionRecord& subscription) const {
    return open_webhook_secret(keys_, subscription);
}

core::Result<int> WebhookService::hand_out(core::Timestamp now, int limit) {
    return database_.transact_for<int>(
        [&](soci::session& sql) -> core::Result<int> { return store::hand_out_events(sql, now, limit); });
}

core::Result<std::vector<store::DueDelivery>> WebhookService::claim_due(long long subscription_id, core::Timestamp now,
                                                                        core::Timestamp claim_until, int limit) {
    return database_.transact_for<std::vector<store::DueDelivery>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::DueDelivery>> {
            return store::claim_due_deliveries(sql, subscription_id, now, claim_until, limit);
        });
}

core::Result<std::vector<bool>> WebhookService::record_attempts(
    const std::vector<std::pair<long long, store::AttemptOutcome>>& attempts) {
    return database_.transact_for<std::vector<bool>>([&](soci::session& sql) -> core::Result<std::vector<bool>> {
        std::vector<bool> written;
        for (const auto& [delivery, outcome] : attempts)
            written.push_back(store::record_attempt(sql, delivery, outcome));
        return written;
    });
}

core::Result<void> WebhookService::release_claims(const std::vector<std::pair<long long, core::Timestamp>>& claims,
                                                  core::Timestamp now) {
    return database_.run([&](soci::session& sql) -> core::Result<void> {
        store::release_claims(sql, claims, now);
        return {};
    });
}

}  // namespace patron::service
