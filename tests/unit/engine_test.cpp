#include "loyalty/core/engine.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "loyalty/core/compiled_rules.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/receipt_text.h"
#include "tests/unit/sample_basket.h"

namespace patron::core {
namespace {

using nlohmann::json;

MemberState member(std::string tier = "Member") {
    MemberState state;
    state.tier = std::move(tier);
    state.birth_month = 4;
    state.purchases_before = 3;
    return state;
}

RuleSet rules_of(const char* document) {
    auto parsed = parse_rule_set(json::parse(document), 7);
    if (!parsed) {
        ADD_FAILURE() << parsed.error().problems.front().field << ": " << parsed.error().problems.front().message;
        return {};
    }
    return *parsed;
}

std::int64_t points(const char* document, const Purchase& purchase = basket(), const MemberState& state = member(),
                    const RuleCounters& counters = {}) {
    return evaluate(purchase, state, rules_of(document), Timestamp{}, counters).value().points_earned();
}

struct RoundingCase {
    __int128 numerator;
    __int128 denominator;
    Rounding rounding;
    std::int64_t expected;
};

TEST(Earning, RoundingIsExactAndAsTheProgramSays) {
    const RoundingCase cases[] = {
        {900000, 10000, Rounding::kFloor, 90}, {99999, 10000, Rounding::kFloor, 9},
        {99999, 10000, Rounding::kCeil, 10},   {95000, 10000, Rounding::kNearest, 10},
        {94999, 10000, Rounding::kNearest, 9}, {100000, 10000, Rounding::kCeil, 10},
        {0, 10000, Rounding::kCeil, 0},        {-5, 10, Rounding::kFloor, -1},
        {-5, 10, Rounding::kNearest, -1},
    };
    for (const RoundingCase& c : cases) {
        EXPECT_EQ(rounded_points(c.numerator, c.denominator, c.rounding), c.expected)
            << static_cast<long long>(c.numerator);
    }
    const __int128 huge = static_cast<__int128>(std::numeric_limits<std::int64_t>::max()) * 4;
    EXPECT_EQ(rounded_points(huge, 1, Rounding::kFloor), std::numeric_limits<std::int64_t>::max());
}

TEST(Earning, PointsPerAmountOnTheNetOfQualifyingLines) {
    // 900,000 + 250,000 (the gift card excluded): 115.
    EXPECT_EQ(points(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000,
                         "conditions": {"exclude_categories": ["gift_card"]}}]})"),
              115);
    // Everything: 1,650,000 -> 165.
    EXPECT_EQ(points(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000}]})"), 165);
    // Only coffee, by SKU.
    EXPECT_EQ(
        points(R"({"rules": [{"id": "c", "points": 1, "per_amount": 10000, "conditions": {"skus": ["COF-1"]}}]})"), 90);
}

TEST(Earning, DollarsEarnOnCentsWithTheRulesRounding) {
    Purchase purchase = basket();
    purchase.currency = *find_currency("USD");
    purchase.lines = {{1, "TEA", "tea", 1000, 1999, 1999, 0}};
    purchase.total = 1999;
    // 1 point per dollar (100 cents): 19.99 points.
    EXPECT_EQ(points(R"({"rules": [{"id": "usd", "points": 1, "per_amount": 100}]})", purchase), 19);
    EXPECT_EQ(points(R"({"rules": [{"id": "usd", "points": 1, "per_amount": 100, "rounding": "nearest"}]})", purchase),
              20);
    EXPECT_EQ(
        points(R"({"defaults": {"rounding": "nearest"}, "rules": [{"id": "usd", "points": 1, "per_amount": 100}]})",
               purchase),
        20)
        << "the program's rounding, for rules without their own";
    EXPECT_EQ(points(R"({"defaults": {"rounding": "nearest"}, "rules": [{"id": "usd", "points": 1, "per_amount": 100,
                        "rounding": "floor"}]})",
                     purchase),
              19);
    const auto outcome = evaluate(
        purchase, member(), rules_of(R"({"rules": [{"id": "usd", "points": 1, "per_amount": 100}]})"), Timestamp{});
    EXPECT_EQ(outcome->effects[0].raw_milli, 19990) << "the raw value is kept beside the awarded one";
}

TEST(Earning, CategorySkuAndTierMultipliers) {
    // Coffee x2: 180 + gift 50 + cake 25 = 255.
    EXPECT_EQ(points(R"({"rules": [{"id": "m", "points": 1, "per_amount": 10000,
                         "multipliers": {"categories": {"coffee": 2}}}]})"),
              255);
    // Cake x1.5: 90 + 50 + 37.5 -> 177 (floor over the purchase).
    EXPECT_EQ(points(R"({"rules": [{"id": "m", "points": 1, "per_amount": 10000,
                         "multipliers": {"skus": {"CAKE": 1.5}}}]})"),
              177);
    // Gold x2 on everything: 330, and the receipt says why.
    const char* tiered = R"({"rules": [{"id": "m", "name": "Club", "points": 1, "per_amount": 10000,
                              "multipliers": {"tiers": {"Gold": 2, "Silver": 1.25}}}]})";
    const auto gold = evaluate(basket(), member("Gold"), rules_of(tiered), Timestamp{});
    EXPECT_EQ(gold->points_earned(), 330);
    EXPECT_EQ(gold->effects[0].receipt_line, "Club (Gold x2): +330 points");
    EXPECT_EQ(points(tiered, basket(), member("Silver")), 206);  // 165 x 1.25 = 206.25
    EXPECT_EQ(points(tiered, basket(), member("Member")), 165);
    const auto silver = evaluate(basket(), member("Silver"), rules_of(tiered), Timestamp{});
    EXPECT_EQ(silver->effects[0].receipt_line, "Club (Silver x1.25): +206 points");
    const auto tiny = evaluate(basket(), member("Gold"), rules_of(R"({"rules": [{"id": "m", "name": "Club",
        "points": 1, "per_amount": 10000, "multipliers": {"tiers": {"Gold": 1.05}}}]})"),
                               Timestamp{});
    EXPECT_EQ(tiny->effects[0].receipt_line, "Club (Gold x1.05): +173 points");  // 165 x 1.05 = 173.25
}

TEST(Earning, RulesSharingABasketSelectionStillEarnEachTheirOwn) {
    // Four rules, two selections of the basket (without gift cards; coffee only), rounded two ways:
    // the shared pass over the basket must not blur what each rule earns.
    const auto outcome = evaluate(basket(), member("Gold"), rules_of(R"({"rules": [
        {"id": "a", "points": 1, "per_amount": 10000, "conditions": {"exclude_categories": ["gift_card"]}},
        {"id": "b", "points": 3, "per_amount": 70000, "conditions": {"exclude_categories": ["gift_card"]},
         "rounding": "ceil", "multipliers": {"tiers": {"Gold": 2}}},
        {"id": "c", "points": 1, "per_amount": 70000, "conditions": {"exclude_categories": ["gift_card"]},
         "rounding_scope": "line"},
        {"id": "d", "points": 1, "per_amount": 10000, "conditions": {"categories": ["coffee"]}}]})"),
                                  Timestamp{});
    ASSERT_EQ(outcome->effects.size(), 4u);
    EXPECT_EQ(outcome->effects[0].amount, 115);  // 1,150,000 / 10,000
    EXPECT_EQ(outcome->effects[1].amount, 99);   // 1,150,000 x 3 x 2 / 70,000 = 98.57 -> ceil 99
    EXPECT_EQ(outcome->effects[2].amount, 15);   // 900,000 / 70,000 = 12.86 -> 12; 250,000 / 70,000 -> 3
    EXPECT_EQ(outcome->effects[3].amount, 90);   // coffee only
}

TEST(Earning, PerLineRoundingRoundsEachLine) {
    Purchase purchase = basket();
    purchase.lines = {{1, "A", "x", 1000, 15000, 15000, 0}, {2, "B", "x", 1000, 15000, 15000, 0}};
    purchase.total = 30000;
    // 1.5 + 1.5: per purchase 3, per line 1 + 1.
    EXPECT_EQ(points(R"({"rules": [{"id": "r", "points": 1, "per_amount": 10000}]})", purchase), 3);
    EXPECT_EQ(
        points(R"({"rules": [{"id": "r", "points": 1, "per_amount": 10000, "rounding_scope": "line"}]})", purchase), 2);
}

TEST(Bonuses, FirstPurchaseBirthdayMonthAndBasketOverAnAmount) {
    const char* first =
        R"({"rules": [{"id": "welcome", "kind": "bonus", "points": 500, "scope": {"first_purchase": true}}]})";
    MemberState newcomer = member();
    newcomer.purchases_before = 0;
    EXPECT_EQ(points(first, basket(), newcomer), 500);
    EXPECT_EQ(points(first), 0);

    const char* birthday =
        R"({"rules": [{"id": "bday", "kind": "bonus", "points": 200, "scope": {"birthday_month": true}}]})";
    MemberState november = member();
    november.birth_month = 11;
    EXPECT_EQ(points(birthday, basket(), november), 200);
    EXPECT_EQ(points(birthday), 0);

    const char* big =
        R"({"rules": [{"id": "big", "kind": "bonus", "points": 100, "conditions": {"min_amount": 1500000}}]})";
    EXPECT_EQ(points(big), 100);
    Purchase small = basket();
    small.lines.pop_back();
    small.total = 1400000;
    EXPECT_EQ(points(big, small), 0);

    MemberState anonymous = newcomer;
    anonymous.identified = false;
    EXPECT_EQ(points(first, basket(), anonymous), 0) << "member-scoped rules need a member";
}

MemberState member_of_years(int years, std::string tier = "Member") {
    MemberState state = member(std::move(tier));
    state.tenure_years = years;
    return state;
}

TEST(TenureRules, AScopeOfYearsOfMembershipTakesTheYearsItNamesAndNoOthers) {
    const char* loyal = R"({"rules": [{"id": "loyal", "kind": "bonus", "points": 300,
                             "scope": {"tenure": {"min_years": 1, "max_years": 4}}}]})";
    for (const auto& [years, expected] :
         std::vector<std::pair<int, std::int64_t>>{{0, 0}, {1, 300}, {4, 300}, {5, 0}}) {
        EXPECT_EQ(points(loyal, basket(), member_of_years(years)), expected) << years << " years";
    }
    EXPECT_EQ(
        points(R"({"rules": [{"id": "old", "kind": "bonus", "points": 1, "scope": {"tenure": {"min_years": 10}}}]})",
               basket(), member_of_years(37)),
        1)
        << "no upper bound";
    EXPECT_EQ(
        points(R"({"rules": [{"id": "new", "kind": "bonus", "points": 1, "scope": {"tenure": {"max_years": 0}}}]})",
               basket(), member_of_years(0)),
        1)
        << "the first year alone";
    EXPECT_EQ(points(loyal, basket(), member()), 0) << "a member whose tenure was not counted is in no range";
    MemberState anonymous = member_of_years(2);
    anonymous.identified = false;
    EXPECT_EQ(points(loyal, basket(), anonymous), 0) << "a tenure scope needs a member";
}

TEST(TenureRules, TheEarnMultiplierStepsUpWithTheYearsAndMultipliesTheTiers) {
    // 165 points on the sample basket, x1.1 from the first anniversary, x1.5 from the fifth.
    const char* stepped = R"({"rules": [{"id": "club", "name": "Club", "points": 1, "per_amount": 10000,
                              "multipliers": {"tenure": {"1": 1.1, "5": 1.5}, "tiers": {"Gold": 2}}}]})";
    const std::vector<std::pair<int, std::int64_t>> steps = {{0, 165}, {1, 181}, {4, 181}, {5, 247}, {30, 247}};
    for (const auto& [years, expected] : steps) {
        EXPECT_EQ(points(stepped, basket(), member_of_years(years)), expected) << years << " years";  // 181.5, 247.5
    }
    const auto gold = evaluate(basket(), member_of_years(7, "Gold"), rules_of(stepped), Timestamp{});
    EXPECT_EQ(gold->points_earned(), 495) << "165 x 2 x 1.5, rounded once";
    EXPECT_EQ(gold->effects[0].receipt_line, "Clu (Gold x2, 7 years x1.5): +495 points")
        << "41 characters in full: the name is cut, never the multipliers nor the points";
    RuleSet short_name = rules_of(stepped);
    short_name.rules[0].name = "Pts";
    short_name.compiled = compile_rules(short_name);
    EXPECT_EQ(evaluate(basket(), member_of_years(7, "Gold"), short_name, Timestamp{})->effects[0].receipt_line,
              "Pts (Gold x2, 7 years x1.5): +495 points");
    const auto silver = evaluate(basket(), member_of_years(1, "Silver"), rules_of(stepped), Timestamp{});
    EXPECT_EQ(silver->effects[0].receipt_line, "Club (1 year x1.1): +181 points");
    const auto newcomer = evaluate(basket(), member_of_years(0, "Gold"), rules_of(stepped), Timestamp{});
    EXPECT_EQ(newcomer->effects[0].receipt_line, "Club (Gold x2): +330 points") << "no tenure step reached";

    RuleSet persian = rules_of(stepped);
    persian.language = Language::kPersian;
    const auto read = evaluate(basket(), member_of_years(7), persian, Timestamp{});
    EXPECT_EQ(read->effects[0].receipt_line, "Club (۷ سال ×۱٫۵): +۲۴۷ امتیاز");
    const auto gold_read = evaluate(basket(), member_of_years(7, "Gold"), persian, Timestamp{});
    EXPECT_EQ(gold_read->effects[0].receipt_line, "Club (Gold ×۲، ۷ سال ×۱٫۵): +۴۹۵ امتیاز");
    // A name too long for the line gives way to the multipliers; multipliers too long for any name
    // are left out rather than cut.
    RuleSet long_name = rules_of(stepped);
    long_name.rules[0].name = "Points for our most loyal members of the club";
    long_name.compiled = compile_rules(long_name);
    EXPECT_EQ(evaluate(basket(), member_of_years(7, "Gold"), long_name, Timestamp{})->effects[0].receipt_line,
              "Poi (Gold x2, 7 years x1.5): +495 points");
    EXPECT_EQ(receipt_line("Club", "Platinum Plus Elite Tier x1.25, 17 years x1.5", "+1,234,567 points"),
              "Club: +1,234,567 points");
    // A bonus rule's points are multiplied too, and line rounding rounds each line.
    EXPECT_EQ(
        points(R"({"rules": [{"id": "b", "kind": "bonus", "points": 10, "multipliers": {"tenure": {"2": 1.25}}}]})",
               basket(), member_of_years(3)),
        12);  // 12.5
    EXPECT_EQ(points(R"({"rules": [{"id": "l", "points": 1, "per_amount": 10000, "rounding_scope": "line",
                          "multipliers": {"tenure": {"2": 1.01}}}]})",
                     basket(), member_of_years(2)),
              165);  // Lines of 900,000, 500,000 and 250,000: 90.9 + 50.5 + 25.25 -> 90 + 50 + 25.
    EXPECT_EQ(points(R"({"rules": [{"id": "p", "points": 1, "per_amount": 10000,
                          "multipliers": {"tenure": {"2": 1.01}}}]})",
                     basket(), member_of_years(2)),
              166);  // 166.65 for the purchase.
}

TEST(TenureRules, RangesAndStepsAreCheckedWithTheirPaths) {
    const auto document = json::parse(R"({"rules": [
        {"id": "a", "kind": "bonus", "points": 1, "scope": {"tenure": {}}},
        {"id": "b", "kind": "bonus", "points": 1, "scope": {"tenure": {"min_years": 5, "max_years": 2}}},
        {"id": "c", "kind": "bonus", "points": 1, "scope": {"tenure": {"min_years": -1, "max_years": 101, "years": 3}}},
        {"id": "d", "kind": "bonus", "points": 1, "scope": {"tenure": 3}},
        {"id": "e", "kind": "bonus", "points": 1, "multipliers": {"tenure": {"0": 2, "01": 2, "two": 2, "101": 2, "3": 0}}},
        {"id": "f", "kind": "bonus", "points": 1, "multipliers": {"tiers": {"Gold": 100}, "tenure": {"1": 1.01}}}
    ], "cashback": [{"id": "g", "percent": 1, "scope": {"tenure": {"min_years": 1}}}],
       "stamp_cards": [{"id": "h", "goal": 3, "reward": {"points": 5}, "scope": {"tenure": {"min_years": 1}}}]})");
    const auto parsed = parse_rule_set(document, 1);
    ASSERT_FALSE(parsed.has_value());
    std::set<std::string> fields;
    for (const Error& problem : parsed.error().problems) fields.insert(problem.field);
    EXPECT_EQ(fields,
              (std::set<std::string>{
                  "rules[0].scope.tenure", "rules[1].scope.tenure.max_years", "rules[2].scope.tenure.min_years",
                  "rules[2].scope.tenure.max_years", "rules[2].scope.tenure.years", "rules[3].scope.tenure",
                  "rules[4].multipliers.tenure.0", "rules[4].multipliers.tenure.01", "rules[4].multipliers.tenure.two",
                  "rules[4].multipliers.tenure.101", "rules[4].multipliers.tenure.3", "rules[5].multipliers.tenure",
                  "cashback[0].scope", "stamp_cards[0].scope"}));
    // The largest product the arithmetic has room for: x10 for Gold and x10 for the years.
    const RuleSet rules = rules_of(R"({"rules": [{"id": "x", "points": 1, "per_amount": 100,
        "multipliers": {"tiers": {"Gold": 10}, "tenure": {"1": 10}}}]})");
    EXPECT_EQ(rules.rules.at(0).tenure_percent.at(1), 1000);
}

TEST(RuleSetStarts, TheLatestToHaveTakenEffectIsInForceAndOfTwoAtOneMomentTheHigher) {
    const Timestamp t0 = Timestamp{} + std::chrono::hours(24 * 365 * 50);
    const std::vector<RuleSetStart> published{{1, t0},
                                              {2, t0 + std::chrono::hours(2)},
                                              {3, t0 + std::chrono::hours(1)},
                                              {4, t0 + std::chrono::hours(2)},
                                              {5, t0 + std::chrono::hours(9)}};
    EXPECT_EQ(rule_set_in_force(published, t0 - std::chrono::seconds(1)), std::nullopt) << "before the first";
    EXPECT_EQ(rule_set_in_force(published, t0), 1) << "from its very moment";
    EXPECT_EQ(rule_set_in_force(published, t0 + std::chrono::minutes(90)), 3)
        << "published after version 2 but taking effect before it";
    EXPECT_EQ(rule_set_in_force(published, t0 + std::chrono::hours(2)), 4) << "of two at one moment, the higher";
    EXPECT_EQ(rule_set_in_force(published, t0 + std::chrono::hours(8)), 4) << "5 waits";
    EXPECT_EQ(rule_set_in_force({}, t0), std::nullopt);
}

TEST(Schedules, WindowDaysAndHoursInThePosLocalTime) {
    const char* happy_hour = R"({"rules": [{"id": "hh", "kind": "bonus", "points": 10,
                                 "schedule": {"days": ["sun", "mon"], "from": "17:00", "until": "19:00"}}]})";
    EXPECT_EQ(points(happy_hour), 10);  // Sunday 18:03 in Tehran.
    Purchase late = basket();
    late.pos_time = local("2026-11-22", 19, 0);
    EXPECT_EQ(points(happy_hour, late), 0);
    Purchase tuesday = basket();
    tuesday.pos_time = local("2026-11-24", 18, 0);
    EXPECT_EQ(points(happy_hour, tuesday), 0);
    Purchase utc_same_instant = basket();  // 14:33 UTC is 18:03 in Tehran, but this POS writes UTC.
    utc_same_instant.pos_time = local("2026-11-22", 14, 33, 0);
    EXPECT_EQ(points(happy_hour, utc_same_instant), 0);

    const char* november = R"({"rules": [{"id": "nov", "kind": "bonus", "points": 5,
                               "valid_from": "2026-11-01T00:00:00+03:30", "valid_until": "2026-12-01T00:00:00+03:30"}]})";
    EXPECT_EQ(points(november), 5);
    Purchase december = basket();
    december.pos_time = local("2026-12-01", 0, 0);
    EXPECT_EQ(points(november, december), 0);
}

TEST(Scopes, StoresAndTiers) {
    const char* gold_in_s042 = R"({"rules": [{"id": "g", "kind": "bonus", "points": 7,
                                   "scope": {"stores": ["S042"], "tiers": ["Gold"]}}]})";
    EXPECT_EQ(points(gold_in_s042, basket(), member("Gold")), 7);
    EXPECT_EQ(points(gold_in_s042, basket(), member("Silver")), 0);
    Purchase elsewhere = basket();
    elsewhere.key.store = "S001";
    EXPECT_EQ(points(gold_in_s042, elsewhere, member("Gold")), 0);
}

TEST(Limits, CapsAndBudgetsCutWhatARuleGives) {
    const char* capped = R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000,
                             "limits": {"per_purchase": 100, "per_day": 150, "per_month": 1000, "budget": 5000}}]})";
    const auto outcome = evaluate(basket(), member(), rules_of(capped), Timestamp{});
    EXPECT_EQ(outcome->points_earned(), 100);
    EXPECT_TRUE(outcome->effects[0].capped);

    MemberState used_today = member();
    used_today.usage["base"] = RuleUsage{120, 120};
    EXPECT_EQ(points(capped, basket(), used_today), 30);
    used_today.usage["base"] = RuleUsage{0, 990};
    EXPECT_EQ(points(capped, basket(), used_today), 10);
    EXPECT_EQ(points(capped, basket(), member(), RuleCounters{{{"base", 4960}}}), 40);
    EXPECT_EQ(points(capped, basket(), member(), RuleCounters{{{"base", 5000}}}), 0) << "budget spent: rule stops";
}

TEST(Groups, OnlyTheBestOrTheFirstRuleOfAGroupApplies) {
    const char* best = R"({"rules": [
        {"id": "small", "kind": "bonus", "points": 10, "group": "promo", "priority": 5},
        {"id": "large", "kind": "bonus", "points": 50, "group": "promo", "priority": 1},
        {"id": "base", "points": 1, "per_amount": 10000}]})";
    const auto outcome = evaluate(basket(), member(), rules_of(best), Timestamp{});
    ASSERT_EQ(outcome->effects.size(), 2U);
    EXPECT_EQ(outcome->effects[0].rule_id, "large");
    EXPECT_EQ(outcome->points_earned(), 50 + 165);

    const char* first = R"({"rules": [
        {"id": "small", "kind": "bonus", "points": 10, "group": "promo", "priority": 5},
        {"id": "large", "kind": "bonus", "points": 50, "group": "promo", "priority": 1}],
        "groups": {"promo": "first"}})";
    EXPECT_EQ(points(first), 10);
}

TEST(Earning, SameInputGivesTheSameOutcome) {
    const RuleSet rules = rules_of(R"({"rules": [{"id": "a", "points": 1, "per_amount": 10000},
                                                 {"id": "b", "points": 2, "per_amount": 100000, "rounding": "ceil"}]})");
    const auto first = evaluate(basket(), member(), rules, Timestamp{});
    const auto second = evaluate(basket(), member(), rules, Timestamp{});
    ASSERT_EQ(first->effects.size(), second->effects.size());
    for (std::size_t i = 0; i < first->effects.size(); ++i) {
        EXPECT_EQ(first->effects[i].amount, second->effects[i].amount);
        EXPECT_EQ(first->effects[i].receipt_line, second->effects[i].receipt_line);
        EXPECT_EQ(first->effects[i].rule_version, 7);
    }
    EXPECT_TRUE(evaluate(basket(), member(), RuleSet{}, Timestamp{})->effects.empty());
}

TEST(ReceiptText, LinesNeverExceedFortyCharactersCountedInCodePoints) {
    const std::string persian = "امتیاز باشگاه مشتریان کافه مرکزی تهران با نام بسیار طولانی";
    const std::string line = receipt_line(persian, "+1200 points").str();
    EXPECT_LE(code_points(line), kReceiptLineMax);
    EXPECT_TRUE(line.ends_with(": +1200 points"));
    EXPECT_EQ(receipt_line("Club", "+5"), "Club: +5");
    EXPECT_EQ(code_points("سلام"), 4U);
}

TEST(RuleSets, EveryProblemIsListedWithItsPath) {
    const auto document = json::parse(R"({"rules": [
        {"id": "a", "points": -1, "per_amount": 0, "rounding": "up", "colour": "red",
         "valid_from": "2026-12-01T00:00:00Z", "valid_until": "2026-11-01T00:00:00Z",
         "schedule": {"days": ["mon", "someday"], "from": "19:00", "until": "17:00"},
         "multipliers": {"categories": {"coffee": 1.234, "tea": -1}},
         "limits": {"budget": -5}},
        {"points": 1, "per_amount": 100, "conditions": {"categories": ["ok", 5], "min_qty": 2}},
        {"id": "a", "kind": "gift", "points": 1}
    ], "groups": {"promo": "random"}, "version": 3})");
    const auto parsed = parse_rule_set(document, 1);
    ASSERT_FALSE(parsed.has_value());
    std::vector<std::string> fields;
    for (const Error& problem : parsed.error().problems) fields.push_back(problem.field);
    const std::vector<std::string> expected = {
        "version",
        "rules[0].colour",
        "rules[0].valid_until",
        "rules[0].schedule.days[1]",
        "rules[0].schedule.until",
        "rules[0].points",
        "rules[0].per_amount",
        "rules[0].rounding",
        "rules[0].multipliers.categories.coffee",
        "rules[0].multipliers.categories.tea",
        "rules[0].limits.budget",
        "rules[1].id",
        "rules[1].conditions.min_qty",
        "rules[1].conditions.categories[1]",
        "rules[2].kind",
        "rules[2].per_amount",  // An unknown kind is read as earn, which needs per_amount.
        "rules[2].id",
        "groups.promo",
    };
    EXPECT_EQ(fields, expected);
}

// Seen while adding json_documents_fuzz's bounds check: a multiplier so small that it rounds to
// 0 hundredths passed the 2-decimals check (it is within its tolerance of 0) and became x0.
TEST(RuleSets, AMultiplierTooSmallForTwoDecimalsIsRefusedNotReadAsZero) {
    for (const double multiplier : {1e-9, 0.000001, 0.004}) {
        const json document = {{"rules", json::array({{{"id", "x"},
                                                       {"points", 1},
                                                       {"per_amount", 100},
                                                       {"multipliers", {{"tiers", {{"Gold", multiplier}}}}}}})}};
        const auto parsed = parse_rule_set(document, 1);
        ASSERT_FALSE(parsed.has_value()) << multiplier;
        ASSERT_EQ(parsed.error().problems.size(), 1U) << multiplier;
        EXPECT_EQ(parsed.error().problems[0].field, "rules[0].multipliers.tiers.Gold") << multiplier;
    }
    const RuleSet rules = rules_of(R"({"rules": [{"id": "x", "points": 1, "per_amount": 100,
        "multipliers": {"tiers": {"Gold": 0.01}}}]})");
    EXPECT_EQ(rules.rules.at(0).tier_percent.at("Gold"), 1);
}

TEST(RuleSets, BoundsKeepTheArithmeticExact) {
    const auto parsed = parse_rule_set(json::parse(R"({"rules": [{"id": "x", "points": 100001, "per_amount": 1,
        "multipliers": {"skus": {"A": 100.01}}}]})"),
                                       1);
    ASSERT_FALSE(parsed.has_value());
    ASSERT_EQ(parsed.error().problems.size(), 2U);
    EXPECT_EQ(parsed.error().problems[0].field, "rules[0].points");
    EXPECT_EQ(parsed.error().problems[1].field, "rules[0].multipliers.skus.A");
    // The largest basket the POS document allows, at the largest rates: no overflow, exact points.
    Purchase purchase = basket();
    purchase.lines.clear();
    purchase.total = 0;
    for (int i = 1; i <= 1000; ++i) {
        purchase.lines.push_back({i, "A", "x", 1000, 1'000'000'000'000'000'000, 1'000'000'000'000'000'000, 0});
    }
    const RuleSet rules = rules_of(R"({"rules": [{"id": "max", "points": 100000, "per_amount": 1000000000000000,
        "multipliers": {"skus": {"A": 100}, "categories": {"x": 100}, "tiers": {"Gold": 100}}}]})");
    const auto outcome = evaluate(purchase, member("Gold"), rules, Timestamp{});
    // Per line 10^18 x 10^5 x 100 x 100 x 100 / 10^15 = 10^14 points; 1,000 lines.
    ASSERT_EQ(outcome->effects.size(), 1U);
    EXPECT_EQ(outcome->effects[0].raw_milli, std::numeric_limits<std::int64_t>::max()) << "too large to keep: clamped";
    EXPECT_EQ(outcome->points_earned(), 100'000'000'000'000'000);
    // Rounded line by line, each line's points clamped already: their sum is clamped, never wrapped.
    Purchase two = basket();
    two.lines = {{1, "A", "x", 1000, 500'000'000'000'000'000, 500'000'000'000'000'000, 0},
                 {2, "B", "x", 1000, 500'000'000'000'000'000, 500'000'000'000'000'000, 0}};
    two.total = 1'000'000'000'000'000'000;
    EXPECT_EQ(points(R"({"rules": [{"id": "l", "points": 100000, "per_amount": 1, "rounding_scope": "line"}]})", two),
              std::numeric_limits<std::int64_t>::max());
}

TEST(RuleSets, AWellFormedSetParses) {
    const auto parsed = parse_rule_set(json::parse(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000,
        "conditions": {"exclude_categories": ["tobacco"]}, "multipliers": {"tiers": {"Gold": 1.5}}}]})"),
                                       3);
    ASSERT_TRUE(parsed.has_value());
    ASSERT_EQ(parsed->rules.size(), 1U);
    EXPECT_EQ(parsed->version, 3);
    EXPECT_EQ(parsed->rules[0].name, "base");
    EXPECT_EQ(parsed->rules[0].rounding, Rounding::kFloor);
    EXPECT_EQ(parsed->rules[0].tier_percent.at("Gold"), 150);
}

TEST(Receipts, APersianProgramPrintsPersianWordsAndDigits) {
    RuleSet rules = rules_of(R"({"rules": [{"id": "base", "name": "امتیاز خرید", "points": 1, "per_amount": 10000,
        "multipliers": {"tiers": {"Gold": 1.5}}}]})");
    rules.language = Language::kPersian;
    rules.points.point_value_minor = 1000;
    Purchase purchase = basket();
    purchase.redeem_points = 12;
    MemberState gold = member("Gold");
    gold.points_available = 500;
    const auto outcome = evaluate(purchase, gold, rules, Timestamp{});
    ASSERT_EQ(outcome->effects.size(), 2u);
    EXPECT_EQ(outcome->effects[0].receipt_line, "امتیاز مصرفی: -۱۲ (۱۲٬۰۰۰ ریال)");
    // (1,650,000 - 12,000) / 10,000 x 1.5 = 245.7
    EXPECT_EQ(outcome->effects[1].receipt_line, "امتیاز خرید (Gold ×۱٫۵): +۲۴۵ امتیاز");
    EXPECT_LE(code_points(outcome->effects[1].receipt_line.view()), kReceiptLineMax);
    EXPECT_EQ(money_text({123456, *find_currency("USD")}, Language::kPersian), "۱٬۲۳۴٫۵۶ USD");
    EXPECT_EQ(multiplier_text(105, Language::kEnglish), "x1.05");
}

}  // namespace
}  // namespace patron::core
