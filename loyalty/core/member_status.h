// The status of a member record: active, erased (its personal data shredded, the row kept for the
// books) or merged into another member. The spellings ("active", ...) live only in to_string and
// parse_member_status; the API's JSON and the database's column both use them.
#pragma once

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string_view>

namespace patron::core {

enum class MemberStatus { kActive, kErased, kMerged };

inline constexpr std::array kMemberStatuses{MemberStatus::kActive, MemberStatus::kErased, MemberStatus::kMerged};

std::string_view to_string(MemberStatus status);
// Never as a JSON number: nlohmann would write an enum as its integer, so an answer must spell it
// with to_string (writing one straight into JSON does not compile).
void to_json(nlohmann::json&, MemberStatus) = delete;

// The status spelled so (exactly, case included); nullopt for any other text.
std::optional<MemberStatus> parse_member_status(std::string_view spelling);

}  // namespace patron::core
