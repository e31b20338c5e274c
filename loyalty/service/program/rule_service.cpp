#include "loyalty/service/program/rule_service.h"

#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <set>

#include "loyalty/core/holdout_changes.h"
#include "loyalty/core/purchase_result.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/service/insight/segment_references.h"
#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/service/posting/pos_operations.h"
#include "loyalty/service/posting/rating_state.h"
#include "loyalty/service/program/program_service.h"
#include "loyalty/service/program/tier_service.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/coupon_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

// A little slack for clocks: "now" from a marketer's browser may be a few seconds behind.
constexpr auto kPastSlack = std::chrono::minutes(5);

core::Result<void> may_edit(const StaffIdentity& staff) {
    if (may(staff, {core::StaffRole::kAdmin, core::StaffRole::kMarketer})) return {};
    return fail(ErrorCode::kForbidden, "only admin and marketer staff edit rules");
}

// A stamp card's coupon reward must name a published campaign of the program: the codes it
// issues would not work otherwise.
core::Result<void> check_reward_campaigns(soci::session& sql, long long program_id, const core::RuleSet& rules) {
    std::vector<core::Error> problems;
    for (std::size_t i = 0; i < rules.stamp_cards.size(); ++i) {
        const core::StampCard& card = rules.stamp_cards[i];
        if (card.reward != core::StampRewardKind::kCoupon) continue;
        const auto campaign = store::find_coupon_campaign(sql, program_id, card.reward_campaign, false);
        if (!campaign || campaign->status != "published") {
            problems.push_back({ErrorCode::kValidationFailed, "must name a published coupon campaign",
                                "stamp_cards[" + std::to_string(i) + "].reward.coupon_campaign"});
        }
    }
    if (problems.empty()) return {};
    return std::unexpected(core::all_problems(problems));
}

// The references a rule set makes to the programme's campaigns and segments.
core::Result<void> check_references(soci::session& sql, long long program_id, const core::RuleSet& rules) {
    if (auto rewards = check_reward_campaigns(sql, program_id, rules); !rewards) return rewards;
    return check_segment_codes(sql, program_id, core::scoped_segments(rules));
}

// Each id's hold-out in the newest published version that has the id, for the ids of `rules`.
core::HoldoutsById published_holdouts(soci::session& sql, long long program_id, const core::RuleSet& rules) {
    const core::HoldoutsById wanted = core::holdouts_by_id(rules);
    core::HoldoutsById published;
    for (const store::RuleSetSummary& summary : store::list_rule_sets(sql, program_id)) {
        if (published.size() == wanted.size()) break;
        const auto record = store::find_rule_set(sql, program_id, summary.version);
        const auto earlier =
            record ? core::parse_rule_set(nlohmann::json::parse(record->document, nullptr, false), record->version)
                   : std::unexpected(core::RuleSetProblems{});
        if (!earlier) continue;
        for (const auto& [id, holdout] : core::holdouts_by_id(*earlier)) {
            if (wanted.contains(id)) published.emplace(id, holdout);  // A newer version's stays.
        }
    }
    return published;
}

// A rule's hold-out share is fixed once members were recorded under it (core/holdout_changes.h):
// a changed or removed share of such a rule is refused at its path, naming the share recorded.
core::Result<void> check_holdouts_kept(soci::session& sql, long long program_id, const core::RuleSet& rules) {
    std::vector<core::Error> problems;
    for (const core::HoldoutChange& change : core::holdout_changes(rules, published_holdouts(sql, program_id, rules))) {
        const auto first = store::first_exposure_at(sql, program_id, core::CampaignKind::kRule, change.id);
        if (!first) continue;
        const std::string recorded = std::to_string(change.published_percent) + "%";
        const std::string effect =
            change.percent ? "another share would move members between the groups its effectiveness report compares"
                           : "removing it would reward the members its effectiveness report counts as held out";
        problems.push_back({ErrorCode::kValidationFailed,
                            "members of " + change.id + " are recorded as targeted or held out under a hold-out of " +
                                recorded + " since " + core::format_utc(*first, core::TimeFormat::kRfc3339) + ": " +
                                effect + "; keep " + recorded + ", or give the rule a new id to start a new hold-out",
                            change.path});
    }
    if (problems.empty()) return {};
    return std::unexpected(core::all_problems(problems));
}

// The draft as a client read it, for If-Match: its updated_at as the API writes it, or "none"
// while no draft is saved.
std::string draft_tag(const DraftView& draft) {
    return draft.updated_at ? core::format_utc(*draft.updated_at, core::TimeFormat::kRfc3339) : "none";
}

// DRAFT_CHANGED unless the client read the draft as it is now (or sent no If-Match).
core::Result<void> check_read(const DraftView& current, const std::optional<std::string>& read,
                              const std::string& what_to_do) {
    if (!read || *read == draft_tag(current)) return {};
    return fail(ErrorCode::kDraftChanged,
                "the draft changed since it was read (saved by " + current.updated_by.value_or("someone") + " at " +
                    draft_tag(current) + "): " + what_to_do,
                "If-Match");
}

// The draft as stored, or a copy of the latest published version (or an empty rule set).
DraftView current_draft(soci::session& sql, long long program_id) {
    if (const auto saved = store::find_rule_draft(sql, program_id, false)) {
        return DraftView{core::RuleDocument::stored(saved->document), saved->based_on_version, saved->updated_by,
                         saved->updated_at};
    }
    const auto versions = store::list_rule_sets(sql, program_id);
    if (versions.empty()) return DraftView{core::RuleDocument(), std::nullopt, std::nullopt, std::nullopt};
    const auto latest = store::find_rule_set(sql, program_id, versions.front().version);
    return DraftView{core::RuleDocument::stored(latest->document), latest->version, std::nullopt, std::nullopt};
}

}  // namespace

core::Result<DraftRules> load_draft_rules(soci::session& sql, long long program_id) {
    DraftView draft = current_draft(sql, program_id);
    // Read back: a draft saved, or a version published, before rule ids were constrained still rates.
    auto rules = draft.document.validate(core::RuleIdCheck::kStored);
    if (!rules) return std::unexpected(rules.error());
    const store::ProgramPolicies policies = store::find_program_policies(sql, program_id);
    rules->points = policies.points;
    rules->language = core::language_from_code(policies.language);
    rules->time_zone = locate_time_zone(policies.time_zone);
    if (auto tiers = load_tier_policy(sql, program_id)) {
        rules->tiers = std::make_shared<const core::TierPolicy>(std::move(*tiers));
    }
    return DraftRules{std::move(draft), std::move(*rules)};
}

RuleService::RuleService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<DraftView> RuleService::draft(long long program_id) {
    return database_.run_for<DraftView>(
        [&](soci::session& sql) -> core::Result<DraftView> { return current_draft(sql, program_id); });
}

core::Result<DraftView> RuleService::edit_draft(
    const StaffIdentity& staff, const std::optional<std::string>& read,
    const std::function<core::Result<core::RuleDocument>(const core::RuleDocument&)>& edit) {
    if (auto allowed = may_edit(staff); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<DraftView>([&](soci::session& sql) -> core::Result<DraftView> {
        store::lock_program_rules(sql, staff.program_id);
        const DraftView current = current_draft(sql, staff.program_id);
        if (auto same = check_read(current, read, "read it again and redo the change"); !same) {
            return std::unexpected(same.error());
        }
        auto document = edit(current.document);
        if (!document) return std::unexpected(document.error());
        auto rules = document->validate();
        if (!rules) return std::unexpected(rules.error());
        if (auto references = check_references(sql, staff.program_id, *rules); !references) {
            return std::unexpected(references.error());
        }
        const core::Timestamp now = clock_.now();
        store::save_rule_draft(sql, staff.program_id,
                               store::RuleDraft{document->text(), current.based_on_version, staff.label, now});
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kRulesDraft, "program",
                             staff.program_id, "rules"},
                            now);
        return DraftView{std::move(*document), current.based_on_version, staff.label, now};
    });
}

core::Result<DraftView> RuleService::replace_draft(const StaffIdentity& staff, const core::RuleDocument& document,
                                                   const std::optional<std::string>& read) {
    return edit_draft(staff, read,
                      [&](const core::RuleDocument&) -> core::Result<core::RuleDocument> { return document; });
}

core::Result<DraftView> RuleService::put_entry(const StaffIdentity& staff, core::RuleList list,
                                               const core::RuleEntry& entry) {
    return edit_draft(staff, std::nullopt, [&](const core::RuleDocument& current) -> core::Result<core::RuleDocument> {
        core::RuleDocument document = current;
        document.put(list, entry);
        return document;
    });
}

core::Result<DraftView> RuleService::delete_entry(const StaffIdentity& staff, core::RuleList list,
                                                  const std::string& id) {
    return edit_draft(staff, std::nullopt, [&](const core::RuleDocument& current) -> core::Result<core::RuleDocument> {
        core::RuleDocument document = current;
        if (!document.remove(list, id)) {
            return fail(ErrorCode::kNotFound,
                        "the draft has no entry with this id in " + std::string(core::rule_list_name(list)), "id");
        }
        return document;
    });
}

core::Result<void> RuleService::discard_draft(const StaffIdentity& staff) {
    if (auto allowed = may_edit(staff); !allowed) return allowed;
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::lock_program_rules(sql, staff.program_id);
        store::delete_rule_draft(sql, staff.program_id);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kRulesDiscardDraft, "program",
                             staff.program_id, "rules"},
                            clock_.now());
        return {};
    });
}

core::Result<RuleSetVersion> RuleService::publish_document(
    const StaffIdentity& staff, const PublishRequest& request, core::AuditAction action,
    const std::function<core::Result<core::RuleDocument>(soci::session&)>& document_of) {
    return database_.transact_for<RuleSetVersion>([&](soci::session& sql) -> core::Result<RuleSetVersion> {
        store::lock_program_rules(sql, staff.program_id);
        auto document = document_of(sql);
        if (!document) return std::unexpected(document.error());
        const core::Timestamp now = clock_.now();
        const core::Timestamp effective = request.effective_from.value_or(now);
        if (effective < now - kPastSlack) {
            return fail(ErrorCode::kValidationFailed,
                        "must not lie in the past: purchases already rated keep the version they were rated with",
                        "effective_from");
        }
        if (request.note.size() > 200) return fail(ErrorCode::kValidationFailed, "at most 200 characters", "note");
        auto rules = document->validate();
        if (!rules) return std::unexpected(rules.error());
        if (auto references = check_references(sql, staff.program_id, *rules); !references) {
            return std::unexpected(references.error());
        }
        if (auto holdouts = check_holdouts_kept(sql, staff.program_id, *rules); !holdouts) {
            return std::unexpected(holdouts.error());
        }
        const int version = publish_rule_set(sql, staff.program_id, *rules, *document, effective, now);
        store::describe_rule_set(sql, staff.program_id, version, staff.label, request.note);
        store::delete_rule_draft(sql, staff.program_id);
        store::insert_audit(sql, keys_, {staff.program_id, audit_actor(staff), action, "rule_set", version, "rules"},
                            now);
        return RuleSetVersion{store::RuleSetSummary{version, effective, now, staff.label, request.note},
                              std::move(*document)};
    });
}

core::Result<RuleSetVersion> RuleService::publish(const StaffIdentity& staff, const PublishRequest& request,
                                                  const std::optional<std::string>& read) {
    if (auto allowed = may_edit(staff); !allowed) return std::unexpected(allowed.error());
    return publish_document(
        staff, request, core::AuditAction::kRulesPublish, [&](soci::session& sql) -> core::Result<core::RuleDocument> {
            const DraftView current = current_draft(sql, staff.program_id);
            if (!current.updated_at)
                return fail(ErrorCode::kNotFound, "there is no draft to publish: edit the rules first");
            if (auto same = check_read(current, read, "look at it again before publishing"); !same) {
                return std::unexpected(same.error());
            }
            return current.document;
        });
}

core::Result<RuleSetVersion> RuleService::rollback(const StaffIdentity& staff, int version,
                                                   const PublishRequest& request) {
    if (auto allowed = may_edit(staff); !allowed) return std::unexpected(allowed.error());
    auto earlier = this->version(staff.program_id, version);
    if (!earlier)
        return fail(ErrorCode::kNotFound, "there is no published version " + std::to_string(version), "version");
    PublishRequest again = request;
    if (again.note.empty()) again.note = "rollback to version " + std::to_string(version);
    return publish_document(staff, again, core::AuditAction::kRulesRollback,
                            [&](soci::session&) -> core::Result<core::RuleDocument> { return earlier->document; });
}

core::Result<std::vector<store::RuleSetSummary>> RuleService::versions(long long program_id) {
    return database_.run_for<std::vector<store::RuleSetSummary>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::RuleSetSummary>> {
            return store::list_rule_sets(sql, program_id);
        });
}

core::Result<RuleSetVersion> RuleService::version(long long program_id, int version) {
    return database_.run_for<RuleSetVersion>([&](soci::session& sql) -> core::Result<RuleSetVersion> {
        for (const store::RuleSetSummary& summary : store::list_rule_sets(sql, program_id)) {
            if (summary.version != version) continue;
            const auto record = store::find_rule_set(sql, program_id, version);
            return RuleSetVersion{summary, core::RuleDocument::stored(record->document)};
        }
        return fail(ErrorCode::kNotFound, "there is no published version " + std::to_string(version), "version");
    });
}

core::Result<PreviewResult> RuleService::preview(long long program_id, const core::Purchase& basket,
                                                 std::optional<long long> member_id) {
    return database_.run_for<PreviewResult>([&](soci::session& sql) -> core::Result<PreviewResult> {
        auto loaded = load_draft_rules(sql, program_id);
        if (!loaded) return std::unexpected(loaded.error());
        const DraftView& draft = loaded->draft;
        const core::RuleSet* rules = &loaded->rules;
        std::optional<Holder> holder;
        if (member_id) {
            const auto member = store::find_member(sql, *member_id);
            const auto account = store::find_account(sql, *member_id, false);
            if (!member || !account || member->program_id != program_id) {
                return fail(ErrorCode::kMemberNotFound, "no member with this id", "member_id");
            }
            holder = Holder{*member, *account};
        }
        const std::optional<core::MemberProfile> profile = holder ? open_profile(keys_, holder->member) : std::nullopt;
        const core::Timestamp now = clock_.now();
        const RatingState rating = rating_state(sql, program_id, holder, profile, basket, *rules, now);
        std::vector<core::CouponDiscount> coupons;
        if (!basket.coupons.empty()) {
            const CouponBasket presented = load_coupons(sql, program_id, member_id, basket.coupons, false);
            auto priced = core::price_coupons(basket, presented.presented,
                                              coupon_member(sql, member_id, rating.member, presented), rules->language);
            if (!priced) return std::unexpected(priced.error());
            coupons = std::move(*priced);
        }
        auto outcome = core::evaluate(basket, rating.member, *rules, now, rating.counters, coupons);
        if (!outcome) return std::unexpected(outcome.error());
        PreviewResult result{*outcome,
                             coupons,
                             core::stamp_summaries(outcome->effects, *rules),
                             draft.based_on_version,
                             member_id,
                             rating.member.tier,
                             rating.member.points_available,
                             {}};
        for (const core::Effect& effect : outcome->effects) result.receipt_lines.push_back(effect.receipt_line.str());
        return result;
    });
}

}  // namespace patron::service
