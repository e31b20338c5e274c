#include "loyalty/core/backtest.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/reward_rule_ids.h"
#include "loyalty/core/stamps.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr int kDefaultDays = 30;

// A coupon's effects (coupon_rule_id) are the campaign's, never a rule's.
bool is_coupon(const std::string& rule_id) { return coupon_of_rule_id(rule_id).has_value(); }

// What one purchase's outcome under the draft gave, by rule. Coupons are not the draft's: skipped.
std::map<std::pair<BacktestRuleKind, std::string>, RewardFigures> given_by_draft(const Outcome& outcome) {
    std::map<std::pair<BacktestRuleKind, std::string>, RewardFigures> given;
    for (const Effect& effect : outcome.effects) {
        const auto card = rewarded_card(effect);
        switch (effect.kind) {
            case EffectKind::kEarnPoints:
                if (is_coupon(effect.rule_id)) break;
                if (card) {
                    RewardFigures& figures = given[{BacktestRuleKind::kStampCard, *card}];
                    figures.points += effect.amount;
                    ++figures.stamp_rewards;
                } else {
                    given[{BacktestRuleKind::kPoints, effect.rule_id}].points += effect.amount;
                }
                break;
            case EffectKind::kStampReward:
                ++given[{BacktestRuleKind::kStampCard, *card}].stamp_rewards;
                break;
            case EffectKind::kEarnCashback:
                if (card) {
                    RewardFigures& figures = given[{BacktestRuleKind::kStampCard, *card}];
                    figures.cashback += effect.amount;
                    ++figures.stamp_rewards;
                } else {
                    given[{BacktestRuleKind::kCashback, effect.rule_id}].cashback += effect.amount;
                }
                break;
            case EffectKind::kStamps:
                given[{BacktestRuleKind::kStampCard, effect.rule_id}].stamps += effect.amount;
                break;
            default:
                break;
        }
    }
    return given;
}

// The same for what the published rules gave at the till.
std::map<std::pair<BacktestRuleKind, std::string>, RewardFigures> given_at_till(const GivenRewards& rewards) {
    std::map<std::pair<BacktestRuleKind, std::string>, RewardFigures> given;
    for (const auto& [rule_id, points] : rewards.points) {
        if (is_coupon(rule_id)) continue;
        if (const auto card = stamp_card_of_rule_id(rule_id)) {
            given[{BacktestRuleKind::kStampCard, *card}].points += points;
        } else {
            given[{BacktestRuleKind::kPoints, rule_id}].points += points;
        }
    }
    for (const auto& [rule_id, amount] : rewards.cashback) {
        const auto card = stamp_card_of_rule_id(rule_id);
        given[{card ? BacktestRuleKind::kStampCard : BacktestRuleKind::kCashback, card.value_or(rule_id)}].cashback +=
            amount;
    }
    for (const auto& [card_id, stamps] : rewards.stamps)
        given[{BacktestRuleKind::kStampCard, card_id}].stamps += stamps;
    for (const auto& [card_id, count] : rewards.rewards) {
        given[{BacktestRuleKind::kStampCard, card_id}].stamp_rewards += count;
    }
    return given;
}

bool anything(const RewardFigures& figures) {
    return figures.points != 0 || figures.cashback != 0 || figures.stamps != 0 || figures.stamp_rewards != 0;
}

void add(RewardFigures& sum, const RewardFigures& more) {
    sum.points += more.points;
    sum.cashback += more.cashback;
    sum.stamps += more.stamps;
    sum.stamp_rewards += more.stamp_rewards;
}

// Whether the rule's per-day or per-month cap counts what it gives (the till counts only those).
bool capped_per_period(const RuleSet& rules, BacktestRuleKind source, const std::string& id) {
    if (source == BacktestRuleKind::kPoints) {
        const auto rule =
            std::find_if(rules.rules.begin(), rules.rules.end(), [&](const Rule& r) { return r.id == id; });
        return rule != rules.rules.end() && (rule->limits.per_day || rule->limits.per_month);
    }
    const auto rule =
        std::find_if(rules.cashback.begin(), rules.cashback.end(), [&](const CashbackRule& r) { return r.id == id; });
    return rule != rules.cashback.end() && (rule->per_day || rule->per_month);
}

bool budgeted(const RuleSet& rules, BacktestRuleKind source, const std::string& id) {
    if (source == BacktestRuleKind::kPoints) {
        const auto rule =
            std::find_if(rules.rules.begin(), rules.rules.end(), [&](const Rule& r) { return r.id == id; });
        return rule != rules.rules.end() && rule->limits.budget.has_value();
    }
    const auto rule =
        std::find_if(rules.cashback.begin(), rules.cashback.end(), [&](const CashbackRule& r) { return r.id == id; });
    return rule != rules.cashback.end() && rule->budget.has_value();
}

json figures_json(const RewardFigures& figures, std::int64_t point_value_minor) {
    return {{"points", figures.points},
            {"points_value", figures.points * point_value_minor},
            {"cashback", figures.cashback},
            {"stamps", figures.stamps},
            {"stamp_rewards", figures.stamp_rewards},
            {"purchases", figures.purchases},
            {"members", figures.members}};
}

RewardFigures difference(const RewardFigures& draft, const RewardFigures& published) {
    return {draft.points - published.points,       draft.cashback - published.cashback,
            draft.stamps - published.stamps,       draft.stamp_rewards - published.stamp_rewards,
            draft.purchases - published.purchases, draft.members - published.members};
}

json comparison_json(const RewardFigures& draft, const RewardFigures& published, std::int64_t point_value_minor) {
    return {{"draft", figures_json(draft, point_value_minor)},
            {"published", figures_json(published, point_value_minor)},
            {"difference", figures_json(difference(draft, published), point_value_minor)}};
}

}  // namespace

Result<BacktestWindow> backtest_window(std::optional<LocalDate> from, std::optional<LocalDate> to, LocalDate today,
                                       const TimeZone& zone) {
    const LocalDate last = to.value_or(add_days(today, -1));
    const LocalDate first = from.value_or(add_days(last, 1 - kDefaultDays));
    if (std::chrono::sys_days(last) > std::chrono::sys_days(today)) {
        return fail(ErrorCode::kValidationFailed, "must not lie in the future (today is " + format_date(today) + ")",
                    "to");
    }
    if (std::chrono::sys_days(first) > std::chrono::sys_days(last)) {
        return fail(ErrorCode::kValidationFailed, "must not be after to (" + format_date(last) + ")", "from");
    }
    if ((std::chrono::sys_days(last) - std::chrono::sys_days(first)).count() + 1 > kBacktestDaysMax) {
        return fail(ErrorCode::kValidationFailed,
                    "a window is at most " + std::to_string(kBacktestDaysMax) + " days long", "from");
    }
    return BacktestWindow{first, last, zone.day_start(first), day_end(zone, last)};
}

std::string tier_at(const std::vector<TierChange>& changes, const std::string& current_tier, std::int64_t purchase_id,
                    Timestamp committed_at) {
    for (const TierChange& change : changes) {
        if (change.purchase_id == purchase_id || change.at > committed_at) return change.from_tier;
    }
    return current_tier;
}

Backtest::Backtest(RuleSet draft) : draft_(std::move(draft)) {
    if (!draft_.compiled) draft_.compiled = compile_rules(draft_);
    // Tier moves are the tier policy's, not the draft's: every purchase is rated at the tier held.
    draft_.tiers = nullptr;
}

MemberState Backtest::member_state(const PastPurchase& past, MemberTrack& track) const {
    MemberState state;
    state.identified = true;
    state.tier = past.tier;
    state.birth_month = past.birth_month;
    state.tenure_years = past.tenure_years;
    state.purchases_before = past.purchases_before_window + track.rated;
    state.segments = past.segments;
    state.held_out = past.held_out;
    state.stamps = track.stamps;
    const LocalPeriods periods = local_periods(past.purchase.pos_time);
    for (const auto& [rule_id, by_period] : track.usage) {
        const auto in = [&](const std::string& period) {
            const auto it = by_period.find(period);
            return it == by_period.end() ? std::int64_t{0} : it->second;
        };
        state.usage[rule_id] = RuleUsage{in(periods.day), in(periods.month)};
    }
    return state;
}

void Backtest::count_usage(const PastPurchase& past, const Outcome& outcome, MemberTrack& track) {
    const LocalPeriods periods = local_periods(past.purchase.pos_time);
    for (const Effect& effect : outcome.effects) {
        if (effect.kind == EffectKind::kStamps) {
            const auto before = track.stamps.find(effect.rule_id);
            track.stamps[effect.rule_id] =
                progress_after(before == track.stamps.end() ? StampProgress{} : before->second, outcome.effects,
                               effect.rule_id, past.purchase.pos_time.utc);
            continue;
        }
        if (effect.kind != EffectKind::kEarnPoints && effect.kind != EffectKind::kEarnCashback) continue;
        const BacktestRuleKind source =
            effect.kind == EffectKind::kEarnPoints ? BacktestRuleKind::kPoints : BacktestRuleKind::kCashback;
        if (capped_per_period(draft_, source, effect.rule_id)) {
            track.usage[effect.rule_id][periods.day] += effect.amount;
            track.usage[effect.rule_id][periods.month] += effect.amount;
        }
        if (budgeted(draft_, source, effect.rule_id)) counters_.budget_used[effect.rule_id] += effect.amount;
    }
}

void Backtest::tally(Tally& total, std::map<RuleKey, Tally>& by_rule, std::int64_t member_id,
                     const std::map<RuleKey, RewardFigures>& given) {
    RewardFigures sum;
    for (const auto& [key, figures] : given) {
        if (!anything(figures)) continue;
        Tally& rule = by_rule[key];
        add(rule.figures, figures);
        ++rule.figures.purchases;
        rule.members.insert(member_id);
        add(sum, figures);
    }
    add(total.figures, sum);
    if (anything(sum)) {
        ++total.figures.purchases;
        total.members.insert(member_id);
    }
}

void Backtest::rate(const PastPurchase& past) {
    MemberTrack& track = members_[past.member_id];
    std::vector<CouponDiscount> paid = past.coupons;
    if (past.paid_otherwise > 0) {
        // Points and the wallet paid this much at the till: like a discount, it earns nothing.
        paid.push_back(CouponDiscount{"", 0, 0, past.paid_otherwise, 0, ReceiptLine{}});
    }
    const MemberState state = member_state(past, track);
    const auto outcome = evaluate(past.purchase, state, draft_, past.purchase.pos_time.utc, counters_, paid);
    // Without a redemption or a wallet payment to check, evaluate() has nothing to refuse.
    const Outcome rated = outcome ? *outcome : Outcome{};
    count_usage(past, rated, track);
    ++track.rated;
    ++rated_;
    if (past.returned) ++returned_;
    for (const CouponDiscount& coupon : past.coupons) {
        ++coupon_redemptions_;
        coupon_discount_ += coupon.discount;
        coupon_bonus_points_ += coupon.bonus_points;
    }
    tally(draft_total_, draft_rules_, past.member_id, given_by_draft(rated));
    tally(published_total_, published_rules_, past.member_id, given_at_till(past.given));
}

BacktestReport Backtest::report() const {
    BacktestReport report;
    report.rated = rated_;
    report.returned = returned_;
    report.draft = draft_total_.figures;
    report.draft.members = static_cast<std::int64_t>(draft_total_.members.size());
    report.published = published_total_.figures;
    report.published.members = static_cast<std::int64_t>(published_total_.members.size());
    report.coupon_redemptions = coupon_redemptions_;
    report.coupon_discount = coupon_discount_;
    report.coupon_bonus_points = coupon_bonus_points_;
    const auto figures_of = [](const std::map<RuleKey, Tally>& tallies, const RuleKey& key) {
        const auto it = tallies.find(key);
        if (it == tallies.end()) return RewardFigures{};
        RewardFigures figures = it->second.figures;
        figures.members = static_cast<std::int64_t>(it->second.members.size());
        return figures;
    };
    std::set<RuleKey> listed;
    const auto add_rule = [&](const RuleKey& key, const std::string& name, bool in_draft) {
        if (!listed.insert(key).second) return;
        report.rules.push_back(RuleComparison{key.second, key.first, name, in_draft, figures_of(draft_rules_, key),
                                              figures_of(published_rules_, key)});
    };
    for (const Rule& rule : draft_.rules) add_rule({BacktestRuleKind::kPoints, rule.id}, rule.name, true);
    for (const CashbackRule& rule : draft_.cashback) add_rule({BacktestRuleKind::kCashback, rule.id}, rule.name, true);
    for (const StampCard& card : draft_.stamp_cards) add_rule({BacktestRuleKind::kStampCard, card.id}, card.name, true);
    for (const auto& [key, tally] : published_rules_) add_rule(key, "", false);
    return report;
}

std::string_view reward_source_name(BacktestRuleKind source) {
    switch (source) {
        case BacktestRuleKind::kPoints:
            return "points";
        case BacktestRuleKind::kCashback:
            return "cashback";
        case BacktestRuleKind::kStampCard:
            return "stamp_card";
    }
    return "points";
}

json backtest_json(const BacktestReport& report) {
    const std::int64_t value = report.point_value_minor;
    json rules = json::array();
    for (const RuleComparison& rule : report.rules) {
        json entry = comparison_json(rule.draft, rule.published, value);
        entry["id"] = rule.id;
        entry["kind"] = reward_source_name(rule.source);
        entry["name"] = rule.in_draft ? json(rule.name) : json(nullptr);
        entry["in_draft"] = rule.in_draft;
        rules.push_back(std::move(entry));
    }
    return {{"window",
             {{"from", format_date(report.window.from)},
              {"to", format_date(report.window.to)},
              {"time_zone", report.time_zone},
              {"starts_at", format_utc(report.window.starts_at, TimeFormat::kRfc3339)},
              {"ends_at", format_utc(report.window.ends_at, TimeFormat::kRfc3339)}}},
            {"based_on_version", report.based_on_version ? json(*report.based_on_version) : json(nullptr)},
            {"currency", report.currency},
            {"point_value_minor", value},
            {"purchases",
             {{"in_window", report.purchases_in_window},
              {"rated", report.rated},
              {"skipped", {{"anonymous", report.skipped_anonymous}, {"voided", report.skipped_voided}}},
              {"returned", report.returned}}},
            {"totals", comparison_json(report.draft, report.published, value)},
            {"coupons",
             {{"redemptions", report.coupon_redemptions},
              {"discount", report.coupon_discount},
              {"bonus_points", report.coupon_bonus_points}}},
            {"rules", rules}};
}

}  // namespace patron::core
