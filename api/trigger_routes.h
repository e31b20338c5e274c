// Staff routes of triggers (core/triggers.h, service/events/trigger_service.h): set by admins and
// marketers, read by analysts too; each answer says how often the trigger fired, and one trigger's
// its latest firings.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/events/trigger_service.h"

namespace patron::api {

std::vector<Route> trigger_routes(service::TriggerService& triggers);

}  // namespace patron::api
