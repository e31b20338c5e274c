#include "loyalty/service/events/trigger_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "loyalty/core/events.h"
#include "loyalty/core/ledger.h"
#include "loyalty/core/member_messages.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/tenure.h"
#include "loyalty/service/insight/segment_membership.h"
#include "loyalty/service/posting/coupon_codes.h"
#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/service/posting/fraud_watch.h"
#include "loyalty/service/posting/holdout_assignment.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/member_message_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "loyalty/store/insight/segment_addition_store.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/coupon_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

constexpr core::StaffRoles kWriters{core::StaffRole::kAdmin, core::StaffRole::kMarketer};
constexpr core::StaffRoles kReaders{core::StaffRole::kAdmin, core::StaffRole::kMarketer, core::StaffRole::kAnalyst};

core::Result<void> require(const StaffIdentity& staff, core::StaffRoles roles) {
    if (may(staff, roles)) return {};
    return fail(ErrorCode::kForbidden, may(staff, kReaders) ? "only admin and marketing staff change triggers"
                                                            : "only admin, marketing and analyst staff read triggers");
}

// A stored trigger read back with its rule.
core::Result<TriggerView> view_of(store::TriggerRecord record) {
    auto trigger = core::parse_stored_trigger(record.name, record.rule);
    if (!trigger) return std::unexpected(trigger.error());
    return TriggerView{std::move(record), std::move(*trigger), {}, {}};
}

// The view with how often it fired (an answer to a change tells the same as a read).
TriggerView with_counts(soci::session& sql, TriggerView view, core::Timestamp now) {
    const long long ids[] = {view.record.id};
    view.counts = store::firing_counts(sql, ids, now)[view.record.id];
    return view;
}

// What a round knows of a programme: its zone and points policy, and its active triggers.
struct ProgramTriggers {
    std::shared_ptr<const core::TimeZone> zone;
    core::PointsPolicy points;
    std::vector<TriggerView> triggers;
    core::Calendar calendar = core::Calendar::kGregorian;  // Members' years: Jalali for a Persian programme.
};

// Where an anniversary trigger's scan starts: today's anniversaries, in the programme's zone.
core::Result<core::Timestamp> anniversary_scan_from(soci::session& sql, long long program_id, core::Timestamp now) {
    const auto zone = locate_time_zone(store::find_program_policies(sql, program_id).time_zone);
    if (!zone) return fail(ErrorCode::kInternal, "the programme's time zone is unknown here");
    return zone->day_start(core::local_date(*zone, now));
}

bool is_purchase_event(const std::string& type) {
    return type == core::to_string(core::EventType::kPurchaseCommitted) ||
           type == core::to_string(core::EventType::kPurchaseClaimed);
}
bool is_return_event(const std::string& type) { return type == core::to_string(core::EventType::kPurchaseReturned); }

// What an action may need besides the database: the key ring (a segment's sealed conditions) and
// randomness (a coupon's code).
struct Acting {
    const crypto::KeyRing& keys;
    crypto::RandomSource& random;
};

// The action of a trigger that fired for the member in `window_key`, in the caller's transaction
// (which holds her account's lock): what it did, as the firing records it.
std::string act(soci::session& sql, const TriggerView& view, const ProgramTriggers& program, long long member_id,
                store::AccountRecord& account, const std::string& window_key, const Acting& acting,
                core::Timestamp now) {
    const core::Trigger& trigger = view.trigger;
    const long long program_id = view.record.program_id;
    switch (trigger.action) {
        case core::TriggerAction::kMessage:
            store::queue_message(
                sql, program_id, member_id, core::MessageKind::kTrigger,
                json{{"trigger_id", view.record.id}, {"text_en", trigger.text_en}, {"text_fa", trigger.text_fa}}, now);
            return "queued";
        case core::TriggerAction::kCoupon: {
            const auto record = store::find_coupon_campaign(sql, program_id, trigger.campaign_id, false);
            const auto campaign = record ? stored_coupon_campaign(*record) : std::nullopt;
            if (!record || !campaign || record->status != "published" ||
                (campaign->valid_until && *campaign->valid_until <= now)) {
                return "campaign_over";
            }
            const std::string key = std::to_string(trigger.campaign_id);
            if (campaign->holdout) {
                const bool out = is_held_out(*campaign->holdout, core::CampaignKind::kCoupon, key, member_id);
                store::record_exposures(sql, program_id, core::CampaignKind::kCoupon, member_id, {{key, out}},
                                        std::nullopt, now);
                if (out) return "held_out";
            }
            issue_member_code(sql, program_id, member_id, trigger.campaign_id, acting.random, now);
            store::add_event(sql,
                             core::coupon_issued_event(program_id, member_id, trigger.campaign_id, "trigger", now));
            return "issued";
        }
        case core::TriggerAction::kBonusPoints: {
            // While a fraud signal holds her new points, the bonus waits with them.
            const bool held = account.fraud_hold.has_value();
            const Posting posting{program_id, member_id, std::nullopt, now, account.fraud_hold};
            const long long transfer_id =
                credit_lot(sql, posting, core::bonus_transfer(member_id, trigger.points, view.record.id, held),
                           trigger.points, held, program.points, *program.zone)
                    .transfer_id;
            if (!held) repay_negative_balance(sql, member_id, transfer_id, account.points_available, trigger.points);
            const long long available_delta = held ? 0 : trigger.points;
            store::adjust_points(sql, member_id, available_delta, trigger.points - available_delta, now);
            core::Event event = core::points_adjusted_event(program_id, member_id, transfer_id, trigger.points,
                                                            account.points_available + available_delta, now);
            event.data["source"] = "trigger";
            event.data["trigger_id"] = view.record.id;
            store::add_event(sql, event);
            // Another trigger firing on the same event reads her balance after this one.
            account.points_available += available_delta;
            account.points_pending += trigger.points - available_delta;
            return held ? "awarded_held" : "awarded";
        }
        case core::TriggerAction::kFraudSignal: {
            const auto raised = raise_signal(
                sql, program_id, member_id, std::nullopt,
                core::trigger_signal({view.record.id, view.record.name, member_id, window_key, trigger.policy}), now);
            // Her points from now on wait with the signal's, as after any signal that holds them.
            if (raised && !account.fraud_hold && core::holds_points(trigger.policy)) account.fraud_hold = raised;
            return raised ? "raised" : "raised_before";
        }
        case core::TriggerAction::kSegment: {
            // A plain read, so that no till waits on a segment's lock through her account's: while
            // this trigger has not ended, the segment is neither deleted nor loses the condition.
            const auto segment = store::find_segment(sql, program_id, trigger.segment);
            if (!segment) return "segment_gone";
            const auto conditions = core::parse_segment_conditions(segment->conditions);
            if (!conditions) return "segment_gone";
            store::add_to_segment(sql, program_id, segment->id, member_id, view.record.id, now,
                                  now + std::chrono::days(trigger.segment_days));
            // In it at once when she meets its other conditions too (the till reads her segments
            // next); otherwise from the refresh that finds she does, while her days last.
            const SegmentPlan plan = plan_segments({SegmentRule{segment->id, trigger.segment, *conditions}});
            const ChunkMemberships judged =
                judge_chunk(sql, acting.keys, program_id, {member_id}, plan, now, *program.zone, nullptr);
            if (judged.pairs.empty()) return "added_unmet";
            store::write_memberships(sql, program_id, now, judged.pairs);
            return "added";
        }
    }
    return "fired";
}

// Fires the trigger for the member in `window_key` unless it fired there already, or was paused,
// ended or changed since the round read it; whether it did.
bool fire(soci::session& sql, const TriggerView& view, const ProgramTriggers& program, long long member_id,
          store::AccountRecord& account, const std::string& window_key, const Acting& acting, core::Timestamp now) {
    if (!store::trigger_is_current(sql, view.record.id, view.record.version)) return false;
    const auto firing = store::insert_firing(sql, view.record.id, view.record.version, member_id, window_key, now);
    if (!firing) return false;
    store::set_firing_outcome(sql, *firing, act(sql, view, program, member_id, account, window_key, acting, now));
    return true;
}

// The member's account, locked, when she is an active member; none otherwise.
std::optional<store::AccountRecord> active_account(soci::session& sql, long long member_id) {
    auto account = store::find_account(sql, member_id, true);
    if (!account) return std::nullopt;
    const auto member = store::find_member(sql, member_id);
    if (!member || member->status != core::MemberStatus::kActive) return std::nullopt;
    return account;
}

}  // namespace

TriggerService::TriggerService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                               crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random), lease_(database, kTriggerLease) {}

core::Result<void> TriggerService::check_action(soci::session& sql, long long program_id,
                                                const core::Trigger& trigger) {
    if (trigger.action == core::TriggerAction::kSegment) {
        // Locked shared to the commit: the segment is not deleted, nor loses the condition, meanwhile
        // (a locking read, then the latest committed row).
        const auto segment = store::lock_segment_codes(sql, program_id, {trigger.segment}).empty()
                                 ? std::nullopt
                                 : store::find_segment(sql, program_id, trigger.segment);
        if (!segment) {
            return fail(ErrorCode::kValidationFailed, "the programme has no segment with this code", "action.segment",
                        core::reason(core::ReasonKind::kUnknownName));
        }
        const auto conditions = core::parse_segment_conditions(segment->conditions);
        if (!conditions || !conditions->added_by_trigger) {
            return fail(ErrorCode::kValidationFailed,
                        "the segment's conditions must include \"added_by_trigger\": true, or adding a member to it "
                        "would change nobody's membership",
                        "action.segment");
        }
        return {};
    }
    if (trigger.action != core::TriggerAction::kCoupon) return {};
    const auto record = store::find_coupon_campaign(sql, program_id, trigger.campaign_id, false);
    if (!record)
        return fail(ErrorCode::kValidationFailed, "the programme has no such coupon campaign", "action.campaign_id",
                    core::reason(core::ReasonKind::kUnknownName));
    if (record->status != "published") {
        return fail(ErrorCode::kValidationFailed,
                    "the campaign is " + record->status + ": a trigger gives codes of a published campaign",
                    "action.campaign_id");
    }
    return {};
}

core::Result<TriggerView> TriggerService::create(const StaffIdentity& staff, const core::TriggerDocument& document) {
    if (auto allowed = require(staff, kWriters); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<TriggerView>([&](soci::session& sql) -> core::Result<TriggerView> {
        // The programme's row locked: two trigger made at once count each other.
        if (!store::find_program_profile(sql, staff.program_id, true)) {
            return fail(ErrorCode::kNotFound, "no such programme");
        }
        if (store::count_live_triggers(sql, staff.program_id) >= kTriggersPerProgramMax) {
            return fail(ErrorCode::kNotAvailable,
                        "a programme has at most " + std::to_string(kTriggersPerProgramMax) +
                            " triggers that have not ended: end one it no longer needs first");
        }
        if (auto checked = check_action(sql, staff.program_id, document.trigger); !checked) {
            return std::unexpected(checked.error());
        }
        const core::Timestamp now = clock_.now();
        // A no_purchase trigger tells those who lapse from now on: its scan starts `days` ago.
        std::optional<core::Timestamp> scan_from;
        if (document.trigger.condition == core::TriggerCondition::kNoPurchase) {
            scan_from = now - std::chrono::days(document.trigger.days);
        }
        // An anniversary trigger tells from today's anniversaries on.
        if (document.trigger.condition == core::TriggerCondition::kAnniversary) {
            auto from = anniversary_scan_from(sql, staff.program_id, now);
            if (!from) return std::unexpected(from.error());
            scan_from = *from;
        }
        const long long id =
            store::insert_trigger(sql, staff.program_id, document, document.state.value_or(core::TriggerState::kActive),
                                  scan_from, staff.label, now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kTriggerCreate, "trigger", id,
                             "name,state,condition,action"},
                            now);
        auto record = store::find_trigger(sql, staff.program_id, id, false);
        return view_of(std::move(*record));
    });
}

core::Result<TriggerView> TriggerService::write(const StaffIdentity& staff, long long id,
                                                const core::TriggerDocument* document,
                                                std::optional<core::TriggerState> state) {
    if (auto allowed = require(staff, kWriters); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<TriggerView>([&](soci::session& sql) -> core::Result<TriggerView> {
        auto record = store::find_trigger(sql, staff.program_id, id, true);
        if (!record) return fail(ErrorCode::kNotFound, "the programme has no trigger " + std::to_string(id), "id");
        if (record->state == core::TriggerState::kEnded) {
            return fail(ErrorCode::kNotAvailable, "the trigger has ended: make a new one", "state");
        }
        auto before = view_of(*record);
        if (!before) return std::unexpected(before.error());
        const core::TriggerState was = record->state;
        std::string fields;
        if (document != nullptr) {
            if (auto checked = check_action(sql, staff.program_id, document->trigger); !checked) {
                return std::unexpected(checked.error());
            }
            record->name = document->trigger.name;
            record->rule = document->rule_text;
            if (document->state) record->state = *document->state;
            fields = "name,condition,action";
        }
        if (state) record->state = *state;
        if (record->state != was) fields += fields.empty() ? "state" : ",state";
        auto after = view_of(*record);
        if (!after) return std::unexpected(after.error());
        const core::Timestamp now = clock_.now();
        if (fields.empty()) return with_counts(sql, std::move(*after), now);  // Its state already: nothing to write.
        // A no_purchase trigger whose rule changed, or that resumes, looks at lapses from now on.
        std::optional<core::Timestamp> scan_from;
        const bool resumed = was == core::TriggerState::kPaused && record->state == core::TriggerState::kActive;
        const bool rescan = resumed || (document != nullptr && record->rule != before->record.rule);
        if (after->trigger.condition == core::TriggerCondition::kNoPurchase && rescan) {
            scan_from = now - std::chrono::days(after->trigger.days);
        }
        // An anniversary trigger changed or resumed looks at today's anniversaries again (each
        // member's is told once whatever the version), not at the days it was paused.
        if (after->trigger.condition == core::TriggerCondition::kAnniversary && rescan) {
            auto from = anniversary_scan_from(sql, staff.program_id, now);
            if (!from) return std::unexpected(from.error());
            scan_from = *from;
        }
        store::update_trigger(sql, *record, std::string(core::to_string(after->trigger.condition)), scan_from,
                              staff.label, now);
        store::insert_audit(
            sql, keys_,
            {staff.program_id, audit_actor(staff), core::AuditAction::kTriggerChange, "trigger", id, fields}, now);
        auto written = view_of(std::move(*store::find_trigger(sql, staff.program_id, id, false)));
        if (!written) return written;
        return with_counts(sql, std::move(*written), now);
    });
}

core::Result<TriggerView> TriggerService::replace(const StaffIdentity& staff, long long id,
                                                  const core::TriggerDocument& document) {
    return write(staff, id, &document, std::nullopt);
}

core::Result<TriggerView> TriggerService::set_state(const StaffIdentity& staff, long long id,
                                                    core::TriggerState state) {
    return write(staff, id, nullptr, state);
}

core::Result<TriggerView> TriggerService::get(const StaffIdentity& staff, long long id) {
    if (auto allowed = require(staff, kReaders); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<TriggerView>([&](soci::session& sql) -> core::Result<TriggerView> {
        auto record = store::find_trigger(sql, staff.program_id, id, false);
        if (!record) return fail(ErrorCode::kNotFound, "the programme has no trigger " + std::to_string(id), "id");
        auto view = view_of(std::move(*record));
        if (!view) return view;
        const long long ids[] = {id};
        view->counts = store::firing_counts(sql, ids, clock_.now())[id];
        view->recent = store::recent_firings(sql, id, kTriggerFiringsShown);
        return view;
    });
}

core::Result<std::vector<TriggerView>> TriggerService::list(const StaffIdentity& staff) {
    if (auto allowed = require(staff, kReaders); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<std::vector<TriggerView>>(
        [&](soci::session& sql) -> core::Result<std::vector<TriggerView>> {
            std::vector<TriggerView> views;
            std::vector<long long> ids;
            for (store::TriggerRecord& record : store::list_triggers(sql, staff.program_id)) {
                ids.push_back(record.id);
                auto view = view_of(std::move(record));
                if (!view) return std::unexpected(view.error());
                views.push_back(std::move(*view));
            }
            const auto counts = store::firing_counts(sql, ids, clock_.now());
            for (TriggerView& view : views) {
                if (const auto it = counts.find(view.record.id); it != counts.end()) view.counts = it->second;
            }
            return views;
        });
}

core::Result<bool> TriggerService::take_lease(const std::string& holder, int seconds) {
    return lease_.take(holder, seconds);
}

core::Result<void> TriggerService::give_up_lease(const std::string& holder) { return lease_.give_up(holder); }

core::Result<TriggerRound> TriggerService::run_due(int limit) {
    TriggerRound round;
    std::map<long long, ProgramTriggers> programs;
    // The programme's zone, policy and active triggers, read once a round.
    const auto program_of = [&](soci::session& sql, long long program_id) -> core::Result<ProgramTriggers*> {
        if (const auto it = programs.find(program_id); it != programs.end()) return &it->second;
        const store::ProgramPolicies policies = store::find_program_policies(sql, program_id);
        ProgramTriggers loaded{locate_time_zone(policies.time_zone),
                               policies.points,
                               {},
                               core::calendar_of(core::language_from_code(policies.language))};
        if (!loaded.zone) return fail(ErrorCode::kInternal, "the programme's time zone is unknown here");
        for (store::TriggerRecord& record : store::active_triggers(sql, program_id)) {
            auto view = view_of(std::move(record));
            if (!view) return std::unexpected(view.error());
            loaded.triggers.push_back(std::move(*view));
        }
        return &programs.emplace(program_id, std::move(loaded)).first->second;
    };

    // Counting conditions: the outbox's purchases and returns.
    auto events = database_.run_for<std::vector<store::UnseenEvent>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::UnseenEvent>> {
            return store::events_unseen_by_triggers(sql, limit);
        });
    if (!events) return std::unexpected(events.error());
    std::vector<long long> seen;
    std::vector<long long> given_up;
    for (const store::UnseenEvent& event : *events) {
        const bool returned = is_return_event(event.type);
        if (event.member_id && (returned || is_purchase_event(event.type))) {
            // A transaction only for an event some trigger of its programme counts: most programmes
            // count none, and an empty one per sale cost the database two statements a sale.
            auto program = database_.run_for<ProgramTriggers*>(
                [&](soci::session& sql) -> core::Result<ProgramTriggers*> { return program_of(sql, event.program_id); });
            const bool counted =
                program && std::any_of((*program)->triggers.begin(), (*program)->triggers.end(),
                                       [&](const TriggerView& view) { return view.trigger.counts(returned); });
            if (program && !counted) {
                seen.push_back(event.id);
                continue;
            }
            auto fired = database_.transact_for<int>([&](soci::session& sql) -> core::Result<int> {
                auto program = program_of(sql, event.program_id);
                if (!program) return std::unexpected(program.error());
                std::vector<const TriggerView*> counting;
                for (const TriggerView& view : (*program)->triggers) {
                    if (view.trigger.counts(returned)) counting.push_back(&view);
                }
                if (counting.empty()) return 0;
                auto account = active_account(sql, *event.member_id);
                if (!account) return 0;
                const core::Timestamp now = clock_.now();
                int fired_now = 0;
                for (const TriggerView* view : counting) {
                    const core::TriggerWindow window = core::trigger_window(
                        view->trigger, *(*program)->zone, event.purchase_time.value_or(event.occurred_at));
                    // A rolling window: once in any `days` days.
                    if (!view->trigger.period &&
                        store::fired_since(sql, view->record.id, *event.member_id, window.from)) {
                        continue;
                    }
                    const core::TriggerCounts counts =
                        store::member_counts(sql, *event.member_id, window.from, window.until);
                    if (!core::trigger_condition_holds(view->trigger, counts)) continue;
                    if (fire(sql, *view, **program, *event.member_id, *account, window.key, Acting{keys_, random_},
                             now)) {
                        ++fired_now;
                    }
                }
                return fired_now;
            });
            if (!fired && fired.error().code == ErrorCode::kUnavailable) return std::unexpected(fired.error());
            if (!fired) {
                // A retry would fail the same way (a zone this machine lacks, a rule this version does
                // not read): given up, so that it holds up no other event and the outbox is forgotten.
                given_up.push_back(event.id);
                round.failed += 1;
                round.failure = fired.error().message;
                continue;
            }
            round.fired += *fired;
        }
        seen.push_back(event.id);
    }
    if (!seen.empty() || !given_up.empty()) {
        auto marked = database_.run([&](soci::session& sql) -> core::Result<void> {
            store::mark_seen_by_triggers(sql, seen);
            store::mark_seen_by_triggers(sql, given_up, 2);
            return {};
        });
        if (!marked) return std::unexpected(marked.error());
    }
    round.events = static_cast<int>(events->size());
    round.more = std::ssize(*events) >= limit;

    // No-purchase and anniversary conditions: each trigger's scan of the purchases received
    // `days` ago, or of the members whose anniversary a day is.
    using Scanned = std::pair<store::TriggerRecord, core::TriggerCondition>;
    auto lapsing =
        database_.run_for<std::vector<Scanned>>([&](soci::session& sql) -> core::Result<std::vector<Scanned>> {
            std::vector<Scanned> found;
            for (store::TriggerRecord& record : store::active_triggers(sql, std::nullopt)) {
                const auto trigger = core::parse_stored_trigger(record.name, record.rule);
                if (trigger && (trigger->condition == core::TriggerCondition::kNoPurchase ||
                                trigger->condition == core::TriggerCondition::kAnniversary)) {
                    found.emplace_back(record, trigger->condition);
                }
            }
            return found;
        });
    // Past what a scan has looked at, unless the trigger changed or another instance went further.
    const auto move_cursor = [&](const store::TriggerRecord& record, core::Timestamp at,
                                 long long id) -> core::Result<void> {
        return database_.run([&](soci::session& sql) -> core::Result<void> {
            store::set_scan_cursor(sql, record.id, record.version, at, id);
            return {};
        });
    };
    if (!lapsing) return std::unexpected(lapsing.error());
    // One no_purchase trigger's scan, from its cursor.
    const auto scan_lapses = [&](const store::TriggerRecord& record) -> core::Result<void> {
        auto view = view_of(record);
        if (!view) return std::unexpected(view.error());
        const core::Timestamp now = clock_.now();
        const core::Timestamp until = now - std::chrono::days(view->trigger.days);
        const core::Timestamp after = record.scanned_at.value_or(until);
        if (after > until) return {};
        auto purchases = database_.run_for<std::vector<store::ReceivedPurchase>>(
            [&](soci::session& sql) -> core::Result<std::vector<store::ReceivedPurchase>> {
                return store::purchases_received(sql, record.program_id, after, record.scanned_id, until, limit);
            });
        if (!purchases) return std::unexpected(purchases.error());
        for (const store::ReceivedPurchase& purchase : *purchases) {
            auto fired = database_.transact_for<bool>([&](soci::session& sql) -> core::Result<bool> {
                auto program = program_of(sql, record.program_id);
                if (!program) return std::unexpected(program.error());
                auto account = active_account(sql, purchase.member_id);
                if (!account) return false;
                // Her last purchase (under her account's lock): she has bought since, or not.
                const auto last = store::last_purchase_at(sql, purchase.member_id);
                if (!last || *last > until) return false;
                return fire(sql, *view, **program, purchase.member_id, *account, core::lapse_key(*last),
                            Acting{keys_, random_}, clock_.now());
            });
            if (!fired) return std::unexpected(fired.error());
            if (*fired) ++round.fired;
        }
        round.scanned += static_cast<int>(purchases->size());
        const bool full = std::ssize(*purchases) >= limit;
        if (full) round.more = true;
        // Past the last purchase looked at; when the range is done, past `until` itself.
        return move_cursor(record, full ? purchases->back().received_at : until,
                           full ? purchases->back().id : LLONG_MAX);
    };
    // One anniversary trigger's scan: the members whose anniversary the day of its cursor is, a
    // batch at a time, then the next day once it has come.
    const auto scan_anniversaries = [&](const store::TriggerRecord& record) -> core::Result<void> {
        auto view = view_of(record);
        if (!view) return std::unexpected(view.error());
        auto program = database_.run_for<ProgramTriggers*>(
            [&](soci::session& sql) -> core::Result<ProgramTriggers*> { return program_of(sql, record.program_id); });
        if (!program) return std::unexpected(program.error());
        const core::TimeZone& zone = *(*program)->zone;
        const core::Calendar calendar = (*program)->calendar;
        const core::Timestamp now = clock_.now();
        const auto scan = core::next_anniversary_scan(core::local_date(zone, record.scanned_at.value_or(now)),
                                                      record.scanned_id, core::local_date(zone, now));
        if (!scan) return {};
        const core::LocalDate day = scan->day;
        std::vector<std::pair<core::Timestamp, core::Timestamp>> enrolled_on;
        for (const core::LocalDate enrolled : core::enrolment_days_with_anniversary(
                 day, calendar, core::calendar_year(day, calendar) - core::kTenureYearsMax)) {
            enrolled_on.emplace_back(zone.day_start(enrolled), core::day_end(zone, enrolled));
        }
        auto members = database_.run_for<std::vector<store::Enrolment>>(
            [&](soci::session& sql) -> core::Result<std::vector<store::Enrolment>> {
                return store::members_enrolled_within(sql, record.program_id, enrolled_on, scan->after_id, limit);
            });
        if (!members) return std::unexpected(members.error());
        for (const store::Enrolment& member : *members) {
            const int turned = core::tenure_years(core::local_date(zone, member.enrolled_at), day, calendar);
            if (!view->trigger.marks(turned)) continue;
            auto fired = database_.transact_for<bool>([&](soci::session& sql) -> core::Result<bool> {
                auto program = program_of(sql, record.program_id);
                if (!program) return std::unexpected(program.error());
                auto account = active_account(sql, member.member_id);
                if (!account) return false;
                return fire(sql, *view, **program, member.member_id, *account, core::anniversary_key(turned),
                            Acting{keys_, random_}, clock_.now());
            });
            if (!fired) return std::unexpected(fired.error());
            if (*fired) ++round.fired;
        }
        round.scanned += static_cast<int>(members->size());
        const bool full = std::ssize(*members) >= limit;
        if (full) round.more = true;
        return move_cursor(record, zone.day_start(day), full ? members->back().member_id : core::kAnniversaryDayDone);
    };
    for (const auto& [record, condition] : *lapsing) {
        auto scanned =
            condition == core::TriggerCondition::kAnniversary ? scan_anniversaries(record) : scan_lapses(record);
        if (!scanned && scanned.error().code == ErrorCode::kUnavailable) return std::unexpected(scanned.error());
        if (!scanned) {
            // This trigger is tried again next round; the others go on.
            round.failed += 1;
            round.failure = scanned.error().message;
        }
    }
    return round;
}

core::Result<long long> TriggerService::forget_old() {
    return database_.run_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        return store::forget_old_firings(sql, clock_.now() - std::chrono::days(kTriggerFiringKeepDays), 1000);
    });
}

core::Result<long long> TriggerService::forget_ended_additions() {
    return database_.run_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        return store::forget_ended_additions(sql, clock_.now(), 1000);
    });
}

}  // namespace patron::service
