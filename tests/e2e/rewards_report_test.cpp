// The Rewards report through a real patrond (issue 17): two earn rules, a coupon campaign, a stamp
// card with a points reward and a cashback rule published; purchases earning under them, a coupon
// redeemed twice, the card filled twice; a return taking back one line and a void taking back a
// whole purchase (its coupon given back, its card's reward revoked). Every figure against its
// known answer, the points of all rows against the ledger and the Points & cashback report (the
// books `patronctl verify` checks), per store, as CSV, from patronctl, and the refusals.
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"
#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class RewardsReport : public PatrondTest {
  protected:
    void SetUp() override {
        ASSERT_EQ(staff("PUT", "/v1/program/rules/draft/rules/cake",
                        R"({"name": "Cake points", "points": 1, "per_amount": 5000,
                            "conditions": {"categories": ["cake"]}})")
                      .status,
                  200);
        ASSERT_EQ(
            staff("PUT", "/v1/program/rules/draft/cashback/cb5", R"({"name": "Cashback 5%", "percent": 5})").status,
            200);
        ASSERT_EQ(staff("PUT", "/v1/program/rules/draft/stamp-cards/coffee",
                        R"({"name": "Coffee card", "goal": 2, "conditions": {"categories": ["coffee"]},
                            "reward": {"points": 50}})")
                      .status,
                  200);
        const auto published = staff("POST", "/v1/program/rules/publish");
        ASSERT_EQ(published.status, 201) << published.body;
        const auto made = staff("POST", "/v1/coupon-campaigns",
                                R"({"name": "Autumn", "type": "percent_off_basket", "percent": 20,
                                    "conditions": {"min_basket": 100000}})");
        ASSERT_EQ(made.status, 201) << made.body;
        campaign_id = json::parse(made.body)["id"];
        const std::string path = "/v1/coupon-campaigns/" + std::to_string(campaign_id);
        ASSERT_EQ(staff("POST", path + "/codes", R"({"count": 3, "prefix": "AUT-"})").status, 201);
        ASSERT_EQ(staff("POST", path + "/publish").status, 200);
        db.raw() << "SELECT code FROM coupon_codes ORDER BY id LIMIT 1", soci::into(first_code);
        db.raw() << "SELECT code FROM coupon_codes ORDER BY id LIMIT 1 OFFSET 1", soci::into(second_code);
    }
    json committed(const std::string& path, const json& document) {
        const auto reply = pos("POST", path, document.dump());
        EXPECT_EQ(reply.status, 201) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    json report(const std::string& query) {
        const auto reply = staff("GET", "/v1/reports/rewards?" + query);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    // The range around today whatever the programme's zone: yesterday to tomorrow in UTC.
    static std::string range() {
        const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        const auto day = [](std::chrono::sys_days at) { return core::format_date(std::chrono::year_month_day{at}); };
        return "from=" + day(today - std::chrono::days{1}) + "&to=" + day(today + std::chrono::days{1});
    }
    static const json& row_of(const json& report, const std::string& kind, const std::string& id,
                              const json& store = nullptr) {
        for (const json& row : report["rows"]) {
            if (row["kind"] == kind && row["id"] == id && row["store"] == store) return row;
        }
        static const json none;
        ADD_FAILURE() << "no row " << kind << " " << id << " in " << report;
        return none;
    }

    long long campaign_id = 0;
    std::string first_code;
    std::string second_code;
};

TEST_F(RewardsReport, EachRuleCampaignCardAndCashbackRuleNetOfReturnsAgreesWithTheLedger) {
    // P1: member 0, two coffees and a cake: base 50, cake 20, 25,000 cashback, two stamps fill
    // the card (50 points).
    json p1 = purchase_now("P1", card(0), 500000);
    p1["lines"] = {{{"line", 1},
                    {"sku", "COF-1"},
                    {"category", "coffee"},
                    {"quantity", 2},
                    {"unit_price", 200000},
                    {"amount", 400000},
                    {"discount", 0}},
                   {{"line", 2},
                    {"sku", "CAKE-1"},
                    {"category", "cake"},
                    {"quantity", 1},
                    {"unit_price", 100000},
                    {"amount", 100000},
                    {"discount", 0}}};
    const json first = committed("/v1/pos/purchases", p1);
    EXPECT_EQ(first["points"]["earned"], 50 + 20 + 50);
    EXPECT_EQ(first["cashback"]["earned"], 25000);
    // P2: member 1 with a code, 100,000 off: base 40, 20,000 cashback, one stamp.
    json p2 = purchase_now("P2", card(1), 500000);
    p2["coupons"] = {first_code};
    const json second = committed("/v1/pos/purchases", p2);
    EXPECT_EQ(second["coupons"]["discount"], 100000);
    EXPECT_EQ(second["points"]["earned"], 40);
    // P3: member 1 with another code, 40,000 off: base 16, 8,000 cashback, a stamp that fills the card.
    json p3 = purchase_now("P3", card(1), 200000);
    p3["coupons"] = {second_code};
    const json third = committed("/v1/pos/purchases", p3);
    EXPECT_EQ(third["points"]["earned"], 16 + 50);
    EXPECT_EQ(third["cashback"]["earned"], 8000);
    // R: P1's cake back (base 10, cake 20, 5,000 cashback); V: P3 voided whole.
    json cake_back = return_of("R", "P1", {{{"line", 2}, {"quantity", 1}}});
    for (const char* field : {"pos_time", "business_day"}) cake_back[field] = p1[field];
    cake_back["original"]["business_day"] = p1["business_day"];
    EXPECT_EQ(committed("/v1/pos/returns", cake_back)["points"]["earned"], -30);
    json voided = return_of("V", "P3", nullptr);
    for (const char* field : {"pos_time", "business_day"}) voided[field] = p3[field];
    voided["original"]["business_day"] = p3["business_day"];
    EXPECT_EQ(committed("/v1/pos/voids", voided)["points"]["earned"], -66);

    const json rewards = report(range());
    EXPECT_EQ(rewards["by"], "total");
    EXPECT_EQ(rewards["point_value_minor"], 1000);
    const json& base = row_of(rewards, "earn_rule", "base");
    EXPECT_EQ(base["name"], "باشگاه مشتریان");
    EXPECT_EQ(base["points"], json({{"given", 106}, {"taken_back", 26}, {"net", 80}, {"value_minor", 80000}}));
    EXPECT_EQ(base["purchases"], 3);
    EXPECT_EQ(base["members"], 2);
    const json& cake = row_of(rewards, "earn_rule", "cake");
    EXPECT_EQ(cake["points"], json({{"given", 20}, {"taken_back", 20}, {"net", 0}, {"value_minor", 0}}));
    EXPECT_EQ(cake["purchases"], 1);
    const json& autumn = row_of(rewards, "coupon_campaign", std::to_string(campaign_id));
    EXPECT_EQ(autumn["name"], "Autumn");
    EXPECT_EQ(autumn["discount"], json({{"given", 140000}, {"given_back", 40000}, {"net", 100000}}));
    EXPECT_EQ(autumn["coupons"], json({{"redemptions", 2},
                                       {"given_back", 1},
                                       {"codes_issued", 3},
                                       {"single_use_issued", 3},
                                       {"single_use_redeemed", 1},
                                       {"redemption_rate_x10", 333}}));
    EXPECT_EQ(autumn["purchases"], 2);
    EXPECT_EQ(autumn["members"], 1);
    EXPECT_EQ(autumn["reward_value_minor"], 100000);
    const json& coffee = row_of(rewards, "stamp_card", "coffee");
    EXPECT_EQ(coffee["name"], "Coffee card");
    EXPECT_EQ(coffee["points"], json({{"given", 100}, {"taken_back", 50}, {"net", 50}, {"value_minor", 50000}}));
    EXPECT_EQ(coffee["stamps"], json({{"stamps_given", 4},
                                      {"stamps_taken_back", 1},
                                      {"cards_completed", 2},
                                      {"cards_revoked", 1},
                                      {"members_started", 2},
                                      {"members_completed", 1},
                                      {"completion_rate_x10", 500}}));
    EXPECT_EQ(coffee["purchases"], 3);
    EXPECT_EQ(coffee["members"], 2);
    const json& cashback = row_of(rewards, "cashback_rule", "cb5");
    EXPECT_EQ(cashback["name"], "Cashback 5%");
    EXPECT_EQ(cashback["cashback"], json({{"given", 53000}, {"taken_back", 13000}, {"net", 40000}}));
    EXPECT_EQ(cashback["purchases"], 3);
    EXPECT_EQ(rewards["total"]["points"]["net"], 130);
    EXPECT_EQ(rewards["total"]["reward_value_minor"], 130 * 1000 + 100000 + 40000);

    // The books: the rows' points are what the ledger's earnings and reversals moved, and what the
    // Points & cashback report calls issued less returned.
    long long ledger_net = 0;
    db.raw() << "SELECT CAST(SUM(e.amount) AS SIGNED) FROM ledger_entries e JOIN ledger_transfers t"
                " ON t.id = e.transfer_id WHERE e.member_id IS NOT NULL AND t.kind IN ('earn', 'reverse')",
        soci::into(ledger_net);
    EXPECT_EQ(ledger_net, 130);
    const auto points_reply = staff("GET", "/v1/reports/points?by=total&" + range());
    ASSERT_EQ(points_reply.status, 200);
    const json points = json::parse(points_reply.body)["total"]["points"];
    EXPECT_EQ(points["issued"].get<long long>() - points["returned"].get<long long>(), 130);
    EXPECT_EQ(points["issued"], rewards["total"]["points"]["given"]);
    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;

    // Per store, and a day with nothing: the rules in force and published campaigns still show.
    const json stores = report(range() + "&by_store=true");
    EXPECT_EQ(row_of(stores, "earn_rule", "base", "S001")["points"]["net"], 80);
    EXPECT_FALSE(
        row_of(stores, "coupon_campaign", std::to_string(campaign_id), "S001")["coupons"].contains("codes_issued"));
    const json quiet = report("from=2020-01-01&to=2020-01-31");
    EXPECT_EQ(row_of(quiet, "earn_rule", "base")["points"]["given"], 0);
    EXPECT_EQ(row_of(quiet, "coupon_campaign", std::to_string(campaign_id))["coupons"]["redemption_rate_x10"], nullptr);

    // CSV, asked either way, and patronctl's copy.
    const auto csv = staff("GET", "/v1/reports/rewards?" + range() + "&by_store=true&format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.headers.at("content-type").substr(0, 8), "text/csv");
    EXPECT_TRUE(csv.body.starts_with("period,from,to,scope,store,kind,id,name,currency,purchases,members,"))
        << csv.body;
    EXPECT_NE(csv.body.find(",all,,earn_rule,base,باشگاه مشتریان,IRR,3,2,106,26,80,80000,0,0,0,0,0,0,80000,"),
              std::string::npos)
        << csv.body;
    EXPECT_NE(csv.body.find(",all,,stamp_card,coffee,Coffee card,IRR,3,2,100,50,50,50000,0,0,0,0,0,0,50000,,,,,,,4,1,"
                            "2,1,2,1,500\r\n"),
              std::string::npos)
        << csv.body;
    const auto accepted =
        http({"GET",
              server.url("/v1/reports/rewards?" + range() + "&by_store=true"),
              "",
              {"Authorization: Bearer " + setup.demo["staff_token"].get<std::string>(), "Accept: text/csv"}});
    EXPECT_EQ(accepted.body, csv.body);
    const std::string from = range().substr(5, 10);
    const std::string to = range().substr(range().size() - 10);
    const auto printed =
        run_command({patronctl_path(), "report", "rewards", "--from", from, "--to", to, "--by-store", "--csv"},
                    setup.environment());
    ASSERT_EQ(printed.exit_code, 0) << printed.output;
    EXPECT_EQ(printed.output, csv.body);
}

TEST_F(RewardsReport, RefusesBadQueriesAndCallersOutsideTheReadingRoles) {
    const std::pair<const char*, const char*> bad_queries[] = {
        {"from=2026-11-02&to=2026-11-01", "from"},
        {"from=2025-01-01&to=2026-01-02", "to"},
        {"store=S999", "store"},
        {"format=xml", "format"},
    };
    for (const auto& [query, field] : bad_queries) {
        SCOPED_TRACE(query);
        const auto reply = staff("GET", std::string("/v1/reports/rewards?") + query);
        EXPECT_TRUE(refused(reply, 422, field));
        EXPECT_EQ(code_of(reply), "VALIDATION_FAILED");
    }
    EXPECT_EQ(get("/v1/reports/rewards").status, 401);
    for (const char* role : {"support", "analyst", "marketer"}) {
        const std::string token = staff_user(role);
        const auto reply = staff("GET", "/v1/reports/rewards", "", token);
        EXPECT_EQ(reply.status, std::string(role) == "support" ? 403 : 200) << role << ": " << reply.body;
    }
    EXPECT_EQ(staff("POST", "/v1/reports/rewards").status, 405) << "read-only";
}

}  // namespace
}  // namespace patron::testing
