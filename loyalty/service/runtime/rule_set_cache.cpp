#include "loyalty/service/runtime/rule_set_cache.h"

#include <nlohmann/json.hpp>

#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/fraud/fraud_store.h"
#include "loyalty/store/program/program_store.h"
#include "loyalty/store/program/rule_draft_store.h"
#include "loyalty/store/program/tier_store.h"

namespace patron::service {

store::ProgramPolicies RuleSetCache::policies(soci::session& sql, long long program_id, long long settings_version) {
    {
        std::lock_guard lock(mutex_);
        const auto it = policies_.find(program_id);
        if (it != policies_.end() && it->second.settings_version == settings_version) return it->second;
    }
    store::ProgramPolicies read = store::find_program_policies(sql, program_id);
    read.rule_set_version.reset();
    for (const store::RuleSetSummary& published : store::list_rule_sets(sql, program_id)) {
        read.rule_sets.push_back(core::RuleSetStart{published.version, published.effective_from});
    }
    // Read after the policies, the starts are never older than the version they are kept under; a
    // rule set published in between is in the list too, and it is in force: a till may rate by it.
    std::lock_guard lock(mutex_);
    store::ProgramPolicies& kept = policies_[program_id];
    if (read.settings_version >= kept.settings_version) kept = read;
    return read;  // Newer than asked for when it changed meanwhile: newer is what is in force.
}

core::Result<std::shared_ptr<const core::TierPolicy>> RuleSetCache::tier_policy(soci::session& sql,
                                                                                long long program_id, int version) {
    if (version == 0) return std::shared_ptr<const core::TierPolicy>{};
    {
        std::lock_guard lock(mutex_);
        const auto it = tiers_.find(program_id);
        if (it != tiers_.end() && it->second->version == version) return it->second;
    }
    const auto record = store::find_tier_policy(sql, program_id);
    if (!record) return std::shared_ptr<const core::TierPolicy>{};  // Tiers removed.
    auto parsed =
        record ? core::parse_tier_policy(nlohmann::json::parse(record->document, nullptr, false), record->version)
               : std::unexpected(std::vector<core::Error>{});
    if (!parsed) {
        return core::fail(core::ErrorCode::kInternal,
                          "tier policy version " + std::to_string(version) + " does not parse");
    }
    auto fresh = std::make_shared<const core::TierPolicy>(std::move(*parsed));
    std::lock_guard lock(mutex_);
    tiers_[program_id] = fresh;
    return fresh;
}

core::Result<std::shared_ptr<const core::FraudPolicy>> RuleSetCache::fraud_policy(soci::session& sql,
                                                                                  long long program_id, int version) {
    if (version == 0) return std::shared_ptr<const core::FraudPolicy>{};
    {
        std::lock_guard lock(mutex_);
        const auto it = fraud_.find(program_id);
        if (it != fraud_.end() && it->second->version == version) return it->second;
    }
    const store::StoredFraudPolicy stored = store::find_fraud_policy(sql, program_id);
    auto parsed = core::parse_stored_fraud_policy(stored.document, stored.version);
    if (!parsed) {
        return core::fail(core::ErrorCode::kInternal,
                          "fraud policy version " + std::to_string(stored.version) + " does not parse");
    }
    auto fresh = std::make_shared<const core::FraudPolicy>(std::move(*parsed));
    std::lock_guard lock(mutex_);
    auto& kept = fraud_[program_id];
    if (!kept || kept->version <= fresh->version) kept = fresh;
    return fresh;
}

core::Result<std::shared_ptr<const core::RuleSet>> RuleSetCache::in_force(soci::session& sql, long long program_id,
                                                                          core::Timestamp at,
                                                                          const store::ProgramPolicies* read) {
    const store::ProgramPolicies policies = read ? *read : store::find_program_policies_in_force(sql, program_id, at);
    const core::PointsPolicy& policy = policies.points;
    auto tiers = tier_policy(sql, program_id, policies.tier_policy_version);
    if (!tiers) return std::unexpected(tiers.error());
    const std::shared_ptr<const core::TimeZone> zone = locate_time_zone(policies.time_zone);
    const std::optional<int>& version = policies.rule_set_version;
    if (!version) {
        auto none = std::make_shared<core::RuleSet>();
        none->points = policy;
        none->tiers = *tiers;
        none->language = core::language_from_code(policies.language);
        none->time_zone = zone;
        return none;
    }
    const std::pair<long long, int> key{program_id, *version};
    std::shared_ptr<const core::RuleSet> cached;
    {
        std::lock_guard lock(mutex_);
        const auto it = parsed_.find(key);
        if (it != parsed_.end()) cached = it->second;
    }
    const core::Language language = core::language_from_code(policies.language);
    if (cached && cached->points == policy && cached->tiers == *tiers && cached->language == language &&
        cached->time_zone == zone) {
        return cached;
    }

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
    fresh->tiers = *tiers;
    fresh->language = language;
    fresh->time_zone = zone;
    std::lock_guard lock(mutex_);
    parsed_[key] = fresh;
    return fresh;
}

}  // namespace patron::service
