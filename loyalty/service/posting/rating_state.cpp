#include "loyalty/service/posting/rating_state.h"

#include "loyalty/core/tenure.h"
#include "loyalty/service/posting/holdout_assignment.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/ledger/stamp_store.h"
#include "loyalty/store/pos/purchase_store.h"
#include "loyalty/store/program/rule_counter_store.h"
#include "loyalty/store/program/tier_store.h"

namespace patron::service {
namespace {

// What each rule gave the member today and this month (the POS's local periods).
std::map<std::string, core::RuleUsage> rule_usage(soci::session& sql, long long member_id,
                                                  const core::LocalPeriods& periods) {
    std::map<std::string, core::RuleUsage> usage;
    for (const auto& [rule_id, by_period] : store::member_rule_usage(sql, member_id, {periods.day, periods.month})) {
        const auto points_in = [&](const std::string& period) {
            const auto it = by_period.find(period);
            return it == by_period.end() ? 0LL : it->second;
        };
        usage[rule_id] = core::RuleUsage{points_in(periods.day), points_in(periods.month)};
    }
    return usage;
}

std::vector<std::string> budgeted_rules(const core::RuleSet& rules) {
    std::vector<std::string> ids;
    for (const core::Rule& rule : rules.rules) {
        if (rule.limits.budget) ids.push_back(rule.id);
    }
    for (const core::CashbackRule& rule : rules.cashback) {
        if (rule.budget) ids.push_back(rule.id);
    }
    return ids;
}

// What the engine may know of the member: balance, tier, birth month, earlier purchases.
core::MemberState member_state(const std::optional<Holder>& holder, const std::optional<core::MemberProfile>& profile) {
    core::MemberState state;
    state.identified = holder.has_value();
    if (!holder) return state;
    state.points_available = holder->account.points_available;
    state.cashback_available = holder->account.cashback_balance;
    state.tier = holder->account.tier;
    if (profile && profile->birth_date) state.birth_month = static_cast<unsigned>(profile->birth_date->month());
    // Only whether there was one matters (a first purchase's scope), and the account knows it.
    state.purchases_before = holder->account.has_purchased ? 1 : 0;
    return state;
}

bool uses_tenure(const core::RuleSet& rules) {
    return std::ranges::any_of(rules.rules, [](const core::Rule& rule) {
        return rule.scope.tenure.has_value() || !rule.tenure_percent.empty();
    });
}

}  // namespace

RatingState rating_state(soci::session& sql, long long program_id, const std::optional<Holder>& holder,
                         const std::optional<core::MemberProfile>& profile, const core::Purchase& purchase,
                         const core::RuleSet& rules, core::Timestamp now) {
    RatingState rating;
    rating.member = member_state(holder, profile);
    // Anonymous purchases give nothing, so only a member's purchase counts against limits and tiers.
    if (!holder) return rating;
    rating.member.held_out = held_out_rules(rules, holder->member.id);
    if (uses_tenure(rules)) {
        // On the till's day, as the rules apply, in the programme's zone and calendar.
        rating.member.tenure_years = core::tenure_years(core::local_date(*rules.time_zone, holder->member.created_at),
                                                        core::local_date(*rules.time_zone, purchase.pos_time.utc),
                                                        core::calendar_of(rules.language));
    }
    if (rules.tiers && !rules.tiers->empty()) {
        // Everything recorded so far counts: up to the later of the till's and the server's clock.
        const core::Timestamp end = std::max(now, purchase.pos_time.utc) + std::chrono::microseconds(1);
        rating.member.tier_progress = store::tier_measure(sql, holder->member.id, rules.tiers->measure,
                                                          core::measuring_window(*rules.tiers, end, *rules.time_zone));
    }
    if (!rules.stamp_cards.empty()) rating.member.stamps = store::stamp_progress(sql, holder->member.id);
    // One read of the member's materialised segments, only when a scope names one; the engine
    // judges every scope in memory.
    if (!core::scoped_segments(rules).empty()) {
        rating.member.segments = store::member_segment_codes(sql, holder->member.id);
        rating.member.segments_read = true;
    }
    // The counters of day and month are read only when a rule (of points or cashback) has such a limit.
    const bool periods_limited =
        std::ranges::any_of(rules.rules,
                            [](const core::Rule& rule) { return rule.limits.per_day || rule.limits.per_month; }) ||
        std::ranges::any_of(rules.cashback,
                            [](const core::CashbackRule& rule) { return rule.per_day || rule.per_month; });
    if (periods_limited) {
        rating.member.usage = rule_usage(sql, holder->member.id, core::local_periods(purchase.pos_time));
    }
    for (const auto& [rule_id, used] : store::lock_rule_budgets(sql, program_id, budgeted_rules(rules))) {
        rating.counters.budget_used[rule_id] = used;
    }
    return rating;
}

}  // namespace patron::service
