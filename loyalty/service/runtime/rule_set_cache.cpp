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

std::optional<store::ProgramPolicies> RuleSetCache::kept_policies(long long program_id) {
    std::lock_guard lock(mutex_);
    const auto it = policies_.find(program_id);
    if (it == policies_.end()) return std::nullopt;
    return it->second;
}

namespace {

// A policy kept by programme and version: the kept one when its version is asked for, else read
// (`read`: the policy as stored, or null when there is none any more) and kept unless a newer one
// was kept meanwhile. Null for version 0.
template <class Policy, class Read>
core::Result<std::shared_ptr<const Policy>> kept_by_version(std::mutex& mutex,
                                                            std::map<long long, std::shared_ptr<const Policy>>& kept,
                                                            long long program_id, int version, const char* what,
                                                            Read read) {
    if (version == 0) return std::shared_ptr<const Policy>{};
    {
        std::lock_guard lock(mutex);
        const auto it = kept.find(program_id);
        if (it != kept.end() && it->second->version == version) return it->second;
    }
    std::optional<core::Result<Policy>> parsed = read();
    if (!parsed) return std::shared_ptr<const Policy>{};
    if (!*parsed) {
        return core::fail(core::ErrorCode::kInternal,
                          std::string(what) + " version " + std::to_string(version) + " does not parse");
    }
    auto fresh = std::make_shared<const Policy>(std::move(**parsed));
    std::lock_guard lock(mutex);
    auto& slot = kept[program_id];
    if (!slot || slot->version <= fresh->version) slot = fresh;
    return fresh;
}

}  // namespace

core::Result<std::shared_ptr<const core::TierPolicy>> RuleSetCache::tier_policy(soci::session& sql,
                                                                                long long program_id, int version) {
    return kept_by_version<core::TierPolicy>(
        mutex_, tiers_, program_id, version, "tier policy", [&]() -> std::optional<core::Result<core::TierPolicy>> {
            const auto record = store::find_tier_policy(sql, program_id);
            if (!record) return std::nullopt;  // Tiers removed.
            auto parsed =
                core::parse_tier_policy(nlohmann::json::parse(record->document, nullptr, false), record->version);
            if (!parsed) return core::fail(core::ErrorCode::kInternal, "tier policy does not parse");
            return std::move(*parsed);
        });
}

core::Result<std::shared_ptr<const core::FraudPolicy>> RuleSetCache::fraud_policy(soci::session& sql,
                                                                                  long long program_id, int version) {
    return kept_by_version<core::FraudPolicy>(
        mutex_, fraud_, program_id, version, "fraud policy",
        [&]() -> std::optional<core::Result<core::FraudPolicy>> { return store::find_fraud_policy(sql, program_id); });
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
