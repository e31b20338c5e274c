// How fast the pure reward engine rates a basket: evaluate() alone, no I/O, on one core.
// The yardstick is a 20-line basket against 200 published rules (target: under 20 µs).
// Three rule sets of 200, all parsed from JSON as a publish does, since their shape decides the cost:
//   Shared:   every rule applies, all with the same exclusions and multipliers (one basket pass).
//   Mixed:    what a program looks like: rules on 10 categories, SKU multipliers, store and tier
//             scopes, schedules, exclusivity groups, limits; about a third apply to the basket.
//   Distinct: the worst case: every rule applies and each selects the lines differently, so the
//             basket is walked once per rule.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/engine.h"

namespace {

using namespace patron::core;
using nlohmann::json;

constexpr int kCategories = 10;

std::string category(int i) { return "cat-" + std::to_string(i % kCategories); }

Purchase basket(int lines) {
    Purchase purchase{};
    purchase.key.store = "S001";
    purchase.currency = *find_currency("IRR");
    using namespace std::chrono;
    const Timestamp instant = sys_days{2026y / November / 22} + 14h + 30min;
    purchase.pos_time = PosTime{instant, 210};  // Sunday 18:00 in Tehran.
    for (int i = 0; i < lines; ++i) {
        purchase.lines.push_back({i + 1, "SKU-" + std::to_string(i), i % 5 == 0 ? "tobacco" : category(i), 2000, 125000,
                                  250000, i % 4 == 0 ? 10000 : 0});
        purchase.total += purchase.lines.back().net_amount();
    }
    return purchase;
}

RuleSet parsed(const json& document) {
    auto set = parse_rule_set(document, 1);
    if (!set) throw std::runtime_error("bench rule set refused: " + set.error().problems.front().message);
    return *set;
}

json earn_rule(int i) {
    return json{{"id", "rule-" + std::to_string(i)},
                {"name", "Rule " + std::to_string(i)},
                {"points", 1 + i % 3},
                {"per_amount", 10000}};
}

RuleSet shared_rules(int count) {
    json rules = json::array();
    for (int i = 0; i < count; ++i) {
        json rule = earn_rule(i);
        rule["conditions"] = {{"exclude_categories", {"tobacco", "gift_card"}}};
        rule["multipliers"] = {{"categories", {{"cat-1", 1.5}}}, {"tiers", {{"Gold", 2}}}};
        rules.push_back(rule);
    }
    return parsed({{"rules", rules}});
}

json mixed_document(int count) {
    json rules = json::array();
    json groups = json::object();
    for (int i = 0; i < count; ++i) {
        json rule = earn_rule(i);
        rule["priority"] = i % 7;
        switch (i % 8) {
            case 0:  // A category promotion.
                rule["conditions"] = {{"categories", {category(i)}}};
                break;
            case 1:  // Base earning with exclusions and tier multipliers.
                rule["conditions"] = {{"exclude_categories", {"tobacco", "gift_card"}}};
                rule["multipliers"] = {{"tiers", {{"Silver", 1.25}, {"Gold", 2}}}};
                break;
            case 2:  // SKU boosts.
                rule["multipliers"] = {{"skus", {{"SKU-" + std::to_string(i % 20), 3}, {"SKU-99", 2}}}};
                rule["conditions"] = {{"exclude_categories", {"tobacco"}}};
                break;
            case 3:  // Another store's rule.
                rule["scope"] = {{"stores", {"S00" + std::to_string(2 + i % 5)}}};
                break;
            case 4:  // A bonus for a big basket, in an exclusivity group.
                rule = {{"id", "bonus-" + std::to_string(i)},
                        {"name", "Big basket"},
                        {"kind", "bonus"},
                        {"points", 50 + i},
                        {"group", "basket-bonus"},
                        {"conditions", {{"min_amount", 1000000 * (1 + i % 5)}}}};
                groups["basket-bonus"] = "best";
                break;
            case 5:  // Weekday happy hour (not on the basket's Sunday evening).
                rule["schedule"] = {{"days", {"mon", "tue", "wed"}}, {"from", "10:00"}, {"until", "12:00"}};
                break;
            case 6:  // Platinum members only.
                rule["scope"] = {{"tiers", {"Platinum"}}};
                break;
            case 7:  // A capped campaign on two categories.
                rule["conditions"] = {{"categories", {category(i), category(i + 3)}}, {"min_quantity", 2}};
                rule["limits"] = {{"per_purchase", 500}, {"per_day", 1000}, {"budget", 1000000}};
                break;
        }
        rules.push_back(rule);
    }
    return {{"rules", rules}, {"groups", groups}};
}

RuleSet mixed_rules(int count) { return parsed(mixed_document(count)); }

// The Mixed program with 10 cashback rules (percentages, category scopes, caps, a budget, a tier
// and a store scope) and 10 stamp cards (units and visits, some near filling for the member).
RuleSet full_program(int count) {
    json document = mixed_document(count);
    json cashback = json::array();
    json cards = json::array();
    for (int i = 0; i < 10; ++i) {
        json rule = {
            {"id", "cb-" + std::to_string(i)}, {"name", "Cashback " + std::to_string(i)}, {"percent", 1 + i % 4}};
        if (i % 2 == 0) rule["conditions"] = {{"categories", {category(i), category(i + 1)}}};
        if (i % 3 == 0) rule["caps"] = {{"per_purchase", 50000}, {"per_day", 100000}, {"per_month", 400000}};
        if (i == 4) rule["budget"] = 1000000000;
        if (i == 7) rule["scope"] = {{"tiers", {"Gold"}}};
        if (i == 9) rule["scope"] = {{"stores", {"S002"}}};
        cashback.push_back(rule);
        json card = {{"id", "card-" + std::to_string(i)},
                     {"name", "Card " + std::to_string(i)},
                     {"goal", 5 + i},
                     {"reward", i % 2 == 0 ? json{{"points", 100}} : json{{"coupon_campaign", 9}}}};
        if (i % 3 == 0) {
            card["basis"] = "visit";
            card["conditions"] = {{"min_basket", 500000}};
        } else {
            card["conditions"] = {{"categories", {category(i)}}};
        }
        cards.push_back(card);
    }
    document["cashback"] = cashback;
    document["stamp_cards"] = cards;
    return parsed(document);
}

RuleSet distinct_rules(int count) {
    json rules = json::array();
    for (int i = 0; i < count; ++i) {
        json rule = earn_rule(i);
        // Each rule excludes its own pair of SKUs: 200 different ways of selecting lines.
        rule["conditions"] = {{"exclude_categories", {"tobacco"}},
                              {"exclude_skus", {"X-" + std::to_string(i), "SKU-" + std::to_string(i % 20)}}};
        rule["multipliers"] = {{"categories", {{category(i), 1.5}}}};
        rules.push_back(rule);
    }
    return parsed({{"rules", rules}});
}

void run(benchmark::State& state, const RuleSet& set) {
    const Purchase purchase = basket(static_cast<int>(state.range(0)));
    MemberState member;
    member.points_available = 1000;
    member.tier = "Gold";
    std::size_t effects = 0;
    for (auto _ : state) {
        auto outcome = evaluate(purchase, member, set, Timestamp{});
        effects = outcome->effects.size();
        benchmark::DoNotOptimize(outcome);
    }
    state.counters["effects"] = static_cast<double>(effects);
    state.SetItemsProcessed(state.iterations());
}

// Three coupons: a percent off the basket, an amount off coffee (cat-1) and a free item.
struct ThreeCoupons {
    static CouponCampaign campaign(const json& document, std::int64_t id) {
        CouponCampaign made = *parse_coupon_campaign(document);
        made.id = id;
        return made;
    }
    const CouponCampaign percent = campaign({{"name", "10%"}, {"type", "percent_off_basket"}, {"percent", 10}}, 1);
    const CouponCampaign coffee = campaign({{"name", "coffee"},
                                            {"type", "amount_off_items"},
                                            {"amount", 20000},
                                            {"conditions", {{"categories", {"cat-1"}}}}},
                                           2);
    const CouponCampaign free =
        campaign({{"name", "free"}, {"type", "free_item"}, {"conditions", {{"categories", {"cat-2", "cat-3"}}}}}, 3);
    const std::vector<PresentedCoupon> presented = {{"PCT10", &percent}, {"COF20", &coffee}, {"FREE1", &free}};
};

// Prices the three coupons and rates the purchase with them, for a Gold member.
void run_with_coupons(benchmark::State& state, const RuleSet& set, const Purchase& purchase,
                      const MemberState& member) {
    const ThreeCoupons coupons;
    const CouponMember holder{true, 1, "Gold"};
    std::size_t effects = 0;
    for (auto _ : state) {
        const auto priced = price_coupons(purchase, coupons.presented, holder, Language::kEnglish);
        auto outcome = evaluate(purchase, member, set, Timestamp{}, {}, *priced);
        effects = outcome->effects.size();
        benchmark::DoNotOptimize(outcome);
    }
    state.counters["effects"] = static_cast<double>(effects);
    state.SetItemsProcessed(state.iterations());
}

// The Mixed program with the three coupons, priced and then rated with the rules.
void BM_EvaluateMixedWithThreeCoupons(benchmark::State& state) {
    MemberState member;
    member.points_available = 1000;
    member.tier = "Gold";
    run_with_coupons(state, mixed_rules(static_cast<int>(state.range(1))), basket(static_cast<int>(state.range(0))),
                     member);
}

// The full program (200 rules, 10 cashback rules, 10 stamp cards) with the three coupons and a
// cashback tender, for a member with stamps on every card (some cards fill).
void BM_EvaluateFullProgramWithThreeCoupons(benchmark::State& state) {
    MemberState member;
    member.points_available = 1000;
    member.tier = "Gold";
    member.cashback_available = 100000;
    for (int i = 0; i < 10; ++i) member.stamps["card-" + std::to_string(i)] = StampProgress{3 + i, std::nullopt};
    Purchase paying = basket(static_cast<int>(state.range(0)));
    paying.spend_cashback = 50000;
    run_with_coupons(state, full_program(static_cast<int>(state.range(1))), paying, member);
}

void BM_EvaluateShared(benchmark::State& state) { run(state, shared_rules(static_cast<int>(state.range(1)))); }
void BM_EvaluateMixed(benchmark::State& state) { run(state, mixed_rules(static_cast<int>(state.range(1)))); }
void BM_EvaluateDistinct(benchmark::State& state) { run(state, distinct_rules(static_cast<int>(state.range(1)))); }

BENCHMARK(BM_EvaluateShared)->ArgsProduct({{1, 20, 100}, {1, 10, 200}});
BENCHMARK(BM_EvaluateMixed)->Args({20, 200});
BENCHMARK(BM_EvaluateMixedWithThreeCoupons)->Args({20, 200});
BENCHMARK(BM_EvaluateFullProgramWithThreeCoupons)->Args({20, 200});
BENCHMARK(BM_EvaluateDistinct)->Args({20, 200});

}  // namespace

BENCHMARK_MAIN();
