// Member scores through the real binaries: purchases with line costs reach the till in JSON and
// CSV, patronctl insight refresh scores the demo program, and staff read a member's scores, the
// counts per segment and band, and the members by value as JSON and CSV.
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using InsightOverHttp = PatrondTest;

TEST_F(InsightOverHttp, PatronctlScoresTheProgramAndStaffReadTheScoresAndValues) {
    json bought = purchase_now("I-1", card(0), 900000);
    bought["lines"][0]["cost"] = 600000;
    const auto committed = pos("POST", "/v1/pos/purchases", bought.dump());
    ASSERT_EQ(committed.status, 201) << committed.body;
    EXPECT_EQ(committed.body.find("600000"), std::string::npos) << "the cost is never in the answer";
    json negative = purchase_now("I-2", card(1), 900000);
    negative["lines"][0]["cost"] = -1;
    EXPECT_TRUE(refused(pos("POST", "/v1/pos/purchases", negative.dump()), 422, "lines[0].cost"));
    const std::string day = purchase_now("x", "", 1)["business_day"];
    const std::string csv =
        "store,terminal,business_day,receipt,pos_time,card,sku,quantity,unit_price,amount,cost\r\n"
        "S001,T01," +
        day + ",I-3," + day + "T00:00:01Z," + card(1) + ",COF-1,1,300000,300000,100000\r\n";
    const auto batch = pos("POST", "/v1/pos/batches", csv, "text/csv");
    ASSERT_EQ(batch.status, 200) << batch.body;
    EXPECT_EQ(json::parse(batch.body)["results"][0]["status"], 201) << batch.body;
    long long costed = 0;
    db.raw() << "SELECT COUNT(*) FROM purchase_lines WHERE cost IS NOT NULL", soci::into(costed);
    EXPECT_EQ(costed, 2);

    const auto refreshed = run_command({patronctl_path(), "insight", "refresh"}, setup.environment());
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.output;
    const long long members = setup.demo["members"].size();
    EXPECT_NE(refreshed.output.find("scored " + std::to_string(members) + " members of 1 programs"), std::string::npos)
        << refreshed.output;

    const auto insight = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/insight");
    ASSERT_EQ(insight.status, 200) << insight.body;
    const json scores = json::parse(insight.body);
    EXPECT_EQ(scores["window_days"], 365);
    EXPECT_EQ(scores["rfm"]["recency_days"], 0);
    EXPECT_EQ(scores["rfm"]["frequency"], 1);
    EXPECT_EQ(scores["churn"]["band"], "low");
    EXPECT_EQ(scores["value"]["spend"], 900000);
    EXPECT_EQ(scores["value"]["cost"], 600000);
    EXPECT_EQ(scores["value"]["margin"], 300000);
    EXPECT_EQ(scores["value"]["net_value"], 900000 - scores["value"]["reward_cost"].get<long long>());
    EXPECT_TRUE(refused(staff("GET", "/v1/members/999999/insight"), 404, "id"));

    const auto segments = staff("GET", "/v1/insight/segments");
    ASSERT_EQ(segments.status, 200) << segments.body;
    const json counts = json::parse(segments.body);
    EXPECT_EQ(counts["totals"]["members"], members);
    EXPECT_EQ(counts["totals"]["spend"], 1200000);
    long long banded = 0;
    for (const json& band : counts["churn_bands"]) banded += band["members"].get<long long>();
    EXPECT_EQ(banded, members);

    const auto listed = staff("GET", "/v1/reports/customer-value?limit=2&order=spend");
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json list = json::parse(listed.body);
    ASSERT_EQ(list["members"].size(), 2u);
    EXPECT_EQ(list["members"][0]["member_id"], member_id(0));
    EXPECT_EQ(list["members"][0]["card"], card(0));
    EXPECT_EQ(list["members"][1]["card"], card(1));
    EXPECT_FALSE(list["members"][0].contains("name"));
    const auto as_csv = staff("GET", "/v1/reports/customer-value?format=csv&limit=1");
    ASSERT_EQ(as_csv.status, 200);
    EXPECT_EQ(as_csv.body.substr(0, as_csv.body.find("\r\n")),
              "member_id,card,segment,churn_band,spend,points_earned,points_cost,cashback,coupon_discounts,"
              "reward_cost,net_value,cost,margin,net_margin");
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/customer-value?limit=1001"), 422, "limit"));
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/customer-value?order=name"), 422, "order"));
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/customer-value?format=xlsx"), 422, "format"));
}

}  // namespace
}  // namespace patron::testing
