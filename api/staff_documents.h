// Staff users as the API shows them to an admin: id, email, name, role and status (never the
// password's hash).
#pragma once

#include <nlohmann/json.hpp>

#include "loyalty/service/access/staff_account_service.h"

namespace patron::api {

nlohmann::json staff_user_document(const store::StaffUserRecord& user);

}  // namespace patron::api
