// Triggers through a real patrond (issue 21): a marketer's trigger made over HTTP (a faulty one
// refused naming every field at fault), fired by patrond's own trigger job after purchases at a
// signed till, once, with its bonus on the member's balance and its firing listed; paused, ended,
// and read but not written by analysts.
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

}  // namespace
}  // namespace patron::testing
