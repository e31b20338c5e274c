// Staff routes for rule sets: the working draft (whole or rule by rule), its preview on a basket,
// publishing and rolling back, and the published versions.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/program/rule_service.h"

namespace patron::api {

std::vector<Route> rule_routes(service::RuleService& rules);

}  // namespace patron::api
