// Who is held out of a rule's or coupon campaign's hold-out (issue 17): SHA-256 of a fixed label,
// the campaign's kind and key and the member's id; its first 8 bytes (big-endian) modulo 10,000
// are the member's bucket, and buckets below percent x 100 are held out. So a member stays in the
// same group of the same campaign whatever the till, the time or the rules' version, no one picks
// who is held out, and each campaign splits the members independently of the others.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/effectiveness.h"
#include "loyalty/core/rule_set.h"

namespace patron::service {

inline constexpr int kHoldoutBuckets = 10'000;

int holdout_bucket(core::CampaignKind kind, std::string_view campaign_key, long long member_id);

bool is_held_out(const core::Holdout& holdout, core::CampaignKind kind, std::string_view campaign_key,
                 long long member_id);

// Ids of the rules, cashback rules and stamp cards whose hold-out keeps the member out.
std::vector<std::string> held_out_rules(const core::RuleSet& rules, long long member_id);

}  // namespace patron::service
