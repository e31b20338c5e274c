// Staff accounts over HTTP: sign-in and sign-out, and the admin's list and creation of users.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/access/staff_account_service.h"

namespace patron::api {

std::vector<Route> staff_routes(service::StaffAccountService& accounts);

}  // namespace patron::api
