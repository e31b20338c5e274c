// Campaign effectiveness against a hold-out through a real patrond (issue 17): a bonus rule that
// holds half its eligible members out; members buy, the held-out ones get nothing from it (the
// receipt and the balance say so), and the report's groups, means, uplift and reward cost match
// the purchases' known answers, as JSON, as CSV and from patronctl. A coupon campaign's hold-out
// keeps its codes from held-out members; the report's refusals and roles.
#include <nlohmann/json.hpp>

#include "loyalty/service/posting/holdout_assignment.h"
#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

constexpr long long kBonus = 100;  // Points the rule "visit" gives a purchase.

struct Member {
    long long id = 0;
    std::string card;
    bool held_out = false;
};

class Effectiveness : public PatrondTest {
  protected:
    void SetUp() override {
        const auto put =
            staff("PUT", "/v1/program/rules/draft/rules/visit",
                  json{{"name", "Visit bonus"}, {"kind", "bonus"}, {"points", kBonus}, {"holdout", {{"percent", 50}}}}
                      .dump());
        ASSERT_EQ(put.status, 200) << put.body;
        ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);
        for (int i = 0; i < 3; ++i) members.push_back(member(member_id(i), card(i)));
        for (int i = 0; i < 9; ++i) {
            const auto enrolled = staff(
                "POST", "/v1/members",
                json{{"full_name", "Member " + std::to_string(i)}, {"phone", "0912555000" + std::to_string(i)}}.dump());
            ASSERT_EQ(enrolled.status, 201) << enrolled.body;
            const json body = json::parse(enrolled.body);
            members.push_back(member(body["id"], body["cards"][0]["number"]));
        }
    }
    static Member member(long long id, const std::string& card) {
        return Member{id, card, service::is_held_out(core::Holdout{50}, core::CampaignKind::kRule, "visit", id)};
    }
    json buy(const std::string& receipt, const Member& who, long long amount) {
        const auto reply = pos("POST", "/v1/pos/purchases", purchase_now(receipt, who.card, amount).dump());
        EXPECT_EQ(reply.status, 201) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    json report(const std::string& path) {
        const auto reply = staff("GET", path);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    long long points_of(const Member& who) {
        const auto reply = staff("GET", "/v1/members/" + std::to_string(who.id) + "/balance");
        return json::parse(reply.body)["points"]["available"].get<long long>();
    }
    static bool has_effect_of(const json& answer, const std::string& rule) {
        for (const json& effect : answer["effects"]) {
            if (effect["rule_id"] == rule) return true;
        }
        return false;
    }
    std::string staff_token(const std::string& role) {
        const auto admin =
            http({"POST",
                  server.url("/v1/staff/sessions"),
                  json{{"email", setup.demo["admin"]["email"]}, {"password", setup.demo["admin"]["password"]}}.dump(),
                  {"Content-Type: application/json"}});
        const std::string admin_token = json::parse(admin.body, nullptr, false).value("token", "");
        const json user = {
            {"email", role + "@staff.example"}, {"name", role}, {"role", role}, {"password", "correct horse " + role}};
        EXPECT_EQ(staff("POST", "/v1/staff/users", user.dump(), admin_token).status, 201);
        const auto signed_in = http({"POST",
                                     server.url("/v1/staff/sessions"),
                                     json{{"email", user["email"]}, {"password", user["password"]}}.dump(),
                                     {"Content-Type: application/json"}});
        return json::parse(signed_in.body, nullptr, false).value("token", "");
    }

    std::vector<Member> members;
};

TEST_F(Effectiveness, HeldOutMembersGetNothingAndTheReportComparesTheGroups) {
    std::vector<Member> targeted, held_out;
    for (const Member& m : members) (m.held_out ? held_out : targeted).push_back(m);
    ASSERT_GE(targeted.size(), 2U);
    ASSERT_GE(held_out.size(), 2U);

    // Everyone's first purchase (100,000 IRR: 10 base points) finds them eligible.
    int receipt = 0;
    for (const Member& m : members) {
        const json answer = buy("E" + std::to_string(++receipt), m, 100000);
        EXPECT_EQ(has_effect_of(answer, "visit"), !m.held_out) << m.id;
        EXPECT_EQ(answer["points"]["earned"], m.held_out ? 10 : 10 + kBonus) << m.id;
        EXPECT_EQ(points_of(m), m.held_out ? 10 : 10 + kBonus) << m.id;
    }
    // A quote does not give a held-out member the rule either.
    const auto quoted = pos("POST", "/v1/pos/quotes", purchase_now("Q1", held_out[0].card, 100000).dump());
    ASSERT_EQ(quoted.status, 200) << quoted.body;
    EXPECT_FALSE(has_effect_of(json::parse(quoted.body), "visit"));

    // Afterwards: targeted member k buys k + 1 times 200,000 IRR; the first held-out member once, 50,000.
    long long targeted_spend = 0, targeted_visits = 0, targeted_squares = 0, targeted_visit_squares = 0;
    for (std::size_t k = 0; k < targeted.size(); ++k) {
        for (std::size_t n = 0; n <= k; ++n)
            EXPECT_TRUE(has_effect_of(buy("T" + std::to_string(++receipt), targeted[k], 200000), "visit"));
        const long long spend = 200000 * static_cast<long long>(k + 1);
        targeted_spend += spend;
        targeted_squares += spend * spend / 1000000;  // In 1,000s of IRR squared, exact.
        targeted_visits += static_cast<long long>(k + 1);
        targeted_visit_squares += static_cast<long long>((k + 1) * (k + 1));
    }
    EXPECT_FALSE(has_effect_of(buy("H" + std::to_string(++receipt), held_out[0], 50000), "visit"));
    EXPECT_EQ(points_of(held_out[0]), 10 + 5);

    const auto n_t = static_cast<long long>(targeted.size());
    const auto n_h = static_cast<long long>(held_out.size());
    const json answer = report("/v1/reports/campaigns/rule/visit/effectiveness");
    EXPECT_EQ(answer["name"], "Visit bonus");
    EXPECT_EQ(answer["holdout_percent"], 50);
    EXPECT_EQ(answer["time_zone"], "Asia/Tehran");
    EXPECT_EQ(answer["groups"]["targeted"],
              json({{"members", n_t}, {"spend", targeted_spend}, {"visits", targeted_visits}, {"buyers", n_t}}));
    EXPECT_EQ(answer["groups"]["holdout"], json({{"members", n_h}, {"spend", 50000}, {"visits", 1}, {"buyers", 1}}));
    const long long spend_t = (targeted_spend + n_t / 2) / n_t;
    const long long spend_h = (50000 + n_h / 2) / n_h;
    EXPECT_NEAR(answer["spend_per_member"]["targeted"].get<double>(), spend_t, 1);
    EXPECT_NEAR(answer["spend_per_member"]["holdout"].get<double>(), spend_h, 1);
    EXPECT_NEAR(answer["spend_per_member"]["uplift"].get<double>(), spend_t - spend_h, 1);
    EXPECT_EQ(answer["purchase_rate_x10"]["targeted"], 1000);
    EXPECT_NEAR(answer["purchase_rate_x10"]["holdout"].get<double>(), 1000.0 / static_cast<double>(n_h), 1);
    EXPECT_NEAR(answer["visits_per_member_x1000"]["targeted"].get<double>(),
                1000.0 * static_cast<double>(targeted_visits) / static_cast<double>(n_t), 1);
    // The statistics of the same sums (tested against hand-worked answers in the unit tests).
    const core::Comparison spend = core::compare_means(
        core::Sample{n_t, static_cast<double>(targeted_spend), static_cast<double>(targeted_squares) * 1e6},
        core::Sample{n_h, 50000.0, 50000.0 * 50000.0});
    ASSERT_TRUE(spend.interval);
    EXPECT_NEAR(answer["spend_per_member"]["interval_low"].get<double>(), spend.interval->low, 1);
    EXPECT_NEAR(answer["spend_per_member"]["interval_high"].get<double>(), spend.interval->high, 1);
    EXPECT_EQ(answer["spend_per_member"]["significant"], spend.significant());
    const core::Comparison visits = core::compare_means(
        core::Sample{n_t, static_cast<double>(targeted_visits), static_cast<double>(targeted_visit_squares)},
        core::Sample{n_h, 1.0, 1.0});
    ASSERT_TRUE(visits.interval);
    EXPECT_NEAR(answer["visits_per_member_x1000"]["interval_low"].get<double>(), 1000.0 * visits.interval->low, 1);
    EXPECT_NEAR(answer["visits_per_member_x1000"]["interval_high"].get<double>(), 1000.0 * visits.interval->high, 1);
    // The rule gave the targeted members 100 points a purchase; a point pays 1,000 IRR.
    const long long given = kBonus * (n_t + targeted_visits);
    EXPECT_EQ(answer["reward_cost"]["points"], given);
    EXPECT_EQ(answer["reward_cost"]["points_value"], given * 1000);
    EXPECT_EQ(answer["reward_cost"]["total"], given * 1000);
    const double extra =
        (static_cast<double>(targeted_spend) / static_cast<double>(n_t) - 50000.0 / static_cast<double>(n_h)) *
        static_cast<double>(n_t);
    EXPECT_NEAR(answer["reward_cost"]["per_uplift_x1000"].get<double>(),
                1000.0 * static_cast<double>(given * 1000) / extra, 1);

    // The asked range, as CSV; and patronctl prints the same.
    const std::string today = answer["to"];
    const auto csv =
        staff("GET", "/v1/reports/campaigns/rule/visit/effectiveness?format=csv&from=" + today + "&to=" + today);
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.body.find("members," + std::to_string(n_t) + "," + std::to_string(n_h) + ","), std::string::npos)
        << csv.body;
    const auto printed =
        run_command({patronctl_path(), "report", "effectiveness", "rule", "visit", "--csv"}, setup.environment());
    ASSERT_EQ(printed.exit_code, 0) << printed.output;
    EXPECT_NE(printed.output.find("spend_per_member,"), std::string::npos) << printed.output;
}

TEST_F(Effectiveness, ACouponCampaignsHoldOutIsNeverGivenACodeNorTakesAShared) {
    const auto created = staff("POST", "/v1/coupon-campaigns",
                               R"({"name": "Ten off", "type": "amount_off_basket", "amount": 10000,
                                   "holdout": {"percent": 50}})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = std::to_string(json::parse(created.body)["id"].get<long long>());
    ASSERT_EQ(staff("POST", "/v1/coupon-campaigns/" + id + "/publish").status, 200);
    ASSERT_EQ(
        staff("POST", "/v1/coupon-campaigns/" + id + "/codes", R"({"code": "TENOFF", "single_use": false})").status,
        201);
    for (std::size_t i = 0; i < members.size(); ++i) {
        const json code = {{"code", "HOLD" + std::to_string(i)}, {"single_use", true}};
        ASSERT_EQ(staff("POST", "/v1/coupon-campaigns/" + id + "/codes", code.dump()).status, 201);
    }

    long long given = 0, withheld = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const Member& m = members[i];
        const bool out = service::is_held_out(core::Holdout{50}, core::CampaignKind::kCoupon, id, m.id);
        const auto assigned = staff("POST", "/v1/coupon-codes/HOLD" + std::to_string(i) + "/assignment",
                                    json{{"member_id", m.id}}.dump());
        EXPECT_EQ(assigned.status, out ? 422 : 200) << assigned.body;
        if (out) {
            EXPECT_EQ(code_of(assigned), "COUPON_NOT_FOR_MEMBER");
        }
        (out ? withheld : given) += 1;
        json basket = purchase_now("C" + std::to_string(i), m.card, 100000);
        basket["coupons"] = {"TENOFF"};
        const auto shared = pos("POST", "/v1/pos/quotes", basket.dump());
        EXPECT_EQ(shared.status, out ? 422 : 200) << shared.body;
    }
    ASSERT_GT(given, 0);
    ASSERT_GT(withheld, 0);
    const json answer = report("/v1/reports/campaigns/coupon/" + id + "/effectiveness");
    EXPECT_EQ(answer["name"], "Ten off");
    EXPECT_EQ(answer["groups"]["targeted"]["members"], given);
    EXPECT_EQ(answer["groups"]["holdout"]["members"], withheld);
}

TEST_F(Effectiveness, RefusalsAndRoles) {
    const std::string path = "/v1/reports/campaigns/rule/visit/effectiveness";
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/campaigns/segment/visit/effectiveness"), 404, "kind"));
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/campaigns/rule/nothing/effectiveness"), 404, "id"));
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/campaigns/coupon/999/effectiveness"), 404, "id"));
    for (const auto& [query, field] :
         std::vector<std::pair<std::string, std::string>>{{"store=S001", "store"},
                                                          {"by_store=true", "by_store"},
                                                          {"by=day", "by"},
                                                          {"by=month", "by"},
                                                          {"from=2026-11-30&to=2026-11-01", "from"},
                                                          {"format=pdf", "format"}}) {
        EXPECT_TRUE(refused(staff("GET", path + "?" + query), 422, field)) << query;
    }
    EXPECT_EQ(staff("GET", path + "?by=total").status, 200) << "what the report is";
    EXPECT_EQ(get(path).status, 401);
    EXPECT_EQ(staff("GET", path, "", staff_token("support")).status, 403);
    EXPECT_EQ(staff("GET", path, "", staff_token("analyst")).status, 200);
    EXPECT_EQ(staff("GET", path, "", staff_token("marketer")).status, 200);
}

}  // namespace
}  // namespace patron::testing
