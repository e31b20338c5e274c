// Staff routes for the program's own settings: name, currency, language, time zone, points policy.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/program/program_settings_service.h"

namespace patron::api {

std::vector<Route> program_routes(service::ProgramSettingsService& settings);

}  // namespace patron::api
