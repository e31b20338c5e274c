// Campaign effectiveness against a hold-out (issue 17): the statistics against answers worked by
// hand (and Student's t tables), the assignment's stability and share, and how a hold-out reads
// and acts in the rules, the engine and coupon pricing.
#include "loyalty/core/effectiveness.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "loyalty/core/coupons.h"
#include "loyalty/core/effectiveness_document.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/service/posting/holdout_assignment.h"
#include "sample_basket.h"

namespace patron::core {
namespace {

using nlohmann::json;

Sample sample_of(const std::vector<double>& values) {
    Sample sample;
    for (const double value : values) {
        ++sample.count;
        sample.sum += value;
        sample.squares += value * value;
    }
    return sample;
}

TEST(Effectiveness, StudentTQuantilesMatchTheTables) {
    EXPECT_NEAR(student_t_quantile(0.975, 1), 12.7062047, 1e-6);
    EXPECT_NEAR(student_t_quantile(0.975, 4), 2.7764451, 1e-6);
    EXPECT_NEAR(student_t_quantile(0.975, 10), 2.2281389, 1e-6);
    EXPECT_NEAR(student_t_quantile(0.975, 30), 2.0422725, 1e-6);
    EXPECT_NEAR(student_t_quantile(0.975, 1e7), 1.9599640, 1e-5);
    EXPECT_NEAR(student_t_quantile(0.025, 10), -2.2281389, 1e-6);
}

// One and two degrees of freedom have closed forms: tan(pi (p - 1/2)) and (2p - 1) / sqrt(2p(1 - p));
// Welch's degrees are rarely whole, so a fractional one falls between its neighbours.
TEST(Effectiveness, StudentTQuantilesMatchTheirClosedForms) {
    const double pi = std::acos(-1.0);
    for (const double p : {0.6, 0.9, 0.975, 0.995}) {
        EXPECT_NEAR(student_t_quantile(p, 1), std::tan(pi * (p - 0.5)), 1e-9) << p;
        EXPECT_NEAR(student_t_quantile(p, 2), (2 * p - 1) / std::sqrt(2 * p * (1 - p)), 1e-9) << p;
    }
    EXPECT_NEAR(student_t_quantile(0.975, 2), 4.3026527, 1e-6);
    EXPECT_LT(student_t_quantile(0.975, 2.5), student_t_quantile(0.975, 2));
    EXPECT_GT(student_t_quantile(0.975, 2.5), student_t_quantile(0.975, 3));
}

// Spends 10..60 against 0..50: means 35 and 25, both variances 350, se = √(350/6 + 350/6) =
// 10.80123, Welch's df = 10 exactly (equal sizes and spreads), margin 2.228139 x 10.80123 = 24.06663.
TEST(Effectiveness, WelchIntervalOfEqualSpreadsHasTheirPooledDegrees) {
    const Comparison spend = compare_means(sample_of({10, 20, 30, 40, 50, 60}), sample_of({0, 10, 20, 30, 40, 50}));
    EXPECT_DOUBLE_EQ(spend.targeted, 35);
    EXPECT_DOUBLE_EQ(spend.holdout, 25);
    EXPECT_DOUBLE_EQ(spend.difference, 10);
    ASSERT_TRUE(spend.relative);
    EXPECT_DOUBLE_EQ(*spend.relative, 0.4);
    ASSERT_TRUE(spend.interval);
    EXPECT_NEAR(spend.interval->low, -14.06663, 1e-4);
    EXPECT_NEAR(spend.interval->high, 34.06663, 1e-4);
    EXPECT_FALSE(spend.significant()) << "the interval holds 0";
}

// 100, 110, 120 against 10, 20, 30: difference 90, se = √(100/3 + 100/3) = 8.16497, df = 4,
// margin 2.776445 x 8.16497 = 22.66966.
TEST(Effectiveness, AClearDifferenceIsSignificant) {
    const Comparison spend = compare_means(sample_of({100, 110, 120}), sample_of({10, 20, 30}));
    ASSERT_TRUE(spend.interval);
    EXPECT_NEAR(spend.interval->low, 67.33034, 1e-4);
    EXPECT_NEAR(spend.interval->high, 112.66966, 1e-4);
    EXPECT_TRUE(spend.significant());
}

TEST(Effectiveness, NoIntervalWithoutTwoMembersEachOrWithoutSpread) {
    EXPECT_FALSE(compare_means(sample_of({10}), sample_of({1, 2, 3})).interval);
    EXPECT_FALSE(compare_means(sample_of({5, 5}), sample_of({5, 5})).interval);
    EXPECT_FALSE(compare_means(sample_of({5, 5}), sample_of({0, 0})).relative) << "nothing to be relative to";
    EXPECT_FALSE(compare_shares(1, 1, 0, 5).interval);
}

// 60 of 100 against 40 of 100: difference 0.2, se = √(0.24/100 + 0.24/100) = 0.0692820,
// margin 1.959964 x 0.0692820 = 0.1357903.
TEST(Effectiveness, TwoProportionInterval) {
    const Comparison rate = compare_shares(60, 100, 40, 100);
    EXPECT_DOUBLE_EQ(rate.targeted, 0.6);
    EXPECT_DOUBLE_EQ(rate.holdout, 0.4);
    ASSERT_TRUE(rate.interval);
    EXPECT_NEAR(rate.interval->low, 0.0642097, 1e-6);
    EXPECT_NEAR(rate.interval->high, 0.3357903, 1e-6);
    EXPECT_TRUE(rate.significant());
}

EffectivenessReport sample_report() {
    EffectivenessReport report;
    report.query.from = *parse_date("2026-11-01");
    report.query.to = *parse_date("2026-11-30");
    report.time_zone = "Asia/Tehran";
    report.id = "double";
    report.name = "Double points";
    report.holdout_percent = 10;
    // Spends as above; visits 1, 2, 1, 2, 1, 2 against 0, 1, 1, 1, 1, 1.
    report.targeted = GroupTally{6, 210, 9100, 9, 15, 6};
    report.holdout = GroupTally{6, 150, 5500, 5, 5, 5};
    report.cost = RewardCost{40, 20, 5, 5};  // 30 in all.
    return report;
}

TEST(Effectiveness, DocumentPrintsMoneyInMinorUnitsAndFiguresScaled) {
    const json document = effectiveness_report_json(sample_report());
    EXPECT_EQ(document["groups"]["targeted"]["members"], 6);
    EXPECT_EQ(document["spend_per_member"]["targeted"], 35);
    EXPECT_EQ(document["spend_per_member"]["uplift"], 10);
    EXPECT_EQ(document["spend_per_member"]["uplift_relative_x10"], 400);
    EXPECT_EQ(document["spend_per_member"]["interval_low"], -14);
    EXPECT_EQ(document["spend_per_member"]["interval_high"], 34);
    EXPECT_EQ(document["spend_per_member"]["significant"], false);
    EXPECT_EQ(document["visits_per_member_x1000"]["targeted"], 1500);
    EXPECT_EQ(document["visits_per_member_x1000"]["holdout"], 833);
    EXPECT_EQ(document["purchase_rate_x10"]["targeted"], 1000);
    EXPECT_EQ(document["purchase_rate_x10"]["holdout"], 833);
    EXPECT_EQ(document["reward_cost"]["total"], 30);
    // 30 / (10 x 6 members) = 0.5 per minor unit of extra spend.
    EXPECT_EQ(document["reward_cost"]["per_uplift_x1000"], 500);

    const std::string csv = effectiveness_report_csv(sample_report());
    EXPECT_NE(csv.find("figure,targeted,holdout,uplift,uplift_relative_x10,interval_low,interval_high,significant\r\n"),
              std::string::npos);
    EXPECT_NE(csv.find("spend_per_member,35,25,10,400,-14,34,no\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("reward_cost_per_uplift_x1000,500,"), std::string::npos) << csv;
}

TEST(Effectiveness, NoCostPerUpliftWithoutAnUplift) {
    EffectivenessReport report = sample_report();
    std::swap(report.targeted, report.holdout);
    EXPECT_TRUE(effectiveness_report_json(report)["reward_cost"]["per_uplift_x1000"].is_null());
}

TEST(HoldoutAssignment, IsTheDocumentedHashOfTheCampaignAndTheMember) {
    // SHA-256("patron holdout v1\nrule\ndouble\n42"): its first 8 bytes, big-endian, mod 10,000.
    EXPECT_EQ(service::holdout_bucket(CampaignKind::kRule, "double", 42), 3600);
    EXPECT_EQ(service::holdout_bucket(CampaignKind::kCoupon, "7", 1), 6210);
}

TEST(HoldoutAssignment, IsStableAndHoldsOutCloseToTheShareOf10000Members) {
    const Holdout ten{10};
    int held_out = 0, both = 0;
    for (long long member = 1; member <= 10'000; ++member) {
        const bool out = service::is_held_out(ten, CampaignKind::kRule, "double", member);
        held_out += out ? 1 : 0;
        both += out && service::is_held_out(ten, CampaignKind::kRule, "welcome", member) ? 1 : 0;
    }
    // Binomial(10,000, 0.1): a standard deviation of 30; 100 is more than three of them.
    EXPECT_NEAR(held_out, 1000, 100);
    // Another campaign splits independently: about 1% of members are held out of both.
    EXPECT_NEAR(both, 100, 40);
}

json earn_rule(json holdout) {
    json rule = {{"id", "double"}, {"kind", "earn"}, {"points", 1}, {"per_amount", 10000}};
    if (!holdout.is_null()) rule["holdout"] = std::move(holdout);
    return rule;
}

std::vector<std::string> problem_fields(const json& document) {
    std::vector<std::string> fields;
    const auto parsed = parse_rule_set(document, 1);
    if (!parsed) {
        for (const Error& problem : parsed.error().problems) fields.push_back(problem.field);
    }
    return fields;
}

TEST(Holdout, IsAWholePercentFrom1To50RefusedByItsPath) {
    for (const json& wrong : {json{{"percent", 0}}, json{{"percent", 51}}, json{{"percent", 12.5}},
                              json{{"percent", "10"}}, json::object()}) {
        EXPECT_EQ(problem_fields(json{{"rules", {earn_rule(wrong)}}}),
                  std::vector<std::string>{"rules[0].holdout.percent"})
            << wrong.dump();
    }
    EXPECT_EQ(problem_fields(json{{"rules", {earn_rule(json{{"percent", 10}, {"share", 1}})}}}),
              std::vector<std::string>{"rules[0].holdout.share"});
    const json cashback = {{"id", "back"}, {"percent", 5}, {"holdout", {{"percent", 60}}}};
    EXPECT_EQ(problem_fields(json{{"cashback", {cashback}}}), std::vector<std::string>{"cashback[0].holdout.percent"});
    const json card = {{"id", "coffee"}, {"goal", 5}, {"reward", {{"points", 10}}}, {"holdout", {{"percent", -1}}}};
    EXPECT_EQ(problem_fields(json{{"stamp_cards", {card}}}),
              std::vector<std::string>{"stamp_cards[0].holdout.percent"});
    const auto campaign = parse_coupon_campaign(
        json{{"name", "Ten off"}, {"type", "amount_off_basket"}, {"amount", 10}, {"holdout", {{"percent", 50.5}}}});
    ASSERT_FALSE(campaign);
    EXPECT_EQ(campaign.error().field, "holdout.percent");

    const auto parsed = parse_rule_set(json{{"rules", {earn_rule(json{{"percent", 50}})}}}, 1);
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(parsed->rules[0].holdout);
    EXPECT_EQ(parsed->rules[0].holdout->percent, 50);
}

TEST(Holdout, AHeldOutMemberGetsNothingFromTheRuleAndBothGroupsAreExposed) {
    const json cashback = {{"id", "back"}, {"percent", 5}, {"holdout", {{"percent", 10}}}};
    const json card = {{"id", "coffee"}, {"goal", 5}, {"reward", {{"points", 10}}}, {"holdout", {{"percent", 10}}}};
    const json plain = {{"id", "base"}, {"kind", "bonus"}, {"points", 7}};
    const auto rules = parse_rule_set(
        json{{"rules", {earn_rule(json{{"percent", 10}}), plain}}, {"cashback", {cashback}}, {"stamp_cards", {card}}},
        1);
    ASSERT_TRUE(rules) << rules.error().problems.front().field;
    MemberState targeted;
    const auto given = evaluate(basket(), targeted, *rules, basket().pos_time.utc);
    ASSERT_TRUE(given);
    EXPECT_EQ(given->points_earned(), 165 + 7);
    EXPECT_GT(given->cashback_earned(), 0);
    EXPECT_EQ(given->exposures, (std::vector<Exposure>{{"double", false}, {"back", false}, {"coffee", false}}));

    MemberState held_out;
    held_out.held_out = {"double", "back", "coffee"};
    const auto withheld = evaluate(basket(), held_out, *rules, basket().pos_time.utc);
    ASSERT_TRUE(withheld);
    EXPECT_EQ(withheld->points_earned(), 7) << "only the rule without a hold-out gives";
    EXPECT_EQ(withheld->cashback_earned(), 0);
    for (const Effect& effect : withheld->effects) EXPECT_NE(effect.kind, EffectKind::kStamps);
    EXPECT_EQ(withheld->exposures, (std::vector<Exposure>{{"double", true}, {"back", true}, {"coffee", true}}));

    MemberState anonymous;
    anonymous.identified = false;
    EXPECT_TRUE(evaluate(basket(), anonymous, *rules, basket().pos_time.utc)->exposures.empty());
}

TEST(Holdout, AHeldOutMemberIsRefusedTheCampaignsSharedCodesButNotOneGivenToThem) {
    auto campaign = parse_coupon_campaign(
        json{{"name", "Ten off"}, {"type", "amount_off_basket"}, {"amount", 10000}, {"holdout", {{"percent", 10}}}});
    ASSERT_TRUE(campaign);
    const CouponMember member{true, 42, ""};
    PresentedCoupon shared{"TEN", &*campaign, false};
    shared.held_out = true;
    const auto refused = price_coupons(basket(), {shared}, member, Language::kEnglish);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kCouponNotForMember);

    PresentedCoupon given = shared;
    given.assigned_member = 42;
    EXPECT_TRUE(price_coupons(basket(), {given}, member, Language::kEnglish));
    shared.held_out = false;
    EXPECT_TRUE(price_coupons(basket(), {shared}, member, Language::kEnglish));
    const auto anonymous = price_coupons(basket(), {shared}, CouponMember{}, Language::kEnglish);
    ASSERT_FALSE(anonymous);
    EXPECT_EQ(anonymous.error().code, ErrorCode::kCouponNotForMember) << "a hold-out is for members only";
}

}  // namespace
}  // namespace patron::core
