#include "loyalty/service/posting/fraud_watch.h"

#include "loyalty/core/events.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/fraud/fraud_store.h"

namespace patron::service {

std::optional<long long> raise_signal(soci::session& sql, long long program_id, std::optional<long long> member_id,
                                      std::optional<long long> purchase_id, const core::SignalDraft& draft,
                                      core::Timestamp now) {
    const auto id = store::insert_signal(sql, store::NewSignal{program_id, member_id, purchase_id, draft}, now);
    if (!id) return std::nullopt;
    if (member_id && core::holds_points(draft.action)) store::hold_member_points(sql, *member_id, *id);
    if (member_id && draft.action == core::FraudAction::kBlock) store::block_member_cards(sql, *member_id, *id, now);
    store::add_events(sql, {core::fraud_signal_raised_event(
                               core::RaisedSignal{program_id, *id, member_id, purchase_id, core::to_string(draft.kind),
                                                  core::to_string(draft.action), draft.evidence},
                               now)});
    return id;
}

std::optional<long long> watch_card_purchase(soci::session& sql, const core::FraudPolicy& policy, const Holder& holder,
                                             const CardPurchase& purchase, core::Timestamp now) {
    std::optional<long long> hold = holder.account.fraud_hold;
    const long long member_id = holder.member.id;
    const auto raise = [&](const std::optional<core::SignalDraft>& draft) {
        if (!draft) return;
        const auto id = raise_signal(sql, purchase.program_id, member_id, purchase.purchase_id, *draft, now);
        if (id && !hold && core::holds_points(draft->action)) hold = id;
    };
    if (const auto& watch = policy.card_velocity) {
        const store::CardActivity activity = store::card_activity(sql, member_id, purchase.card, purchase.store_id,
                                                                  purchase.purchase_id, now, purchase.pos_time, *watch);
        raise(core::card_velocity_signal(
            *watch, core::CardUse{member_id, purchase.purchase_id, purchase.card, purchase.store, purchase.pos_time,
                                  now, activity.purchases_last_hour, activity.elsewhere}));
    }
    if (const auto& watch = policy.redemption_after_enrolment) {
        raise(core::enrolment_redemption_signal(
            *watch, core::EarlySpend{member_id, purchase.purchase_id, holder.member.created_at, now,
                                     purchase.points_redeemed, purchase.cashback_spent}));
    }
    return hold;
}

void watch_return(soci::session& sql, const core::FraudPolicy& policy, long long program_id, core::MemberReturn taken,
                  core::Timestamp now) {
    if (const auto& watch = policy.return_cycling) {
        taken.returns_in_window = store::returns_taking_points(
            sql, taken.member_id, now - std::chrono::days(watch->days), now, watch->returns);
        if (auto draft = core::return_cycling_signal(*watch, taken)) {
            raise_signal(sql, program_id, taken.member_id, taken.return_id, *draft, now);
        }
    }
    if (const auto& watch = policy.spent_points_returned) {
        if (auto draft = core::spent_points_signal(*watch, taken)) {
            raise_signal(sql, program_id, taken.member_id, taken.return_id, *draft, now);
        }
    }
}

std::optional<long long> watch_adjustment(soci::session& sql, const core::FraudPolicy& policy, long long program_id,
                                          std::optional<long long> account_hold, core::StaffAdjustment adjustment,
                                          core::Timestamp now) {
    std::optional<long long> hold = account_hold;
    const auto& watch = policy.staff_adjustment;
    if (!watch) return hold;
    if (watch->per_user_per_day > 0) {
        // This one is not in the audit log yet.
        adjustment.by_staff_today =
            1 + store::adjustments_by(sql, program_id, adjustment.staff_user_id, adjustment.staff,
                                      std::chrono::floor<std::chrono::days>(now), watch->per_user_per_day);
    }
    for (const core::SignalDraft& draft : core::staff_adjustment_signals(*watch, adjustment)) {
        const auto id = raise_signal(sql, program_id, adjustment.member_id, std::nullopt, draft, now);
        if (id && !hold && core::holds_points(draft.action)) hold = id;
    }
    return hold;
}

std::optional<long long> watch_claim(soci::session& sql, const core::FraudPolicy& policy,
                                     std::optional<long long> account_hold, const WatchedClaim& watched,
                                     core::Timestamp now) {
    std::optional<long long> hold = account_hold;
    const auto& watch = policy.claim_harvesting;
    if (!watch) return hold;
    const store::PurchaseClaim& claim = watched.claim;
    // A credited claim counts towards her claims and her till's; a failed one towards her failures.
    const store::ClaimCountCaps caps{watched.credited ? watch->claims_per_member_per_day : 0,
                                     watched.credited ? 0 : watch->failed_per_member_per_day,
                                     watch->claims_per_address_per_day,
                                     watched.credited ? watch->claims_per_terminal_per_day : 0};
    const store::ClaimCounts counts = store::count_claims(sql, claim, now - std::chrono::hours(24), caps);
    const core::ReceiptClaim seen{claim.member_id,
                                  watched.credited ? std::optional(claim.purchase_id) : std::nullopt,
                                  claim.store_id,
                                  watched.store,
                                  claim.terminal,
                                  claim.address_key,
                                  now,
                                  counts.member_claims,
                                  counts.member_failures,
                                  counts.address_claims,
                                  counts.terminal_claims};
    const std::optional<long long> purchase = watched.credited ? std::optional(claim.purchase_id) : std::nullopt;
    for (const core::SignalDraft& draft : core::claim_harvesting_signals(*watch, seen)) {
        const auto id = raise_signal(sql, watched.program_id, claim.member_id, purchase, draft, now);
        if (id && !hold && core::holds_points(draft.action)) hold = id;
    }
    return hold;
}

}  // namespace patron::service
