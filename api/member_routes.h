// Staff routes of the member registry: enrol, read a member, read balances.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/card_service.h"
#include "loyalty/service/member_merge.h"
#include "loyalty/service/member_privacy.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_adjustments.h"
#include "loyalty/service/purchase_service.h"

namespace patron::api {

std::vector<Route> member_routes(service::MemberService& members, service::PointsAdjustments& adjustments,
                                 service::PurchaseService& purchases, service::CardService& cards,
                                 service::MemberPrivacy& privacy, service::MemberMerge& merges);

}  // namespace patron::api
