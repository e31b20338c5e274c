// Staff routes of the member registry: enrol, read a member, read balances.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/members/card_service.h"
#include "loyalty/service/members/member_merge_service.h"
#include "loyalty/service/members/member_privacy_service.h"
#include "loyalty/service/members/member_service.h"
#include "loyalty/service/members/points_adjustment_service.h"
#include "loyalty/service/pos/purchase_service.h"

namespace patron::api {

std::vector<Route> member_routes(service::MemberService& members, service::PointsAdjustmentService& adjustments,
                                 service::PurchaseService& purchases, service::CardService& cards,
                                 service::MemberPrivacyService& privacy, service::MemberMergeService& merges);

}  // namespace patron::api
