#include "api/member_routes.h"

#include <nlohmann/json.hpp>

#include "api/http_error.h"
#include "api/me_routes.h"
#include "api/member_documents.h"
#include "api/pos_routes.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/time.h"
#include "pos-adapter/document_fields.h"
#include "pos-adapter/purchase_answer.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

}  // namespace

std::vector<Route> member_routes(service::MemberService& members, service::PointsAdjustmentService& adjustments,
                                 service::PurchaseService& purchases, service::MemberPrivacyService& privacy,
                                 service::MemberMergeService& merges) {
    return {
        {"POST", "/v1/members/:id/merge", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&merges](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 auto document = parse_json_body(request);
                 if (!document) return error_response(document.error());
                 const auto merge = core::decode_member_merge(*document);
                 if (!merge) return error_response(merge.error());
                 return answer(merges.merge(*context.staff, id, merge->from), 200,
                               [](const service::MergeReport& report) {
                                   return json{{"survivor", report.survivor},
                                               {"absorbed", report.absorbed},
                                               {"points_moved",
                                                {{"available", report.points_available_moved},
                                                 {"pending", report.points_pending_moved}}}};
                               });
             });
         }},
        {"GET", "/v1/members", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             for (const char* kind : {"phone", "email", "card"}) {
                 const auto value = request.query_params.find(kind);
                 if (value == request.query_params.end()) continue;
                 return answer(members.search(context.staff->program_id, kind, value->second), 200,
                               [](const service::MemberView& member) {
                                   return json{{"members", json::array({encode_member(member)})}};
                               });
             }
             return error_response({ErrorCode::kValidationFailed, "search by ?phone=, ?email= or ?card=", "phone"});
         }},
        {"PATCH", "/v1/members/:id", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 auto document = parse_json_body(request);
                 if (!document) return error_response(document.error());
                 // Read here, refused by the service only once the member is known to exist.
                 return answer(members.update(*context.staff, id, core::decode_member_update(*document)), 200,
                               encode_member);
             });
         }},
        {"DELETE", "/v1/members/:id", Caller::kStaff, kRoleAdmin, true,
         [&privacy](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request,
                                   [&](long long id) { return no_content(privacy.erase(*context.staff, id)); });
         }},
        {"GET", "/v1/members/:id/export", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&privacy](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 return answer(privacy.export_member(*context.staff, id), 200, encode_member_export);
             });
         }},
        {"POST", "/v1/members", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             auto application = core::decode_member_application(*document);
             if (!application) return error_response(application.error());
             auto enrolled = members.enrol(*context.staff, *application);
             if (!enrolled) return error_response(enrolled.error());
             const service::CardView card{enrolled->card_number, "virtual", core::CardState::kActive, true};
             return json_response(201, {{"id", enrolled->id}, {"cards", json::array({card_document(card)})}});
         }},
        {"GET", "/v1/members/:id", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 auto member = members.get(context.staff->program_id, id);
                 if (!member) return error_response(member.error());
                 return json_response(200, encode_member(*member));
             });
         }},
        token_in_read({"GET", "/v1/members/:id/balance", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
                       [&members](const HttpRequest& request, const CallContext& context) {
                           return with_member_id(request, [&](long long id) {
                               auto balance = members.balance(context.staff->program_id, id, context.token_to_check());
                               if (!balance) return error_response(balance.error());
                               return json_response(200, encode_balance(*balance));
                           });
                       }}),
        {"GET", "/v1/members/:id/history", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 return history_response(members, context.staff->program_id, id, request);
             });
         }},
        {"POST", "/v1/members/:id/points/adjustments", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&adjustments](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 auto document = parse_json_body(request);
                 if (!document) return error_response(document.error());
                 auto adjustment = core::decode_points_adjustment(*document);
                 if (!adjustment) return error_response(adjustment.error());
                 auto adjusted = adjustments.adjust(*context.staff, id, *adjustment);
                 if (!adjusted) return error_response(adjusted.error());
                 return json_response(
                     201, {{"transfer_id", adjusted->transfer_id}, {"balance", encode_balance(adjusted->balance)}});
             });
         }},
        {"POST", "/v1/members/:id/claims", Caller::kStaff, kRoleAdmin | kRoleSupport, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 auto document = parse_json_body(request);
                 if (!document) return error_response(document.error());
                 auto sent = pos::decode_receipt_claim(*document, false);
                 if (!sent) return error_response(sent.error());
                 return commit_response(
                     purchases.claim(*context.staff, id, sent->receipt, sent->total, pos::encode_purchase_answer));
             });
         }},
    };
}

}  // namespace patron::api
