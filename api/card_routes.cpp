#include "api/card_routes.h"

#include <nlohmann/json.hpp>

#include "api/member_documents.h"
#include "api/member_routes.h"
#include "api/request_body.h"
#include "loyalty/core/card_range.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/time.h"

namespace patron::api {
namespace {

using nlohmann::json;

json card_range_document(const store::CardRangeRecord& range) {
    return {{"id", range.id},
            {"name", range.name},
            {"first", range.range.first},
            {"last", range.range.last},
            {"numbers", core::card_range_size(range.range)},
            {"issued", range.issued},
            {"created_at", core::format_utc(range.created_at, core::TimeFormat::kRfc3339)}};
}

}  // namespace

std::vector<Route> card_routes(service::CardService& cards) {
    return {
        {"POST", "/v1/members/:id/cards", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&cards](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 return with_request(request, core::decode_card_issue, [&](const core::CardIssue& issue) {
                     return answer(cards.issue(*context.staff, id, issue), 201, staff_card_document);
                 });
             });
         }},
        {"GET", "/v1/members/:id/cards", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&cards](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 return answer(cards.cards(*context.staff, id), 200, member_cards_document);
             });
         }},
        {"POST", "/v1/members/:id/cards/:number/primary", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&cards](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 return answer(cards.choose_primary(*context.staff, id, request.param("number")), 200,
                               member_cards_document);
             });
         }},
        {"POST", "/v1/cards/:number/state", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&cards](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_card_state_change, [&](const core::CardStateChange& change) {
                 return answer(cards.set_state(*context.staff, request.param("number"), change.state, change.reason),
                               200, [](const store::CardRecord& changed) {
                                   return json{{"number", changed.number},
                                               {"kind", changed.kind},
                                               {"state", core::to_string(changed.state)}};
                               });
             });
         }},
        {"POST", "/v1/cards/:number/replacement", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&cards](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_card_replacement, [&](const core::CardReplacement& sent) {
                 return answer(cards.replace(*context.staff, request.param("number"), sent.reason), 201,
                               [&](const store::CardRecord& fresh) {
                                   return json{{"number", fresh.number},
                                               {"kind", fresh.kind},
                                               {"state", core::to_string(fresh.state)},
                                               {"replaces", request.param("number")}};
                               });
             });
         }},
        {"POST", "/v1/program/card-ranges", Caller::kStaff, kRoleAdmin, true,
         [&cards](const HttpRequest& request, const CallContext& context) {
             return with_request(
                 request, core::decode_card_range_registration, [&](const core::CardRangeRegistration& registration) {
                     return answer(cards.register_range(*context.staff, registration), 201, card_range_document);
                 });
         }},
        {"GET", "/v1/program/card-ranges", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&cards](const HttpRequest&, const CallContext& context) {
             return answer(cards.ranges(*context.staff), 200, [](const std::vector<store::CardRangeRecord>& ranges) {
                 json list = json::array();
                 for (const store::CardRangeRecord& range : ranges) list.push_back(card_range_document(range));
                 return json{{"ranges", list}};
             });
         }},
    };
}

}  // namespace patron::api
