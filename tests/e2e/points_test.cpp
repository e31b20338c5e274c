#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using PointsOverHttp = PatrondTest;

TEST_F(PointsOverHttp, AMemberPaysWithPointsAndPatronctlVerifiesTheBooks) {
    const auto earned = pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump());
    ASSERT_EQ(earned.status, 201) << earned.body;
    // The rule's Persian name heads its line, in the programme's language, as a till prints it.
    EXPECT_EQ(json::parse(earned.body)["receipt_lines"][0], "باشگاه مشتریان: +۹۰ امتیاز");
    json paying = purchase("P-2", card(0), 100000);
    paying["redeem_points"] = 50;
    const auto paid = pos("POST", "/v1/pos/purchases", paying.dump());
    ASSERT_EQ(paid.status, 201) << paid.body;
    const json answer = json::parse(paid.body);
    EXPECT_EQ(answer["points"]["redeemed"], 50);
    EXPECT_EQ(answer["points"]["redeemed_value"], 50000);
    EXPECT_EQ(answer["points"]["earned"], 5);
    EXPECT_EQ(answer["points"]["available"], 45);
    EXPECT_EQ(answer["receipt_lines"][0], "امتیاز مصرفی: -۵۰ (۵۰٬۰۰۰ ریال)") << "the demo program speaks Persian";

    json too_much = purchase("P-3", card(0), 900000);
    too_much["redeem_points"] = 46;
    const auto refused = pos("POST", "/v1/pos/purchases", too_much.dump());
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "POINTS_INSUFFICIENT");

    const auto environment = setup.environment();
    const auto verified = run_command({patronctl_path(), "verify"}, environment);
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    EXPECT_NE(verified.output.find("agree"), std::string::npos);
    const auto expired = run_command({patronctl_path(), "expire"}, environment);
    EXPECT_EQ(expired.exit_code, 0) << expired.output;
    EXPECT_NE(expired.output.find("moved 0 points"), std::string::npos) << "nothing is due a year early";

    db.raw() << "UPDATE member_accounts SET points_available = 1000 WHERE member_id = :id", soci::use(member_id(0));
    const auto broken = run_command({patronctl_path(), "verify"}, environment);
    EXPECT_EQ(broken.exit_code, 1);
    EXPECT_NE(broken.output.find("member available points (ledger vs balance) " + std::to_string(member_id(0))),
              std::string::npos)
        << broken.output;
}

TEST_F(PointsOverHttp, SupportAdjustsPointsWithAReason) {
    const std::string path = "/v1/members/" + std::to_string(member_id(1)) + "/points/adjustments";
    const auto added = staff("POST", path, R"({"points": 250, "reason": "Birthday goodwill"})");
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(json::parse(added.body)["balance"]["points"]["available"], 250);
    const auto removed = staff("POST", path, R"({"points": -50, "reason": "Correction"})");
    ASSERT_EQ(removed.status, 201) << removed.body;
    EXPECT_EQ(json::parse(removed.body)["balance"]["points"]["available"], 200);

    const std::pair<const char*, const char*> refused[] = {
        {R"({"points": 10})", "reason"},
        {R"({"points": 1.5, "reason": "x"})", "points"},
        {R"({"points": "10", "reason": "x"})", "points"},
        {R"({"points": 0, "reason": "x"})", "points"},
        {R"({"points": -201, "reason": "x"})", "points"},
    };
    for (const auto& [body, field] : refused) {
        SCOPED_TRACE(body);
        const auto reply = staff("POST", path, body);
        EXPECT_EQ(reply.status, 422);
        EXPECT_EQ(json::parse(reply.body)["error"]["field"], field);
    }
    EXPECT_EQ(json::parse(
                  staff("GET", "/v1/members/" + std::to_string(member_id(1)) + "/balance").body)["points"]["available"],
              200);
    EXPECT_EQ(run_command({patronctl_path(), "verify"}, setup.environment()).exit_code, 0);
}

}  // namespace
}  // namespace patron::testing
