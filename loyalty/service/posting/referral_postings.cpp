#include "loyalty/service/posting/referral_postings.h"

#include <algorithm>

#include "loyalty/core/ledger.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/referrals.h"
#include "loyalty/core/tenure.h"
#include "loyalty/service/posting/cashback_postings.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/store/ledger/cashback_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/members/referral_store.h"
#include "loyalty/store/pos/return_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

// What a reward gave a member, and what taking it back took.
struct Moved {
    long long points_available = 0;
    long long points_pending = 0;
    long long cashback = 0;
};

// Gives the member the reward (points into a lot of their own, pending while a fraud signal holds
// her new points; or cashback into her wallet) and writes her balances.
Moved give_reward(soci::session& sql, long long program_id, const store::AccountRecord& account,
                  const core::ReferralReward& reward, long long referral_id, bool referrer,
                  const core::PointsPolicy& policy, const core::TimeZone& zone, core::Timestamp now) {
    Moved moved;
    const long long member_id = account.member_id;
    if (reward.kind == core::ReferralRewardKind::kCashback) {
        store::insert_transfers(sql, program_id, std::nullopt,
                                {core::referral_cashback_transfer(member_id, reward.amount, referral_id, referrer)},
                                now, store::LedgerBook::kCashback);
        store::adjust_cashback(sql, member_id, reward.amount, 0, now);
        moved.cashback = reward.amount;
        return moved;
    }
    const bool held = account.fraud_hold.has_value();
    const Posting posting{program_id, member_id, std::nullopt, now, account.fraud_hold};
    const Credited credited =
        credit_lot(sql, posting, core::referral_transfer(member_id, reward.amount, referral_id, referrer, held),
                   reward.amount, held, policy, zone);
    if (!held) repay_negative_balance(sql, member_id, credited.transfer_id, account.points_available, reward.amount);
    (held ? moved.points_pending : moved.points_available) = reward.amount;
    store::adjust_points(sql, member_id, moved.points_available, moved.points_pending, now);
    return moved;
}

// Takes back what the referral gave the member (`points` out of its lot, the spent part charged to
// her other points, below zero unless the policy clamps; `cashback` out of her wallet, down to
// zero under the clamp policy, the rest a shortfall) and writes her balances; what it took.
Moved take_back(soci::session& sql, long long program_id, const store::AccountRecord& account, long long referral_id,
                bool referrer, long long points, long long cashback, core::NegativeBalancePolicy policy,
                core::Timestamp now) {
    Moved taken;
    const long long member_id = account.member_id;
    if (points > 0) {
        const Posting posting{program_id, member_id, std::nullopt, now, std::nullopt};
        long long left = points;
        long long shortfall = 0;
        std::vector<std::pair<long long, long long>> charges;
        for (const store::PurchaseLot& lot :
             store::member_lots_of_rule_for_update(sql, member_id, core::referral_rule_id(referral_id))) {
            const long long in_lot = std::min(left, lot.earned - lot.reversed - lot.charged);
            if (in_lot <= 0) continue;
            const LotReversed reversed =
                reverse_lot(sql, posting, lot, in_lot, account.points_available - taken.points_available, policy,
                            "referral_back", referrer ? "referrer" : "friend");
            if (reversed.charged > 0) charges.emplace_back(reversed.transfer_id, reversed.charged);
            shortfall += reversed.shortfall;
            taken.points_available += reversed.from_available;
            taken.points_pending += reversed.from_pending;
            left -= in_lot;
        }
        for (const auto& [transfer_id, charged] : charges) charge_spent_points(sql, member_id, transfer_id, charged);
        if (shortfall > 0) store::add_points_shortfall(sql, member_id, shortfall);
        store::adjust_points(sql, member_id, -taken.points_available, -taken.points_pending, now);
    }
    if (cashback > 0) {
        const long long amount = take_reward_cashback(
            sql, program_id, std::nullopt, member_id, account.cashback_balance, cashback, policy,
            [&](long long taken_back) {
                return core::referral_cashback_transfer(member_id, -taken_back, referral_id, referrer);
            },
            now);
        taken.cashback = amount;
    }
    return taken;
}

// The referrer's locked account while she is an active member.
std::optional<store::AccountRecord> referrer_account(soci::session& sql, long long referrer_id) {
    const auto member = store::find_member(sql, referrer_id);
    if (!member || member->status != core::MemberStatus::kActive) return std::nullopt;
    return store::find_account(sql, referrer_id, true);
}

// Takes back both rewards of a rewarded referral; the friend's account is `friend_account`
// (locked), the referrer's is locked here. The referral keeps what each still holds of it (what
// the clamp policy could not take back); what the friend lost is answered.
Moved take_back_both(soci::session& sql, store::ReferralRecord& referral, const store::AccountRecord& friend_account,
                     core::NegativeBalancePolicy policy, core::Timestamp now) {
    const Moved friend_taken = take_back(sql, referral.program_id, friend_account, referral.id, false,
                                         referral.friend_points, referral.friend_cashback, policy, now);
    referral.friend_points -= friend_taken.points_available + friend_taken.points_pending;
    referral.friend_cashback -= friend_taken.cashback;
    if (referral.referrer_points > 0 || referral.referrer_cashback > 0) {
        if (const auto account = store::find_account(sql, referral.referrer_id, true)) {
            const Moved taken = take_back(sql, referral.program_id, *account, referral.id, true,
                                          referral.referrer_points, referral.referrer_cashback, policy, now);
            referral.referrer_points -= taken.points_available + taken.points_pending;
            referral.referrer_cashback -= taken.cashback;
        }
    }
    referral.referrer_outcome = "none";
    referral.purchase_id.reset();
    referral.qualified_at.reset();
    return friend_taken;
}

core::Effect reward_effect(const core::ReferralReward& reward, long long referral_id, core::Language language,
                           const core::Currency& currency, bool taken_back) {
    const std::string rule_id = core::referral_rule_id(referral_id);
    const char sign = taken_back ? '-' : '+';
    const std::string_view label =
        taken_back ? core::referral_taken_back_label(language) : core::referral_welcome_label(language);
    if (reward.kind == core::ReferralRewardKind::kCashback) {
        const std::int64_t amount = taken_back ? -reward.amount : reward.amount;
        return core::Effect{
            taken_back ? core::EffectKind::kReverseCashback : core::EffectKind::kEarnCashback,
            rule_id,
            0,
            amount,
            core::receipt_line(label, core::signed_money_text(sign, {reward.amount, currency}, language)),
            0,
            false,
            amount};
    }
    return core::Effect{
        taken_back ? core::EffectKind::kReversePoints : core::EffectKind::kEarnPoints, rule_id, 0,
        taken_back ? -reward.amount : reward.amount,
        core::receipt_line(label, core::points_text(taken_back ? -reward.amount : reward.amount, language))};
}

}  // namespace

core::Result<long long> refer_friend(soci::session& sql, long long program_id, long long friend_id,
                                     const std::string& code, core::Timestamp now) {
    const auto referrer_id = store::member_of_referral_code(sql, program_id, code);
    const auto referrer = referrer_id ? store::find_member(sql, *referrer_id) : std::nullopt;
    if (!referrer || referrer->status != core::MemberStatus::kActive || *referrer_id == friend_id) {
        return fail(ErrorCode::kReferralCodeUnknown, "no member of the programme has this referral code",
                    "referral_code");
    }
    const auto terms = store::find_referral_terms(sql, program_id);
    if (!terms) return std::unexpected(terms.error());
    if (!terms->active) {
        return fail(ErrorCode::kReferralsClosed, "the programme takes no referrals now", "referral_code");
    }
    store::ReferralRecord referral;
    referral.program_id = program_id;
    referral.referrer_id = *referrer_id;
    referral.friend_id = friend_id;
    referral.terms = *terms;
    referral.enrolled_at = now;
    referral.qualify_by = core::referral_deadline(*terms, now);
    return store::insert_referral(sql, referral, now);
}

void lock_referrer(soci::session& sql, const store::AccountRecord& account) {
    if (!account.referral) return;
    if (const auto referral = store::find_referral(sql, *account.referral, true)) {
        store::find_account(sql, referral->referrer_id, true);
    }
}

void lock_referrer_of_purchase(soci::session& sql, long long purchase_id) {
    if (const auto referral = store::referral_of_purchase(sql, purchase_id)) {
        store::find_account(sql, referral->referrer_id, true);
    }
}

ReferralPosted reward_friend_purchase(soci::session& sql, const FriendPurchaseContext& context, core::Timestamp now) {
    ReferralPosted posted;
    const store::AccountRecord& account = *context.account;
    if (!account.referral) return posted;
    auto referral = store::find_referral(sql, *account.referral, true);
    if (!referral || referral->state != store::ReferralState::kPending) return posted;
    const core::ReferralTerms& terms = referral->terms;
    core::FriendPurchase purchase{context.received_at, context.total, false};
    if (terms.same_till_minutes > 0) {
        purchase.referrer_at_same_till =
            store::bought_at_till(sql, referral->referrer_id, context.store_id, context.terminal,
                                  context.received_at - std::chrono::minutes(terms.same_till_minutes),
                                  context.received_at + std::chrono::seconds(1));
    }
    switch (core::judge_friend_purchase(terms, referral->enrolled_at, referral->qualify_by, purchase)) {
        case core::ReferralVerdict::kTooEarly:
        case core::ReferralVerdict::kTooSmall:
            return posted;
        case core::ReferralVerdict::kTooLate:
            // Lapsed: it stays pending past its days, and her purchases no longer read it.
            store::forget_account_referral(sql, account.member_id);
            return posted;
        case core::ReferralVerdict::kSameTill:
            referral->state = store::ReferralState::kRefused;
            referral->reason = "same_till";
            store::save_referral(sql, *referral, now);
            return posted;
        case core::ReferralVerdict::kQualifies:
            break;
    }
    const Moved friend_moved = give_reward(sql, context.program_id, account, terms.friend_reward, referral->id, false,
                                           *context.points, *context.zone, now);
    posted.points_available_delta = friend_moved.points_available;
    posted.points_pending_delta = friend_moved.points_pending;
    posted.cashback_delta = friend_moved.cashback;
    posted.effects.push_back(
        reward_effect(terms.friend_reward, referral->id, context.language, context.currency, false));
    referral->friend_points += friend_moved.points_available + friend_moved.points_pending;
    referral->friend_cashback += friend_moved.cashback;

    // The referrer's reward, within the monthly limit of the terms in force now.
    referral->referrer_outcome = "none";
    if (const auto referrer = referrer_account(sql, referral->referrer_id)) {
        const auto now_terms = store::find_referral_terms(sql, context.program_id);
        const int limit =
            now_terms && now_terms->version > 0 ? now_terms->per_referrer_per_month : terms.per_referrer_per_month;
        const core::ReferralMonth month = core::referral_month(*context.zone, core::calendar_of(context.language), now);
        if (store::referrer_rewards_between(sql, referral->referrer_id, month.from, month.until) >= limit) {
            referral->referrer_outcome = "capped";
        } else {
            const Moved moved = give_reward(sql, context.program_id, *referrer, terms.referrer_reward, referral->id,
                                            true, *context.points, *context.zone, now);
            referral->referrer_points += moved.points_available + moved.points_pending;
            referral->referrer_cashback += moved.cashback;
            referral->referrer_outcome = "rewarded";
        }
    }
    referral->state = store::ReferralState::kRewarded;
    referral->purchase_id = context.purchase_id;
    referral->qualified_at = now;
    store::save_referral(sql, *referral, now);
    return posted;
}

ReferralPosted take_back_after_return(soci::session& sql, const FriendReturnContext& context, core::Timestamp now) {
    ReferralPosted posted;
    auto referral = store::referral_of_purchase(sql, context.original_id);
    if (!referral) return posted;
    if (core::still_qualifies(referral->terms, store::purchase_remaining_total(sql, context.original_id))) {
        return posted;
    }
    store::AccountRecord account;
    account.member_id = context.member_id;
    account.points_available = context.points_available;
    account.cashback_balance = context.cashback_balance;
    const Moved taken = take_back_both(sql, *referral, account, context.policy, now);
    posted.points_available_delta = -taken.points_available;
    posted.points_pending_delta = -taken.points_pending;
    posted.cashback_delta = -taken.cashback;
    if (const long long points = taken.points_available + taken.points_pending; points > 0) {
        posted.effects.push_back(reward_effect({core::ReferralRewardKind::kPoints, points}, referral->id,
                                               context.language, context.currency, true));
    }
    if (taken.cashback > 0) {
        posted.effects.push_back(reward_effect({core::ReferralRewardKind::kCashback, taken.cashback}, referral->id,
                                               context.language, context.currency, true));
    }
    // Taken back whole, she may qualify again within her days; what the clamp policy could not
    // take back stays hers, and the referral pays no more (or each cycle would pay it again).
    ++referral->revocations;
    const bool whole = referral->friend_points == 0 && referral->friend_cashback == 0 &&
                       referral->referrer_points == 0 && referral->referrer_cashback == 0;
    referral->state = whole ? store::ReferralState::kPending : store::ReferralState::kRefused;
    if (!whole) referral->reason = "returned";
    store::save_referral(sql, *referral, now);
    return posted;
}

void settle_referrals_before_merge(soci::session& sql, long long program_id, long long survivor, long long absorbed,
                                   core::Timestamp now) {
    const core::NegativeBalancePolicy policy = store::find_points_policy(sql, program_id).negative_balance;
    const auto survivor_record = store::find_member(sql, survivor);
    const auto absorbed_record = store::find_member(sql, absorbed);
    const bool survivor_referred = store::referral_of_friend(sql, survivor, false).has_value();
    for (const long long member : {survivor, absorbed}) {
        for (store::ReferralRecord& referral : store::referrals_naming(sql, member)) {
            if (referral.friend_id != survivor && referral.friend_id != absorbed) continue;
            if (referral.state == store::ReferralState::kRefused) continue;
            const bool same = referral.referrer_id == survivor || referral.referrer_id == absorbed;
            // The other record was made after she joined with the code (a duplicate): she was new.
            const auto& other = referral.friend_id == survivor ? absorbed_record : survivor_record;
            if (!same && other && other->created_at >= referral.enrolled_at) {
                if (referral.friend_id == survivor) continue;
                if (!survivor_referred) {  // Her referral goes with her to the surviving record.
                    referral.friend_id = survivor;
                    store::save_referral(sql, referral, now);
                    store::forget_account_referral(sql, absorbed);
                    continue;
                }
            }
            if (referral.state == store::ReferralState::kRewarded) {
                if (const auto account = store::find_account(sql, referral.friend_id, true)) {
                    take_back_both(sql, referral, *account, policy, now);
                }
            }
            referral.state = store::ReferralState::kRefused;
            referral.reason = same ? "same_member" : "existing_member";
            store::save_referral(sql, referral, now);
        }
    }
    store::move_referrer(sql, absorbed, survivor);
}

}  // namespace patron::service
