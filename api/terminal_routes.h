// The admin's registry of stores, POS terminals and the terminals' signing keys (register,
// list, rotate with a grace period, revoke at once).
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/clock.h"
#include "loyalty/service/terminal_registry.h"

namespace patron::api {

std::vector<Route> terminal_routes(service::TerminalRegistry& registry, const service::Clock& clock);

}  // namespace patron::api
