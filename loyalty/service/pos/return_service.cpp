#include "loyalty/service/pos/return_service.h"

#include <soci/soci.h>

#include "loyalty/core/card_number.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/ledger.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/reward_rule_ids.h"
#include "loyalty/service/posting/cashback_postings.h"
#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/service/posting/draw_postings.h"
#include "loyalty/service/posting/fraud_watch.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/service/posting/rating_state.h"
#include "loyalty/service/posting/referral_postings.h"
#include "loyalty/service/posting/stamp_postings.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/ledger/cashback_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/pos/purchase_store.h"
#include "loyalty/store/pos/return_store.h"
#include "loyalty/store/program/program_store.h"
#include "loyalty/store/program/rule_counter_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

struct PointsTakenBack {
    long long available_delta = 0;
    long long pending_delta = 0;
    long long reversed = 0;  // Points the return took back (from lots and charged).
    long long charged = 0;   // Of those, points she had spent, charged to her other points.
    long long shortfall = 0;
    std::vector<core::Effect> effects;
};

// Reverses, lot by lot, what the returned lines had earned, and gives back redeemed points.
PointsTakenBack take_back_points(soci::session& sql, const store::OriginalPurchase& original, const Holder& holder,
                                 long long return_id, const core::ReturnPlan& plan,
                                 const store::ProgramPolicies& policies, core::Language language, core::Timestamp now) {
    const long long member_id = holder.member.id;
    const long long program_id = holder.member.program_id;
    const Posting posting{program_id, member_id, return_id, now};
    const core::LocalPeriods periods = core::local_periods(original.pos_time);
    PointsTakenBack taken;
    std::vector<std::pair<long long, long long>> charges;  // Transfer id, points charged.
    for (const store::PurchaseLot& lot : store::purchase_lots_for_update(sql, original.id)) {
        const auto wanted = plan.lot_points.find(lot.id);
        if (wanted == plan.lot_points.end()) continue;
        const long long available = holder.account.points_available + taken.available_delta;
        const LotReversed reversal =
            reverse_lot(sql, posting, lot, wanted->second, available, policies.points.negative_balance);
        const long long from_pending = reversal.from_pending;
        const long long from_available = reversal.from_available;
        if (reversal.charged > 0) charges.emplace_back(reversal.transfer_id, reversal.charged);
        if (reversal.transfer_id != 0) {
            store::give_back_rule_usage(sql, program_id, member_id, lot.rule_id, {periods.day, periods.month},
                                        from_pending + from_available);
        }
        taken.pending_delta -= from_pending;
        taken.available_delta -= from_available;
        taken.reversed += from_pending + from_available;
        taken.charged += reversal.charged;
        taken.shortfall += reversal.shortfall;
        if (from_pending + from_available > 0) {
            taken.effects.push_back(core::Effect{
                core::EffectKind::kReversePoints, lot.rule_id, lot.rule_version, -(from_pending + from_available),
                core::receipt_line(core::phrase(core::Phrase::kReturned, language),
                                   core::points_text(-(from_pending + from_available), language)),
                0, reversal.shortfall > 0, 0});
        }
    }
    for (const auto& [transfer_id, points] : charges) charge_spent_points(sql, member_id, transfer_id, points);
    if (taken.shortfall > 0) store::add_points_shortfall(sql, member_id, taken.shortfall);
    if (plan.refund_points > 0) {
        const Credited credited =
            credit_lot(sql, posting, core::refund_transfer(member_id, plan.refund_points, original.rule_set_version),
                       plan.refund_points, false, policies.points, *locate_time_zone(policies.time_zone));
        repay_negative_balance(sql, member_id, credited.transfer_id,
                               holder.account.points_available + taken.available_delta, plan.refund_points);
        taken.available_delta += plan.refund_points;
        taken.effects.push_back(core::Effect{core::EffectKind::kRefundPoints, "points_payment",
                                             original.rule_set_version, plan.refund_points,
                                             core::receipt_line(core::phrase(core::Phrase::kPointsRefunded, language),
                                                                core::points_text(plan.refund_points, language)),
                                             0, false, -plan.refund_value});
    }
    store::adjust_points(sql, member_id, taken.available_delta, taken.pending_delta, now);
    return taken;
}

// "Coupon SUMMER25 back: 165,000 IRR": the discount the till may charge back, the code usable again.
core::Effect coupon_given_back_effect(const core::CouponGivenBack& coupon, const core::Currency& currency,
                                      core::Language language) {
    const std::string label =
        std::string(language == core::Language::kPersian ? "بازگشت کوپن " : "Coupon back ") + coupon.code;
    return core::Effect{core::EffectKind::kCouponGivenBack,
                        core::coupon_rule_id(coupon.campaign_id),
                        0,
                        coupon.discount,
                        core::receipt_line(label, core::money_text({coupon.discount, currency}, language)),
                        0,
                        false,
                        coupon.discount};
}

// Whether this terminal may return or void the purchase: only in the purchase's own store,
// unless the program takes returns in any of its stores.
bool may_take_back_here(const store::OriginalPurchase& original, const TerminalIdentity& terminal,
                        const core::PointsPolicy& policy) {
    return policy.returns_any_store || original.store_id == terminal.store_id;
}

// Another store's purchase is answered exactly like a receipt that does not exist (the message
// depends only on the policy), so a terminal cannot learn which receipts other stores hold.
std::unexpected<core::Error> original_not_found(const core::PointsPolicy& policy) {
    return fail(ErrorCode::kReceiptNotFound,
                policy.returns_any_store ? "no purchase with this receipt in this program"
                                         : "no purchase with this receipt in this store (the program takes returns "
                                           "and voids only in the store of the purchase)",
                "original");
}

core::Result<void> check_void_window(const store::OriginalPurchase& original, const core::ReturnRequest& request,
                                     const core::PointsPolicy& policy, core::Timestamp now) {
    if (request.key.business_day == original.business_day) return {};
    if (policy.void_window.count() > 0 && now - original.received_at <= policy.void_window) return {};
    return fail(ErrorCode::kVoidWindowClosed,
                "a purchase can only be voided on its business day" +
                    std::string(policy.void_window.count() > 0 ? " or within the program's void window" : "") +
                    "; return it instead",
                "original");
}

}  // namespace

ReturnService::ReturnService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<CommitOutcome> ReturnService::commit(const TerminalIdentity& terminal, const core::ReturnRequest& request,
                                                  const crypto::Bytes& request_sha256, const AnswerEncoder& encode,
                                                  const std::optional<std::string>& idempotency_key) {
    if (auto owned = check_terminal_owns(terminal, request.key, request.currency); !owned) {
        return std::unexpected(owned.error());
    }
    if (request.blind) return commit_blind(terminal, request, request_sha256, encode, idempotency_key);
    return database_.transact_for<CommitOutcome>([&](soci::session& sql) -> core::Result<CommitOutcome> {
        const core::Timestamp now = clock_.now();
        const store::ProgramPolicies policies = store::find_program_policies(sql, terminal.program_id);
        const core::PointsPolicy& policy = policies.points;
        const auto original = store::find_purchase_by_receipt(sql, terminal.program_id, request.original);
        if (!original || original->kind != "purchase" || !may_take_back_here(*original, terminal, policy)) {
            // A retry of a return taken while the program still allowed it gets its answer again.
            if (auto earlier = earlier_answer(sql, terminal, request.key, idempotency_key, request_sha256)) {
                return *earlier;
            }
            return original_not_found(policy);
        }
        if (original->currency != request.currency.code) {
            return fail(ErrorCode::kCurrencyMismatch, "the original purchase was in " + original->currency, "currency");
        }
        // Locks in the order every writer takes them: the member's account, then the purchase.
        std::optional<Holder> holder;
        if (original->member_id) {
            auto account = store::find_account(sql, *original->member_id, true);
            auto member = store::find_member(sql, *original->member_id);
            if (account && member) holder = Holder{*member, *account};
            if (holder) lock_referrer_of_purchase(sql, original->id);
        }
        if (auto earlier = earlier_answer(sql, terminal, request.key, idempotency_key, request_sha256)) {
            return *earlier;
        }
        if (store::lock_purchase(sql, original->id) != original->member_id) {
            // A member claimed it (or a merge moved it to another member) since it was read: the
            // member's account is locked before the purchase, so the return starts again (the
            // till's retry) rather than take it back from no one, or from the wrong member.
            return fail(ErrorCode::kUnavailable, "the purchase changed hands a moment ago; try again");
        }
        const core::Language language = core::language_from_code(policies.language);
        if (request.is_void) {
            if (original->voided) {
                return fail(ErrorCode::kAlreadyVoided, "this purchase was already voided", "original");
            }
            if (auto open = check_void_window(*original, request, policy, now); !open) {
                return std::unexpected(open.error());
            }
        }
        const std::vector<core::OriginalLine> original_lines = store::original_lines(sql, original->id);
        auto plan =
            core::plan_return(original_lines, request.lines, request.is_void, store::line_points(sql, original->id),
                              original->points_redeemed, original->redeemed_value, original->total);
        if (!plan) return std::unexpected(plan.error());

        core::Purchase as_row{};
        as_row.key = request.key;
        as_row.pos_time = request.pos_time;
        as_row.currency = request.currency;
        as_row.total = plan->amount;
        store::PurchaseRecord record;
        record.program_id = terminal.program_id;
        record.store_id = terminal.store_id;
        record.member_id = original->member_id;
        record.rule_set_version = original->rule_set_version;
        record.request_sha256 = request_sha256;
        record.kind = request.is_void ? "void" : "return";
        record.original_id = original->id;
        record.points_redeemed = -plan->refund_points;
        record.redeemed_value = -plan->refund_value;
        record.idempotency_key = idempotency_key;
        const auto return_id = store::insert_purchase(sql, as_row, record, now);
        if (!return_id) {
            if (auto earlier = earlier_answer(sql, terminal, request.key, idempotency_key, request_sha256)) {
                return *earlier;
            }
            return fail(ErrorCode::kUnavailable, "the receipt is being committed; try again");
        }
        store::add_returned_quantities(sql, original->id, plan->lines);
        store::insert_return_lines(sql, *return_id, plan->lines, plan->line_amounts);
        if (request.is_void) {
            store::mark_voided(sql, original->id, now);
            if (holder) store::recount_purchase_span(sql, holder->member.id);
        }
        const auto given_back = give_back_coupons(sql, terminal.program_id, original->id, *return_id,
                                                  net_left_after(original_lines, plan->lines), now);

        core::PurchaseResult result;
        result.purchase_id = *return_id;
        result.currency = request.currency;
        result.language = language;
        for (const store::CouponRedemptionRecord& redemption : given_back) {
            result.coupons_given_back.push_back(core::CouponGivenBack{redemption.code, redemption.campaign_id,
                                                                      redemption.discount, redemption.bonus_points});
        }
        if (holder) {
            const PointsTakenBack taken =
                take_back_points(sql, *original, *holder, *return_id, *plan, policies, language, now);
            const auto profile = open_profile(keys_, holder->member);
            result.member = core::MemberSummary{
                holder->member.id, profile ? core::masked_name(profile->full_name) : "***", holder->account.tier};
            result.points_earned = -taken.reversed;
            result.points_redeemed = -plan->refund_points;
            result.redeemed_value = -plan->refund_value;
            result.points_available = holder->account.points_available + taken.available_delta;
            result.points_pending = holder->account.points_pending + taken.pending_delta;
            result.effects = taken.effects;
            const CashbackReturn context{terminal.program_id,
                                         holder->member.id,
                                         holder->account.cashback_balance,
                                         original->id,
                                         original->total,
                                         *return_id,
                                         core::local_periods(original->pos_time),
                                         policy.negative_balance,
                                         request.currency,
                                         language};
            const CashbackTakenBack cashback = take_back_cashback(sql, context, original_lines, *plan, now);
            store::record_purchase_cashback(sql, *return_id, {-cashback.reversed, -cashback.refunded});
            result.cashback_earned = -cashback.reversed;
            result.cashback_spent = -cashback.refunded;
            result.cashback_balance = holder->account.cashback_balance - cashback.reversed + cashback.refunded;
            result.effects.insert(result.effects.end(), cashback.effects.begin(), cashback.effects.end());
            // The cards' names and deficit policies are those in force now. Rules that cannot be
            // read fail the return (rolled back): skipping the cards would keep stamps it must take.
            const auto rules_now = rule_sets_.in_force(sql, terminal.program_id, request.pos_time.utc);
            if (!rules_now) return std::unexpected(rules_now.error());
            const StampReturn stamp_context{
                terminal.program_id,     holder->member.id,       original->id, *return_id,
                result.points_available, result.cashback_balance, policy,       rules_now->get()};
            StampsTakenBack stamps = take_back_stamps(sql, stamp_context, original_lines, *plan, now);
            result.points_available += stamps.points_available_delta;
            result.points_pending += stamps.points_pending_delta;
            result.cashback_earned += stamps.cashback_delta;
            result.cashback_balance += stamps.cashback_delta;
            // The row keeps what the return took back of its own purchase's earnings; a revoked
            // reward's points belong to the purchase that filled the card. The answer shows both.
            store::set_points_earned(sql, *return_id, result.points_earned);
            if (policies.fraud_policy_version > 0 && taken.reversed + taken.shortfall > 0) {
                const auto fraud = rule_sets_.fraud_policy(sql, terminal.program_id, policies.fraud_policy_version);
                if (!fraud) return std::unexpected(fraud.error());
                if (*fraud) {
                    watch_return(
                        sql, **fraud, terminal.program_id,
                        core::MemberReturn{holder->member.id, *return_id, original->id, request.is_void, now,
                                           taken.reversed + taken.shortfall, taken.charged + taken.shortfall, 0},
                        now);
                }
            }
            result.points_earned += stamps.points_available_delta + stamps.points_pending_delta;
            result.effects.insert(result.effects.end(), stamps.effects.begin(), stamps.effects.end());
            result.stamps = std::move(stamps.cards);
            // A referral this purchase qualified for, no longer qualifying, is taken back.
            const ReferralPosted referral = take_back_after_return(
                sql,
                FriendReturnContext{terminal.program_id, holder->member.id, original->id, result.points_available,
                                    result.cashback_balance, policy.negative_balance, language, request.currency},
                now);
            result.points_available += referral.points_available_delta;
            result.points_pending += referral.points_pending_delta;
            result.cashback_balance += referral.cashback_delta;
            result.effects.insert(result.effects.end(), referral.effects.begin(), referral.effects.end());
            // Entries its lines earned in draws not yet run.
            const long long remaining_total =
                request.is_void ? 0 : original->total - plan->amount_before - plan->amount;
            const std::vector<core::Effect> entries = take_back_draw_entries(
                sql, terminal.program_id, original->id,
                core::remaining_basket(original_lines, plan->lines, remaining_total), language, now);
            result.effects.insert(result.effects.end(), entries.begin(), entries.end());
        }
        for (const core::CouponGivenBack& coupon : result.coupons_given_back) {
            result.effects.push_back(coupon_given_back_effect(coupon, request.currency, language));
        }
        result.receipt_lines = core::receipt_lines_for(result);
        const std::string body = encode(result);
        store::store_answer(sql, *return_id, core::AnswerKind::kCreated, body, std::nullopt, now);
        store::add_event(
            sql,
            core::pos_event({request.is_void ? core::EventType::kPurchaseVoided : core::EventType::kPurchaseReturned,
                             terminal.program_id, request.key, -plan->amount, original->member_id, original->id},
                            result, now));
        return CommitOutcome{core::AnswerKind::kCreated, body, false};
    });
}

core::Result<CommitOutcome> ReturnService::commit_blind(const TerminalIdentity& terminal,
                                                        const core::ReturnRequest& request,
                                                        const crypto::Bytes& request_sha256,
                                                        const AnswerEncoder& encode,
                                                        const std::optional<std::string>& idempotency_key) {
    if (!core::is_valid_card_number(*request.card)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "card");
    }
    return database_.transact_for<CommitOutcome>([&](soci::session& sql) -> core::Result<CommitOutcome> {
        const core::Timestamp now = clock_.now();
        const store::ProgramPolicies policies = store::find_program_policies(sql, terminal.program_id);
        if (!policies.points.blind_returns) {
            return fail(ErrorCode::kReceiptNotFound,
                        "this program takes returns only against the original receipt: name it in original",
                        "original");
        }
        auto locked = lock_holder(sql, terminal.program_id, *request.card);
        if (!locked) return std::unexpected(locked.error());
        const std::optional<Holder> holder = std::move(*locked);
        if (auto earlier = earlier_answer(sql, terminal, request.key, idempotency_key, request_sha256)) {
            return *earlier;
        }
        const auto cached_rules = rule_sets_.in_force(sql, terminal.program_id, request.pos_time.utc);
        if (!cached_rules) return std::unexpected(cached_rules.error());
        const core::RuleSet& rules = **cached_rules;
        // What the goods earn this member now, as if bought: that is what the return takes back.
        core::Purchase as_bought{};
        as_bought.key = request.key;
        as_bought.pos_time = request.pos_time;
        as_bought.card = request.card;
        as_bought.currency = request.currency;
        as_bought.lines = request.goods;
        as_bought.total = request.total;
        const auto profile = open_profile(keys_, holder->member);
        const RatingState rating = rating_state(sql, terminal.program_id, holder, profile, as_bought, rules, now);
        const auto outcome = core::evaluate(as_bought, rating.member, rules, now, rating.counters);
        if (!outcome) return std::unexpected(outcome.error());
        const long long worth = outcome->points_earned();
        const long long available = holder->account.points_available;
        const long long taken = policies.points.negative_balance == core::NegativeBalancePolicy::kClamp
                                    ? std::min(worth, std::max(available, 0LL))
                                    : worth;

        store::PurchaseRecord record;
        record.program_id = terminal.program_id;
        record.store_id = terminal.store_id;
        record.member_id = holder->member.id;
        record.card_number = request.card;
        record.rule_set_version = rules.version;
        record.request_sha256 = request_sha256;
        record.kind = "return";
        record.points_earned = -taken;
        record.idempotency_key = idempotency_key;
        const auto return_id = store::insert_purchase(sql, as_bought, record, now);
        if (!return_id) {
            if (auto earlier = earlier_answer(sql, terminal, request.key, idempotency_key, request_sha256)) {
                return *earlier;
            }
            return fail(ErrorCode::kUnavailable, "the receipt is being committed; try again");
        }
        store::insert_purchase_lines(sql, *return_id, request.goods);
        const core::Language language = core::language_from_code(policies.language);
        core::PurchaseResult result;
        result.purchase_id = *return_id;
        result.currency = request.currency;
        result.language = language;
        if (taken > 0) {
            const auto transfer = core::reverse_transfer(holder->member.id, 0, taken,
                                                         std::string(core::kBlindReturnRuleId), rules.version);
            const long long transfer_id =
                store::insert_transfers(sql, terminal.program_id, *return_id, {transfer}, now).front();
            charge_spent_points(sql, holder->member.id, transfer_id, taken);
            store::adjust_points(sql, holder->member.id, -taken, 0, now);
            result.effects.push_back(core::Effect{core::EffectKind::kReversePoints,
                                                  std::string(core::kBlindReturnRuleId), rules.version, -taken,
                                                  core::receipt_line(core::phrase(core::Phrase::kReturned, language),
                                                                     core::points_text(-taken, language)),
                                                  0, taken < worth, 0});
        }
        if (taken < worth) store::add_points_shortfall(sql, holder->member.id, worth - taken);
        result.member = core::MemberSummary{holder->member.id, profile ? core::masked_name(profile->full_name) : "***",
                                            holder->account.tier};
        result.points_earned = -taken;
        result.points_available = available - taken;
        result.points_pending = holder->account.points_pending;
        result.cashback_balance = holder->account.cashback_balance;
        result.receipt_lines = core::receipt_lines_for(result);
        const std::string body = encode(result);
        store::store_answer(sql, *return_id, core::AnswerKind::kCreated, body, std::nullopt, now);
        store::add_event(sql, core::pos_event({core::EventType::kPurchaseReturned, terminal.program_id, request.key,
                                               -request.total, holder->member.id, std::nullopt},
                                              result, now));
        return CommitOutcome{core::AnswerKind::kCreated, body, false};
    });
}

}  // namespace patron::service
