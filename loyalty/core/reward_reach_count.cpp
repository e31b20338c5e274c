#include "loyalty/core/reward_reach_count.h"

#include <algorithm>

namespace patron::core {
namespace {

std::int64_t distinct_count(std::vector<std::int64_t>& ids) {
    std::sort(ids.begin(), ids.end());
    return std::unique(ids.begin(), ids.end()) - ids.begin();
}

}  // namespace

RewardReachCount::Tally& RewardReachCount::at(const RewardSource& source, std::int64_t store) {
    const auto key = std::pair{source, store};
    if (const auto found = by_store_.find(key); found != by_store_.end()) return found->second;
    return by_store_.emplace(key, Tally(members_[source])).first->second;
}

void RewardReachCount::write_to(RewardsReportInputs& inputs) {
    std::map<RewardSource, std::int64_t> purchases;
    for (auto& [key, tally] : by_store_) {
        const std::int64_t touched = distinct_count(tally.purchases_) + tally.counted_purchases_;
        inputs.store_reach[key] = {touched, distinct_count(tally.members_)};
        purchases[key.first] += touched;
    }
    for (auto& [source, members] : members_) inputs.reach[source] = {purchases[source], distinct_count(members)};
}

}  // namespace patron::core
