// The members each rule or coupon campaign with a hold-out found eligible (migration 0032), and
// what the effectiveness report reads of them: per group, the members and their purchases after
// they were recorded, and what the campaign gave its targeted members.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/effectiveness.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct CampaignExposure {
    std::string campaign_key;
    bool held_out = false;
};

// Records each exposure of the member unless already recorded (INSERT IGNORE: the first stays).
void record_exposures(soci::session& sql, long long program_id, core::CampaignKind kind, long long member_id,
                      const std::vector<CampaignExposure>& exposures, std::optional<long long> purchase_id,
                      core::Timestamp now);

// A merge of `from` into `into`: the absorbed member's exposures become the survivor's, each
// still targeted or held out as recorded; where both members were recorded for a campaign, the
// survivor's record stays and the other is dropped.
void move_campaign_exposures(soci::session& sql, long long from, long long into);

// When the campaign recorded its first member; none when it has recorded none.
std::optional<core::Timestamp> first_exposure_at(soci::session& sql, long long program_id, core::CampaignKind kind,
                                                 const std::string& key);

// The targeted group (first) and the held-out group (second): each member's purchases (voids
// excluded) received in [from, until) and after the member was recorded.
std::pair<core::GroupTally, core::GroupTally> exposure_groups(soci::session& sql, long long program_id,
                                                              core::CampaignKind kind, const std::string& key,
                                                              core::Timestamp from, core::Timestamp until);

// What the campaign gave its targeted members in [from, until): points of its lots (`point_rules`:
// the rule ids its points carry) net of returns, cashback of its rule net of returns, and the
// discounts of its coupon redemptions not given back. points_value is left to the caller.
core::RewardCost targeted_reward_cost(soci::session& sql, long long program_id, core::CampaignKind kind,
                                      const std::string& key, const std::vector<std::string>& point_rules,
                                      core::Timestamp from, core::Timestamp until);

}  // namespace patron::store
