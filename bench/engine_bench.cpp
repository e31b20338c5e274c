// How fast the pure reward engine rates a basket: evaluate() on baskets of 1, 10 and 100 lines
// with a rule set of 1 and 10 earn rules. No I/O: this is the core's own cost per purchase.
#include <benchmark/benchmark.h>

#include "loyalty/core/engine.h"

namespace {

using namespace patron::core;

Purchase basket(int lines) {
    Purchase purchase{};
    purchase.currency = *find_currency("IRR");
    for (int i = 0; i < lines; ++i) {
        purchase.lines.push_back(
            {i + 1, "SKU-" + std::to_string(i), i % 5 == 0 ? "tobacco" : "grocery", 2000, 125000, 250000, 0});
        purchase.total += 250000;
    }
    return purchase;
}

// `count` earn rules, each on its own category mix with multipliers, all applying.
RuleSet rules(int count) {
    RuleSet set;
    set.version = 1;
    for (int i = 0; i < count; ++i) {
        Rule rule;
        rule.id = "rule-" + std::to_string(i);
        rule.name = "Rule " + std::to_string(i);
        rule.points = 1 + i % 3;
        rule.per_amount = 10000;
        rule.conditions.exclude_categories = {"tobacco", "gift_card"};
        rule.category_percent = {{"grocery", 150}};
        rule.tier_percent = {{"Gold", 200}};
        set.rules.push_back(std::move(rule));
    }
    return set;
}

void BM_Evaluate(benchmark::State& state) {
    const Purchase purchase = basket(static_cast<int>(state.range(0)));
    const RuleSet set = rules(static_cast<int>(state.range(1)));
    MemberState member;
    member.points_available = 1000;
    member.tier = "Gold";
    for (auto _ : state) {
        auto outcome = evaluate(purchase, member, set, Timestamp{});
        benchmark::DoNotOptimize(outcome);
    }
    state.SetItemsProcessed(state.iterations());
}
// The yardstick is a 20-line basket against 200 rules (target: under 20 microseconds).
BENCHMARK(BM_Evaluate)->ArgsProduct({{1, 20, 100}, {1, 10, 200}});

}  // namespace

BENCHMARK_MAIN();
