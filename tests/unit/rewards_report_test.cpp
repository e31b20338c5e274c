// The Rewards report without a database: which source a ledger rule id names, how the database's
// figures become rows (the programme's row whole, its stores' after it, listed sources with
// nothing), the values and rates derived from them, and the JSON and CSV forms.
#include "loyalty/core/rewards_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/reward_rule_ids.h"
#include "loyalty/core/rewards_report_document.h"

namespace patron::core {
namespace {

using nlohmann::json;

const RewardSource kBase{RewardKind::kEarnRule, "base"};
const RewardSource kAutumn{RewardKind::kCouponCampaign, "7"};
const RewardSource kCoffee{RewardKind::kStampCard, "coffee"};
const RewardSource kCashback{RewardKind::kCashbackRule, "cb5"};

RewardsReportInputs inputs(std::optional<std::string> store = {}, bool by_store = false) {
    RewardsReportInputs in;
    in.query = ReportQuery{parse_date("2026-11-01").value(),
                           parse_date("2026-11-30").value(),
                           PeriodSize::kMonth,
                           std::move(store),
                           by_store,
                           ReportFormat::kJson};
    in.time_zone = "Asia/Tehran";
    in.currency = "IRR";
    in.point_value_minor = 1000;
    in.store_codes = {{1, "S001"}, {2, "S002"}};
    in.names = {{kBase, "Club points"}, {kCoffee, "Coffee card"}, {kAutumn, "Autumn"}, {kCashback, "Cashback 5%"}};
    in.flows[{kBase, 1}] = RewardFlows{.points_given = 40, .points_taken_back = 20};
    in.flows[{kBase, 2}] = RewardFlows{.points_given = 30};
    in.reach[kBase] = {3, 2};
    in.store_reach[{kBase, 1}] = {2, 1};
    in.store_reach[{kBase, 2}] = {1, 1};
    in.flows[{kAutumn, 1}] = RewardFlows{.discount_given = 100000, .redemptions = 1};
    in.reach[kAutumn] = {1, 1};
    in.coupons["7"] = {3, 3, 1};
    in.cards["coffee"] = {4, 1};
    in.listed = {kCashback};
    return in;
}

TEST(RewardSources, APointsRuleIdNamesItsRuleCampaignCardOrABlindReturn) {
    EXPECT_EQ(points_reward_source("base"), kBase);
    EXPECT_EQ(points_reward_source("coupon:7"), kAutumn);
    EXPECT_EQ(points_reward_source("stamps:coffee"), kCoffee);
    EXPECT_EQ(points_reward_source("blind_return"), (RewardSource{RewardKind::kBlindReturn, "blind_return"}));
}

TEST(RewardSources, TheEnginesRuleIdsOfCampaignsAndCardsReadBackAsWritten) {
    EXPECT_EQ(coupon_of_rule_id(coupon_rule_id(7)), "7");
    EXPECT_EQ(stamp_card_of_rule_id(stamp_reward_rule_id("coffee")), "coffee");
    EXPECT_EQ(points_reward_source(coupon_rule_id(7)), kAutumn);
    EXPECT_EQ(points_reward_source(stamp_reward_rule_id("coffee")), kCoffee);
    EXPECT_FALSE(coupon_of_rule_id(stamp_reward_rule_id("coffee")));
    EXPECT_FALSE(stamp_card_of_rule_id("base"));
}

TEST(RewardsReportRows, TheProgrammesRowSumsItsStoresAndListedSourcesShowWithNothing) {
    const RewardsReport report = build_rewards_report(inputs({}, true));
    EXPECT_EQ(report.query.by, PeriodSize::kTotal) << "the report sums the whole range";
    ASSERT_EQ(report.rows.size(), 7U);
    EXPECT_EQ(report.rows[0].source, kBase);
    EXPECT_EQ(report.rows[0].store, "");
    EXPECT_EQ(report.rows[0].name, "Club points");
    EXPECT_EQ(report.rows[0].flows.points_given, 70);
    EXPECT_EQ(report.rows[0].reach, (RewardReach{3, 2}));
    EXPECT_EQ(report.rows[1].store, "S001");
    EXPECT_EQ(report.rows[1].reach, (RewardReach{2, 1}));
    EXPECT_EQ(report.rows[2].store, "S002");
    EXPECT_EQ(report.rows[3].source, kAutumn);
    EXPECT_EQ(report.rows[4].store, "S001");
    EXPECT_FALSE(report.rows[4].coupons) << "codes belong to no store";
    EXPECT_EQ(report.rows[5].source, kCoffee) << "a card with take-up and nothing in the range";
    EXPECT_EQ(report.rows[6].source, kCashback);
    EXPECT_EQ(report.rows[6].flows, RewardFlows{});
    EXPECT_EQ(report.total.points_given, 70);
    EXPECT_EQ(report.total.discount_given, 100000);
}

TEST(RewardsReportRows, ANamedStoreKeepsTheProgrammesRowsWhole) {
    const RewardsReport report = build_rewards_report(inputs("S002"));
    std::vector<std::string> stores;
    for (const RewardRow& row : report.rows) stores.push_back(row.store);
    EXPECT_EQ(stores, (std::vector<std::string>{"", "S002", "", "", ""}));
    EXPECT_EQ(report.rows[0].flows.points_given, 70);
    EXPECT_EQ(report.rows[1].flows.points_given, 30);
    const RewardsReport whole = build_rewards_report(inputs());
    EXPECT_EQ(whole.rows.size(), 4U) << "without stores, one row per source";
}

TEST(RewardValues, NetPointsAreValuedAtTheRedemptionValueAndRatesRoundToTenthsOfAPercent) {
    const RewardsReport report = build_rewards_report(inputs());
    const RewardValues base = reward_values(report.rows[0], report.point_value_minor);
    EXPECT_EQ(base.points_net, 50);
    EXPECT_EQ(base.points_value_minor, 50000);
    EXPECT_EQ(base.reward_value_minor, 50000);
    EXPECT_FALSE(base.redemption_rate_x10);
    const RewardValues autumn = reward_values(report.rows[1], report.point_value_minor);
    EXPECT_EQ(autumn.discount_net, 100000);
    EXPECT_EQ(autumn.redemption_rate_x10, 333) << "1 of 3 single-use codes";
    RewardRow card{kCoffee, "Coffee card", "", {}, {}, std::nullopt, CardTakeUp{3, 2}};
    EXPECT_EQ(reward_values(card, 1000).completion_rate_x10, 667);
    card.cards = CardTakeUp{};
    EXPECT_FALSE(reward_values(card, 1000).completion_rate_x10) << "nobody started it";
}

TEST(RewardsReportDocument, JsonAndCsvCarryTheSameRows) {
    const RewardsReport report = build_rewards_report(inputs({}, true));
    const json document = rewards_report_json(report);
    EXPECT_EQ(document["report"], "rewards");
    EXPECT_EQ(document["by"], "total");
    EXPECT_EQ(document["rows"].size(), 7U);
    EXPECT_EQ(document["rows"][0]["points"],
              json({{"given", 70}, {"taken_back", 20}, {"net", 50}, {"value_minor", 50000}}));
    EXPECT_FALSE(document["rows"][0].contains("coupons"));
    EXPECT_EQ(document["rows"][3]["coupons"]["redemption_rate_x10"], 333);
    EXPECT_FALSE(document["rows"][4]["coupons"].contains("codes_issued"));
    EXPECT_EQ(document["total"]["reward_value_minor"], 50000 + 100000);
    const std::string csv = rewards_report_csv(report);
    EXPECT_TRUE(csv.starts_with("period,from,to,scope,store,kind,id,name,currency,purchases,members,")) << csv;
    EXPECT_NE(csv.find("\r\n2026-11-01/2026-11-30,2026-11-01,2026-11-30,all,,earn_rule,base,Club points,IRR,3,2,70,20,"
                       "50,50000,0,0,0,0,0,0,50000,,,,,,,,,,,,,\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find(",store,S001,coupon_campaign,7,Autumn,IRR,0,0,0,0,0,0,100000,0,100000,0,0,0,100000,1,0,,,,,"),
              std::string::npos)
        << csv;
}

TEST(RuleDocumentNames, NameEveryRuleCashbackRuleAndCard) {
    const json document = json::parse(R"({"rules": [{"id": "base", "name": "Club points"}, {"id": "x"}],
        "cashback": [{"id": "cb5", "name": "Cashback 5%"}], "stamp_cards": [{"id": "coffee", "name": "Coffee card"}]})");
    const auto names = rule_document_names(document);
    EXPECT_EQ(names.at(kBase), "Club points");
    EXPECT_EQ(names.at((RewardSource{RewardKind::kEarnRule, "x"})), "");
    EXPECT_EQ(names.at(kCashback), "Cashback 5%");
    EXPECT_EQ(names.at(kCoffee), "Coffee card");
    EXPECT_TRUE(rule_document_names(json::array()).empty());
}

}  // namespace
}  // namespace patron::core
