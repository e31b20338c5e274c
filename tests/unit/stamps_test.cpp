// Stamp cards with hand-computed results: stamps per unit and per visit, filling and rolling
// over, several cards at once, a card that ran out of time, the receipt lines, what a return
// takes back and what un-filling a card does to its rewards; and card documents checked like
// earn rules (every problem by JSON path).
#include "loyalty/core/stamps.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "loyalty/core/engine.h"
#include "loyalty/core/returns.h"
#include "tests/unit/effects_of.h"
#include "tests/unit/sample_basket.h"

namespace patron::core {
namespace {

using nlohmann::json;

const json kCoffeeCard = {{"id", "coffee"},
                          {"name", "Coffee card"},
                          {"goal", 10},
                          {"conditions", {{"categories", {"coffee"}}}},
                          {"reward", {{"coupon_campaign", 12}, {"label", "free coffee"}}}};
const json kVisitCard = {{"id", "visits"},
                         {"name", "Visits"},
                         {"goal", 5},
                         {"basis", "visit"},
                         {"conditions", {{"min_basket", 1000000}}},
                         {"reward", {{"points", 500}}}};

RuleSet cards(const json& list, Language language = Language::kEnglish) {
    auto parsed = parse_rule_set(json{{"stamp_cards", list}}, 4);
    EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().problems.front().field);
    RuleSet rules = parsed.value_or(RuleSet{});
    rules.language = language;
    return rules;
}

MemberState holding(std::map<std::string, StampProgress> stamps) {
    MemberState member;
    member.tier = "Gold";
    member.stamps = std::move(stamps);
    return member;
}

TEST(Stamps, TwoCoffeesOnAnEmptyCardGiveTwoStamps) {
    const RuleSet rules = cards(json::array({kCoffeeCard}));
    const auto outcome = evaluate(basket(), holding({}), rules, basket().pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    const auto stamps = of_kind(*outcome, EffectKind::kStamps);
    ASSERT_EQ(stamps.size(), 1u);
    EXPECT_EQ(stamps[0].amount, 2);
    EXPECT_EQ(stamps[0].count_after, 2);
    EXPECT_EQ(stamps[0].goal, 10);
    EXPECT_EQ(stamps[0].rule_version, 4);
    EXPECT_EQ(stamps[0].receipt_line, "Coffee card: +2 (2/10)");
    EXPECT_TRUE(of_kind(*outcome, EffectKind::kStampReward).empty());
}

TEST(Stamps, TheTenthCoffeeFillsTheCardPaysItsRewardAndTheSurplusRollsOver) {
    const RuleSet rules = cards(json::array({kCoffeeCard}));
    const auto outcome = evaluate(basket(), holding({{"coffee", {9, std::nullopt}}}), rules, basket().pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    const auto stamps = of_kind(*outcome, EffectKind::kStamps);
    ASSERT_EQ(stamps.size(), 1u);
    EXPECT_EQ(stamps[0].count_after, 1);  // 9 + 2 = 11: one full card, one stamp on the next.
    EXPECT_EQ(stamps[0].receipt_line, "Coffee card: 10/10, free coffee earned");
    const auto rewards = of_kind(*outcome, EffectKind::kStampReward);
    ASSERT_EQ(rewards.size(), 1u);
    EXPECT_EQ(rewards[0].campaign_id, 12);
    EXPECT_EQ(rewards[0].rule_id, "coffee");
    const auto summary = stamp_summaries(outcome->effects, rules);
    ASSERT_EQ(summary.size(), 1u);
    EXPECT_EQ(summary[0].rewards_earned, 1);
    EXPECT_EQ(summary[0].count, 1);
}

TEST(Stamps, TwentyFiveCoffeesFillTwoCards) {
    const RuleSet rules = cards(json::array({kCoffeeCard}));
    Purchase purchase = basket();
    purchase.lines = {{1, "COF-1", "coffee", 25000, 100000, 2500000, 0}};
    purchase.total = 2500000;
    const auto outcome = evaluate(purchase, holding({}), rules, purchase.pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(of_kind(*outcome, EffectKind::kStamps)[0].count_after, 5);
    EXPECT_EQ(of_kind(*outcome, EffectKind::kStampReward).size(), 2u);
}

TEST(Stamps, AVisitCardStampsOnceWhenTheBasketReachesItsThresholdAndPaysPoints) {
    const RuleSet rules = cards(json::array({kVisitCard}));
    const auto outcome = evaluate(basket(), holding({{"visits", {4, std::nullopt}}}), rules, basket().pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(of_kind(*outcome, EffectKind::kStamps)[0].amount, 1);
    const auto points = of_kind(*outcome, EffectKind::kEarnPoints);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].rule_id, "stamps:visits");
    EXPECT_EQ(points[0].amount, 500);
    EXPECT_EQ(outcome->points_earned(), 500);

    Purchase small = basket();
    small.lines = {{1, "COF-1", "coffee", 2000, 450000, 900000, 0}};
    small.total = 900000;  // Below 1,000,000: no visit stamp.
    EXPECT_TRUE(of_kind(*evaluate(small, holding({}), rules, small.pos_time.utc), EffectKind::kStamps).empty());
}

TEST(Stamps, SeveralCardsFillAtOnce) {
    const RuleSet rules = cards(json::array({kCoffeeCard, kVisitCard}));
    const auto outcome = evaluate(basket(), holding({{"coffee", {8, std::nullopt}}, {"visits", {4, std::nullopt}}}),
                                  rules, basket().pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    const auto summary = stamp_summaries(outcome->effects, rules);
    ASSERT_EQ(summary.size(), 2u);
    EXPECT_EQ(summary[0].count, 0);
    EXPECT_EQ(summary[0].rewards_earned, 1);
    EXPECT_EQ(summary[1].count, 0);
    EXPECT_EQ(summary[1].rewards_earned, 1);
}

TEST(Stamps, ACardThatRanOutOfTimeStartsOver) {
    json card = kCoffeeCard;
    card["card_days"] = 30;
    const RuleSet rules = cards(json::array({card}));
    const Timestamp at = basket().pos_time.utc;
    const auto fresh = evaluate(basket(), holding({{"coffee", {7, at - std::chrono::days(29)}}}), rules, at);
    EXPECT_TRUE(of_kind(*fresh, EffectKind::kStampsExpired).empty());
    EXPECT_EQ(of_kind(*fresh, EffectKind::kStamps)[0].count_after, 9);

    const auto stale = evaluate(basket(), holding({{"coffee", {7, at - std::chrono::days(31)}}}), rules, at);
    ASSERT_EQ(of_kind(*stale, EffectKind::kStampsExpired).size(), 1u);
    EXPECT_EQ(of_kind(*stale, EffectKind::kStampsExpired)[0].amount, 7);
    EXPECT_EQ(of_kind(*stale, EffectKind::kStamps)[0].count_after, 2);
    const StampProgress after = progress_after({7, at - std::chrono::days(31)}, stale->effects, "coffee", at);
    EXPECT_EQ(after.stamps, 2);
    EXPECT_EQ(after.started_at, at);
}

TEST(Stamps, PersianReceiptLinesUsePersianDigits) {
    const RuleSet rules = cards(json::array({kCoffeeCard}), Language::kPersian);
    const auto outcome = evaluate(basket(), holding({}), rules, basket().pos_time.utc);
    EXPECT_EQ(of_kind(*outcome, EffectKind::kStamps)[0].receipt_line, "Coffee card: +۲ (۲/۱۰)");
}

TEST(Stamps, AReturnTakesBackWhatItsLinesGave) {
    const std::vector<OriginalLine> original = {{1, 3000, 1350000, 0, "COF-1"}, {2, 1000, 300000, 0, "CAKE"}};
    const std::vector<StampsGiven> given = {{"coffee", 1, 3, 0}, {"visits", 0, 1, 1000000}};
    const auto one_coffee = plan_return(original, {{1, 1000}}, false, {}, 0, 0, 1650000);
    const auto removed = plan_stamp_return(original, *one_coffee, given);
    ASSERT_EQ(removed.size(), 1u);  // 1,200,000 left: the visit stands.
    EXPECT_EQ(removed[0].card_id, "coffee");
    EXPECT_EQ(removed[0].stamps, 1);

    const auto two_coffees = plan_return(original, {{1, 2000}}, false, {}, 0, 0, 1650000);
    const auto more = plan_stamp_return(original, *two_coffees, given);
    ASSERT_EQ(more.size(), 2u);  // 750,000 left: below the visit's 1,000,000.
    EXPECT_EQ(more[0].stamps, 2);
    EXPECT_EQ(more[1].card_id, "visits");
}

TEST(Stamps, UnfillingACardRevokesItsUnusedRewardOrLeavesADeficit) {
    struct Case {
        const char* name;
        std::int64_t stamps, removed;
        std::vector<IssuedReward> rewards;
        StampDeficitPolicy policy;
        std::int64_t after;
        std::vector<std::int64_t> revoked;
        std::int64_t forgiven;
    };
    const Case cases[] = {
        {"still on the card", 5, 2, {{9, 10, false}}, StampDeficitPolicy::kCarry, 3, {}, 0},
        {"unused reward revoked", 1, 2, {{9, 10, false}}, StampDeficitPolicy::kCarry, 9, {9}, 0},
        {"used reward: deficit", 1, 2, {{9, 10, true}}, StampDeficitPolicy::kCarry, -1, {}, 0},
        {"used reward: forgiven", 1, 2, {{9, 10, true}}, StampDeficitPolicy::kForgive, 0, {}, 1},
        {"two unused revoked", 0, 12, {{9, 10, false}, {8, 10, false}}, StampDeficitPolicy::kCarry, 8, {9, 8}, 0},
        {"no reward yet", 1, 2, {}, StampDeficitPolicy::kCarry, -1, {}, 0},
    };
    for (const Case& c : cases) {
        const StampRemoval removal = plan_stamp_removal(c.stamps, c.removed, c.rewards, c.policy);
        EXPECT_EQ(removal.stamps_after, c.after) << c.name;
        EXPECT_EQ(removal.revoked, c.revoked) << c.name;
        EXPECT_EQ(removal.forgiven, c.forgiven) << c.name;
    }
}

TEST(Stamps, CardsAreCheckedLikeEarnRules) {
    const json list = json::array({
        {{"id", "a"}, {"goal", 0}, {"reward", {{"points", 5}}}},
        {{"id", "b"}, {"goal", 5}, {"basis", "weekly"}, {"reward", {{"points", 5}, {"coupon_campaign", 3}}}},
        {{"id", "c"}, {"goal", 5}, {"basis", "visit"}, {"stamps_per_unit", 2}, {"reward", {{"points", 5}}}},
        {{"id", "d"}, {"goal", 5}},
        {{"id", "a"}, {"goal", 5}, {"reward", {{"points", 5}}}, {"deficit", "never"}},
    });
    const auto parsed = parse_rule_set(json{{"stamp_cards", list}}, 1);
    ASSERT_FALSE(parsed.has_value());
    std::set<std::string> fields;
    for (const Error& problem : parsed.error().problems) fields.insert(problem.field);
    EXPECT_EQ(fields, (std::set<std::string>{"stamp_cards[0].goal", "stamp_cards[1].basis", "stamp_cards[1].reward",
                                             "stamp_cards[2].stamps_per_unit", "stamp_cards[3].reward",
                                             "stamp_cards[4].deficit", "stamp_cards[4].id"}));
}

}  // namespace
}  // namespace patron::core
