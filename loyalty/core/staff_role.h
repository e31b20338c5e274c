// The roles of staff, and sets of them: the route table names the roles each staff route admits,
// and the use cases check the same enum again behind it. The spellings ("admin", ...) live only in
// to_string and parse_staff_role; the API's JSON and the database's columns both use them.
#pragma once

#include <array>
#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string_view>

namespace patron::core {

enum class StaffRole {
    kAdmin,     // Everything.
    kMarketer,  // Rules, tiers, settings, campaigns, reports.
    kSupport,   // Members, cards, point adjustments, claims.
    kAnalyst,   // Read-only reports.
};

inline constexpr std::array kStaffRoles{StaffRole::kAdmin, StaffRole::kMarketer, StaffRole::kSupport,
                                        StaffRole::kAnalyst};

std::string_view to_string(StaffRole role);
// Never as a JSON number: nlohmann would write an enum as its integer, so an answer must spell it
// with to_string (writing one straight into JSON does not compile).
void to_json(nlohmann::json&, StaffRole) = delete;

// The role spelled so (exactly, case included); nullopt for any other text.
std::optional<StaffRole> parse_staff_role(std::string_view spelling);

// A set of roles, e.g. those a route admits: `{StaffRole::kAdmin, StaffRole::kSupport}`.
class StaffRoles {
  public:
    constexpr StaffRoles() = default;
    constexpr StaffRoles(std::initializer_list<StaffRole> roles) {
        for (const StaffRole role : roles) bits_ |= bit(role);
    }

    constexpr bool contains(StaffRole role) const { return (bits_ & bit(role)) != 0; }
    constexpr bool empty() const { return bits_ == 0; }

    friend constexpr StaffRoles operator|(StaffRoles left, StaffRoles right) {
        StaffRoles both;
        both.bits_ = left.bits_ | right.bits_;
        return both;
    }
    friend constexpr bool operator==(StaffRoles, StaffRoles) = default;

  private:
    static constexpr unsigned bit(StaffRole role) { return 1u << static_cast<unsigned>(role); }

    unsigned bits_ = 0;
};

}  // namespace patron::core
