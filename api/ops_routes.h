// Operator routes: liveness, readiness (database and migrations) and Prometheus metrics.
#pragma once

#include <vector>

#include "api/metrics.h"
#include "api/router.h"
#include "loyalty/service/runtime/readiness.h"

namespace patron::api {

std::vector<Route> ops_routes(service::Readiness& readiness, Metrics& metrics);

}  // namespace patron::api
