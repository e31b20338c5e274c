#include "loyalty/service/insight/segment_references.h"

#include <nlohmann/json.hpp>
#include <set>

#include "loyalty/core/coupons.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/core/triggers.h"
#include "loyalty/store/events/trigger_store.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/program/coupon_store.h"
#include "loyalty/store/program/program_store.h"
#include "loyalty/store/program/rule_draft_store.h"

namespace patron::service {
namespace {

std::optional<std::string> named_in(const std::vector<core::ScopedSegment>& named, const std::string& code) {
    for (const core::ScopedSegment& segment : named) {
        if (segment.code == code) return segment.path;
    }
    return std::nullopt;
}

// The draft, the version in force at `now` and every version scheduled after it: the rules a
// purchase is or will be rated by. An older version in force meanwhile keeps its segments.
std::optional<std::string> rule_naming(soci::session& sql, long long program_id, const std::string& code,
                                       core::Timestamp now) {
    std::vector<std::pair<std::string, std::string>> documents;
    if (const auto draft = store::find_rule_draft(sql, program_id, false)) {
        documents.emplace_back("draft", draft->document);
    }
    const std::optional<int> in_force = store::find_rule_set_version_in_force(sql, program_id, now);
    for (const store::RuleSetSummary& summary : store::list_rule_sets(sql, program_id)) {
        if (summary.version != in_force && summary.effective_from <= now) continue;
        if (const auto version = store::find_rule_set(sql, program_id, summary.version)) {
            documents.emplace_back("version " + std::to_string(version->version), version->document);
        }
    }
    for (const auto& [name, text] : documents) {
        const auto rules = core::RuleDocument::stored(text).validate(core::RuleIdCheck::kStored);
        if (!rules) continue;
        if (const auto path = named_in(core::scoped_segments(*rules), code)) return name + ": " + *path;
    }
    return std::nullopt;
}

std::optional<std::string> campaign_naming(soci::session& sql, long long program_id, const std::string& code) {
    for (const store::CouponCampaignRecord& record : store::coupon_campaigns_of_program(sql, program_id)) {
        if (record.status == "ended") continue;
        const auto campaign = core::parse_coupon_campaign(nlohmann::json::parse(record.document, nullptr, false));
        if (!campaign) continue;
        if (const auto path = named_in(core::scoped_segments(*campaign), code)) {
            return "coupon campaign " + std::to_string(record.id) + ": " + *path;
        }
    }
    return std::nullopt;
}

}  // namespace

core::Result<void> check_segment_codes(soci::session& sql, long long program_id,
                                       const std::vector<core::ScopedSegment>& named) {
    if (named.empty()) return {};
    std::set<std::string> asked;
    for (const core::ScopedSegment& segment : named) asked.insert(segment.code);
    const std::vector<std::string> found =
        store::lock_segment_codes(sql, program_id, std::vector<std::string>(asked.begin(), asked.end()));
    const std::set<std::string> known(found.begin(), found.end());
    std::vector<core::Error> problems;
    for (const core::ScopedSegment& segment : named) {
        if (!known.contains(segment.code)) {
            problems.push_back({core::ErrorCode::kValidationFailed, "no segment has this code", segment.path});
        }
    }
    if (problems.empty()) return {};
    return std::unexpected(core::all_problems(problems));
}

std::optional<std::string> segment_naming(soci::session& sql, long long program_id, const std::string& code,
                                          core::Timestamp now) {
    if (auto rule = rule_naming(sql, program_id, code, now)) return rule;
    if (auto campaign = campaign_naming(sql, program_id, code)) return campaign;
    return trigger_naming(sql, program_id, code);
}

std::optional<std::string> trigger_naming(soci::session& sql, long long program_id, const std::string& code) {
    for (const store::TriggerRecord& record : store::list_triggers(sql, program_id)) {
        if (record.state == core::TriggerState::kEnded) continue;
        const auto trigger = core::parse_stored_trigger(record.name, record.rule);
        if (trigger && trigger->action == core::TriggerAction::kSegment && trigger->segment == code) {
            return "trigger " + std::to_string(record.id) + ": action.segment";
        }
    }
    return std::nullopt;
}

}  // namespace patron::service
