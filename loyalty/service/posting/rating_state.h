// What the engine may know when it rates a basket for a member: their balance, tier and tier
// progress, birth month, earlier purchases, what each limited rule gave them today and this
// month, the budgets used, and their segments (when a scope names one). Shared by the purchase commit (which holds the
// member's account lock and locks the budget rows) and the marketers' preview (which writes nothing).
#pragma once

#include <optional>

#include "loyalty/core/engine.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/service/posting/pos_operations.h"

namespace patron::service {

struct RatingState {
    core::MemberState member;
    core::RuleCounters counters;
};

// Budget rows are read FOR UPDATE: inside the commit's transaction they stay locked until it ends.
RatingState rating_state(soci::session& sql, long long program_id, const std::optional<Holder>& holder,
                         const std::optional<core::MemberProfile>& profile, const core::Purchase& purchase,
                         const core::RuleSet& rules, core::Timestamp now);

}  // namespace patron::service
