// Instant cashback with hand-computed results, in IRR (no minor unit) and USD (cents): the
// percentage rounded down, each cap, the budget, scope, what points, coupons and the wallet paid
// earning nothing, spending the wallet, the split over lines and what a return takes back; and
// cashback rules checked like earn rules (every problem by JSON path).
#include "loyalty/core/cashback.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/engine.h"
#include "loyalty/core/returns.h"
#include "tests/unit/sample_basket.h"

namespace patron::core {
namespace {

using nlohmann::json;

RuleSet rules_with(const json& cashback) {
    auto parsed = parse_rule_set(json{{"cashback", cashback}}, 3);
    EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().problems.front().field);
    return parsed.value_or(RuleSet{});
}

MemberState sara(std::int64_t wallet = 0) {
    MemberState member;
    member.points_available = 1000;
    member.tier = "Gold";
    member.cashback_available = wallet;
    return member;
}

const Effect* find(const Outcome& outcome, EffectKind kind) {
    for (const Effect& effect : outcome.effects) {
        if (effect.kind == kind) return &effect;
    }
    return nullptr;
}

TEST(Cashback, FivePercentOfWhatTheMemberPaysInIrr) {
    const RuleSet rules = rules_with(json::array({{{"id", "cb5"}, {"name", "Cashback 5%"}, {"percent", 5}}}));
    const auto outcome = evaluate(basket(), sara(), rules, basket().pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->cashback_earned(), 82500);  // 5% of 1,650,000.
    const Effect* earned = find(*outcome, EffectKind::kEarnCashback);
    ASSERT_NE(earned, nullptr);
    EXPECT_EQ(earned->rule_id, "cb5");
    EXPECT_EQ(earned->rule_version, 3);
    EXPECT_EQ(earned->receipt_line, "Cashback 5%: +82,500 IRR");
}

TEST(Cashback, RoundsDownToTheCentInUsd) {
    Purchase purchase = basket();
    purchase.currency = *find_currency("USD");
    purchase.lines = {{1, "COF-1", "coffee", 2000, 455, 910, 0}, {2, "MUF", "bakery", 1000, 319, 319, 0}};
    purchase.total = 1229;
    const RuleSet rules = rules_with(json::array({{{"id", "cb"}, {"name", "Back"}, {"percent", 2.5}}}));
    const auto outcome = evaluate(purchase, sara(), rules, purchase.pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->cashback_earned(), 30);  // 2.5% of $12.29 = 30.725 cents -> 30.
    EXPECT_EQ(find(*outcome, EffectKind::kEarnCashback)->receipt_line, "Back: +0.30 USD");
}

TEST(Cashback, EachCapAndTheBudgetCutWhatARuleGives) {
    struct Case {
        const char* name;
        json caps;
        json budget;
        RuleUsage usage;
        std::int64_t budget_used;
        std::int64_t expected;
    };
    const Case cases[] = {
        {"per purchase", {{"per_purchase", 30000}}, nullptr, {}, 0, 30000},
        {"per day", {{"per_day", 40000}}, nullptr, {25000, 25000}, 0, 15000},
        {"per month", {{"per_month", 100000}}, nullptr, {0, 90000}, 0, 10000},
        {"month used up", {{"per_month", 100000}}, nullptr, {0, 100000}, 0, 0},
        {"budget", json::object(), 1000000, {}, 990000, 10000},
        {"no cap reached", {{"per_day", 1000000}}, nullptr, {10, 10}, 0, 82500},
    };
    for (const Case& c : cases) {
        json rule = {{"id", "cb5"}, {"percent", 5}, {"caps", c.caps}};
        if (!c.budget.is_null()) rule["budget"] = c.budget;
        const RuleSet rules = rules_with(json::array({rule}));
        MemberState member = sara();
        member.usage["cb5"] = c.usage;
        RuleCounters counters;
        counters.budget_used["cb5"] = c.budget_used;
        const auto outcome = evaluate(basket(), member, rules, basket().pos_time.utc, counters);
        ASSERT_TRUE(outcome.has_value()) << c.name;
        EXPECT_EQ(outcome->cashback_earned(), c.expected) << c.name;
        if (c.expected > 0 && c.expected < 82500) {
            EXPECT_TRUE(find(*outcome, EffectKind::kEarnCashback)->capped) << c.name;
        }
    }
}

TEST(Cashback, ScopeAndConditionsChooseTheLines) {
    const RuleSet rules = rules_with(json::array({
        {{"id", "coffee"}, {"percent", 10}, {"conditions", {{"categories", {"coffee"}}}}},
        {{"id", "gold"}, {"percent", 1}, {"scope", {{"tiers", {"Gold"}}}}},
        {{"id", "silver"}, {"percent", 1}, {"scope", {{"tiers", {"Silver"}}}}},
        {{"id", "other_store"}, {"percent", 1}, {"scope", {{"stores", {"S001"}}}}},
        {{"id", "big"}, {"percent", 1}, {"conditions", {{"min_basket", 2000000}}}},
    }));
    const auto outcome = evaluate(basket(), sara(), rules, basket().pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    std::map<std::string, std::int64_t> by_rule;
    for (const Effect& effect : outcome->effects) {
        if (effect.kind == EffectKind::kEarnCashback) by_rule[effect.rule_id] = effect.amount;
    }
    EXPECT_EQ(by_rule, (std::map<std::string, std::int64_t>{{"coffee", 90000}, {"gold", 16500}}));
}

TEST(Cashback, AnAnonymousPurchaseEarnsNone) {
    const RuleSet rules = rules_with(json::array({{{"id", "cb5"}, {"percent", 5}}}));
    MemberState anonymous;
    anonymous.identified = false;
    EXPECT_EQ(evaluate(basket(), anonymous, rules, basket().pos_time.utc)->cashback_earned(), 0);
}

TEST(Cashback, WhatTheWalletPaysEarnsNothingAndIsCheckedAgainstTheWalletAndTheTotal) {
    const RuleSet rules = rules_with(json::array({{{"id", "cb5"}, {"percent", 5}}}));
    Purchase purchase = basket();
    purchase.spend_cashback = 50000;
    const auto outcome = evaluate(purchase, sara(80000), rules, purchase.pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->cashback_spent(), 50000);
    EXPECT_EQ(outcome->cashback_earned(), 80000);  // 5% of 1,600,000.
    EXPECT_EQ(find(*outcome, EffectKind::kSpendCashback)->receipt_line, "Cashback used: -50,000 IRR");

    const auto short_wallet = evaluate(purchase, sara(49999), rules, purchase.pos_time.utc);
    ASSERT_FALSE(short_wallet.has_value());
    EXPECT_EQ(short_wallet.error().code, ErrorCode::kCashbackInsufficient);
    EXPECT_EQ(short_wallet.error().field, "spend_cashback");

    purchase.spend_cashback = 1650001;
    const auto too_much = evaluate(purchase, sara(5000000), rules, purchase.pos_time.utc);
    ASSERT_FALSE(too_much.has_value());
    EXPECT_EQ(too_much.error().code, ErrorCode::kCashbackExceedsTotal);
}

TEST(Cashback, SplitsOverTheLinesItCountedAndAReturnTakesBackTheirShare) {
    const RuleSet rules = rules_with(json::array({{{"id", "cb5"}, {"percent", 5}}}));
    const Purchase purchase = basket();
    const auto outcome = evaluate(purchase, sara(), rules, purchase.pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    const std::vector<LineEarning> shares = allocate_cashback(purchase, *outcome, rules);
    std::map<int, std::int64_t> by_line;
    for (const LineEarning& share : shares) by_line[share.line] = share.points;
    EXPECT_EQ(by_line, (std::map<int, std::int64_t>{{1, 45000}, {2, 25000}, {3, 12500}}));

    // One of the two coffees comes back: half of line 1's 45,000.
    const std::vector<OriginalLine> original = {
        {1, 2000, 900000, 0, "COF-1"}, {2, 1000, 500000, 0, "GIFT-50"}, {3, 1000, 250000, 0, "CAKE"}};
    std::vector<LotShare> stored;
    for (const LineEarning& share : shares) stored.push_back(LotShare{77, share.line, share.points});
    const auto plan = plan_return(original, {{1, 1000}}, false, {}, 0, 0, 1650000);
    ASSERT_TRUE(plan.has_value());
    const CashbackReturnPlan cashback = plan_cashback_return(original, *plan, stored, 33000, 1650000);
    EXPECT_EQ(cashback.reverse.at(77), 22500);
    EXPECT_EQ(cashback.refund, 9000);  // 450,000 of 1,650,000 returned: that share of 33,000 spent.
}

TEST(Cashback, RulesAreCheckedLikeEarnRules) {
    const json document = {
        {"rules", json::array({{{"id", "r1"}, {"kind", "bonus"}, {"points", 10}}})},
        {"cashback", json::array({
                         {{"id", "r1"}, {"percent", 5}},
                         {{"id", "c2"}, {"percent", 0}},
                         {{"id", "c3"}, {"percent", 1.005}},
                         {{"id", "c4"}, {"percent", 5}, {"caps", {{"per_day", 0}}}, {"colour", "red"}},
                         {{"percent", 5}, {"scope", {{"birthday_month", true}}}},
                     })},
    };
    const auto parsed = parse_rule_set(document, 1);
    ASSERT_FALSE(parsed.has_value());
    std::set<std::string> fields;
    for (const Error& problem : parsed.error().problems) fields.insert(problem.field);
    EXPECT_EQ(fields, (std::set<std::string>{"cashback[0].id", "cashback[1].percent", "cashback[2].percent",
                                             "cashback[3].caps.per_day", "cashback[3].colour", "cashback[4].id",
                                             "cashback[4].scope"}));
}

// Seen while adding json_documents_fuzz's bounds check: a percentage so small that it rounds to
// 0 hundredths passed the 2-decimals check (it is within its tolerance of 0) and became a 0% rule.
TEST(Cashback, APercentageTooSmallForTwoDecimalsIsRefusedNotReadAsZero) {
    for (const double percent : {1e-9, 0.000001, 0.004}) {
        const auto parsed = parse_rule_set(json{{"cashback", json::array({{{"id", "c"}, {"percent", percent}}})}}, 1);
        ASSERT_FALSE(parsed.has_value()) << percent;
        ASSERT_EQ(parsed.error().problems.size(), 1U) << percent;
        EXPECT_EQ(parsed.error().problems[0].field, "cashback[0].percent") << percent;
    }
    EXPECT_EQ(rules_with(json::array({{{"id", "c"}, {"percent", 0.01}}})).cashback.at(0).basis_points, 1);
}

}  // namespace
}  // namespace patron::core
