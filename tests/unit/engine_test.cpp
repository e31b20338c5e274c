#include "loyalty/core/engine.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/receipt_text.h"

namespace patron::core {
namespace {

EarnRule rule(std::int64_t points, std::int64_t per_amount, Rounding rounding) {
    return EarnRule{"base", "Club points", points, per_amount, rounding, {}};
}

struct EarnCase {
    std::int64_t amount;
    std::int64_t points;
    std::int64_t per_amount;
    Rounding rounding;
    std::int64_t expected;
};

TEST(Earning, PointsPerAmountRoundAsTheProgramSays) {
    const EarnCase cases[] = {
        {900000, 1, 10000, Rounding::kFloor, 90}, {99999, 1, 10000, Rounding::kFloor, 9},
        {99999, 1, 10000, Rounding::kCeil, 10},   {95000, 1, 10000, Rounding::kNearest, 10},
        {94999, 1, 10000, Rounding::kNearest, 9}, {100000, 1, 10000, Rounding::kCeil, 10},
        {0, 1, 10000, Rounding::kCeil, 0},        {1999, 3, 100, Rounding::kFloor, 59},
        {1999, 3, 100, Rounding::kNearest, 60},   {9999, 1, 10000, Rounding::kFloor, 0},
    };
    for (const EarnCase& c : cases) {
        SCOPED_TRACE(c.amount);
        EXPECT_EQ(earned_points(c.amount, rule(c.points, c.per_amount, c.rounding)), c.expected);
    }
}

TEST(Earning, HugeAmountsDoNotOverflow) {
    const std::int64_t amount = 4'000'000'000'000'000'000;
    EXPECT_EQ(earned_points(amount, rule(1000, 1, Rounding::kFloor)), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(earned_points(amount, rule(3, 1000, Rounding::kFloor)), 12'000'000'000'000'000);
}

Purchase basket() {
    Purchase purchase{};
    purchase.currency = *find_currency("IRR");
    purchase.lines = {
        {1, "COF-1", "coffee", 2000, 450000, 900000, 0},
        {2, "GIFT-50", "gift_card", 1000, 500000, 500000, 0},
        {3, "CAKE", "bakery", 1000, 300000, 300000, 50000},
    };
    purchase.total = 1650000;
    return purchase;
}

TEST(Earning, ExcludedCategoriesAndLineDiscountsDoNotEarn) {
    EarnRule earn = rule(1, 10000, Rounding::kFloor);
    earn.excluded_categories = {"gift_card"};
    const Outcome outcome = evaluate(basket(), MemberState{0, "Member"}, RuleSet{7, {earn}}, Timestamp{}).value();
    // 900,000 + (300,000 - 50,000) qualifies: 115 points.
    EXPECT_EQ(outcome.points_earned(), 115);
    ASSERT_EQ(outcome.effects.size(), 1U);
    EXPECT_EQ(outcome.effects[0].rule_id, "base");
    EXPECT_EQ(outcome.effects[0].rule_version, 7);
    EXPECT_EQ(outcome.effects[0].receipt_line, "Club points: +115 points");
}

TEST(Earning, SameInputGivesTheSameOutcome) {
    const RuleSet rules{1, {rule(1, 10000, Rounding::kFloor), rule(2, 100000, Rounding::kCeil)}};
    const Outcome first = evaluate(basket(), MemberState{10, "Member"}, rules, Timestamp{}).value();
    const Outcome second = evaluate(basket(), MemberState{10, "Member"}, rules, Timestamp{}).value();
    ASSERT_EQ(first.effects.size(), second.effects.size());
    for (std::size_t i = 0; i < first.effects.size(); ++i) {
        EXPECT_EQ(first.effects[i].amount, second.effects[i].amount);
        EXPECT_EQ(first.effects[i].receipt_line, second.effects[i].receipt_line);
    }
}

TEST(Earning, NoRulesEarnNothing) {
    EXPECT_TRUE(evaluate(basket(), MemberState{0, ""}, RuleSet{0, {}}, Timestamp{})->effects.empty());
}

TEST(ReceiptText, LinesNeverExceedFortyCharactersCountedInCodePoints) {
    const std::string persian = "امتیاز باشگاه مشتریان کافه مرکزی تهران با نام بسیار طولانی";
    const std::string line = receipt_line(persian, "+1200 points");
    EXPECT_LE(code_points(line), kReceiptLineMax);
    EXPECT_TRUE(line.ends_with(": +1200 points"));
    EXPECT_EQ(receipt_line("Club", "+5"), "Club: +5");
    EXPECT_EQ(code_points("سلام"), 4U);
}

TEST(RuleSets, EveryProblemIsListedWithItsPath) {
    const auto document = nlohmann::json::parse(R"({"earn": [
        {"id": "a", "points": -1, "per_amount": 0, "rounding": "up", "colour": "red"},
        {"points": 1, "per_amount": 100, "exclude_categories": ["ok", 5]}
    ]})");
    const auto parsed = parse_rule_set(document, 1);
    ASSERT_FALSE(parsed.has_value());
    std::vector<std::string> fields;
    for (const Error& problem : parsed.error().problems) fields.push_back(problem.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"earn[0].colour", "earn[0].points", "earn[0].per_amount",
                                                "earn[0].rounding", "earn[1].id", "earn[1].exclude_categories[1]"}));
}

TEST(RuleSets, AWellFormedSetParses) {
    const auto parsed = parse_rule_set(
        nlohmann::json::parse(
            R"({"earn": [{"id": "base", "points": 1, "per_amount": 10000, "exclude_categories": ["tobacco"]}]})"),
        3);
    ASSERT_TRUE(parsed.has_value());
    ASSERT_EQ(parsed->earn_rules.size(), 1U);
    EXPECT_EQ(parsed->version, 3);
    EXPECT_EQ(parsed->earn_rules[0].name, "base");
    EXPECT_EQ(parsed->earn_rules[0].rounding, Rounding::kFloor);
}

}  // namespace
}  // namespace patron::core
