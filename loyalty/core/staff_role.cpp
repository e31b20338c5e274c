#include "loyalty/core/staff_role.h"

namespace patron::core {

std::string_view to_string(StaffRole role) {
    switch (role) {
        case StaffRole::kAdmin:
            return "admin";
        case StaffRole::kMarketer:
            return "marketer";
        case StaffRole::kSupport:
            return "support";
        case StaffRole::kAnalyst:
            return "analyst";
    }
    return "unknown";
}

std::optional<StaffRole> parse_staff_role(std::string_view spelling) {
    for (const StaffRole role : kStaffRoles) {
        if (to_string(role) == spelling) return role;
    }
    return std::nullopt;
}

}  // namespace patron::core
