// Collections (a stamp card whose stamps are the distinct items of a set), with hand-computed
// results: which line brings which item, a set completed and started afresh, an owed item paid
// back before it counts, a card that ran out of time, what a return takes off, revokes or leaves
// owed, two members' cards merged, and collection documents checked by JSON path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "loyalty/core/engine.h"
#include "loyalty/core/member_history.h"
#include "loyalty/core/returns.h"
#include "loyalty/core/stamps.h"
#include "tests/unit/effects_of.h"
#include "tests/unit/sample_basket.h"

namespace patron::core {
namespace {

using nlohmann::json;
using Items = std::map<std::string, std::int64_t>;

// Three teas to collect; the bakery counts as one of them too, to show a line brings one item.
const json kTeas = {{"id", "teas"},
                    {"name", "Tea trail"},
                    {"basis", "collection"},
                    {"items",
                     {{{"id", "green"}, {"name", "Green tea"}, {"skus", {"TEA-G"}}},
                      {{"id", "black"}, {"name", "Black tea"}, {"skus", {"TEA-B"}}},
                      {{"id", "oolong"}, {"name", "Oolong"}, {"skus", {"TEA-O"}}, {"categories", {"bakery"}}}}},
                    {"reward", {{"points", 300}}}};

RuleSet collection(const json& card = kTeas, Language language = Language::kEnglish) {
    auto parsed = parse_rule_set(json{{"stamp_cards", json::array({card})}}, 6);
    EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().problems.front().field);
    RuleSet rules = parsed.value_or(RuleSet{});
    rules.language = language;
    return rules;
}

// Sunday 2026-11-22 in Tehran: the lines given, 100,000 each.
Purchase teas(std::vector<std::pair<std::string, std::string>> lines) {
    Purchase purchase = basket();
    purchase.lines.clear();
    purchase.total = 0;
    int number = 0;
    for (const auto& [sku, category] : lines) {
        purchase.lines.push_back({++number, sku, category, 1000, 100000, 100000, 0});
        purchase.total += 100000;
    }
    return purchase;
}

MemberState holding(Items items, std::optional<Timestamp> started = std::nullopt) {
    MemberState member;
    StampProgress progress;
    progress.items = std::move(items);
    for (const auto& [item, count] : progress.items) progress.stamps += count;
    progress.started_at = started;
    member.stamps["teas"] = progress;
    return member;
}

TEST(Collections, EachNewItemIsAStampAndACopyOfAnItemHeldCountsForNothing) {
    const RuleSet rules = collection();
    const Purchase purchase = teas({{"TEA-G", "tea"}, {"TEA-G", "tea"}, {"TEA-B", "tea"}, {"COF-1", "coffee"}});
    const auto outcome = evaluate(purchase, holding({}), rules, purchase.pos_time.utc);
    ASSERT_TRUE(outcome.has_value());
    const auto stamps = of_kind(*outcome, EffectKind::kStamps);
    ASSERT_EQ(stamps.size(), 1u);
    EXPECT_EQ(stamps[0].amount, 2);
    EXPECT_EQ(stamps[0].count_after, 2);
    EXPECT_EQ(stamps[0].goal, 3);
    ASSERT_EQ(stamps[0].items.size(), 2u);
    EXPECT_EQ(stamps[0].items[0].item, "green");
    EXPECT_EQ(stamps[0].items[0].line, 1);  // The first green tea brought it; the second, nothing.
    EXPECT_EQ(stamps[0].items[1].item, "black");
    EXPECT_EQ(stamps[0].items[1].line, 3);
    EXPECT_EQ(stamps[0].receipt_line, "Tea trail: +2 (2/3)");

    const StampProgress after = progress_after({}, outcome->effects, "teas", purchase.pos_time.utc);
    EXPECT_EQ(after.items, (Items{{"black", 1}, {"green", 1}}));
    EXPECT_EQ(after.stamps, 2);
    EXPECT_EQ(after.started_at, purchase.pos_time.utc);

    const auto again = evaluate(teas({{"TEA-G", "tea"}}), holding(after.items), rules, purchase.pos_time.utc);
    EXPECT_TRUE(of_kind(*again, EffectKind::kStamps).empty());  // Green tea is on the card already.
}

TEST(Collections, TheLastMissingItemCompletesTheSetPaysTheRewardAndStartsAnEmptyCard) {
    const RuleSet rules = collection();
    const Purchase purchase = teas({{"CAKE", "bakery"}, {"TEA-G", "tea"}});
    const Timestamp at = purchase.pos_time.utc;
    const auto outcome = evaluate(purchase, holding({{"green", 1}, {"black", 1}}, at), rules, at);
    const auto stamps = of_kind(*outcome, EffectKind::kStamps);
    ASSERT_EQ(stamps.size(), 1u);
    EXPECT_EQ(stamps[0].amount, 1);  // The cake is the oolong item; the green tea is held.
    EXPECT_EQ(stamps[0].count_after, 0);
    EXPECT_EQ(stamps[0].receipt_line, "Tea trail: 3/3, reward earned");
    const auto rewards = of_kind(*outcome, EffectKind::kEarnPoints);
    ASSERT_EQ(rewards.size(), 1u);
    EXPECT_EQ(rewards[0].amount, 300);
    EXPECT_EQ(rewarded_card(rewards[0]), "teas");
    const StampProgress after =
        progress_after(holding({{"green", 1}, {"black", 1}}, at).stamps.at("teas"), outcome->effects, "teas", at);
    EXPECT_TRUE(after.items.empty());
    EXPECT_EQ(after.stamps, 0);
    EXPECT_FALSE(after.started_at.has_value());
}

TEST(Collections, ACashbackRewardGoesToTheWalletUnderTheCardsName) {
    json card = kTeas;
    card["reward"] = {{"cashback", 50000}};
    const RuleSet rules = collection(card);
    const Purchase purchase = teas({{"TEA-G", "tea"}, {"TEA-B", "tea"}, {"TEA-O", "tea"}});
    const auto outcome = evaluate(purchase, holding({}), rules, purchase.pos_time.utc);
    const auto cashback = of_kind(*outcome, EffectKind::kEarnCashback);
    ASSERT_EQ(cashback.size(), 1u);
    EXPECT_EQ(cashback[0].amount, 50000);
    EXPECT_EQ(cashback[0].rule_id, "stamps:teas");
    EXPECT_EQ(rewarded_card(cashback[0]), "teas");
    EXPECT_TRUE(cashback[0].receipt_line.view().starts_with("Tea trail: +")) << cashback[0].receipt_line;
    EXPECT_EQ(outcome->cashback_earned(), 50000);
    EXPECT_TRUE(allocate_cashback(purchase, *outcome, rules).empty()) << "no line earned it: returns of lines keep it";
    const auto summaries = stamp_summaries(outcome->effects, rules);
    ASSERT_EQ(summaries.size(), 1u);
    EXPECT_EQ(summaries[0].rewards_earned, 1);

    json both = kTeas;
    both["reward"] = {{"cashback", 50000}, {"points", 5}};
    EXPECT_FALSE(parse_rule_set(json{{"stamp_cards", json::array({both})}}, 1).has_value());
}

TEST(Collections, AnItemDroppedFromTheSetByALaterVersionDoesNotCompleteTheCard) {
    const RuleSet rules = collection();  // green, black, oolong.
    const Purchase purchase = teas({{"TEA-B", "tea"}});
    const MemberState member = holding({{"green", 1}, {"white", 1}});  // White was in an earlier set.
    const auto outcome = evaluate(purchase, member, rules, purchase.pos_time.utc);
    EXPECT_TRUE(of_kind(*outcome, EffectKind::kEarnPoints).empty()) << "the oolong is still missing";
    const StampProgress after =
        progress_after(member.stamps.at("teas"), outcome->effects, "teas", purchase.pos_time.utc);
    EXPECT_EQ(after.items, (Items{{"black", 1}, {"green", 1}, {"white", 1}}));
}

TEST(Collections, AnOwedItemIsPaidBackBeforeItCountsAgain) {
    const RuleSet rules = collection();
    const Purchase purchase = teas({{"TEA-O", "tea"}, {"TEA-G", "tea"}});
    const auto outcome = evaluate(purchase, holding({{"oolong", -1}}), rules, purchase.pos_time.utc);
    const auto stamps = of_kind(*outcome, EffectKind::kStamps);
    ASSERT_EQ(stamps.size(), 1u);
    EXPECT_EQ(stamps[0].amount, 2);       // Two stamps: the oolong pays what was owed...
    EXPECT_EQ(stamps[0].count_after, 1);  // ...so the card holds only the green tea.
    const StampProgress after =
        progress_after(holding({{"oolong", -1}}).stamps.at("teas"), outcome->effects, "teas", purchase.pos_time.utc);
    EXPECT_EQ(after.items, (Items{{"green", 1}}));
    EXPECT_EQ(after.stamps, 1);
}

TEST(Collections, ACardThatRanOutOfTimeLosesWhatItHeldButNotWhatIsOwed) {
    json card = kTeas;
    card["card_days"] = 30;
    const RuleSet rules = collection(card);
    const Purchase purchase = teas({{"TEA-G", "tea"}});
    const Timestamp at = purchase.pos_time.utc;
    const MemberState stale = holding({{"black", 1}, {"green", 1}, {"oolong", -1}}, at - std::chrono::days(31));
    const auto outcome = evaluate(purchase, stale, rules, at);
    ASSERT_EQ(of_kind(*outcome, EffectKind::kStampsExpired).size(), 1u);
    EXPECT_EQ(of_kind(*outcome, EffectKind::kStampsExpired)[0].amount, 2);
    EXPECT_EQ(of_kind(*outcome, EffectKind::kStamps)[0].count_after, 1);
    const StampProgress after = progress_after(stale.stamps.at("teas"), outcome->effects, "teas", at);
    EXPECT_EQ(after.items, (Items{{"green", 1}, {"oolong", -1}}));
    EXPECT_EQ(after.stamps, 0);
    EXPECT_EQ(after.started_at, at);

    const MemberState fresh = holding({{"black", 1}, {"green", 1}}, at - std::chrono::days(29));
    EXPECT_TRUE(of_kind(*evaluate(purchase, fresh, rules, at), EffectKind::kStamps).empty());
}

TEST(Collections, PersianReceiptLinesUsePersianDigits) {
    const RuleSet rules = collection(kTeas, Language::kPersian);
    const Purchase purchase = teas({{"TEA-G", "tea"}});
    const auto outcome = evaluate(purchase, holding({}), rules, purchase.pos_time.utc);
    EXPECT_EQ(of_kind(*outcome, EffectKind::kStamps)[0].receipt_line, "Tea trail: +۱ (۱/۳)");
}

TEST(Collections, AnItemComesOffOnlyWhenItsLineIsReturnedWhole) {
    const std::vector<OriginalLine> original = {{1, 2000, 200000, 0, "TEA-G"}, {2, 1000, 100000, 0, "TEA-B"}};
    std::vector<StampsGiven> given = {{"teas", 1, 1, 0, "green"}, {"teas", 2, 1, 0, "black"}};
    const auto one_green = plan_return(original, {{1, 1000}}, false, {}, 0, 0, 300000);
    EXPECT_TRUE(plan_stamp_return(original, *one_green, given).empty());  // A green tea is still hers.

    const auto both_greens = plan_return(original, {{1, 2000}}, false, {}, 0, 0, 300000);
    const auto removed = plan_stamp_return(original, *both_greens, given);
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].item, "green");
    EXPECT_EQ(removed[0].stamps, 1);
}

TEST(Collections, AReturnTakesTheItemOffOrRevokesTheUnusedRewardOrLeavesItOwed) {
    const std::vector<std::string> set = {"green", "black", "oolong"};
    struct Case {
        const char* name;
        Items items;
        std::vector<std::string> removed;
        std::vector<IssuedReward> rewards;
        StampDeficitPolicy policy;
        Items after;
        std::vector<std::int64_t> revoked;
        std::int64_t forgiven, dropped;
    };
    const Case cases[] = {
        {"on the card",
         {{"green", 1}, {"black", 1}},
         {"green"},
         {},
         StampDeficitPolicy::kCarry,
         {{"black", 1}},
         {},
         0,
         0},
        {"its card completed: the reward revoked, the rest back",
         {{"green", 1}},
         {"black"},
         {{7, 3, false}},
         StampDeficitPolicy::kCarry,
         {{"green", 1}, {"oolong", 1}},
         {7},
         0,
         1},
        {"the reward used: owed", {}, {"black"}, {{7, 3, true}}, StampDeficitPolicy::kCarry, {{"black", -1}}, {}, 0, 0},
        {"the reward used: forgiven", {}, {"black"}, {{7, 3, true}}, StampDeficitPolicy::kForgive, {}, {}, 1, 0},
        {"two items of one completed card",
         {},
         {"black", "green"},
         {{7, 3, false}},
         StampDeficitPolicy::kCarry,
         {{"oolong", 1}},
         {7},
         0,
         0},
    };
    for (const Case& c : cases) {
        const CollectionRemoval removal = plan_collection_removal(c.items, set, c.removed, c.rewards, c.policy);
        EXPECT_EQ(removal.items, c.after) << c.name;
        EXPECT_EQ(removal.revoked, c.revoked) << c.name;
        EXPECT_EQ(removal.forgiven, c.forgiven) << c.name;
        EXPECT_EQ(removal.dropped, c.dropped) << c.name;
        // The stamps it leaves are what the events come to: before - removed + revoked goals - dropped + forgiven.
        std::int64_t before = 0, after = 0;
        for (const auto& [item, count] : c.items) before += count;
        for (const auto& [item, count] : removal.items) after += count;
        EXPECT_EQ(after, before - static_cast<std::int64_t>(c.removed.size()) +
                             3 * static_cast<std::int64_t>(removal.revoked.size()) - removal.dropped + removal.forgiven)
            << c.name;
    }
}

TEST(Collections, MergedCardsHoldEachItemOnceAndSetWhatIsOwedAgainstWhatIsHeld) {
    Items into = {{"green", 1}, {"black", -1}};
    const std::int64_t dropped = merge_collection(into, {{"green", 1}, {"black", 1}, {"oolong", 1}});
    EXPECT_EQ(dropped, 1);
    EXPECT_EQ(into, (Items{{"green", 1}, {"oolong", 1}}));
}

TEST(Collections, TheHistoryNamesTheItemInBothLanguages) {
    StampHistoryItem item;
    item.card_id = "teas";
    item.card_name = "Tea trail";
    item.item = "green";
    item.item_name = "Green tea";
    item.kind = "earn";
    item.stamps = 1;
    EXPECT_EQ(describe(item, Language::kEnglish), "Green tea collected on Tea trail");
    EXPECT_EQ(describe(item, Language::kPersian), "Green tea در Tea trail جمع شد");
    item.kind = "return";
    item.stamps = -1;
    EXPECT_EQ(describe(item, Language::kEnglish), "Green tea taken back from Tea trail for a return");
    item.kind = "drop";
    item.item.clear();
    EXPECT_EQ(describe(item, Language::kEnglish), "Tea trail: 1 held twice, counted once");
}

TEST(Collections, CollectionDocumentsAreCheckedByPath) {
    json no_goal = kTeas;
    no_goal["goal"] = 3;
    no_goal["stamps_per_unit"] = 2;
    no_goal["conditions"] = {{"skus", {"TEA-G"}}};
    json bad_items = kTeas;
    bad_items["id"] = "teas2";
    bad_items["items"] = {
        {{"id", "green"}, {"skus", {"TEA-G"}}}, {{"id", "green"}}, {{"id", "x"}, {"colour", "red"}, {"skus", {"X"}}}};
    json one_item = kTeas;
    one_item["id"] = "teas3";
    one_item["items"] = {{{"id", "green"}, {"skus", {"TEA-G"}}}};
    json units = {{"id", "coffee"}, {"goal", 5}, {"items", kTeas["items"]}, {"reward", {{"points", 5}}}};
    json none = kTeas;
    none["id"] = "teas4";
    none.erase("items");
    const auto parsed =
        parse_rule_set(json{{"stamp_cards", json::array({no_goal, bad_items, one_item, units, none})}}, 1);
    ASSERT_FALSE(parsed.has_value());
    std::set<std::string> fields;
    for (const Error& problem : parsed.error().problems) fields.insert(problem.field);
    EXPECT_EQ(fields, (std::set<std::string>{"stamp_cards[0].goal", "stamp_cards[0].stamps_per_unit",
                                             "stamp_cards[0].conditions", "stamp_cards[1].items[1]",
                                             "stamp_cards[1].items[1].id", "stamp_cards[1].items[2].colour",
                                             "stamp_cards[2].items", "stamp_cards[3].items", "stamp_cards[4].items"}));
}

}  // namespace
}  // namespace patron::core
