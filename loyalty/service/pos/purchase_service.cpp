#include "loyalty/service/pos/purchase_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "crypto/blind_index.h"
#include "crypto/digest.h"
#include "loyalty/core/card_number.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/ledger.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/service/posting/cashback_postings.h"
#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/service/posting/draw_postings.h"
#include "loyalty/service/posting/fraud_watch.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/service/posting/pos_operations.h"
#include "loyalty/service/posting/quote_holds.h"
#include "loyalty/service/posting/rating_state.h"
#include "loyalty/service/posting/referral_postings.h"
#include "loyalty/service/posting/stamp_postings.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/db/write_batch.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/fraud/fraud_store.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/members/referral_store.h"
#include "loyalty/store/pos/claim_attempt_store.h"
#include "loyalty/store/pos/purchase_store.h"
#include "loyalty/store/pos/quote_hold_store.h"
#include "loyalty/store/pos/return_store.h"
#include "loyalty/store/program/program_store.h"
#include "loyalty/store/program/rule_counter_store.h"
#include "loyalty/store/program/tier_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

struct PointsMoved {
    store::PurchaseBalanceMove account;     // Not yet written: the commit writes it with its answer.
    std::map<std::size_t, long long> lots;  // Effect index -> the lot its points went into.
};

// What the outcome credits the member: a lot of its own for each earning effect, pending while
// the programme holds points or a fraud signal holds hers (until staff review it).
struct Earnings {
    std::vector<std::size_t> effects;  // The earning effects' indices, in order.
    std::vector<Credit> credits;       // One for each.
    bool pending = false;
};

Earnings plan_earnings(const Holder& holder, const core::Outcome& outcome, const core::RuleSet& rules) {
    Earnings earnings;
    earnings.pending = rules.points.hold.count() > 0 || holder.account.fraud_hold.has_value();
    for (std::size_t i = 0; i < outcome.effects.size(); ++i) {
        const core::Effect& effect = outcome.effects[i];
        if (effect.kind != core::EffectKind::kEarnPoints) continue;
        earnings.effects.push_back(i);
        earnings.credits.push_back(Credit{
            core::earn_transfer(holder.member.id, effect.amount, effect.rule_id, effect.rule_version, earnings.pending),
            effect.amount, earnings.pending});
    }
    return earnings;
}

// Earnings written with their purchase (store::insert_purchase_with_credits): the plan, and the
// ids of its transfers and lots.
struct EarningsWritten {
    Earnings plan;
    std::vector<Credited> credited;
};

// Writes what the outcome does to the member's points: the redemption out of the lots that
// expire first, then each earning as a lot of its own (unless they were `written` with the
// purchase), every movement a balanced ledger transfer. The cached balances'
// move to match, with the account's purchase instants (the purchase was received at
// `received_at`), is returned for the caller to write.
PointsMoved apply_points(soci::session& sql, long long program_id, const Holder& holder, long long purchase_id,
                         const core::Outcome& outcome, const core::RuleSet& rules, core::Timestamp received_at,
                         core::Timestamp now, const std::optional<EarningsWritten>& written) {
    const long long member_id = holder.member.id;
    const Posting posting{program_id, member_id, purchase_id, now, holder.account.fraud_hold};
    PointsMoved moved{store::PurchaseBalanceMove{member_id, 0, 0, received_at}, {}};
    long long& available_delta = moved.account.available_delta;
    long long& pending_delta = moved.account.pending_delta;
    if (const long long redeemed = outcome.points_redeemed(); redeemed > 0) {
        debit_lots(sql, posting, core::redeem_transfer(member_id, redeemed, rules.version), redeemed);
        available_delta -= redeemed;
    }
    std::optional<Earnings> planned;
    const Earnings& earnings = written ? written->plan : planned.emplace(plan_earnings(holder, outcome, rules));
    // Every earning's transfer and lot in one round trip (or with the purchase's); then, while the
    // balance was negative, each credit in turn repays it, from its own lot (a member below zero
    // has no other lot with points left, and the purchase's lots expire together, taken in the
    // order they were written).
    const std::vector<Credited> credited =
        written ? written->credited : credit_lots(sql, posting, earnings.credits, rules.points, *rules.time_zone);
    for (std::size_t k = 0; k < earnings.effects.size(); ++k) {
        moved.lots[earnings.effects[k]] = credited.at(k).lot_id;
        const long long amount = earnings.credits[k].points;
        if (!earnings.pending) {
            repay_negative_balance(sql, member_id, credited[k].transfer_id,
                                   holder.account.points_available + available_delta, amount);
        }
        (earnings.pending ? pending_delta : available_delta) += amount;
    }
    return moved;
}

// Adds what the purchase gave to the counters of the rules whose limits need them.
void count_rule_usage(soci::session& sql, long long program_id, long long member_id, const core::LocalPeriods& periods,
                      const core::Outcome& outcome, const core::RuleSet& rules) {
    for (const core::Effect& effect : outcome.effects) {
        if (effect.kind != core::EffectKind::kEarnPoints) continue;
        const auto rule = std::find_if(rules.rules.begin(), rules.rules.end(),
                                       [&](const core::Rule& r) { return r.id == effect.rule_id; });
        if (rule == rules.rules.end()) continue;
        if (rule->limits.per_day || rule->limits.per_month) {
            store::add_member_rule_usage(sql, member_id, rule->id, periods.day, effect.amount);
            store::add_member_rule_usage(sql, member_id, rule->id, periods.month, effect.amount);
        }
        if (rule->limits.budget) store::add_rule_budget_use(sql, program_id, rule->id, effect.amount);
    }
}

// Records the member's eligibility for the rules with a hold-out that were in force for the
// purchase (the first purchase that finds it stays recorded).
void record_rule_exposures(soci::session& sql, long long program_id, long long member_id, long long purchase_id,
                           const core::Outcome& outcome, core::Timestamp now) {
    if (outcome.exposures.empty()) return;
    std::vector<store::CampaignExposure> exposures;
    for (const core::Exposure& exposure : outcome.exposures) {
        exposures.push_back(store::CampaignExposure{exposure.rule_id, exposure.held_out});
    }
    store::record_exposures(sql, program_id, core::CampaignKind::kRule, member_id, exposures, purchase_id, now);
}

// Writes the tier change the outcome holds (an upgrade on this purchase); the new tier.
std::optional<std::string> record_upgrade(soci::session& sql, const Holder& holder, const core::Outcome& outcome,
                                          const core::RuleSet& rules, long long purchase_id, core::Timestamp now) {
    for (const core::Effect& effect : outcome.effects) {
        if (effect.kind != core::EffectKind::kTierChange || !rules.tiers) continue;
        const core::Timestamp secured = core::secured_until(*rules.tiers, now, *rules.time_zone);
        store::record_tier(
            sql,
            store::TierChange{holder.member.id, holder.account.tier, effect.tier, "upgrade", effect.amount, secured,
                              secured + rules.tiers->grace, rules.tiers->version, purchase_id},
            now);
        return effect.tier;
    }
    return std::nullopt;
}

// The till a purchase was rung up at (a referral refuses a friend's purchase at the referrer's till).
struct FriendTill {
    long long store_id = 0;
    std::string terminal;
};

// What credit_member leaves its caller to write.
struct MemberCredited {
    store::PurchaseBalanceMove account;       // The move of the account's points.
    std::vector<core::LotShare> line_points;  // Which line earned which points: what a return of it takes back.
};

// Writes what the outcome gives the member for the purchase received at `received_at` (points into
// lots, rule counters, a tier upgrade; her referral's rewards, when it is her first qualifying
// purchase) and fills the answer's member part and balances; the move of the account's points and
// how each line earned them are returned for the caller to write (a sale's with its lines).
MemberCredited credit_member(soci::session& sql, long long program_id, const Holder& holder,
                             const std::optional<core::MemberProfile>& profile, long long purchase_id,
                             const FriendTill& till, const core::Purchase& purchase, const core::Outcome& outcome,
                             const core::RuleSet& rules, const core::MemberState& state, crypto::RandomSource& random,
                             core::Timestamp received_at, core::Timestamp now,
                             const std::optional<EarningsWritten>& written, core::PurchaseResult& result) {
    const PointsMoved moved =
        apply_points(sql, program_id, holder, purchase_id, outcome, rules, received_at, now, written);
    MemberCredited credited{moved.account, {}};
    for (const core::LineEarning& earning : core::allocate_earnings(purchase, outcome, rules)) {
        credited.line_points.push_back(core::LotShare{moved.lots.at(earning.effect), earning.line, earning.points});
    }
    count_rule_usage(sql, program_id, holder.member.id, core::local_periods(purchase.pos_time), outcome, rules);
    record_rule_exposures(sql, program_id, holder.member.id, purchase_id, outcome, now);
    result.member = core::MemberSummary{holder.member.id, profile ? core::masked_name(profile->full_name) : "***",
                                        holder.account.tier};
    if (const auto upgraded = record_upgrade(sql, holder, outcome, rules, purchase_id, now)) {
        result.member->tier = *upgraded;
    }
    result.points_earned = outcome.points_earned();
    result.points_redeemed = outcome.points_redeemed();
    result.redeemed_value = outcome.redeemed_value();
    result.points_available = holder.account.points_available + moved.account.available_delta;
    result.points_pending = holder.account.points_pending + moved.account.pending_delta;
    const CashbackPosted cashback =
        post_cashback(sql, program_id, holder.member.id, purchase_id, purchase, outcome, rules, now);
    result.cashback_available = holder.account.cashback_balance;
    result.cashback_earned = cashback.earned;
    result.cashback_spent = cashback.spent;
    result.cashback_balance = holder.account.cashback_balance + cashback.earned - cashback.spent;
    result.effects = outcome.effects;
    StampsPosted stamps = post_stamps(sql, program_id, holder.member.id, purchase_id, purchase, result.effects,
                                      moved.lots, rules, state.stamps, random, now);
    result.stamps = std::move(stamps.cards);
    result.coupons_issued = std::move(stamps.issued);
    if (holder.account.referral) {
        // Her account as this purchase left it: a welcome repays only what is still negative.
        store::AccountRecord account = holder.account;
        account.points_available = result.points_available;
        account.points_pending = result.points_pending;
        account.cashback_balance = result.cashback_balance;
        const ReferralPosted referral = reward_friend_purchase(
            sql,
            FriendPurchaseContext{program_id, &account, purchase_id, till.store_id, till.terminal, purchase.total,
                                  received_at, &rules.points, rules.time_zone.get(), rules.language, purchase.currency},
            now);
        result.points_available += referral.points_available_delta;
        result.points_pending += referral.points_pending_delta;
        result.cashback_balance += referral.cashback_delta;
        std::ranges::copy(referral.effects, std::back_inserter(result.effects));
    }
    std::ranges::copy(enter_purchase_in_draws(
                          sql,
                          DrawPurchaseContext{program_id, holder.member.id, holder.account.tier, purchase.key.store,
                                              purchase_id, purchase.pos_time.utc, core::draw_basket(purchase),
                                              rules.language, holder.draws_read, holder.last_draw_close},
                          now),
                      std::back_inserter(result.effects));
    return credited;
}

// The presented coupons read (locked for a commit) and priced for this basket and member.
struct PricedCoupons {
    CouponBasket basket;
    std::vector<core::CouponDiscount> discounts;
};

core::Result<PricedCoupons> price_presented_coupons(soci::session& sql, long long program_id,
                                                    const std::optional<Holder>& holder, const core::Purchase& purchase,
                                                    const core::MemberState& member, core::Language language,
                                                    bool lock) {
    PricedCoupons priced;
    if (purchase.coupons.empty()) return priced;
    const std::optional<long long> member_id = holder ? std::optional(holder->member.id) : std::nullopt;
    priced.basket = load_coupons(sql, program_id, member_id, purchase.coupons, lock);
    auto discounts = core::price_coupons(purchase, priced.basket.presented,
                                         coupon_member(sql, member_id, member, priced.basket), language);
    if (!discounts) return std::unexpected(discounts.error());
    priced.discounts = std::move(*discounts);
    return priced;
}

// The coupon lines of an anonymous basket's answer (a member's come with all their effects).
std::vector<core::Effect> coupon_effects(const core::Outcome& outcome) {
    std::vector<core::Effect> effects;
    for (const core::Effect& effect : outcome.effects) {
        if (effect.kind == core::EffectKind::kCouponDiscount) effects.push_back(effect);
    }
    return effects;
}

// What a purchase must be before anything is read: the terminal's own, with tenders Patron takes.
core::Result<void> check_purchase(const TerminalIdentity& terminal, const core::Purchase& purchase) {
    if (auto owned = check_terminal_owns(terminal, purchase.key, purchase.currency); !owned) return owned;
    if (purchase.spend_cashback > 0 && !purchase.card) {
        return fail(ErrorCode::kValidationFailed, "paying with cashback needs the member's card", "spend_cashback");
    }
    if (purchase.redeem_points > 0 && !purchase.card) {
        return fail(ErrorCode::kValidationFailed, "paying with points needs the member's card", "redeem_points");
    }
    if (purchase.card && !core::is_valid_card_number(*purchase.card)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "card");
    }
    return {};
}

}  // namespace

PurchaseService::PurchaseService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                 crypto::RandomSource& random, const FeedbackLinks& links)
    : database_(database), keys_(keys), clock_(clock), random_(random), links_(links) {}

core::Result<CommitOutcome> PurchaseService::commit(const TerminalIdentity& terminal, const core::Purchase& purchase,
                                                    const crypto::Bytes& request_sha256, const AnswerEncoder& encode,
                                                    const std::optional<std::string>& idempotency_key,
                                                    const TerminalNonce* nonce) {
    if (auto checked = check_purchase(terminal, purchase); !checked) return std::unexpected(checked.error());
    const auto work = [&](soci::session& sql) -> core::Result<CommitOutcome> {
        // The rows nothing here reads again (lines with their points, ledger entries, the answer and the
        // account's move) go with the COMMIT, in its round trip.
        store::defer_writes(sql);
        const core::Timestamp now = clock_.now();
        // The transaction's BEGIN goes with its first statement: the nonce's, when it has one.
        // Nothing may reach the database before it (Begin::kWithFirstStatements).
        if (nonce) {
            if (auto claimed = claim_nonce(sql, *nonce, now); !claimed) return std::unexpected(claimed.error());
        } else {
            store::send_pending_begin(sql);
        }
        std::optional<Holder> holder;
        if (purchase.card) {
            auto locked =
                lock_holder(sql, terminal.program_id, *purchase.card, true, purchase.pos_time.utc, &rule_sets_);
            if (!locked) return std::unexpected(locked.error());
            holder = std::move(*locked);
            lock_referrer(sql, holder->account);
        }
        // A receipt (or Idempotency-Key) committed before is found by the purchase's own insert,
        // not by a read ahead of it; a refusal on the way there looks for it first, so that a
        // retry is answered as before whatever changed since (the coupon it used, say).
        const auto refuse = [&](const core::Error& error) -> core::Result<CommitOutcome> {
            if (auto earlier = earlier_answer(sql, terminal, purchase.key, idempotency_key, request_sha256)) {
                return *earlier;
            }
            return std::unexpected(error);
        };
        const auto cached_rules = rule_sets_.in_force(sql, terminal.program_id, purchase.pos_time.utc,
                                                      holder && holder->policies ? &*holder->policies : nullptr);
        if (!cached_rules) return refuse(cached_rules.error());
        const core::RuleSet* rules = cached_rules->get();

        std::optional<NamedHold> named;
        if (purchase.quote_id) {
            named = holder ? named_hold(store::find_quote_hold(sql, *purchase.quote_id, true), terminal.store_id,
                                        holder->member.id, now)
                           : NamedHold{std::nullopt, false, {"the purchase names no member"}};
        }
        const std::optional<core::MemberProfile> profile = holder ? open_profile(keys_, holder->member) : std::nullopt;
        RatingState rating = rating_state(sql, terminal.program_id, holder, profile, purchase, *rules, now);
        if (holder && purchase.redeem_points > 0) {
            // Points other quotes hold are not this purchase's to spend; its own quote's are.
            rating.member.points_available -= store::held_points(
                sql, holder->member.id, now, named && named->live ? *purchase.quote_id : std::string());
        }
        const core::MemberState& state = rating.member;
        const core::RuleCounters& counters = rating.counters;
        const auto coupons =
            price_presented_coupons(sql, terminal.program_id, holder, purchase, state, rules->language, true);
        if (!coupons) return refuse(coupons.error());
        const auto outcome = core::evaluate(purchase, state, *rules, now, counters, coupons->discounts);
        if (!outcome) return refuse(outcome.error());
        // Anonymous purchases earn nothing until a member claims them.
        const long long points = holder ? outcome->points_earned() : 0;

        store::PurchaseRecord record;
        record.program_id = terminal.program_id;
        record.store_id = terminal.store_id;
        record.member_id = holder ? std::optional(holder->member.id) : std::nullopt;
        record.card_number = purchase.card;
        record.rule_set_version = rules->version;
        record.points_earned = points;
        record.request_sha256 = request_sha256;
        record.points_redeemed = holder ? outcome->points_redeemed() : 0;
        record.redeemed_value = holder ? outcome->redeemed_value() : 0;
        record.idempotency_key = idempotency_key;
        // Her earnings go with the purchase's own INSERT, in its round trip, unless a fraud watch,
        // which reads the purchase, may yet hold her points, or she spends points, which are taken
        // from her lots first.
        const bool watched = holder && holder->policies && holder->policies->fraud_policy_version > 0;
        std::optional<EarningsWritten> earnings;
        std::vector<store::NewCredit> with_purchase;
        if (holder && !watched && outcome->points_redeemed() == 0) {
            earnings = EarningsWritten{plan_earnings(*holder, *outcome, *rules), {}};
            with_purchase = new_credits(holder->member.id, now, holder->account.fraud_hold, earnings->plan.credits,
                                        rules->points, *rules->time_zone);
        }
        const auto written = store::insert_purchase_with_credits(sql, purchase, record, now, with_purchase, now);
        if (!written) {
            // Committed before, or by a concurrent commit that won the race: answer as it did.
            return refuse(core::Error{ErrorCode::kUnavailable, "the receipt is being committed; try again", ""});
        }
        const std::optional<long long> purchase_id = written->purchase_id;
        if (earnings) earnings->credited = credited_as(written->credits);
        if (watched) {
            const auto policy =
                rule_sets_.fraud_policy(sql, terminal.program_id, holder->policies->fraud_policy_version);
            if (!policy) return std::unexpected(policy.error());
            if (*policy) {
                holder->account.fraud_hold =
                    watch_card_purchase(sql, **policy, *holder,
                                        CardPurchase{terminal.program_id, terminal.store_id, terminal.store_code,
                                                     *purchase_id, *purchase.card, purchase.pos_time.utc,
                                                     outcome->points_redeemed(), outcome->cashback_spent()},
                                        now);
            }
        }
        record_coupon_redemptions(sql, coupons->basket, coupons->discounts,
                                  holder ? std::optional(holder->member.id) : std::nullopt, *purchase_id, now);

        core::PurchaseResult result;
        std::optional<store::PurchaseBalanceMove> moved;
        std::vector<core::LotShare> line_points;
        result.purchase_id = *purchase_id;
        result.currency = purchase.currency;
        result.language = rules->language;
        result.coupons_redeemed = coupons->discounts;
        if (holder) {
            MemberCredited credited = credit_member(sql, terminal.program_id, *holder, profile, *purchase_id,
                                                    FriendTill{terminal.store_id, purchase.key.terminal}, purchase,
                                                    *outcome, *rules, state, random_, now, now, earnings, result);
            moved = credited.account;
            line_points = std::move(credited.line_points);
        } else {
            result.effects = coupon_effects(*outcome);
            if (rules->points.claim_window.count() > 0) {
                result.claim = core::ClaimInvitation{purchase.key, purchase.total};
            }
        }
        // The lines once rated: the points each earned go in their INSERT.
        store::insert_purchase_lines(sql, *purchase_id, purchase.lines, line_points);
        if (named) {
            if (named->live) store::use_quote_hold(sql, *purchase.quote_id, *purchase_id);
            result.quote_check = check_against_quote(*purchase.quote_id, *named, purchase, result, rules->version,
                                                     holder ? holder->account.tier : std::string());
        }
        if (const std::chrono::seconds window = rules->points.feedback_window; window.count() > 0) {
            result.feedback = links_.invite(*purchase_id, now + window);
            result.feedback_invited = true;
        }
        result.receipt_lines = core::receipt_lines_for(result);
        const std::string body = encode(result);
        store::store_answer(sql, *purchase_id, core::AnswerKind::kCreated, body, moved, now);
        const core::PosChange change{core::EventType::kPurchaseCommitted,
                                     terminal.program_id,
                                     purchase.key,
                                     purchase.total,
                                     record.member_id,
                                     std::nullopt};
        std::vector<core::Event> events{core::pos_event(change, result, now)};
        std::ranges::move(
            core::purchase_follow_on_events(change, result, holder ? holder->account.tier : std::string(), now),
            std::back_inserter(events));
        store::add_events(sql, events);
        return CommitOutcome{core::AnswerKind::kCreated, body, false};
    };
    return database_.transact_for<CommitOutcome>(work, store::Begin::kWithFirstStatements);
}

core::Result<ReleasedQuote> PurchaseService::release_quote(const TerminalIdentity& terminal,
                                                           const std::string& quote_id) {
    return database_.transact_for<ReleasedQuote>([&](soci::session& sql) -> core::Result<ReleasedQuote> {
        const auto hold = store::find_quote_hold(sql, quote_id, true);
        if (!hold || hold->store_id != terminal.store_id) {
            return core::fail(core::ErrorCode::kNotFound, "no quote with this id at this store", "quote_id");
        }
        store::end_quote_hold(sql, quote_id, clock_.now());  // Already ended: releasing again is harmless.
        return ReleasedQuote{quote_id, hold->points, hold->used_by_purchase_id.has_value()};
    });
}

core::Result<core::PurchaseResult> PurchaseService::quote(const TerminalIdentity& terminal,
                                                          const core::Purchase& purchase) {
    if (auto checked = check_purchase(terminal, purchase); !checked) return std::unexpected(checked.error());
    if (purchase.hold && !purchase.card) {
        return fail(ErrorCode::kValidationFailed, "a hold needs the member's card", "hold");
    }
    const auto work = [&](soci::session& sql) -> core::Result<core::PurchaseResult> {
        const core::Timestamp now = clock_.now();
        std::optional<Holder> holder;
        if (purchase.card) {
            // A hold is placed under the account's lock, like a commit's spend.
            auto found = lock_holder(sql, terminal.program_id, *purchase.card, purchase.hold, purchase.pos_time.utc,
                                     &rule_sets_);
            if (!found) return std::unexpected(found.error());
            holder = std::move(*found);
        }
        const auto cached_rules = rule_sets_.in_force(sql, terminal.program_id, purchase.pos_time.utc,
                                                      holder && holder->policies ? &*holder->policies : nullptr);
        if (!cached_rules) return std::unexpected(cached_rules.error());
        const core::RuleSet& rules = **cached_rules;
        if (purchase.hold && rules.points.quote_hold.count() == 0) {
            return fail(ErrorCode::kNotAvailable, "this program does not hold points for quotes", "hold");
        }
        const std::optional<core::MemberProfile> profile = holder ? open_profile(keys_, holder->member) : std::nullopt;
        RatingState rating = rating_state(sql, terminal.program_id, holder, profile, purchase, rules, now);
        // Points quotes hold are not this basket's to spend (only a redemption spends them).
        if (holder && purchase.redeem_points > 0) {
            rating.member.points_available -= store::held_points(sql, holder->member.id, now);
        }
        const auto coupons =
            price_presented_coupons(sql, terminal.program_id, holder, purchase, rating.member, rules.language, false);
        if (!coupons) return std::unexpected(coupons.error());
        const auto outcome = core::evaluate(purchase, rating.member, rules, now, rating.counters, coupons->discounts);
        if (!outcome) return std::unexpected(outcome.error());

        core::PurchaseResult result;
        result.quote = true;
        result.currency = purchase.currency;
        result.language = rules.language;
        result.coupons_redeemed = coupons->discounts;
        result.effects = coupon_effects(*outcome);
        if (holder) {
            const bool pending = rules.points.hold.count() > 0 || holder->account.fraud_hold.has_value();
            result.member = core::MemberSummary{
                holder->member.id, profile ? core::masked_name(profile->full_name) : "***", holder->account.tier};
            for (const core::Effect& effect : outcome->effects) {
                if (effect.kind == core::EffectKind::kTierChange) result.member->tier = effect.tier;
            }
            result.points_earned = outcome->points_earned();
            result.points_redeemed = outcome->points_redeemed();
            result.redeemed_value = outcome->redeemed_value();
            result.points_available =
                holder->account.points_available - result.points_redeemed + (pending ? 0 : result.points_earned);
            result.points_pending = holder->account.points_pending + (pending ? result.points_earned : 0);
            result.cashback_available = holder->account.cashback_balance;
            result.cashback_earned = outcome->cashback_earned();
            result.cashback_spent = outcome->cashback_spent();
            result.cashback_balance = holder->account.cashback_balance + result.cashback_earned - result.cashback_spent;
            result.effects = outcome->effects;
            result.stamps = core::stamp_summaries(outcome->effects, rules);
        }
        if (purchase.hold) {
            const store::QuoteHold hold{
                "q_" + random_.token_hex(12), terminal.program_id,           terminal.store_id, holder->member.id,
                result.points_redeemed,       result.points_earned,          rules.version,     holder->account.tier,
                basket_digest(purchase),      now + rules.points.quote_hold, std::nullopt};
            store::insert_quote_hold(sql, hold, now);
            // The hold is decided under the account's lock and writes no balance (docs/cluster.md).
            store::mark_account_written(sql, holder->member.id);
            result.hold = core::QuoteHoldSummary{hold.quote_id, hold.points, hold.expires_at};
        }
        result.feedback_invited = rules.points.feedback_window.count() > 0;
        result.receipt_lines = core::receipt_lines_for(result);
        return result;
    };
    return purchase.hold ? database_.transact_for<core::PurchaseResult>(work)
                         : database_.run_for<core::PurchaseResult>(work);
}

core::Result<CommitOutcome> PurchaseService::status(const TerminalIdentity& terminal, const core::ReceiptKey& key) {
    if (key.store != terminal.store_code) {
        return fail(ErrorCode::kStoreMismatch, "this terminal belongs to store " + terminal.store_code, "store");
    }
    return database_.run_for<CommitOutcome>([&](soci::session& sql) -> core::Result<CommitOutcome> {
        auto stored = store::find_answer_by_receipt(sql, terminal.store_id, key);
        if (!stored || !stored->kind) {
            return fail(ErrorCode::kReceiptNotFound, "no purchase, return or void with this receipt", "receipt");
        }
        return replayed(*stored);
    });
}

core::Result<CommitOutcome> PurchaseService::claim(const StaffIdentity& staff, long long member_id,
                                                   const core::ReceiptKey& receipt, std::optional<std::int64_t> total,
                                                   const AnswerEncoder& encode) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport})) {
        return fail(ErrorCode::kForbidden, "only admin and support staff claim purchases for members");
    }
    return claim_for(staff.program_id, member_id, &staff, std::nullopt, receipt, total, encode);
}

core::Result<CommitOutcome> PurchaseService::claim(const MemberIdentity& member, const core::ReceiptKey& receipt,
                                                   std::int64_t total, std::string_view address,
                                                   const AnswerEncoder& encode) {
    const core::Timestamp now = clock_.now();
    const std::optional<std::string> address_key =
        address.empty() ? std::nullopt
                        : std::optional(crypto::to_hex(crypto::blind_index(keys_, "claim_address", address)));
    long long failures = 0;
    auto counted = database_.run([&](soci::session& sql) -> core::Result<void> {
        failures = store::count_failed_claims(sql, member.member_id, now - std::chrono::hours(24));
        return {};
    });
    if (!counted) return std::unexpected(counted.error());
    if (failures >= kMemberClaimFailuresMax) {
        return fail(ErrorCode::kTooManyAttempts,
                    "too many receipts that could not be claimed today; try again tomorrow or ask at the store");
    }
    auto claimed = claim_for(member.program_id, member.member_id, nullptr, address_key, receipt, total, encode);
    if (!claimed && claimed.error().code != ErrorCode::kUnavailable && claimed.error().code != ErrorCode::kInternal) {
        // The failure is recorded, and watched, under her account's lock, as a credited claim is.
        auto noted = database_.transact([&](soci::session& sql) -> core::Result<void> {
            const auto account = store::find_account(sql, member.member_id, true);
            if (!account) return {};
            // Her own receipt claimed again (a double tap, a retry) is no guess at others'.
            const auto sought = store::find_purchase_by_receipt(sql, member.program_id, receipt);
            if (sought && sought->member_id == member.member_id) return {};
            store::insert_failed_claim(sql, member.member_id, address_key, now);
            const auto policy = store::find_fraud_policy(sql, member.program_id);
            if (!policy) return std::unexpected(policy.error());
            watch_claim(sql, *policy, account->fraud_hold,
                        WatchedClaim{member.program_id,
                                     store::PurchaseClaim{0, member.member_id, 0, receipt.terminal, address_key}, false,
                                     receipt.store},
                        now);
            return {};
        });
        if (!noted) return std::unexpected(noted.error());
    }
    return claimed;
}

core::Result<CommitOutcome> PurchaseService::claim_for(long long program_id, long long member_id,
                                                       const StaffIdentity* staff,
                                                       const std::optional<std::string>& address_key,
                                                       const core::ReceiptKey& receipt,
                                                       std::optional<std::int64_t> total, const AnswerEncoder& encode) {
    return database_.transact_for<CommitOutcome>([&](soci::session& sql) -> core::Result<CommitOutcome> {
        const core::Timestamp now = clock_.now();
        const auto member = store::find_member(sql, member_id);
        const auto account = store::find_account(sql, member_id, true);
        if (!member || !account || member->program_id != program_id || member->status != core::MemberStatus::kActive) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        const auto original = store::find_purchase_by_receipt(sql, program_id, receipt);
        if (!original || original->kind != "purchase" || (total && *total != original->total)) {
            return fail(ErrorCode::kReceiptNotFound, "no purchase with this receipt in this program", "receipt");
        }
        store::lock_purchase(sql, original->id);
        const auto claimed = store::find_purchase_by_receipt(sql, program_id, receipt);  // Under the lock.
        if (claimed->member_id) {
            if (claimed->member_id == member_id) {
                return fail(ErrorCode::kAlreadyClaimed, "this purchase is already the member's", "receipt");
            }
            // Only staff learn that it is someone else's: a member is not told whose receipts exist.
            return fail(ErrorCode::kAlreadyClaimed,
                        staff ? "this purchase belongs to another member" : "this purchase was already credited",
                        "receipt");
        }
        const core::PointsPolicy policy = store::find_points_policy(sql, program_id);
        if (now - original->received_at > policy.claim_window) {
            return fail(
                ErrorCode::kClaimWindowClosed,
                "purchases can be claimed within " + std::to_string(policy.claim_window.count() / 86400) + " days",
                "receipt");
        }
        core::Purchase purchase{};
        purchase.key = receipt;
        purchase.pos_time = original->pos_time;
        purchase.currency = *core::find_currency(original->currency);
        purchase.total = original->total;
        purchase.lines = store::purchase_lines(sql, original->id);
        if (original->voided || store::has_returns(sql, original->id)) {
            return fail(ErrorCode::kNotAvailable, "a purchase with returns or a void cannot be claimed", "receipt");
        }
        const auto cached_rules = rule_sets_.in_force(sql, program_id, purchase.pos_time.utc);
        if (!cached_rules) return std::unexpected(cached_rules.error());
        const core::RuleSet& rules = **cached_rules;
        Holder holder{*member, *account};
        // A purchase past her days stops her account naming a pending referral; a receipt claimed
        // now may still be from within them.
        if (!holder.account.referral) {
            const auto referral = store::referral_of_friend(sql, member_id, false);
            if (referral && referral->state == store::ReferralState::kPending) holder.account.referral = referral->id;
        }
        lock_referrer(sql, holder.account);
        // Recorded and watched before her points are posted: a signal it raises holds them. The
        // till by its own codes: a claim may spell them in another case.
        const store::PurchaseTill till = store::purchase_till(sql, original->id);
        const store::PurchaseClaim recorded{original->id, member_id, original->store_id, till.terminal, address_key};
        store::insert_purchase_claim(sql, recorded, now);
        const auto fraud = store::find_fraud_policy(sql, program_id);
        if (!fraud) return std::unexpected(fraud.error());
        holder.account.fraud_hold = watch_claim(sql, *fraud, holder.account.fraud_hold,
                                                WatchedClaim{program_id, recorded, true, till.store}, now);
        const std::optional<core::MemberProfile> profile = open_profile(keys_, holder.member);
        const RatingState rating = rating_state(sql, program_id, holder, profile, purchase, rules, now);
        const auto outcome = core::evaluate(purchase, rating.member, rules, now, rating.counters);
        if (!outcome) return std::unexpected(outcome.error());

        core::PurchaseResult result;
        result.purchase_id = original->id;
        result.currency = purchase.currency;
        result.language = rules.language;
        const MemberCredited credited = credit_member(
            sql, program_id, holder, profile, original->id, FriendTill{original->store_id, till.terminal}, purchase,
            *outcome, rules, rating.member, random_, original->received_at, now, std::nullopt, result);
        store::set_line_points(sql, original->id, credited.line_points);
        store::adjust_points_for_purchase(sql, credited.account, now);
        store::assign_purchase(sql, original->id, member_id, rules.version, result.points_earned);
        store::insert_audit(sql, keys_,
                            {program_id, staff ? audit_actor(*staff) : store::AuditActor{store::kMemberActor},
                             core::AuditAction::kPurchaseClaim, "purchase", original->id, "member_id", member_id},
                            now);
        result.receipt_lines = core::receipt_lines_for(result);
        const core::PosChange change{
            core::EventType::kPurchaseClaimed, program_id, receipt, original->total, member_id, std::nullopt};
        std::vector<core::Event> events{core::pos_event(change, result, now)};
        std::ranges::move(core::purchase_follow_on_events(change, result, holder.account.tier, now),
                          std::back_inserter(events));
        store::add_events(sql, events);
        return CommitOutcome{core::AnswerKind::kCreated, encode(result), false};
    });
}

}  // namespace patron::service
