#include "api/trigger_routes.h"

#include <nlohmann/json.hpp>

#include "api/request_body.h"

namespace patron::api {
namespace {

using nlohmann::json;

constexpr Roles kWriters = kRoleAdmin | kRoleMarketer;
constexpr Roles kReaders = kRoleAdmin | kRoleMarketer | kRoleAnalyst;
// A trigger is a few hundred bytes, two messages of 480 characters at most a few kilobytes.
constexpr std::size_t kTriggerBodyMax = 16 * 1024;

json trigger_document(const service::TriggerView& view) {
    const store::TriggerRecord& record = view.record;
    json rule = json::parse(record.rule, nullptr, false);
    json firings = {{"total", view.counts.firings},
                    {"last_30_days", view.counts.last_30_days},
                    {"last_at", time_or_null(view.counts.last_fired_at)}};
    json document = {{"id", record.id},
                     {"name", record.name},
                     {"state", core::to_string(record.state)},
                     {"condition", rule.is_object() ? rule.value("condition", json(nullptr)) : json(nullptr)},
                     {"action", rule.is_object() ? rule.value("action", json(nullptr)) : json(nullptr)},
                     {"version", record.version},
                     {"created_at", time_or_null(record.created_at)},
                     {"changed_at", time_or_null(record.changed_at)},
                     {"changed_by", record.changed_by},
                     {"firings", firings}};
    return document;
}

json trigger_with_firings(const service::TriggerView& view) {
    json document = trigger_document(view);
    json recent = json::array();
    for (const store::FiringRecord& firing : view.recent) {
        recent.push_back({{"member_id", firing.member_id},
                          {"window", firing.window_key},
                          {"version", firing.trigger_version},
                          {"outcome", firing.outcome},
                          {"at", time_or_null(firing.fired_at)}});
    }
    document["firings"]["recent"] = recent;
    return document;
}

// The trigger id the path names, handed on to `then`; NOT_FOUND when it is no id.
template <typename F>
HttpResponse with_trigger_id(const HttpRequest& request, F&& then) {
    const auto id = parse_id(request.param("id"));
    if (!id) return error_response({core::ErrorCode::kNotFound, "no trigger with this id", "id"});
    return then(*id);
}

}  // namespace

std::vector<Route> trigger_routes(service::TriggerService& triggers) {
    return {
        {"POST", "/v1/triggers", Caller::kStaff, kWriters, true,
         [&triggers](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_trigger_document, [&](const core::TriggerDocument& document) {
                 return answer(triggers.create(*context.staff, document), 201, trigger_document);
             });
         },
         Expense::kOrdinary, kTriggerBodyMax},
        {"GET", "/v1/triggers", Caller::kStaff, kReaders, true,
         [&triggers](const HttpRequest&, const CallContext& context) {
             return answer(triggers.list(*context.staff), 200, [](const std::vector<service::TriggerView>& all) {
                 json list = json::array();
                 for (const service::TriggerView& view : all) list.push_back(trigger_document(view));
                 return json{{"triggers", list}};
             });
         }},
        {"GET", "/v1/triggers/:id", Caller::kStaff, kReaders, true,
         [&triggers](const HttpRequest& request, const CallContext& context) {
             return with_trigger_id(request, [&](long long id) {
                 return answer(triggers.get(*context.staff, id), 200, trigger_with_firings);
             });
         }},
        {"PUT", "/v1/triggers/:id", Caller::kStaff, kWriters, true,
         [&triggers](const HttpRequest& request, const CallContext& context) {
             return with_trigger_id(request, [&](long long id) {
                 return with_request(
                     request, core::decode_trigger_document, [&](const core::TriggerDocument& document) {
                         return answer(triggers.replace(*context.staff, id, document), 200, trigger_document);
                     });
             });
         },
         Expense::kOrdinary, kTriggerBodyMax},
        {"PATCH", "/v1/triggers/:id", Caller::kStaff, kWriters, true,
         [&triggers](const HttpRequest& request, const CallContext& context) {
             return with_trigger_id(request, [&](long long id) {
                 return with_request(request, core::decode_trigger_state_change, [&](core::TriggerState state) {
                     return answer(triggers.set_state(*context.staff, id, state), 200, trigger_document);
                 });
             });
         },
         Expense::kOrdinary, kTriggerBodyMax},
    };
}

}  // namespace patron::api
