#include "loyalty/service/program/tier_service.h"

#include <soci/soci.h>

#include "loyalty/core/member_messages.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/member_message_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr int kReviewBatch = 200;

}  // namespace

std::optional<core::TierPolicy> load_tier_policy(soci::session& sql, long long program_id) {
    const auto record = store::find_tier_policy(sql, program_id);
    if (!record) return std::nullopt;
    return core::read_stored_tier_policy(record->document, record->version);
}

TierService::TierService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<core::TierPolicy> TierService::policy(long long program_id) {
    return database_.run_for<core::TierPolicy>([&](soci::session& sql) -> core::Result<core::TierPolicy> {
        auto policy = load_tier_policy(sql, program_id);
        if (!policy) return fail(ErrorCode::kNotFound, "this program has no tiers");
        return *policy;
    });
}

core::Result<core::TierPolicy> TierService::set_policy(const StaffIdentity& staff, const core::TierPolicy& policy) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kMarketer})) {
        return fail(ErrorCode::kForbidden, "only admin and marketer staff define tiers");
    }
    return database_.transact_for<core::TierPolicy>([&](soci::session& sql) -> core::Result<core::TierPolicy> {
        const core::Timestamp now = clock_.now();
        core::TierPolicy stored = policy;
        stored.version = store::store_tier_policy(sql, staff.program_id, core::tier_policy_text(stored));
        store::insert_audit(
            sql, keys_,
            {staff.program_id, audit_actor(staff), core::AuditAction::kTiersSet, "program", staff.program_id, "tiers"},
            now);
        return stored;
    });
}

core::Result<void> TierService::remove_policy(const StaffIdentity& staff) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kMarketer})) {
        return fail(ErrorCode::kForbidden, "only admin and marketer staff define tiers");
    }
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        if (!load_tier_policy(sql, staff.program_id)) return fail(ErrorCode::kNotFound, "this program has no tiers");
        store::store_tier_policy(sql, staff.program_id, std::nullopt);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kTiersRemove, "program",
                             staff.program_id, "tiers"},
                            clock_.now());
        return {};
    });
}

core::Result<MemberTierView> TierService::member_tier(long long program_id, long long member_id) {
    return database_.run_for<MemberTierView>([&](soci::session& sql) -> core::Result<MemberTierView> {
        const auto member = store::find_member(sql, member_id);
        const auto tier = store::find_member_tier(sql, member_id);
        if (!member || !tier || member->program_id != program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        MemberTierView view;
        const auto policy = load_tier_policy(sql, program_id);
        const core::Timestamp now = clock_.now();
        if (policy) {
            const auto zone = program_time_zone(sql, program_id);
            const core::Period window = core::progress_window(*policy, now, *zone);
            view.measure = policy->measure;
            view.progress = core::tier_progress(
                *policy, tier->tier, tier->secured_until, store::tier_measure(sql, member_id, policy->measure, window),
                store::oldest_tier_activity(sql, member_id, policy->measure, window), now, *zone);
        } else {
            view.progress.tier = tier->tier;
        }
        view.history = store::tier_history(sql, member_id);
        return view;
    });
}

core::Result<TierReviewReport> TierService::review_due(int members_max) {
    const core::Timestamp now = clock_.now();
    auto members =
        database_.run_for<std::vector<long long>>([&](soci::session& sql) -> core::Result<std::vector<long long>> {
            return store::members_due_for_tier_review(sql, now, members_max);
        });
    if (!members) return std::unexpected(members.error());
    TierReviewReport report;
    for (const long long member_id : *members) {
        // One transaction per member, under the account lock like every other write to it.
        auto lowered = database_.transact_for<bool>([&](soci::session& sql) -> core::Result<bool> {
            const auto account = store::find_account(sql, member_id, true);
            const auto member = store::find_member(sql, member_id);
            const auto tier = store::find_member_tier(sql, member_id);
            if (!account || !member || !tier) return false;
            // Another instance may have reviewed her since the list was read: not due any more.
            if (!tier->review_at || *tier->review_at > now) return false;
            const auto policy = load_tier_policy(sql, member->program_id);
            if (!policy || policy->empty() || !tier->secured_until) {
                store::clear_tier_review(sql, member_id);  // Nothing to review against: stop asking.
                return false;
            }
            const core::Timestamp period_end = *tier->secured_until;
            const auto zone = program_time_zone(sql, member->program_id);
            const long long value =
                store::tier_measure(sql, member_id, policy->measure, core::review_window(*policy, period_end, *zone));
            const core::TierDecision decision = core::review_tier(*policy, tier->tier, value, period_end, now, *zone);
            const bool lower = policy->index_of(decision.tier) < policy->index_of(tier->tier);
            store::record_tier(sql,
                               store::TierChange{member_id, tier->tier, decision.tier,
                                                 !decision.changed ? "kept" : (lower ? "downgrade" : "upgrade"), value,
                                                 decision.secured_until, decision.secured_until + policy->grace,
                                                 policy->version, std::nullopt},
                               now);
            if (decision.changed) {
                store::add_event(sql, core::tier_changed_event({member->program_id, member_id, tier->tier,
                                                                decision.tier, !lower, "review", value, std::nullopt},
                                                               now));
            }
            return lower;
        });
        if (!lowered) return std::unexpected(lowered.error());
        ++report.reviewed;
        if (*lowered) ++report.lowered;
    }
    return report;
}

std::optional<nlohmann::json> tier_warning_now(soci::session& sql, long long member_id, const core::TierPolicy& policy,
                                               const core::TimeZone& zone, const std::string& currency,
                                               core::Timestamp now) {
    const auto tier = store::find_member_tier(sql, member_id);
    if (!tier || !tier->secured_until || *tier->secured_until <= now) return std::nullopt;
    if (policy.index_of(tier->tier) <= 0) return std::nullopt;  // Nothing to lose: not even measured.
    const core::Timestamp period_end = *tier->secured_until;
    const long long value =
        store::tier_measure(sql, member_id, policy.measure, core::review_window(policy, period_end, zone));
    const auto risk = core::tier_at_risk(policy, tier->tier, value);
    if (!risk) return std::nullopt;
    return core::tier_at_risk_data(*risk, policy.measure, currency, period_end, zone);
}

core::Result<TierReviewReport> TierService::warn_due(int members_max) {
    const core::Timestamp now = clock_.now();
    auto members =
        database_.run_for<std::vector<long long>>([&](soci::session& sql) -> core::Result<std::vector<long long>> {
            return store::members_due_for_tier_warning(sql, now, members_max);
        });
    if (!members) return std::unexpected(members.error());
    TierReviewReport report;
    for (const long long member_id : *members) {
        auto told = database_.transact_for<bool>([&](soci::session& sql) -> core::Result<bool> {
            const auto account = store::find_account(sql, member_id, true);
            const auto member = store::find_member(sql, member_id);
            // Another instance may have looked at her since the list was read.
            const auto due = store::tier_warn_at(sql, member_id);
            if (!account || !member || !due || *due > now) return false;
            store::clear_tier_warning(sql, member_id);
            if (member->status != core::MemberStatus::kActive) return false;
            const auto policy = load_tier_policy(sql, member->program_id);
            if (!policy || policy->empty()) return false;
            const auto program = store::find_program(sql, member->program_id);
            const auto data = tier_warning_now(sql, member_id, *policy, *program_time_zone(sql, member->program_id),
                                               program ? program->currency : "", now);
            if (!data) return false;
            store::queue_message(sql, member->program_id, member_id, core::MessageKind::kTierAtRisk, *data, now);
            return true;
        });
        if (!told) return std::unexpected(told.error());
        ++report.reviewed;
        if (*told) ++report.lowered;
    }
    return report;
}

namespace {

// Batches of `batch` until one comes back short, their reports added up.
template <typename Run>
core::Result<TierReviewReport> all_batches(Run run) {
    TierReviewReport total;
    for (;;) {
        auto batch = run(kReviewBatch);
        if (!batch) return batch;
        total.reviewed += batch->reviewed;
        total.lowered += batch->lowered;
        if (batch->reviewed < kReviewBatch) return total;
    }
}

}  // namespace

core::Result<TierReviewReport> TierService::warn_all_due() {
    return all_batches([this](int members_max) { return warn_due(members_max); });
}

core::Result<TierReviewReport> TierService::review_all_due() {
    return all_batches([this](int members_max) { return review_due(members_max); });
}

}  // namespace patron::service
