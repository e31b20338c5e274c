#include "loyalty/service/fraud/fraud_service.h"

#include <soci/soci.h>

#include <algorithm>

#include "loyalty/core/ledger.h"
#include "loyalty/service/posting/fraud_watch.h"
#include "loyalty/service/program/points_maintenance_service.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/fraud/till_watch_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr core::StaffRoles kReaders{core::StaffRole::kAdmin, core::StaffRole::kSupport, core::StaffRole::kAnalyst};
constexpr core::StaffRoles kReviewers{core::StaffRole::kAdmin, core::StaffRole::kSupport};

// The names of the patterns a policy watches, for the audit log ("card_velocity,...").
std::string watched(const core::FraudPolicy& policy) {
    std::string names;
    const nlohmann::json document = core::encode_fraud_policy(policy);
    for (const auto& [name, entry] : document.items()) {
        names += (names.empty() ? "" : ",") + name;
    }
    return names.empty() ? "none" : names;
}

// Forfeits what the signal's held lots hold: one transfer out of her pending points. How many.
long long forfeit_held(soci::session& sql, long long program_id, long long member_id, long long signal_id,
                       core::Timestamp now) {
    std::vector<core::LotTake> takes;
    long long points = 0;
    for (const store::HeldLot& lot : store::held_lots(sql, signal_id)) {
        takes.push_back(core::LotTake{lot.lot_id, lot.remaining});
        points += lot.remaining;
    }
    if (points == 0) return 0;
    const long long transfer_id = store::insert_transfers(sql, program_id, std::nullopt,
                                                          {core::forfeit_transfer(member_id, points, signal_id)}, now)
                                      .front();
    store::consume_lots(sql, transfer_id, takes);
    store::adjust_points(sql, {store::PointsDelta{member_id, 0, -points}}, now);
    return points;
}

}  // namespace

FraudService::FraudService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<core::FraudPolicy> FraudService::policy(const StaffIdentity& staff) {
    if (!may(staff, kReaders))
        return fail(ErrorCode::kForbidden, "only admin, support and analyst staff read the fraud policy");
    return database_.run_for<core::FraudPolicy>([&](soci::session& sql) -> core::Result<core::FraudPolicy> {
        return store::find_fraud_policy(sql, staff.program_id);
    });
}

core::Result<core::FraudPolicy> FraudService::set_policy(const StaffIdentity& staff, const core::FraudPolicy& policy) {
    if (!may(staff, {core::StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admins set the fraud policy");
    return database_.transact_for<core::FraudPolicy>([&](soci::session& sql) -> core::Result<core::FraudPolicy> {
        const core::Timestamp now = clock_.now();
        core::FraudPolicy written = policy;
        written.version = store::store_fraud_policy(sql, staff.program_id, core::encode_fraud_policy(policy).dump());
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kFraudPolicyChange, "program",
                             staff.program_id, watched(policy)},
                            now);
        return written;
    });
}

core::Result<FraudSignalPage> FraudService::signals(const StaffIdentity& staff, store::SignalQuery query) {
    if (!may(staff, kReaders))
        return fail(ErrorCode::kForbidden, "only admin, support and analyst staff read fraud signals");
    query.program_id = staff.program_id;
    const int shown = std::clamp(query.limit, 1, kFraudSignalsPageMax);
    query.limit = shown + 1;  // One more tells whether there is another page.
    return database_.run_for<FraudSignalPage>([&](soci::session& sql) -> core::Result<FraudSignalPage> {
        FraudSignalPage page;
        page.signals = store::list_signals(sql, query);
        if (static_cast<int>(page.signals.size()) > shown) {
            page.signals.resize(static_cast<std::size_t>(shown));
            page.next_before = page.signals.back().id;
        }
        return page;
    });
}

core::Result<store::SignalRecord> FraudService::signal(const StaffIdentity& staff, long long id) {
    if (!may(staff, kReaders))
        return fail(ErrorCode::kForbidden, "only admin, support and analyst staff read fraud signals");
    return database_.run_for<store::SignalRecord>([&](soci::session& sql) -> core::Result<store::SignalRecord> {
        auto found = store::find_signal(sql, staff.program_id, id, false);
        if (!found) return fail(ErrorCode::kNotFound, "no fraud signal with this id", "id");
        return std::move(*found);
    });
}

core::Result<store::SignalRecord> FraudService::review(const StaffIdentity& staff, long long id,
                                                       const core::FraudReview& review) {
    if (!may(staff, kReviewers))
        return fail(ErrorCode::kForbidden, "only admin and support staff review fraud signals");
    return database_.transact_for<store::SignalRecord>([&](soci::session& sql) -> core::Result<store::SignalRecord> {
        const core::Timestamp now = clock_.now();
        // Her account's lock first, as every writer of her points takes it, then the signal's.
        const auto seen = store::find_signal(sql, staff.program_id, id, false);
        if (!seen) return fail(ErrorCode::kNotFound, "no fraud signal with this id", "id");
        if (seen->member_id) store::find_account(sql, *seen->member_id, true);
        const auto signal = store::find_signal(sql, staff.program_id, id, true);
        if (signal->member_id != seen->member_id) {
            // A merge moved it to another member since it was read: her account is not the one locked.
            return fail(ErrorCode::kUnavailable, "the signal changed hands a moment ago; try again");
        }
        if (signal->state != core::FraudSignalState::kOpen) {
            return fail(ErrorCode::kNotAvailable,
                        "this signal was reviewed already (" + std::string(core::to_string(signal->state)) + ")", "id");
        }
        long long forfeited = 0;
        if (const auto member_id = signal->member_id) {
            if (review.decision == core::FraudDecision::kConfirm) {
                forfeited = forfeit_held(sql, staff.program_id, *member_id, id, now);
            } else {
                store::unhold_lots(sql, id, now);
                store::unblock_cards(sql, id, now);
                PointsMaintenanceService::release_due_now(sql, {{store::MemberDue{*member_id, staff.program_id}}}, now);
            }
            store::end_member_hold(sql, *member_id, id);
        }
        store::record_review(
            sql, id, store::SignalReview{core::state_after(review.decision), staff.label, review.note, forfeited}, now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kFraudReview, "fraud_signal", id,
                             review.note.empty() ? "state" : "state,review_note", signal->member_id},
                            now);
        return std::move(*store::find_signal(sql, staff.program_id, id, false));
    });
}

core::Result<TillScan> FraudService::scan_tills() {
    const core::Timestamp now = clock_.now();
    const core::Timestamp from = now - std::chrono::hours(1);
    TillScan scan;
    auto programs =
        database_.run_for<std::vector<long long>>([](soci::session& sql) -> core::Result<std::vector<long long>> {
            return store::programs_with_fraud_policy(sql);
        });
    if (!programs) return std::unexpected(programs.error());
    std::optional<core::Error> failed;
    for (const long long program_id : *programs) {
        // Read without a transaction; each signal raised in one of its own, so that one failure
        // loses nothing raised before it and holds up no other programme.
        std::vector<core::SignalDraft> drafts;
        int tills = 0;
        bool watching = false;
        auto read = database_.run([&](soci::session& sql) -> core::Result<void> {
            drafts.clear();
            tills = 0;
            watching = false;
            const auto policy = store::find_fraud_policy(sql, program_id);
            if (!policy) return std::unexpected(policy.error());
            const auto& watch = policy->terminal_outlier;
            if (!watch) return {};
            watching = true;
            // The history ends at the hour the window starts in: a part of an hour is no usual hour.
            const core::Timestamp history_end = std::chrono::floor<std::chrono::hours>(from);
            const core::Timestamp history_start = history_end - std::chrono::days(watch->history_days);
            // Only tills that reached a minimum: their history is worth reading.
            for (const store::TillTotals& till : store::till_totals(sql, program_id, from, now, watch->points_min,
                                                                    watch->cashback_min, kTillsScannedMax)) {
                // A burst stays in the window for an hour: the till signalled within it is not again.
                if (store::till_signalled_since(sql, program_id, till.store_id, till.terminal, from)) continue;
                ++tills;
                const store::TillHistory history =
                    store::till_history(sql, till.store_id, till.terminal, history_start, history_end);
                auto draft = core::terminal_outlier_signal(
                    *watch, core::TillHour{till.store_id, till.store, till.terminal, now, till.purchases, till.points,
                                           till.cashback, history.hours, history.points, history.cashback});
                if (draft) drafts.push_back(std::move(*draft));
            }
            return {};
        });
        if (!read) {
            failed = read.error();
            continue;
        }
        scan.programs += watching ? 1 : 0;
        scan.tills += tills;
        for (const core::SignalDraft& draft : drafts) {
            bool raised = false;
            auto written = database_.transact([&](soci::session& sql) -> core::Result<void> {
                raised = raise_signal(sql, program_id, std::nullopt, std::nullopt, draft, now).has_value();
                return {};
            });
            if (!written) {
                failed = written.error();
            } else if (raised) {
                ++scan.raised;
            }
        }
    }
    if (failed) return std::unexpected(*failed);
    return scan;
}

}  // namespace patron::service
