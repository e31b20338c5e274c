// Coupons through a real patrond: a marketer drafts a campaign (a bad document lists every
// problem), adds codes, exports them as CSV and publishes; the till quotes and commits with a
// code, and a second use is refused with COUPON_ALREADY_USED (409).
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using Coupons = PatrondTest;

TEST_F(Coupons, AMarketerPublishesCodesThatTheTillRedeemsOnce) {
    const auto refused = staff("POST", "/v1/coupon-campaigns", R"({"type": "half", "percent": 500})");
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_GE(json::parse(refused.body)["error"]["problems"].size(), 2U);

    const auto made = staff("POST", "/v1/coupon-campaigns",
                            R"({"name": "Autumn", "type": "percent_off_basket", "percent": 20,
                                "conditions": {"min_basket": 100000}})");
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(json::parse(made.body)["status"], "draft");
    const std::string path = "/v1/coupon-campaigns/" + std::to_string(json::parse(made.body)["id"].get<long long>());
    const auto added = staff("POST", path + "/codes", R"({"count": 3, "prefix": "AUT-"})");
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(json::parse(added.body)["added"], 3);

    const auto exported = staff("GET", path + "/codes");
    ASSERT_EQ(exported.status, 200);
    EXPECT_EQ(exported.headers.at("content-type").substr(0, 8), "text/csv");
    std::istringstream lines(exported.body);
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);) rows.push_back(line);
    ASSERT_EQ(rows.size(), 4U);
    EXPECT_EQ(rows[0], "code,campaign_id,single_use,member_id,redemptions\r");
    // AUT-2JWF76PN4M,7,true,,0: the report CSV's writer, which quotes only what needs it.
    const auto code_in = [](const std::string& row) { return row.substr(0, row.find(',')); };
    const std::string code = code_in(rows[1]);
    EXPECT_TRUE(code.starts_with("AUT-")) << code;

    json basket = purchase("c1", card(0), 500000);
    basket["coupons"] = {code};
    EXPECT_EQ(code_of(pos("POST", "/v1/pos/quotes", basket.dump())), "COUPON_NOT_FOUND") << "still a draft";
    ASSERT_EQ(staff("POST", path + "/publish").status, 200);
    const auto quoted = pos("POST", "/v1/pos/quotes", basket.dump());
    ASSERT_EQ(quoted.status, 200) << quoted.body;
    EXPECT_EQ(json::parse(quoted.body)["coupons"]["discount"], 100000);
    const auto committed = pos("POST", "/v1/pos/purchases", basket.dump());
    ASSERT_EQ(committed.status, 201) << committed.body;
    EXPECT_EQ(json::parse(committed.body)["coupons"]["redeemed"][0]["code"], code);
    EXPECT_EQ(json::parse(committed.body)["points"]["earned"], 40) << "400,000 IRR paid: 40 points";

    json again = purchase("c2", card(1), 500000);
    again["coupons"] = {code};
    const auto used = pos("POST", "/v1/pos/purchases", again.dump());
    EXPECT_EQ(used.status, 409);
    EXPECT_EQ(code_of(used), "COUPON_ALREADY_USED");
    EXPECT_EQ(json::parse(used.body)["error"]["field"], "coupons[0]");

    const auto assigned = staff("POST", "/v1/coupon-codes/" + code_in(rows[2]) + "/assignment",
                                json{{"member_id", member_id(1)}}.dump());
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    EXPECT_EQ(json::parse(assigned.body)["member_id"], member_id(1));
    const json listed = json::parse(staff("GET", "/v1/coupon-campaigns").body)["campaigns"][0];
    EXPECT_EQ(listed["redemptions"], 1);
    EXPECT_EQ(listed["codes"], 3);
}

// A campaign's problems name their fields from the document's root, as every document's do ("name",
// "limits.per_member", never "$.name"); "$" is the document as a whole.
TEST_F(Coupons, ProblemsNameTheirFieldsFromTheDocumentRoot) {
    const auto refused = staff("POST", "/v1/coupon-campaigns",
                               R"({"type": "percent_off_basket", "percent": 20, "limits": {"per_member": 0}})");
    ASSERT_EQ(refused.status, 422) << refused.body;
    const json error = json::parse(refused.body)["error"];
    EXPECT_EQ(error["field"], "name") << error.dump();
    std::set<std::string> fields;
    for (const json& problem : error["problems"]) fields.insert(problem["field"].get<std::string>());
    EXPECT_EQ(fields, (std::set<std::string>{"name", "limits.per_member"})) << error.dump();

    const auto whole = staff("POST", "/v1/coupon-campaigns", "[]");
    ASSERT_EQ(whole.status, 422) << whole.body;
    EXPECT_EQ(json::parse(whole.body)["error"]["field"], "$");
}

}  // namespace
}  // namespace patron::testing
