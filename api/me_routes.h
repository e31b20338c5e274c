// The member's own routes (the portal): asking for a one-time code, setting a password with it,
// signing in and out, reading their profile, balances and history, claiming a receipt, changing
// their profile and password, exporting their data and deleting their account. Member tokens
// reach these routes only, and only the signed-in member's own data.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/members/member_privacy_service.h"
#include "loyalty/service/members/member_service.h"
#include "loyalty/service/members/member_sign_in_service.h"
#include "loyalty/service/pos/purchase_service.h"

namespace patron::api {

std::vector<Route> me_routes(service::MemberSignInService& sign_in, service::MemberService& members,
                             service::PurchaseService& purchases, service::MemberPrivacyService& privacy);

// A member's history as GET /v1/me/history and the staff's GET /v1/members/{id}/history answer it:
// ?before=ID&limit=N (limit 20 when absent) of every list at once, or with ?kind= of one list.
HttpResponse history_response(service::MemberService& members, long long program_id, long long member_id,
                              const HttpRequest& request);

}  // namespace patron::api
