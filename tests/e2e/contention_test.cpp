// Contention at volume, through a real patrond (issue 20): a hundred tills at once, while other
// tills keep selling, redeeming one member's points, one single-use coupon code, one shared code
// of a campaign that allows ten redemptions, or one member's cashback wallet, get exactly what is
// there: the affordable ones succeed, every other one is refused with its own code, no client
// ever sees a deadlock or a 5xx, and the ledger verifies afterwards.
#include <atomic>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class Contention : public PatrondTest {
  protected:
    long long available(int member) {
        const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id(member)) + "/balance");
        EXPECT_EQ(balance.status, 200) << balance.body;
        return json::parse(balance.body)["points"]["available"].get<long long>();
    }

    // The purchases sent at once by as many tills, while two other tills sell to other members:
    // how they were answered ("201", or "422 POINTS_INSUFFICIENT", ...). The other tills' sales
    // must all succeed, and the ledger verify afterwards.
    std::map<std::string, int> race(const std::vector<json>& purchases) {
        std::atomic<bool> racing{true};
        std::atomic<int> background_failures{0};
        std::vector<std::thread> background;
        for (int till = 1; till <= 2; ++till) {
            background.emplace_back([&, till] {
                for (int n = 0; racing; ++n) {
                    const std::string receipt =
                        "B-" + std::to_string(till) + "-" + std::to_string(n) + "-" + std::to_string(++races_);
                    if (pos("POST", "/v1/pos/purchases", purchase(receipt, card(till), 250000).dump()).status != 201) {
                        ++background_failures;
                    }
                }
            });
        }
        std::vector<std::future<HttpReply>> racers;
        for (const json& sale : purchases) {
            racers.push_back(std::async(std::launch::async,
                                        [this, body = sale.dump()] { return pos("POST", "/v1/pos/purchases", body); }));
        }
        std::map<std::string, int> outcomes;
        for (auto& racer : racers) {
            const HttpReply reply = racer.get();
            outcomes[reply.status == 201 ? "201" : std::to_string(reply.status) + " " + code_of(reply)] += 1;
        }
        racing = false;
        for (std::thread& till : background) till.join();
        EXPECT_EQ(background_failures, 0);
        const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
        EXPECT_EQ(verified.exit_code, 0) << verified.output;
        return outcomes;
    }

    std::atomic<int> races_{0};
};

TEST_F(Contention, AHundredTillsRedeemingOneBalanceSpendExactlyWhatItHolds) {
    // Points earned are held for a day, so that what the racers spend is only what the member
    // holds now: 500 points, 25 redemptions of 20.
    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"points": {"hold_days": 1}})").status, 200);
    const json grant = {{"points", 500 - available(0)}, {"reason", "contention test"}};
    ASSERT_EQ(staff("POST", "/v1/members/" + std::to_string(member_id(0)) + "/points/adjustments", grant.dump()).status,
              201);
    ASSERT_EQ(available(0), 500);

    constexpr int kRacers = 100;
    std::vector<json> racers;
    for (int i = 0; i < kRacers; ++i) {
        json sale = purchase("R-" + std::to_string(i), card(0), 100000);
        sale["redeem_points"] = 20;
        racers.push_back(sale);
    }
    const auto outcomes = race(racers);
    EXPECT_EQ(outcomes, (std::map<std::string, int>{{"201", 25}, {"422 POINTS_INSUFFICIENT", kRacers - 25}}));
    EXPECT_EQ(available(0), 0);
}

TEST_F(Contention, AHundredTillsRacingForOneSingleUseCodeAndOneCodeOfTenGetOneAndTen) {
    // A campaign of single-use codes, one drawn; another of one public code the campaign allows
    // ten redemptions of in all.
    const std::string single_use = first_code(publish_campaign(
        {{"name", "Once"}, {"type", "percent_off_basket"}, {"percent", 10}}, {{"count", 1}, {"prefix", "ONE-"}}));
    ASSERT_TRUE(single_use.starts_with("ONE-")) << single_use;
    publish_campaign(
        {{"name", "Ten"}, {"type", "percent_off_basket"}, {"percent", 10}, {"limits", {{"redemptions", 10}}}},
        {{"code", "TEN-RACE"}, {"single_use", false}});

    // A hundred racers for each code, all of one member (the campaigns set no share a member).
    std::vector<json> racers;
    for (int i = 0; i < 200; ++i) {
        json sale = purchase("K-" + std::to_string(i), card(0), 100000);
        sale["coupons"] = {i % 2 == 0 ? single_use : std::string("TEN-RACE")};
        racers.push_back(sale);
    }
    const auto outcomes = race(racers);
    EXPECT_EQ(outcomes, (std::map<std::string, int>{
                            {"201", 1 + 10}, {"409 COUPON_ALREADY_USED", 99}, {"422 COUPON_LIMIT_REACHED", 90}}));
}

TEST_F(Contention, AHundredTillsPayingFromOneCashbackWalletSpendExactlyWhatItHolds) {
    // 5% cashback on baskets of 1,000,000 IRR or more, at most 40,000 a purchase: one basket
    // fills the wallet with 40,000, and the racers' baskets of 100,000 earn none.
    const auto rule = staff("PUT", "/v1/program/rules/draft/cashback/cb5",
                            R"({"name": "Cashback 5%", "percent": 5, "caps": {"per_purchase": 40000},
                                "conditions": {"min_basket": 1000000}})");
    ASSERT_EQ(rule.status, 200) << rule.body;
    ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);
    const auto filled = pos("POST", "/v1/pos/purchases", purchase_now("fill", card(0), 1000000).dump());
    ASSERT_EQ(filled.status, 201) << filled.body;
    ASSERT_EQ(json::parse(filled.body).value("/cashback/balance"_json_pointer, 0), 40000) << filled.body;

    std::vector<json> racers;
    for (int i = 0; i < 100; ++i) {
        json sale = purchase_now("W-" + std::to_string(i), card(0), 100000);
        sale["spend_cashback"] = 2000;
        racers.push_back(sale);
    }
    const auto outcomes = race(racers);
    EXPECT_EQ(outcomes, (std::map<std::string, int>{{"201", 20}, {"422 CASHBACK_INSUFFICIENT", 80}}));
    const json balance = json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body);
    EXPECT_EQ(balance.value("/cashback/amount"_json_pointer, -1), 0) << balance.dump();
}

}  // namespace
}  // namespace patron::testing
