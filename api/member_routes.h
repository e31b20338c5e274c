// Staff routes of the member registry: enrol, find, read, change, export, merge and erase a member,
// read balances and history, adjust points, claim purchases (cards have routes of their own); and
// how these routes and the card routes read the member id of their path.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/members/member_merge_service.h"
#include "loyalty/service/members/member_privacy_service.h"
#include "loyalty/service/members/member_service.h"
#include "loyalty/service/members/points_adjustment_service.h"
#include "loyalty/service/pos/purchase_service.h"

namespace patron::api {

// The member id the path names (":id") handed on to `then`; MEMBER_NOT_FOUND when it is no id.
template <typename F>
HttpResponse with_member_id(const HttpRequest& request, F&& then) {
    const auto id = parse_id(request.param("id"));
    if (!id) return error_response({core::ErrorCode::kMemberNotFound, "no member with this id", "id"});
    return then(*id);
}

std::vector<Route> member_routes(service::MemberService& members, service::PointsAdjustmentService& adjustments,
                                 service::PurchaseService& purchases, service::MemberPrivacyService& privacy,
                                 service::MemberMergeService& merges);

}  // namespace patron::api
