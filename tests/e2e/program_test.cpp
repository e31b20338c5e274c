// The marketer's side over HTTP against a real patrond: tiers (and rule sets) set, refused with
// every problem listed, and seen working at the till.
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using ProgramOverHttp = PatrondTest;

TEST_F(ProgramOverHttp, TiersAreSetThenEarnedAtTheTillAndShownWithProgress) {
    EXPECT_EQ(staff("GET", "/v1/program/tiers").status, 404);
    const auto refused = staff("PUT", "/v1/program/tiers", R"({"tiers": [{"name": "Gold", "threshold": 10}], "x": 1})");
    EXPECT_EQ(refused.status, 422);
    const json error = json::parse(refused.body)["error"];
    EXPECT_EQ(error["code"], "VALIDATION_FAILED");
    ASSERT_EQ(error["problems"].size(), 2u) << refused.body;
    EXPECT_EQ(error["problems"][0]["field"], "x");
    EXPECT_EQ(error["problems"][1]["field"], "tiers[0].threshold");

    const auto set = staff("PUT", "/v1/program/tiers",
                           R"({"measure": "points", "tiers": [{"name": "Bronze", "threshold": 0},
                               {"name": "Silver", "threshold": 100}]})");
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(json::parse(set.body)["version"], 1);
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/tiers").body)["tiers"][1]["name"], "Silver");

    const auto bought = pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 1200000).dump());  // 120 points.
    ASSERT_EQ(bought.status, 201) << bought.body;
    EXPECT_EQ(json::parse(bought.body)["member"]["tier"], "Silver");
    const auto shown = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/tier");
    ASSERT_EQ(shown.status, 200) << shown.body;
    const json tier = json::parse(shown.body);
    EXPECT_EQ(tier["tier"]["name"], "Silver");
    EXPECT_FALSE(tier["tier"]["secured_until"].is_null());
    EXPECT_EQ(tier["progress"]["value"], 120);
    EXPECT_TRUE(tier["progress"]["next"].is_null()) << "Silver is the top tier";
    EXPECT_EQ(tier["history"].size(), 1u);
    EXPECT_EQ(
        json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body)["tier"]["name"],
        "Silver");
}

}  // namespace
}  // namespace patron::testing
