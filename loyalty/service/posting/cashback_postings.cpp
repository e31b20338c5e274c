#include "loyalty/service/posting/cashback_postings.h"

#include <algorithm>

#include "loyalty/core/ledger.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/store/ledger/cashback_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/program/rule_counter_store.h"

namespace patron::service {

CashbackPosted post_cashback(soci::session& sql, long long program_id, long long member_id, long long purchase_id,
                             const core::Purchase& purchase, const core::Outcome& outcome, const core::RuleSet& rules,
                             core::Timestamp now) {
    CashbackPosted posted{outcome.cashback_earned(), outcome.cashback_spent()};
    if (posted.earned == 0 && posted.spent == 0) return posted;
    std::vector<core::LedgerTransfer> transfers;
    if (posted.spent > 0) transfers.push_back(core::cashback_spend_transfer(member_id, posted.spent, rules.version));
    std::vector<std::size_t> earning_effects;
    for (std::size_t i = 0; i < outcome.effects.size(); ++i) {
        const core::Effect& effect = outcome.effects[i];
        if (effect.kind != core::EffectKind::kEarnCashback) continue;
        transfers.push_back(
            core::cashback_earn_transfer(member_id, effect.amount, effect.rule_id, effect.rule_version));
        earning_effects.push_back(i);
    }
    const std::vector<long long> ids =
        store::insert_transfers(sql, program_id, purchase_id, transfers, now, store::LedgerBook::kCashback);
    // The earnings' transfer ids, by effect index: the key of each line's share.
    std::map<std::size_t, long long> transfer_of;
    for (std::size_t k = 0; k < earning_effects.size(); ++k) {
        transfer_of[earning_effects[k]] = ids[ids.size() - earning_effects.size() + k];
    }
    std::vector<core::LotShare> shares;
    for (const core::LineEarning& share : core::allocate_cashback(purchase, outcome, rules)) {
        shares.push_back(core::LotShare{transfer_of.at(share.effect), share.line, share.points});
    }
    store::insert_cashback_shares(sql, purchase_id, shares);
    store::record_purchase_cashback(sql, purchase_id, {posted.earned, posted.spent});
    store::adjust_cashback(sql, member_id, posted.earned - posted.spent, 0, now);
    // The caps and budgets count what each rule gave.
    const core::LocalPeriods periods = core::local_periods(purchase.pos_time);
    for (const std::size_t i : earning_effects) {
        const core::Effect& effect = outcome.effects[i];
        const auto rule = std::find_if(rules.cashback.begin(), rules.cashback.end(),
                                       [&](const core::CashbackRule& r) { return r.id == effect.rule_id; });
        if (rule == rules.cashback.end()) continue;
        if (rule->per_day || rule->per_month) {
            store::add_member_rule_usage(sql, member_id, rule->id, periods.day, effect.amount);
            store::add_member_rule_usage(sql, member_id, rule->id, periods.month, effect.amount);
        }
        if (rule->budget) store::add_rule_budget_use(sql, program_id, rule->id, effect.amount);
    }
    return posted;
}

CashbackTakenBack take_back_cashback(soci::session& sql, const CashbackReturn& context,
                                     const std::vector<core::OriginalLine>& lines, const core::ReturnPlan& plan,
                                     core::Timestamp now) {
    CashbackTakenBack taken;
    const store::PurchaseCashback original = store::purchase_cashback(sql, context.original_id);
    if (original.earned == 0 && original.spent == 0) return taken;
    const core::CashbackReturnPlan planned = core::plan_cashback_return(
        lines, plan, store::cashback_shares(sql, context.original_id), original.spent, context.original_total);
    long long wallet = context.wallet;
    std::vector<core::LedgerTransfer> transfers;
    for (const store::CashbackEarning& earning : store::cashback_earnings_of_purchase(sql, context.original_id)) {
        const auto wanted = planned.reverse.find(earning.transfer_id);
        if (wanted == planned.reverse.end()) continue;
        const long long amount = core::takeable(wallet, wanted->second, context.policy);
        taken.shortfall += wanted->second - amount;
        // The caps and budget count it no more, whether or not the wallet could give it back.
        store::give_back_rule_usage(sql, context.program_id, context.member_id, earning.rule_id,
                                    {context.periods.day, context.periods.month}, wanted->second);
        if (amount <= 0) continue;
        transfers.push_back(
            core::cashback_reverse_transfer(context.member_id, amount, earning.rule_id, earning.rule_version));
        wallet -= amount;
        taken.reversed += amount;
        taken.effects.push_back(
            core::Effect{core::EffectKind::kReverseCashback, earning.rule_id, earning.rule_version, -amount,
                         core::receipt_line(core::phrase(core::Phrase::kCashbackReturned, context.language),
                                            core::signed_money_text('-', {amount, context.currency}, context.language)),
                         0, amount < wanted->second, -amount});
    }
    if (planned.refund > 0) {
        transfers.push_back(core::cashback_refund_transfer(context.member_id, planned.refund, 0));
        taken.refunded = planned.refund;
        taken.effects.push_back(core::Effect{
            core::EffectKind::kRefundCashback, "cashback_payment", 0, planned.refund,
            core::receipt_line(core::phrase(core::Phrase::kCashbackRefunded, context.language),
                               core::signed_money_text('+', {planned.refund, context.currency}, context.language)),
            0, false, planned.refund});
    }
    if (!transfers.empty()) {
        store::insert_transfers(sql, context.program_id, context.return_id, transfers, now,
                                store::LedgerBook::kCashback);
    }
    store::adjust_cashback(sql, context.member_id, taken.refunded - taken.reversed, taken.shortfall, now);
    return taken;
}

long long take_reward_cashback(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                               long long member_id, long long wallet, long long amount,
                               core::NegativeBalancePolicy policy,
                               const std::function<core::LedgerTransfer(long long taken)>& transfer,
                               core::Timestamp now) {
    const long long taken = core::takeable(wallet, amount, policy);
    if (taken > 0) {
        store::insert_transfers(sql, program_id, purchase_id, {transfer(taken)}, now, store::LedgerBook::kCashback);
    }
    store::adjust_cashback(sql, member_id, -taken, amount - taken, now);
    return taken;
}

}  // namespace patron::service
