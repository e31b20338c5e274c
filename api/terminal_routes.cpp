#include "api/terminal_routes.h"

#include <nlohmann/json.hpp>
#include <numeric>

#include "api/terminal_documents.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/terminal_requests.h"

namespace patron::api {
namespace {

using nlohmann::json;

json new_key_document(const service::TerminalKey& key, const std::string& store, const std::string& terminal) {
    return {{"store", store}, {"terminal", terminal}, {"key_id", key.key_id}, {"secret", key.secret}};
}

// The grace period of a rotation: "grace_s" in the body, or a day.
core::Result<std::chrono::seconds> grace_of(const HttpRequest& request) {
    if (request.body.empty()) return service::kKeyGraceDefault;
    auto document = parse_json_body(request);
    if (!document) return std::unexpected(document.error());
    auto rotation = core::decode_key_rotation(*document);
    if (!rotation) return std::unexpected(rotation.error());
    return rotation->grace.value_or(service::kKeyGraceDefault);
}

json receipt_day_document(const service::ReceiptDay& day) {
    json gaps = json::array();
    for (const core::NumberGap& gap : day.gaps) {
        gaps.push_back({{"from", gap.from}, {"to", gap.to}, {"count", gap.count()}});
    }
    const auto number = [](const std::optional<long long>& value) { return value ? json(*value) : json(nullptr); };
    return {{"store", day.store},
            {"terminal", day.terminal},
            {"business_day", core::format_date(day.business_day)},
            {"receipts",
             {{"committed", day.committed},
              {"skipped", day.skipped},
              {"not_numbered", day.unnumbered},
              {"first", number(day.first)},
              {"last", number(day.last)}}},
            {"gaps", gaps},
            {"missing", std::accumulate(day.gaps.begin(), day.gaps.end(), 0LL,
                                        [](long long sum, const core::NumberGap& gap) { return sum + gap.count(); })},
            {"truncated", day.truncated}};
}

}  // namespace

std::vector<Route> terminal_routes(service::TerminalService& registry, service::ReceiptGapService& receipts,
                                   const service::Clock& clock) {
    return {
        {"POST", "/v1/stores", Caller::kStaff, kRoleAdmin, true,
         [&registry](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             const auto registration = core::decode_store_registration(*document);
             if (!registration) return error_response(registration.error());
             return answer(registry.register_store(*context.staff, *registration), 201, store_document);
         }},
        {"GET", "/v1/stores", Caller::kStaff, kRoleAdmin, true,
         [&registry](const HttpRequest&, const CallContext& context) {
             return answer(registry.stores(*context.staff), 200, [](const std::vector<store::StoreRecord>& stores) {
                 json list = json::array();
                 for (const store::StoreRecord& store : stores) list.push_back(store_document(store));
                 return json{{"stores", list}};
             });
         }},
        {"POST", "/v1/stores/:store/terminals", Caller::kStaff, kRoleAdmin, true,
         [&registry](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             const auto sent = core::decode_terminal_registration(*document);
             if (!sent) return error_response(sent.error());
             const std::string& code = sent->code;
             const std::string& store = request.param("store");
             return answer(registry.register_terminal(*context.staff, store, code), 201,
                           [&](const service::TerminalKey& key) { return new_key_document(key, store, code); });
         }},
        {"GET", "/v1/stores/:store/terminals", Caller::kStaff, kRoleAdmin, true,
         [&registry, &clock](const HttpRequest& request, const CallContext& context) {
             return answer(registry.terminals(*context.staff, request.param("store")), 200,
                           [&](const std::vector<service::TerminalView>& views) {
                               json list = json::array();
                               for (const auto& view : views) list.push_back(terminal_document(view, clock.now()));
                               return json{{"terminals", list}};
                           });
         }},
        {"GET", "/v1/stores/:store/terminals/:terminal", Caller::kStaff, kRoleAdmin, true,
         [&registry, &clock](const HttpRequest& request, const CallContext& context) {
             return answer(registry.terminal(*context.staff, request.param("store"), request.param("terminal")), 200,
                           [&](const service::TerminalView& view) { return terminal_document(view, clock.now()); });
         }},
        {"GET", "/v1/stores/:store/terminals/:terminal/gaps", Caller::kStaff, kRoleAdmin | kRoleSupport | kRoleAnalyst,
         true,
         [&receipts](const HttpRequest& request, const CallContext& context) {
             const auto given = request.query_params.find("day");
             const auto day = given == request.query_params.end() ? std::nullopt : core::parse_date(given->second);
             if (!day) return error_response({core::ErrorCode::kValidationFailed, "must be a date YYYY-MM-DD", "day"});
             return answer(receipts.day(*context.staff, request.param("store"), request.param("terminal"), *day), 200,
                           receipt_day_document);
         }},
        {"POST", "/v1/stores/:store/terminals/:terminal/keys", Caller::kStaff, kRoleAdmin, true,
         [&registry](const HttpRequest& request, const CallContext& context) {
             auto grace = grace_of(request);
             if (!grace) return error_response(grace.error());
             const std::string& store = request.param("store");
             const std::string& terminal = request.param("terminal");
             return answer(registry.rotate_key(*context.staff, store, terminal, *grace), 201,
                           [&](const service::TerminalKey& key) { return new_key_document(key, store, terminal); });
         }},
        {"DELETE", "/v1/terminal-keys/:key_id", Caller::kStaff, kRoleAdmin, true,
         [&registry](const HttpRequest& request, const CallContext& context) {
             return no_content(registry.revoke_key(*context.staff, request.param("key_id")));
         }},
    };
}

}  // namespace patron::api
