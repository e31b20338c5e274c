// Rule-based segments through a real patrond (issue 17): staff define, list, read, change, count
// and delete segments, with each refusal's code and field and each role's answer as the roles
// table says; a stored definition that no longer reads is counted as the last refresh counted it.
// After patronctl insight refresh materialises the memberships, an earn rule scoped to a segment
// pays only its member at the till, a coupon campaign scoped to it takes its code only from them,
// and the campaign's codes are issued to the segment's members once each.
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

// Sara (demo member 0) is born in April; Reza and Neda are not.
const json kApril = {{"code", "april"}, {"name", "April birthdays"}, {"conditions", {{"birthday_month", 4}}}};

class SegmentsOverHttp : public PatrondTest {
  protected:
    json body_of(const HttpReply& reply, int status) {
        EXPECT_EQ(reply.status, status) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    static bool has_effect_of(const json& answer, const std::string& rule) {
        for (const json& effect : answer["effects"]) {
            if (effect["rule_id"] == rule) return true;
        }
        return false;
    }
    void refresh() {
        const auto refreshed = run_command({patronctl_path(), "insight", "refresh"}, setup.environment());
        ASSERT_EQ(refreshed.exit_code, 0) << refreshed.output;
    }
    HttpReply quote_with(const std::string& receipt, const std::string& card, const std::string& code) {
        json basket = purchase_now(receipt, card, 100000);
        basket["coupons"] = {code};
        return pos("POST", "/v1/pos/quotes", basket.dump());
    }
};

TEST_F(SegmentsOverHttp, StaffDefineListReadChangeCountAndDeleteSegments) {
    const json created = body_of(staff("POST", "/v1/segments", kApril.dump()), 201);
    EXPECT_EQ(created["code"], "april");
    EXPECT_EQ(created["conditions"], kApril["conditions"]);
    EXPECT_EQ(created["membership"]["pending"], true);
    EXPECT_TRUE(created["membership"]["computed_at"].is_null());

    const json listed = body_of(staff("GET", "/v1/segments"), 200);
    ASSERT_EQ(listed["segments"].size(), 1U);
    EXPECT_EQ(listed["segments"][0]["name"], "April birthdays");
    EXPECT_EQ(body_of(staff("GET", "/v1/segments/april"), 200)["name"], "April birthdays");

    json renamed = kApril;
    renamed["name"] = "Born in April";
    EXPECT_EQ(body_of(staff("PUT", "/v1/segments/april", renamed.dump()), 200)["name"], "Born in April");

    const json preview =
        body_of(staff("POST", "/v1/segments/preview", R"({"conditions": {"birthday_month": 4}})"), 200);
    EXPECT_EQ(preview["members"], 1);
    EXPECT_EQ(preview["scanned"], 3);
    EXPECT_EQ(preview["active_members"], 3);
    EXPECT_EQ(preview["basis"], "every_member");
    EXPECT_EQ(preview["profiles_unopened"], 0);
    const json everyone = body_of(staff("POST", "/v1/segments/preview", R"({"conditions": {}})"), 200);
    EXPECT_EQ(everyone["members"], 3);
    const json count = body_of(staff("GET", "/v1/segments/april/count"), 200);
    EXPECT_EQ(count["members"], 1);
    EXPECT_EQ(count["basis"], "every_member");
    EXPECT_TRUE(count["definition_problem"].is_null());

    // Saved under looser rules than today's: counted as the last refresh counted it, and said so.
    refresh();
    db.raw() << "UPDATE segments SET conditions = '{\"spend\": {\"min\": 1}}' WHERE code = 'april'";
    const json stale = body_of(staff("GET", "/v1/segments/april/count"), 200);
    EXPECT_EQ(stale["basis"], "last_refresh");
    EXPECT_EQ(stale["members"], 1);
    EXPECT_FALSE(stale["computed_at"].is_null());
    EXPECT_EQ(stale["definition_problem"]["field"], "conditions.spend.days");

    EXPECT_EQ(staff("DELETE", "/v1/segments/april").status, 204);
    EXPECT_TRUE(refused(staff("GET", "/v1/segments/april"), 404, "code"));
    EXPECT_TRUE(refused(staff("DELETE", "/v1/segments/april"), 404, "code"));
    EXPECT_TRUE(refused(staff("GET", "/v1/segments/april/count"), 404, "code"));
}

TEST_F(SegmentsOverHttp, RefusalsNameTheirFieldAndEachRoleGetsWhatTheTableSays) {
    ASSERT_EQ(staff("POST", "/v1/segments", kApril.dump()).status, 201);
    EXPECT_TRUE(refused(staff("POST", "/v1/segments", kApril.dump()), 422, "code")) << "a second april";
    EXPECT_TRUE(refused(staff("POST", "/v1/segments", R"({"code": "x", "name": "X", "conditions": {"spend": {}}})"),
                        422, "conditions.spend.days"));
    EXPECT_TRUE(refused(staff("POST", "/v1/segments", R"({"code": "Big Spenders", "name": "X", "conditions": {}})"),
                        422, "code"));
    EXPECT_TRUE(refused(staff("POST", "/v1/segments", R"({"code": "x", "name": "X"})"), 422, "conditions"));
    EXPECT_TRUE(
        refused(staff("PUT", "/v1/segments/april", R"({"code": "may", "name": "X", "conditions": {}})"), 422, "code"));
    EXPECT_TRUE(refused(staff("PUT", "/v1/segments/nothing", R"({"name": "X", "conditions": {}})"), 404, "code"));
    EXPECT_TRUE(refused(staff("POST", "/v1/segments/preview", R"({"conditions": {"colour": "red"}})"), 422,
                        "conditions.colour"));
    const json huge = {{"conditions", {{"cities", std::vector<std::string>(20000, "Tehran")}}}};
    EXPECT_EQ(code_of(staff("POST", "/v1/segments/preview", huge.dump())), "PAYLOAD_TOO_LARGE");

    const std::string marketer = staff_user("marketer");
    const std::string analyst = staff_user("analyst");
    const std::string support = staff_user("support");
    const std::string body = R"({"code": "all", "name": "All", "conditions": {}})";
    const std::string preview = R"({"conditions": {}})";
    EXPECT_EQ(staff("POST", "/v1/segments", body, marketer).status, 201);
    EXPECT_EQ(staff("PUT", "/v1/segments/all", body, marketer).status, 200);
    for (const std::string& reader : {marketer, analyst}) {
        EXPECT_EQ(staff("GET", "/v1/segments", "", reader).status, 200);
        EXPECT_EQ(staff("GET", "/v1/segments/all", "", reader).status, 200);
        EXPECT_EQ(staff("GET", "/v1/segments/all/count", "", reader).status, 200);
        EXPECT_EQ(staff("POST", "/v1/segments/preview", preview, reader).status, 200);
    }
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"POST", "/v1/segments"}, {"PUT", "/v1/segments/all"}, {"DELETE", "/v1/segments/all"}}) {
        EXPECT_EQ(staff(method, path, method == "DELETE" ? "" : body, analyst).status, 403) << method << " " << path;
        EXPECT_EQ(staff(method, path, method == "DELETE" ? "" : body, support).status, 403) << method << " " << path;
    }
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/v1/segments"}, {"GET", "/v1/segments/all"}, {"GET", "/v1/segments/all/count"}}) {
        EXPECT_EQ(staff(method, path, "", support).status, 403) << path;
    }
    EXPECT_EQ(staff("POST", "/v1/segments/preview", preview, support).status, 403);
    EXPECT_EQ(get("/v1/segments").status, 401);
    EXPECT_EQ(staff("DELETE", "/v1/segments/all", "", marketer).status, 204);
}

TEST_F(SegmentsOverHttp, AfterTheRefreshTheTillRewardsAndTakesCouponsOnlyFromTheSegmentsMember) {
    ASSERT_EQ(staff("POST", "/v1/segments", kApril.dump()).status, 201);
    const auto rule = staff("PUT", "/v1/program/rules/draft/rules/april_bonus",
                            R"({"name": "April bonus", "kind": "bonus", "points": 50,
                                "scope": {"segments": ["april"]}})");
    ASSERT_EQ(rule.status, 200) << rule.body;
    ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);
    EXPECT_TRUE(refused(staff("POST", "/v1/coupon-campaigns",
                              R"({"name": "April ten", "type": "amount_off_basket", "amount": 10000,
                                  "scope": {"segments": ["april", "nowhere"]}})"),
                        422, "scope.segments[1]"));
    const json campaign = body_of(staff("POST", "/v1/coupon-campaigns",
                                        R"({"name": "April ten", "type": "amount_off_basket", "amount": 10000,
                                            "scope": {"segments": ["april"]}})"),
                                  201);
    const std::string id = std::to_string(campaign["id"].get<long long>());
    ASSERT_EQ(staff("POST", "/v1/coupon-campaigns/" + id + "/codes", R"({"code": "APRIL10"})").status, 201);
    ASSERT_EQ(staff("POST", "/v1/coupon-campaigns/" + id + "/publish").status, 200);

    // Not yet materialised: Sara is in no segment at the till.
    const json before = body_of(pos("POST", "/v1/pos/purchases", purchase_now("B-1", card(0), 100000).dump()), 201);
    EXPECT_FALSE(has_effect_of(before, "april_bonus")) << before;
    EXPECT_TRUE(refused(quote_with("Q-0", card(0), "APRIL10"), 422, "coupons[0]"));
    EXPECT_EQ(
        body_of(staff("POST", "/v1/coupon-campaigns/" + id + "/issuance", R"({"segment": "april"})"), 200)["issued"],
        0);

    refresh();
    const json april = body_of(staff("GET", "/v1/segments/april"), 200);
    EXPECT_EQ(april["membership"]["members"], 1);
    EXPECT_EQ(april["membership"]["pending"], false);
    const json sara = body_of(pos("POST", "/v1/pos/purchases", purchase_now("B-2", card(0), 100000).dump()), 201);
    EXPECT_TRUE(has_effect_of(sara, "april_bonus")) << sara;
    const json reza = body_of(pos("POST", "/v1/pos/purchases", purchase_now("B-3", card(1), 100000).dump()), 201);
    EXPECT_FALSE(has_effect_of(reza, "april_bonus")) << reza;

    const json priced = body_of(quote_with("Q-1", card(0), "APRIL10"), 200);
    EXPECT_EQ(priced["coupons"]["discount"], 10000) << priced;
    const auto other = quote_with("Q-2", card(1), "APRIL10");
    EXPECT_TRUE(refused(other, 422, "coupons[0]"));
    EXPECT_EQ(code_of(other), "COUPON_NOT_FOR_MEMBER");
    EXPECT_EQ(code_of(quote_with("Q-3", "", "APRIL10")), "COUPON_NOT_FOR_MEMBER") << "an anonymous basket";
    json used = purchase_now("B-4", card(0), 100000);
    used["coupons"] = {"APRIL10"};
    EXPECT_EQ(body_of(pos("POST", "/v1/pos/purchases", used.dump()), 201)["coupons"]["discount"], 10000);

    // Codes issued to the segment's members: Sara gets one, once.
    const std::string issuance = "/v1/coupon-campaigns/" + id + "/issuance";
    const json issued = body_of(staff("POST", issuance, R"({"segment": "april", "prefix": "APR-"})"), 200);
    EXPECT_EQ(issued["issued"], 1);
    EXPECT_EQ(issued["held_out"], 0);
    EXPECT_EQ(issued["more"], false);
    EXPECT_FALSE(issued["membership_computed_at"].is_null());
    EXPECT_EQ(body_of(staff("POST", issuance, R"({"segment": "april"})"), 200)["issued"], 0) << "no second code";
    const auto codes = staff("GET", "/v1/coupon-campaigns/" + id + "/codes");
    ASSERT_EQ(codes.status, 200);
    EXPECT_NE(codes.body.find(",true," + std::to_string(member_id(0)) + ",0"), std::string::npos) << codes.body;
    EXPECT_NE(codes.body.find("APR-"), std::string::npos) << codes.body;
    EXPECT_TRUE(refused(staff("POST", issuance, R"({"segment": "nowhere"})"), 422, "segment"));
    EXPECT_TRUE(refused(staff("POST", issuance, R"({"segment": "april", "limit": 0})"), 422, "limit"));
    EXPECT_TRUE(refused(staff("POST", "/v1/coupon-campaigns/999999/issuance", R"({"segment": "april"})"), 404, "id"));
    EXPECT_EQ(staff("POST", issuance, R"({"segment": "april"})", staff_user("analyst")).status, 403);

    // Named by the rules and the campaign, the segment stays.
    const auto in_use = staff("DELETE", "/v1/segments/april");
    EXPECT_TRUE(refused(in_use, 422, "code"));
    EXPECT_NE(in_use.body.find("rules"), std::string::npos) << in_use.body;
}

}  // namespace
}  // namespace patron::testing
