// Routes for POS terminals (signed requests): card look-up and purchase commit.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/purchase_service.h"

namespace patron::api {

std::vector<Route> pos_routes(service::MemberService& members, service::PurchaseService& purchases);

}  // namespace patron::api
