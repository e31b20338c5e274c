// Whether a new rule set keeps the hold-outs its rules were published with. A member's bucket of
// a rule never changes, but the cut between the groups moves with the percent, and the groups
// recorded for the effectiveness report stay as first recorded: once members are recorded, a
// changed share would reward members recorded as held out (or starve ones recorded as targeted),
// and a removed hold-out would reward the whole held-out group. The service refuses such a change
// for a rule id with recorded members; a new id starts a new hold-out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/rule_set.h"

namespace patron::core {

// The hold-out percent of each rule, cashback rule and stamp card of the set (none: it has no
// hold-out), by its id as the database compares it (reward_rule_ids.h).
using HoldoutsById = std::map<std::string, std::optional<std::int64_t>>;
HoldoutsById holdouts_by_id(const RuleSet& rules);

// An entry of the new rule set whose hold-out is not the one its id was last published with.
struct HoldoutChange {
    std::string id;
    std::string path;  // "rules[2].holdout.percent"; "rules[2].holdout" when the hold-out is removed.
    std::int64_t published_percent = 0;
    std::optional<std::int64_t> percent;  // None: removed.
};

// The entries of `next` whose hold-out differs from `published` (each id's hold-out in the newest
// published version that has the id), where that one had a hold-out. Adding a hold-out to an id
// that had none is no change: nobody was recorded under it.
std::vector<HoldoutChange> holdout_changes(const RuleSet& next, const HoldoutsById& published);

}  // namespace patron::core
