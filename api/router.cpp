#include "api/router.h"

namespace patron::api {

Roles role_bit(std::string_view role) {
    if (role == "admin") return kRoleAdmin;
    if (role == "marketer") return kRoleMarketer;
    if (role == "support") return kRoleSupport;
    if (role == "analyst") return kRoleAnalyst;
    return kNoRoles;
}

}  // namespace patron::api
