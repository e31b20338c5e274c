// Triggers through a real patrond (issue 21): a marketer's trigger made over HTTP (a faulty one
// refused naming every field at fault), fired by patrond's own trigger job after purchases at a
// signed till, once, with its bonus on the member's balance and its firing listed; paused, ended,
// and read but not written by analysts; a trigger that adds her to a segment, after which the
// till pays her next purchase by a rule scoped to that segment, and the segment stays while the
// trigger names it.
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class TriggersOverHttp : public PatrondTest {
  protected:
    long long points_of(long long member_id) {
        const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id) + "/balance");
        EXPECT_EQ(balance.status, 200) << balance.body;
        const json body = json::parse(balance.body, nullptr, false);
        return body.is_object() ? body["points"].value("available", -1LL) : -1;
    }
    // The trigger as listed once it has fired `count` times (the job runs every 5 s), up to 30 s.
    json fired(long long id, long long count) {
        const auto until = std::chrono::steady_clock::now() + 30s;
        json trigger;
        do {
            const auto read = staff("GET", "/v1/triggers/" + std::to_string(id));
            EXPECT_EQ(read.status, 200) << read.body;
            trigger = json::parse(read.body, nullptr, false);
            if (trigger.is_object() && trigger["firings"].value("total", 0LL) >= count) break;
            std::this_thread::sleep_for(200ms);
        } while (std::chrono::steady_clock::now() < until);
        return trigger;
    }
};

TEST_F(TriggersOverHttp, AMarketersTriggerFiresOnceAfterPurchasesAtTheTillAndIsListedWithItsFiring) {
    const std::string marketer = staff_user("marketer");
    const auto faulty = staff("POST", "/v1/triggers",
                              json{{"name", ""},
                                   {"condition", {{"kind", "visits"}, {"at_least", 0}, {"period", "fortnight"}}},
                                   {"action", {{"kind", "bonus_points"}}}}
                                  .dump(),
                              marketer);
    ASSERT_EQ(faulty.status, 422) << faulty.body;
    std::vector<std::string> fields;
    const json refusal = json::parse(faulty.body);
    for (const json& problem : refusal["error"]["problems"]) fields.push_back(problem["field"]);
    EXPECT_EQ(fields, (std::vector<std::string>{"name", "condition.at_least", "condition.period", "action.points"}));
    const json& problems = refusal["error"]["problems"];
    EXPECT_EQ(problems[0]["reason"], "text_length");
    EXPECT_EQ(problems[0]["min"], 1);
    EXPECT_EQ(problems[0]["max"], 100);
    EXPECT_EQ(problems[1]["reason"], "range");
    EXPECT_EQ(problems[1]["min"], 1);
    EXPECT_EQ(problems[1]["max"], 1'000'000'000'000);
    EXPECT_EQ(problems[2]["reason"], "one_of");
    EXPECT_EQ(problems[3]["reason"], "required");

    const auto made = staff("POST", "/v1/triggers",
                            json{{"name", "Second visit today"},
                                 {"condition", {{"kind", "visits"}, {"at_least", 2}, {"days", 1}}},
                                 {"action", {{"kind", "bonus_points"}, {"points", 25}}}}
                                .dump(),
                            marketer);
    ASSERT_EQ(made.status, 201) << made.body;
    const json trigger = json::parse(made.body);
    const long long id = trigger["id"];
    EXPECT_EQ(trigger["state"], "active");
    EXPECT_EQ(trigger["firings"]["total"], 0);

    const long long sara = member_id(0);
    const long long before = points_of(sara);
    long long earned = 0;  // What the purchases themselves gave, as the till was told.
    for (const char* receipt : {"t1", "t2", "t3"}) {
        const auto bought = pos("POST", "/v1/pos/purchases", purchase_now(receipt, card(0), 450000).dump());
        ASSERT_EQ(bought.status, 201) << bought.body;
        earned += json::parse(bought.body)["points"].value("earned", 0LL);
    }
    const json read = fired(id, 1);
    ASSERT_EQ(read["firings"]["total"], 1) << server.log();
    EXPECT_EQ(read["firings"]["recent"][0]["member_id"], sara);
    EXPECT_EQ(read["firings"]["recent"][0]["outcome"], "awarded");
    std::this_thread::sleep_for(6s);  // Another round of the job: still once.
    EXPECT_EQ(fired(id, 1)["firings"]["total"], 1);
    // On her history, in her language (Persian), and on her balance.
    const auto history = staff("GET", "/v1/members/" + std::to_string(sara) + "/history");
    ASSERT_EQ(history.status, 200) << history.body;
    int bonuses = 0;
    const json entries = json::parse(history.body)["entries"];
    for (const json& entry : entries) {
        if (entry.value("kind", "") == "bonus") {
            ++bonuses;
            EXPECT_EQ(entry.value("description", ""), "امتیاز هدیه: ۲۵ امتیاز");
        }
    }
    EXPECT_EQ(bonuses, 1) << history.body;
    EXPECT_EQ(points_of(sara), before + earned + 25);

    // Analysts read and cannot write; a paused, then ended, trigger answers so and cannot come back.
    const std::string analyst = staff_user("analyst");
    const auto listed = staff("GET", "/v1/triggers", "", analyst);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(json::parse(listed.body)["triggers"].size(), 1U);
    EXPECT_EQ(staff("PATCH", "/v1/triggers/" + std::to_string(id), R"({"state":"paused"})", analyst).status, 403);
    const auto paused = staff("PATCH", "/v1/triggers/" + std::to_string(id), R"({"state":"paused"})", marketer);
    ASSERT_EQ(paused.status, 200) << paused.body;
    EXPECT_EQ(json::parse(paused.body)["state"], "paused");
    ASSERT_EQ(staff("PATCH", "/v1/triggers/" + std::to_string(id), R"({"state":"ended"})", marketer).status, 200);
    EXPECT_TRUE(
        refused(staff("PATCH", "/v1/triggers/" + std::to_string(id), R"({"state":"active"})", marketer), 422, "state"));
    EXPECT_TRUE(refused(staff("GET", "/v1/triggers/99999"), 404, "id"));
    EXPECT_TRUE(refused(staff("GET", "/v1/triggers/x"), 404, "id"));
}

TEST_F(TriggersOverHttp, ATriggerAddsHerToASegmentAndTheTillPaysHerNextPurchaseByItsRule) {
    const std::string marketer = staff_user("marketer");
    const auto untouched =
        staff("POST", "/v1/segments", R"({"code": "everyone", "name": "Everyone", "conditions": {}})", marketer);
    ASSERT_EQ(untouched.status, 201) << untouched.body;
    const json to_everyone = {{"name", "Second visit today"},
                              {"condition", {{"kind", "visits"}, {"at_least", 2}, {"days", 1}}},
                              {"action", {{"kind", "segment"}, {"segment", "everyone"}, {"days", 30}}}};
    EXPECT_TRUE(refused(staff("POST", "/v1/triggers", to_everyone.dump(), marketer), 422, "action.segment"))
        << "without added_by_trigger an addition changes nothing";
    const auto segment =
        staff("POST", "/v1/segments",
              R"({"code": "regulars", "name": "Regulars", "conditions": {"added_by_trigger": true}})", marketer);
    ASSERT_EQ(segment.status, 201) << segment.body;
    const auto rule = staff("PUT", "/v1/program/rules/draft/rules/regulars_bonus",
                            R"({"name": "Regulars' bonus", "kind": "bonus", "points": 70,
                                "scope": {"segments": ["regulars"]}})");
    ASSERT_EQ(rule.status, 200) << rule.body;
    ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);
    json document = to_everyone;
    document["action"]["segment"] = "regulars";
    const auto made = staff("POST", "/v1/triggers", document.dump(), marketer);
    ASSERT_EQ(made.status, 201) << made.body;
    const long long id = json::parse(made.body)["id"];

    const auto paid_by_rule = [](const HttpReply& reply) {
        const json answer = json::parse(reply.body, nullptr, false);
        for (const json& effect : answer["effects"]) {
            if (effect["rule_id"] == "regulars_bonus") return true;
        }
        return false;
    };
    for (const char* receipt : {"s1", "s2"}) {
        const auto bought = pos("POST", "/v1/pos/purchases", purchase_now(receipt, card(0), 200000).dump());
        ASSERT_EQ(bought.status, 201) << bought.body;
        EXPECT_FALSE(paid_by_rule(bought)) << bought.body;
    }
    const json read = fired(id, 1);
    ASSERT_EQ(read["firings"]["total"], 1) << server.log();
    EXPECT_EQ(read["firings"]["recent"][0]["outcome"], "added");
    const auto third = pos("POST", "/v1/pos/purchases", purchase_now("s3", card(0), 200000).dump());
    ASSERT_EQ(third.status, 201) << third.body;
    EXPECT_TRUE(paid_by_rule(third)) << "in the segment at once, with no refresh: " << third.body;
    const auto reza = pos("POST", "/v1/pos/purchases", purchase_now("s4", card(1), 200000).dump());
    ASSERT_EQ(reza.status, 201) << reza.body;
    EXPECT_FALSE(paid_by_rule(reza)) << reza.body;
    const auto counted = staff("GET", "/v1/segments/regulars/count", "", marketer);
    ASSERT_EQ(counted.status, 200) << counted.body;
    EXPECT_EQ(json::parse(counted.body)["members"], 1) << counted.body;

    EXPECT_TRUE(refused(staff("DELETE", "/v1/segments/regulars", "", marketer), 422, "code"));
    const auto dropped = staff("PUT", "/v1/segments/regulars", R"({"name": "Regulars", "conditions": {}})", marketer);
    EXPECT_TRUE(refused(dropped, 422, "conditions.added_by_trigger"));
    EXPECT_NE(dropped.body.find("trigger " + std::to_string(id)), std::string::npos) << dropped.body;
}

}  // namespace
}  // namespace patron::testing
