#include "loyalty/core/member_status.h"

namespace patron::core {

std::string_view to_string(MemberStatus status) {
    switch (status) {
        case MemberStatus::kActive:
            return "active";
        case MemberStatus::kErased:
            return "erased";
        case MemberStatus::kMerged:
            return "merged";
    }
    return "unknown";
}

std::optional<MemberStatus> parse_member_status(std::string_view spelling) {
    for (const MemberStatus status : kMemberStatuses) {
        if (to_string(status) == spelling) return status;
    }
    return std::nullopt;
}

}  // namespace patron::core
