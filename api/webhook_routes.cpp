#include "api/webhook_routes.h"

#include <nlohmann/json.hpp>

namespace patron::api {
namespace {

using nlohmann::json;

constexpr Roles kReaders = kRoleAdmin | kRoleSupport;
constexpr int kDeliveryPageDefault = 50;

json webhook_document(const service::WebhookView& view) {
    const store::WebhookSubscriptionRecord& webhook = view.subscription;
    return json{{"id", webhook.id},
                {"url", webhook.url},
                {"description", webhook.description},
                {"event_types", webhook.event_types},
                {"state", core::to_string(webhook.state)},
                {"created_at", time_or_null(webhook.created_at)},
                {"updated_at", time_or_null(webhook.updated_at)},
                {"deliveries",
                 {{"pending", view.deliveries.pending},
                  {"delivered", view.deliveries.delivered},
                  {"dead", view.deliveries.dead}}}};
}

json delivery_document(const store::DeliveryRecord& delivery) {
    return json{
        {"id", delivery.id},
        {"event_id", delivery.event_id},
        {"event_type", delivery.event_type},
        {"member_id", delivery.member_id ? json(*delivery.member_id) : json(nullptr)},
        {"state", store::to_string(delivery.state)},
        {"attempts", delivery.attempts},
        {"created_at", time_or_null(delivery.created_at)},
        {"next_attempt_at",
         delivery.state == store::DeliveryState::kPending ? time_or_null(delivery.next_attempt_at) : json(nullptr)},
        {"last_attempt_at", time_or_null(delivery.last_attempt_at)},
        {"last_status", delivery.last_status ? json(*delivery.last_status) : json(nullptr)},
        {"last_error", delivery.last_error.empty() ? json(nullptr) : json(delivery.last_error)},
        {"delivered_at", time_or_null(delivery.delivered_at)}};
}

json delivery_view_document(const service::DeliveryView& view) {
    json document = delivery_document(view.delivery);
    json attempts = json::array();
    for (const store::AttemptRecord& attempt : view.attempts) {
        attempts.push_back({{"at", time_or_null(attempt.attempted_at)},
                            {"status", attempt.status ? json(*attempt.status) : json(nullptr)},
                            {"error", attempt.error.empty() ? json(nullptr) : json(attempt.error)},
                            {"duration_ms", attempt.duration_ms}});
    }
    document["tries"] = attempts;  // "attempts" is their count.
    return document;
}

// The webhook id the path names (":id"), handed on to `then`; NOT_FOUND when it is no id.
template <typename F>
HttpResponse with_webhook_id(const HttpRequest& request, F&& then) {
    const auto id = parse_id(request.param("id"));
    if (!id) return error_response({core::ErrorCode::kNotFound, "no webhook with this id", "id"});
    return then(*id);
}

template <typename F>
HttpResponse with_delivery_id(const HttpRequest& request, F&& then) {
    return with_webhook_id(request, [&](long long id) {
        const auto delivery = parse_id(request.param("delivery"));
        if (!delivery) return error_response({core::ErrorCode::kNotFound, "no delivery with this id", "delivery"});
        return then(id, *delivery);
    });
}

core::Result<core::WebhookRequest> webhook_request(const HttpRequest& request, bool creating) {
    auto document = parse_json_body(request);
    if (!document) return std::unexpected(document.error());
    return core::decode_webhook_request(*document, creating);
}

}  // namespace

std::vector<Route> webhook_routes(service::WebhookService& webhooks) {
    return {
        {"POST", "/v1/webhooks", Caller::kStaff, kRoleAdmin, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             const auto sent = webhook_request(request, true);
             if (!sent) return error_response(sent.error());
             return answer(webhooks.create(*context.staff, *sent), 201, [](const service::NewWebhook& made) {
                 json document = webhook_document(made.webhook);
                 document["secret"] = made.secret;
                 return document;
             });
         }},
        {"GET", "/v1/webhooks", Caller::kStaff, kReaders, true,
         [&webhooks](const HttpRequest&, const CallContext& context) {
             return answer(webhooks.list(*context.staff), 200, [](const std::vector<service::WebhookView>& views) {
                 json list = json::array();
                 for (const service::WebhookView& view : views) list.push_back(webhook_document(view));
                 return json{{"webhooks", list}};
             });
         }},
        {"GET", "/v1/webhooks/:id", Caller::kStaff, kReaders, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             return with_webhook_id(request, [&](long long id) {
                 return answer(webhooks.get(*context.staff, id), 200, webhook_document);
             });
         }},
        {"PATCH", "/v1/webhooks/:id", Caller::kStaff, kRoleAdmin, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             return with_webhook_id(request, [&](long long id) {
                 const auto sent = webhook_request(request, false);
                 if (!sent) return error_response(sent.error());
                 return answer(webhooks.change(*context.staff, id, *sent), 200, webhook_document);
             });
         }},
        {"DELETE", "/v1/webhooks/:id", Caller::kStaff, kRoleAdmin, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             return with_webhook_id(request,
                                    [&](long long id) { return no_content(webhooks.remove(*context.staff, id)); });
         }},
        {"GET", "/v1/webhooks/:id/deliveries", Caller::kStaff, kReaders, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             return with_webhook_id(request, [&](long long id) {
                 std::optional<store::DeliveryState> state;
                 if (const auto it = request.query_params.find("state"); it != request.query_params.end()) {
                     state = store::parse_delivery_state(it->second);
                     if (!state) {
                         return error_response(
                             {core::ErrorCode::kValidationFailed, "must be pending, delivered or dead", "state"});
                     }
                 }
                 const auto window = page_window(request, kDeliveryPageDefault, service::kDeliveryPageMax,
                                                 "a delivery id from next_before");
                 if (!window) return error_response(window.error());
                 const int limit = window->limit;
                 return answer(webhooks.deliveries(*context.staff, id, state, window->before, limit), 200,
                               [limit](const std::vector<store::DeliveryRecord>& deliveries) {
                                   json list = json::array();
                                   for (const store::DeliveryRecord& delivery : deliveries) {
                                       list.push_back(delivery_document(delivery));
                                   }
                                   const bool more = static_cast<int>(deliveries.size()) == limit;
                                   return json{{"deliveries", list},
                                               {"next_before", more ? json(deliveries.back().id) : json(nullptr)}};
                               });
             });
         }},
        {"GET", "/v1/webhooks/:id/deliveries/:delivery", Caller::kStaff, kReaders, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             return with_delivery_id(request, [&](long long id, long long delivery) {
                 return answer(webhooks.delivery(*context.staff, id, delivery), 200, delivery_view_document);
             });
         }},
        {"POST", "/v1/webhooks/:id/deliveries/:delivery/replay", Caller::kStaff, kRoleAdmin, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             return with_delivery_id(request, [&](long long id, long long delivery) {
                 return answer(webhooks.replay(*context.staff, id, delivery), 200, delivery_view_document);
             });
         }},
        {"POST", "/v1/webhooks/:id/dead-letters/replay", Caller::kStaff, kRoleAdmin, true,
         [&webhooks](const HttpRequest& request, const CallContext& context) {
             return with_webhook_id(request, [&](long long id) {
                 return answer(webhooks.replay_dead(*context.staff, id), 200, [](long long replayed) {
                     return json{{"replayed", replayed}};
                 });
             });
         }},
    };
}

}  // namespace patron::api
