// Contention at volume, through a real patrond (issue 20): a hundred tills redeeming one member's
// points at once, while other tills keep selling, spend exactly what the member holds: the
// affordable redemptions succeed, every other one is refused as POINTS_INSUFFICIENT, no client
// ever sees a deadlock or a 5xx, and the ledger verifies afterwards.
#include <atomic>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

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
};

TEST_F(Contention, AHundredTillsRedeemingOneBalanceSpendExactlyWhatItHolds) {
    // Points earned are held for a day, so that what the racers spend is only what the member
    // holds now: 500 points, 25 redemptions of 20.
    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"points": {"hold_days": 1}})").status, 200);
    const json grant = {{"points", 500 - available(0)}, {"reason", "contention test"}};
    ASSERT_EQ(staff("POST", "/v1/members/" + std::to_string(member_id(0)) + "/points/adjustments", grant.dump()).status,
              201);
    ASSERT_EQ(available(0), 500);

    // Other tills sell to other members meanwhile.
    std::atomic<bool> racing{true};
    std::atomic<int> background_failures{0};
    std::vector<std::thread> background;
    for (int till = 1; till <= 2; ++till) {
        background.emplace_back([&, till] {
            for (int n = 0; racing; ++n) {
                const std::string receipt = "B-" + std::to_string(till) + "-" + std::to_string(n);
                if (pos("POST", "/v1/pos/purchases", purchase(receipt, card(till), 250000).dump()).status != 201) {
                    ++background_failures;
                }
            }
        });
    }

    constexpr int kRacers = 100;
    std::vector<std::future<HttpReply>> racers;
    for (int i = 0; i < kRacers; ++i) {
        json sale = purchase("R-" + std::to_string(i), card(0), 100000);
        sale["redeem_points"] = 20;
        racers.push_back(std::async(std::launch::async,
                                    [this, body = sale.dump()] { return pos("POST", "/v1/pos/purchases", body); }));
    }
    std::map<std::string, int> outcomes;  // "201", or "422 POINTS_INSUFFICIENT", ...
    for (auto& racer : racers) {
        const HttpReply reply = racer.get();
        outcomes[reply.status == 201 ? "201" : std::to_string(reply.status) + " " + code_of(reply)] += 1;
    }
    racing = false;
    for (std::thread& till : background) till.join();

    EXPECT_EQ(outcomes, (std::map<std::string, int>{{"201", 25}, {"422 POINTS_INSUFFICIENT", kRacers - 25}}));
    EXPECT_EQ(background_failures, 0);
    EXPECT_EQ(available(0), 0);
    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
}  // namespace patron::testing
