#include "api/me_routes.h"

#include <nlohmann/json.hpp>

#include "api/client_rate_limit.h"
#include "api/log.h"
#include "api/member_documents.h"
#include "api/member_routes.h"
#include "api/pos_routes.h"
#include "api/request_body.h"
#include "loyalty/core/member_history.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/sign_in_requests.h"
#include "pos-adapter/document_fields.h"
#include "pos-adapter/purchase_answer.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr int kHistoryPageDefault = 20;

json session_document(const service::MemberSession& session) {
    return {{"token", session.token},
            {"expires_at", core::format_utc(session.expires_at, core::TimeFormat::kRfc3339)},
            {"member_id", session.member_id}};
}

// The token a member route was called with (the route's caller was authenticated by it).
std::string bearer_token_of(const HttpRequest& request) {
    return request.header("authorization").value_or("").substr(7);
}

}  // namespace

HttpResponse history_response(service::MemberService& members, long long program_id, long long member_id,
                              const HttpRequest& request) {
    const auto window =
        page_window(request, kHistoryPageDefault, service::kHistoryPageMax, "an entry id from next_before");
    if (!window) return error_response(window.error());
    const auto kind = request.query_params.find("kind");
    if (kind == request.query_params.end()) {
        return answer(members.history(program_id, member_id, window->before, window->limit), 200, encode_history);
    }
    const auto list = core::parse_history_list(kind->second);
    if (!list) {
        return error_response({ErrorCode::kValidationFailed, "kind is one of " + core::history_list_names(), "kind"});
    }
    return answer(members.history_list(program_id, member_id, *list, window->before, window->limit), 200,
                  encode_history_list);
}

std::vector<Route> me_routes(service::MemberSignInService& sign_in, service::MemberService& members,
                             service::PurchaseService& purchases, service::MemberPrivacyService& privacy) {
    return {
        {"POST", "/v1/me/codes", Caller::kAnyone, kNoRoles, true,
         [&sign_in](const HttpRequest& request, const CallContext&) {
             return with_request(request, core::decode_member_sign_in, [&](const core::MemberSignInRequest& sent) {
                 const auto delivery = sign_in.send_code(sent.contact);
                 if (!delivery) return error_response(delivery.error());
                 if (!delivery->failure.empty()) {
                     log_line({{"level", "error"}, {"event", "notification_failed"}, {"detail", delivery->failure}});
                 }
                 // The same answer whether or not the phone or email is a member's.
                 return json_response(202, {{"status", "if this is a member's phone or email, a code is on its way"},
                                            {"valid_minutes", service::kMemberCodeLife.count()}});
             });
         },
         Expense::kSendsMessage},
        {"POST", "/v1/me/password", Caller::kAnyone, kNoRoles, true,
         [&sign_in](const HttpRequest& request, const CallContext&) {
             return with_request(request, core::decode_member_password, [&](const core::MemberSignInRequest& sent) {
                 return answer(sign_in.set_password(sent), 200, session_document);
             });
         },
         Expense::kHashesPassword},
        {"POST", "/v1/me/sessions", Caller::kAnyone, kNoRoles, true,
         [&sign_in](const HttpRequest& request, const CallContext&) {
             return with_request(request, core::decode_member_sign_in, [&](const core::MemberSignInRequest& sent) {
                 return answer(sign_in.sign_in(sent.contact, sent.password), 201, session_document);
             });
         },
         Expense::kHashesPassword},
        {"DELETE", "/v1/me/sessions/current", Caller::kMember, kNoRoles, true,
         [&sign_in](const HttpRequest& request, const CallContext&) {
             return no_content(sign_in.sign_out(bearer_token_of(request)));
         }},
        {"POST", "/v1/me/claims", Caller::kMember, kNoRoles, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             auto sent = pos::decode_receipt_claim(*document, true);
             if (!sent) return error_response(sent.error());
             return commit_response(purchases.claim(*context.member, sent->receipt, *sent->total,
                                                    rate_limit_key(request.client_address),
                                                    pos::encode_purchase_answer));
         }},
        {"GET", "/v1/me", Caller::kMember, kNoRoles, true,
         [&members](const HttpRequest&, const CallContext& context) {
             return answer(members.get(context.member->program_id, context.member->member_id), 200, encode_member);
         }},
        token_in_read({"GET", "/v1/me/balance", Caller::kMember, kNoRoles, true,
                       [&members](const HttpRequest&, const CallContext& context) {
                           return answer(members.balance(context.member->program_id, context.member->member_id,
                                                         context.token_to_check()),
                                         200, encode_balance);
                       }}),
        {"GET", "/v1/me/history", Caller::kMember, kNoRoles, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             return history_response(members, context.member->program_id, context.member->member_id, request);
         }},
        {"PATCH", "/v1/me", Caller::kMember, kNoRoles, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_own_member_update, [&](const core::MemberUpdate& changes) {
                 return answer(members.update_own(*context.member, changes), 200, encode_member);
             });
         },
         Expense::kHashesPassword},
        {"PUT", "/v1/me/password", Caller::kMember, kNoRoles, true,
         [&sign_in](const HttpRequest& request, const CallContext& context) {
             return with_request(
                 request, core::decode_member_password_change, [&](const core::MemberPasswordChange& change) {
                     return no_content(sign_in.change_password(*context.member, bearer_token_of(request), change));
                 });
         },
         Expense::kHashesPassword},
        {"GET", "/v1/me/export", Caller::kMember, kNoRoles, true,
         [&privacy](const HttpRequest&, const CallContext& context) {
             HttpResponse response = answer(privacy.export_own(*context.member), 200, encode_member_export);
             if (!response.error) {
                 response.headers.emplace_back(
                     "Content-Disposition",
                     "attachment; filename=\"patron-export-" + std::to_string(context.member->member_id) + ".json\"");
             }
             return response;
         }},
        {"DELETE", "/v1/me", Caller::kMember, kNoRoles, true,
         [&privacy](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_account_deletion, [&](const std::string& password) {
                 return no_content(privacy.erase_own(*context.member, password));
             });
         },
         Expense::kHashesPassword},
    };
}

}  // namespace patron::api
