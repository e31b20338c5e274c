// Staff routes for tiers: the program's tier policy (read; set by admin and marketer) and a
// member's tier with progress to the next one and the history of changes.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/program/tier_service.h"

namespace patron::api {

std::vector<Route> tier_routes(service::TierService& tiers);

}  // namespace patron::api
