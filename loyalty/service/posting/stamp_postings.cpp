#include "loyalty/service/posting/stamp_postings.h"

#include <algorithm>

#include "loyalty/core/coupons.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/reward_rule_ids.h"
#include "loyalty/core/stamps.h"
#include "loyalty/service/posting/cashback_postings.h"
#include "loyalty/service/posting/coupon_codes.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/store/ledger/cashback_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/stamp_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/pos/return_store.h"
#include "loyalty/store/program/coupon_store.h"

namespace patron::service {
namespace {

const core::StampCard* find_card(const core::RuleSet& rules, const std::string& id) {
    const auto card = std::find_if(rules.stamp_cards.begin(), rules.stamp_cards.end(),
                                   [&](const core::StampCard& c) { return c.id == id; });
    return card == rules.stamp_cards.end() ? nullptr : &*card;
}

// The events of the stamps a purchase gave on one card: per matching line, or one for a visit.
void stamp_events_of(const core::StampCard& card, const core::Effect& effect, const core::Purchase& purchase,
                     const store::StampEvent& base, std::vector<store::StampEvent>& events) {
    for (const core::CollectedItem& item : effect.items) {  // A collection: each item a line brought.
        store::StampEvent event = base;
        event.line = item.line;
        event.stamps = 1;
        event.item = item.item;
        events.push_back(event);
    }
    if (card.basis == core::StampBasis::kCollection) return;
    if (card.basis == core::StampBasis::kVisit) {
        store::StampEvent event = base;
        event.line = 0;
        event.stamps = effect.amount;
        event.threshold = card.min_basket;
        events.push_back(event);
        return;
    }
    for (const core::PurchaseLine& line : purchase.lines) {
        const std::int64_t stamps = core::stamps_for_line(card, line);
        if (stamps <= 0) continue;
        store::StampEvent event = base;
        event.line = line.line;
        event.stamps = stamps;
        events.push_back(event);
    }
}

// Reverses what is left of a revoked points reward's lot: as a return reverses a lot (the spent part
// is charged to the member's other points by the caller, after every reversal).
LotReversed reverse_reward_lot(soci::session& sql, const Posting& posting, const store::StampReward& reward,
                               long long available, core::NegativeBalancePolicy policy) {
    if (!reward.lot_id) return {};
    for (const store::PurchaseLot& lot : store::purchase_lots_for_update(sql, reward.purchase_id)) {
        if (lot.id != *reward.lot_id) continue;
        const long long points = lot.earned - lot.reversed - lot.charged;
        if (points > 0) return reverse_lot(sql, posting, lot, points, available, policy);
    }
    return {};
}

// "Coffee card: -1 (2/10)": the stamps a return took off the card, and where the card stands.
core::Effect stamps_removed(const std::string& card_id, const std::string& name, std::int64_t removed,
                            std::int64_t stamps, std::int64_t goal, const core::RuleSet& rules) {
    const std::string value =
        core::signed_number('-', removed) + " (" + std::to_string(stamps) + "/" + std::to_string(goal) + ")";
    core::Effect effect{core::EffectKind::kStampsRemoved, card_id, rules.version, -removed,
                        core::receipt_line(name, core::localized_digits(value, rules.language))};
    effect.count_after = stamps;
    effect.goal = goal;
    return effect;
}

// Takes a revoked reward's cashback back from the wallet, as a return takes back what its lines
// earned: under the clamp policy the wallet stops at zero and the rest is a shortfall.
void taken_back_cashback(soci::session& sql, const StampReturn& context, const store::StampReward& reward,
                         StampsTakenBack& taken, core::Timestamp now) {
    const std::string rule_id = core::stamp_reward_rule_id(reward.card_id);
    const long long amount = take_reward_cashback(
        sql, context.program_id, context.return_id, context.member_id, context.wallet + taken.cashback_delta,
        reward.cashback, context.points.negative_balance,
        [&](long long taken_back) {
            return core::cashback_reverse_transfer(context.member_id, taken_back, rule_id, reward.rule_version);
        },
        now);
    taken.cashback_delta -= amount;
}

}  // namespace

StampsPosted post_stamps(soci::session& sql, long long program_id, long long member_id, long long purchase_id,
                         const core::Purchase& purchase, std::vector<core::Effect>& effects,
                         const std::map<std::size_t, long long>& lots, const core::RuleSet& rules,
                         const std::map<std::string, core::StampProgress>& before, crypto::RandomSource& random,
                         core::Timestamp now) {
    StampsPosted posted;
    std::vector<store::StampEvent> events;
    for (const core::Effect& effect : effects) {
        const core::StampCard* card = find_card(rules, effect.rule_id);
        if (card == nullptr) continue;
        const store::StampEvent base{program_id,   member_id, card->id, "earn",       purchase_id,
                                     std::nullopt, 0,         0,        rules.version};
        if (effect.kind == core::EffectKind::kStampsExpired) {
            store::StampEvent lapse = base;
            lapse.kind = "expire";
            lapse.stamps = -effect.amount;
            events.push_back(lapse);
        }
        if (effect.kind != core::EffectKind::kStamps) continue;
        stamp_events_of(*card, effect, purchase, base, events);
        const auto found = before.find(card->id);
        const core::StampProgress after = core::progress_after(
            found == before.end() ? core::StampProgress{} : found->second, effects, card->id, purchase.pos_time.utc);
        store::save_stamp_progress(sql, member_id, card->id, after, now);
    }
    store::insert_stamp_events(sql, events, now);
    for (std::size_t i = 0; i < effects.size(); ++i) {
        core::Effect& effect = effects[i];
        const auto rewarded = core::rewarded_card(effect);
        if (!rewarded) continue;
        const std::string& card_id = *rewarded;
        const bool points = effect.kind == core::EffectKind::kEarnPoints;
        const bool cashback = effect.kind == core::EffectKind::kEarnCashback;  // Its transfer is post_cashback's.
        const core::StampCard* card = find_card(rules, card_id);
        if (card == nullptr) continue;
        store::StampReward reward;
        reward.program_id = program_id;
        reward.member_id = member_id;
        reward.card_id = card_id;
        reward.purchase_id = purchase_id;
        reward.goal = card->goal;
        reward.rule_version = rules.version;
        if (points) {
            reward.points = effect.amount;
            if (const auto lot = lots.find(i); lot != lots.end()) reward.lot_id = lot->second;
        } else if (cashback) {
            reward.cashback = effect.amount;
        } else {
            const auto [code, code_id] = issue_member_code(sql, program_id, member_id, effect.campaign_id, random, now);
            reward.code_id = code_id;
            effect.receipt_line = core::receipt_line(core::phrase(core::Phrase::kCouponWon, rules.language), code);
            posted.issued.push_back(core::CouponIssued{code, effect.campaign_id, card_id});
        }
        store::insert_stamp_reward(sql, reward, now);
    }
    posted.cards = core::stamp_summaries(effects, rules);
    return posted;
}

StampsTakenBack take_back_stamps(soci::session& sql, const StampReturn& context,
                                 const std::vector<core::OriginalLine>& lines, const core::ReturnPlan& plan,
                                 core::Timestamp now) {
    StampsTakenBack taken;
    const std::vector<core::StampsGiven> given = store::standing_stamps(sql, context.original_id);
    if (given.empty()) return taken;
    std::map<std::string, std::int64_t> removed_by_card;
    std::map<std::string, std::vector<std::string>> items_by_card;  // A collection's items taken back.
    std::vector<store::StampEvent> events;
    for (const core::StampsGiven& removed : core::plan_stamp_return(lines, plan, given)) {
        removed_by_card[removed.card_id] += removed.stamps;
        if (!removed.item.empty()) items_by_card[removed.card_id].push_back(removed.item);
        store::StampEvent event{context.program_id,
                                context.member_id,
                                removed.card_id,
                                "return",
                                context.original_id,
                                removed.line,
                                -removed.stamps,
                                0,
                                0};
        event.item = removed.item;
        events.push_back(event);
    }
    if (removed_by_card.empty()) return taken;
    const auto progress = store::stamp_progress(sql, context.member_id);
    const core::Language language = context.rules->language;
    const Posting posting{context.program_id, context.member_id, context.return_id, now};
    std::vector<std::pair<long long, long long>> charges;
    for (const auto& [card_id, removed] : removed_by_card) {
        const core::StampCard* card = find_card(*context.rules, card_id);
        const auto found = progress.find(card_id);
        core::StampProgress current = found == progress.end() ? core::StampProgress{} : found->second;
        const std::vector<store::StampReward> rewards = store::issued_stamp_rewards(sql, context.member_id, card_id);
        std::vector<core::IssuedReward> issued;
        for (const store::StampReward& reward : rewards) issued.push_back({reward.id, reward.goal, reward.used});
        const core::StampDeficitPolicy policy = card ? card->deficit : core::StampDeficitPolicy::kCarry;
        core::StampRemoval removal;
        const auto items = items_by_card.find(card_id);
        if (card != nullptr && card->basis == core::StampBasis::kCollection && items != items_by_card.end()) {
            std::vector<std::string> set;
            for (const core::CollectionItem& item : card->items) set.push_back(item.id);
            core::CollectionRemoval collection =
                core::plan_collection_removal(current.items, set, items->second, issued, policy);
            current.items = std::move(collection.items);
            removal.revoked = std::move(collection.revoked);
            removal.forgiven = collection.forgiven;
            removal.stamps_after = 0;
            for (const auto& [item, count] : current.items) removal.stamps_after += count;
            if (collection.dropped > 0) {
                events.push_back(store::StampEvent{context.program_id, context.member_id, card_id, "drop",
                                                   context.original_id, std::nullopt, -collection.dropped, 0, 0});
            }
        } else {
            removal = core::plan_stamp_removal(current.stamps, removed, issued, policy);
        }
        const std::string name = card ? card->name : card_id;
        for (const long long id : removal.revoked) {
            const auto reward =
                std::find_if(rewards.begin(), rewards.end(), [&](const store::StampReward& r) { return r.id == id; });
            store::revoke_stamp_reward(sql, *reward, now);
            const LotReversed reversed =
                reverse_reward_lot(sql, posting, *reward, context.points_available + taken.points_available_delta,
                                   context.points.negative_balance);
            if (reversed.charged > 0) charges.emplace_back(reversed.transfer_id, reversed.charged);
            if (reversed.shortfall > 0) store::add_points_shortfall(sql, context.member_id, reversed.shortfall);
            taken.points_available_delta -= reversed.from_available;
            taken.points_pending_delta -= reversed.from_pending;
            if (reward->cashback > 0) taken_back_cashback(sql, context, *reward, taken, now);
            taken.effects.push_back(
                core::Effect{core::EffectKind::kStampRewardRevoked, card_id, reward->rule_version, -reward->points,
                             core::receipt_line(core::phrase(core::Phrase::kRewardRevoked, language), name)});
        }
        if (removal.forgiven > 0) {
            events.push_back(store::StampEvent{context.program_id, context.member_id, card_id, "forgive",
                                               context.original_id, std::nullopt, removal.forgiven, 0, 0});
        }
        current.stamps = removal.stamps_after;
        const bool collection = card != nullptr && card->basis == core::StampBasis::kCollection;
        const std::int64_t held = collection ? core::held_items(current) : current.stamps;
        if (held <= 0) current.started_at.reset();
        // A collection's card that a revoked reward brought back runs from now.
        if (collection && held > 0 && !current.started_at) current.started_at = now;
        store::save_stamp_progress(sql, context.member_id, card_id, current, now);
        const std::int64_t goal = card ? card->goal : 0;
        taken.effects.push_back(stamps_removed(card_id, name, removed, held, goal, *context.rules));
        taken.cards.push_back(core::StampCardSummary{card_id, name, -removed, held, goal,
                                                     -static_cast<std::int64_t>(removal.revoked.size())});
    }
    store::insert_stamp_events(sql, events, now);
    for (const auto& [transfer_id, points] : charges) charge_spent_points(sql, context.member_id, transfer_id, points);
    store::adjust_points(sql, context.member_id, taken.points_available_delta, taken.points_pending_delta, now);
    return taken;
}

}  // namespace patron::service
