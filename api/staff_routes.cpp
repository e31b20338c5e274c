#include "api/staff_routes.h"

#include <nlohmann/json.hpp>

#include "api/staff_documents.h"
#include "loyalty/core/staff_requests.h"

namespace patron::api {

using nlohmann::json;

std::vector<Route> staff_routes(service::StaffAccountService& accounts) {
    return {
        {"POST", "/v1/staff/sessions", Caller::kAnyone, kNoRoles, true,
         [&accounts](const HttpRequest& request, const CallContext&) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             // A mistyped field is the client's mistake to be told about, not a wrong password.
             const auto sign_in = core::decode_staff_sign_in(*document);
             if (!sign_in) return error_response(sign_in.error());
             return answer(accounts.sign_in(sign_in->email, sign_in->password), 201,
                           [](const service::StaffSession& session) {
                               return json{{"token", session.token},
                                           {"expires_at", time_or_null(session.expires_at)},
                                           {"name", session.name},
                                           {"role", core::to_string(session.role)}};
                           });
         },
         Expense::kHashesPassword},
        {"DELETE", "/v1/staff/sessions/current", Caller::kStaff, kAllStaff, true,
         [&accounts](const HttpRequest& request, const CallContext&) {
             return no_content(accounts.sign_out(request.header("authorization").value_or("").substr(7)));
         }},
        {"POST", "/v1/staff/users", Caller::kStaff, kRoleAdmin, true,
         [&accounts](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             const auto user = core::decode_new_staff_user(*document);
             if (!user) return error_response(user.error());
             return answer(accounts.create_user(*context.staff, *user), 201, staff_user_document);
         },
         Expense::kHashesPassword},
        {"PATCH", "/v1/staff/users/:id", Caller::kStaff, kRoleAdmin, true,
         [&accounts](const HttpRequest& request, const CallContext& context) {
             const auto id = parse_id(request.param("id"));
             if (!id) return error_response({core::ErrorCode::kNotFound, "no staff user with this id", "id"});
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             // A document that is no object is refused before the user is looked up; a field it
             // cannot take only once the user is known to exist (the service answers that).
             const auto change = core::decode_staff_user_change(*document);
             if (!document->is_object()) return error_response(change.error());
             return answer(accounts.update_user(*context.staff, *id, change), 200, staff_user_document);
         }},
        {"GET", "/v1/staff/users", Caller::kStaff, kRoleAdmin, true,
         [&accounts](const HttpRequest&, const CallContext& context) {
             return answer(accounts.users(*context.staff), 200, [](const std::vector<store::StaffUserRecord>& users) {
                 json list = json::array();
                 for (const auto& user : users) list.push_back(staff_user_document(user));
                 return json{{"users", list}};
             });
         }},
    };
}

}  // namespace patron::api
