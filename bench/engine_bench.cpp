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

RuleSet rules(int count) {
    RuleSet set{1, {}};
    for (int i = 0; i < count; ++i) {
        set.earn_rules.push_back({"rule-" + std::to_string(i),
                                  "Rule " + std::to_string(i),
                                  1 + i,
                                  10000,
                                  Rounding::kFloor,
                                  {"tobacco", "gift_card"}});
    }
    return set;
}

void BM_Evaluate(benchmark::State& state) {
    const Purchase purchase = basket(static_cast<int>(state.range(0)));
    const RuleSet set = rules(static_cast<int>(state.range(1)));
    const MemberState member{1000, "Member"};
    for (auto _ : state) {
        auto outcome = evaluate(purchase, member, set, Timestamp{});
        benchmark::DoNotOptimize(outcome);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Evaluate)->ArgsProduct({{1, 10, 100}, {1, 10}});

}  // namespace

BENCHMARK_MAIN();
