#include "loyalty/service/rule_set_cache.h"

#include <nlohmann/json.hpp>

#include "loyalty/store/program_store.h"

namespace patron::service {

core::Result<std::shared_ptr<const core::RuleSet>> RuleSetCache::in_force(soci::session& sql, long long program_id,
                                                                          core::Timestamp at) {
    const core::PointsPolicy policy = store::find_points_policy(sql, program_id);
    const auto version = store::find_rule_set_version_in_force(sql, program_id, at);
    if (!version) {
        auto none = std::make_shared<core::RuleSet>();
        none->points = policy;
        return none;
    }
    const std::pair<long long, int> key{program_id, *version};
    std::shared_ptr<const core::RuleSet> cached;
    {
        std::lock_guard lock(mutex_);
        const auto it = parsed_.find(key);
        if (it != parsed_.end()) cached = it->second;
    }
    if (cached && cached->points == policy) return cached;

    std::shared_ptr<core::RuleSet> fresh;
    if (cached) {
        fresh = std::make_shared<core::RuleSet>(*cached);
    } else {
        const auto record = store::find_rule_set(sql, program_id, *version);
        auto parsed = record ? core::parse_rule_set(nlohmann::json::parse(record->document, nullptr, false), *version)
                             : std::unexpected(core::RuleSetProblems{});
        if (!parsed) {
            return core::fail(core::ErrorCode::kInternal,
                              "published rule set version " + std::to_string(*version) + " does not parse");
        }
        fresh = std::make_shared<core::RuleSet>(std::move(*parsed));
    }
    fresh->points = policy;
    std::lock_guard lock(mutex_);
    parsed_[key] = fresh;
    return fresh;
}

}  // namespace patron::service
