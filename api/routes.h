// Every route patrond serves, assembled in one place so that the server and the test that
// holds api/openapi.yaml against the routes see the same table.
#pragma once

#include <vector>

#include "api/metrics.h"
#include "api/router.h"
#include "loyalty/service/services.h"

namespace patron::api {

std::vector<Route> patron_routes(service::Services& services, Metrics& metrics);

}  // namespace patron::api
