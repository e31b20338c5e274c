#include "loyalty/core/holdout_changes.h"

#include "loyalty/core/reward_rule_ids.h"

namespace patron::core {
namespace {

template <typename T>
void add_holdouts(const std::vector<T>& list, HoldoutsById& holdouts) {
    for (const T& entry : list) {
        holdouts.emplace(comparable_rule_id(entry.id),
                         entry.holdout ? std::optional(entry.holdout->percent) : std::nullopt);
    }
}

template <typename T>
void add_changes(const std::vector<T>& list, const std::string& name, const HoldoutsById& published,
                 std::vector<HoldoutChange>& changes) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const T& entry = list[i];
        const auto before = published.find(comparable_rule_id(entry.id));
        if (before == published.end() || !before->second) continue;
        const std::optional<std::int64_t> percent =
            entry.holdout ? std::optional(entry.holdout->percent) : std::nullopt;
        if (percent == before->second) continue;
        const std::string path = name + "[" + std::to_string(i) + "].holdout";
        changes.push_back(HoldoutChange{entry.id, percent ? path + ".percent" : path, *before->second, percent});
    }
}

}  // namespace

HoldoutsById holdouts_by_id(const RuleSet& rules) {
    HoldoutsById holdouts;
    add_holdouts(rules.rules, holdouts);
    add_holdouts(rules.cashback, holdouts);
    add_holdouts(rules.stamp_cards, holdouts);
    return holdouts;
}

std::vector<HoldoutChange> holdout_changes(const RuleSet& next, const HoldoutsById& published) {
    std::vector<HoldoutChange> changes;
    add_changes(next.rules, "rules", published, changes);
    add_changes(next.cashback, "cashback", published, changes);
    add_changes(next.stamp_cards, "stamp_cards", published, changes);
    return changes;
}

}  // namespace patron::core
