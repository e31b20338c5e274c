// Collections through a real patrond: a marketer drafts one (a bad one refused with every problem
// by its JSON path) and publishes it; the till's purchases bring its items one stamp each (a
// second copy of an item brings nothing), the last missing item pays the reward and starts an
// empty card; the member's balance shows the set, each item held or missing; a return of the line
// that completed the set revokes the unused reward and brings the rest of the set back; and
// `patronctl verify` finds the cards' progress what their events and rewards come to.
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using Collections = PatrondTest;

json tea_line(int line, const std::string& sku, long long quantity) {
    return {{"line", line},         {"sku", sku},           {"category", "tea"},
            {"quantity", quantity}, {"unit_price", 100000}, {"amount", 100000 * quantity},
            {"discount", 0}};
}

// A purchase of these lines at the till's present moment.
json teas_now(const std::string& receipt, const std::string& card, json lines) {
    json document = PatrondTest::purchase_now(receipt, card, 0);
    long long total = 0;
    for (const json& line : lines) total += line["amount"].get<long long>();
    document["lines"] = std::move(lines);
    document["total"] = total;
    return document;
}

// Each item of the member's collection: held or not.
std::map<std::string, bool> held_items(const json& balance) {
    std::map<std::string, bool> held;
    for (const json& card : balance["stamps"]) {
        if (card["card_id"] != "teas") continue;
        for (const json& item : card["items"]) held[item["id"].get<std::string>()] = item["held"].get<bool>();
    }
    return held;
}

TEST_F(Collections, ItemsAreCollectedOnceEachTheSetPaysItsRewardAndAReturnTakesItBack) {
    const json bad = {{"name", "Tea trail"},
                      {"basis", "collection"},
                      {"goal", 3},
                      {"items", {{{"id", "green"}, {"skus", {"TEA-G"}}}, {{"id", "green"}}}},
                      {"reward", {{"points", 300}}}};
    const auto refused = staff("PUT", "/v1/program/rules/draft/stamp-cards/teas", bad.dump());
    ASSERT_EQ(refused.status, 422) << refused.body;
    std::set<std::string> fields;
    const json refusal = json::parse(refused.body);
    for (const auto& problem : refusal["error"]["problems"]) fields.insert(problem["field"].get<std::string>());
    EXPECT_EQ(fields,
              (std::set<std::string>{"stamp_cards[0].goal", "stamp_cards[0].items[1]", "stamp_cards[0].items[1].id"}));

    const json teas = {{"name", "Tea trail"},
                       {"basis", "collection"},
                       {"items",
                        {{{"id", "green"}, {"name", "Green tea"}, {"skus", {"TEA-G"}}},
                         {{"id", "black"}, {"name", "Black tea"}, {"skus", {"TEA-B"}}},
                         {{"id", "oolong"}, {"name", "Oolong"}, {"skus", {"TEA-O"}}}}},
                       {"reward", {{"points", 300}}}};
    const auto drafted = staff("PUT", "/v1/program/rules/draft/stamp-cards/teas", teas.dump());
    ASSERT_EQ(drafted.status, 200) << drafted.body;
    ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);

    const std::string balance_path = "/v1/members/" + std::to_string(member_id(0)) + "/balance";
    const auto first = pos("POST", "/v1/pos/purchases",
                           teas_now("t1", card(0), {tea_line(1, "TEA-G", 2), tea_line(2, "TEA-B", 1)}).dump());
    ASSERT_EQ(first.status, 201) << first.body;
    const json brought = json::parse(first.body);
    ASSERT_EQ(brought["stamps"].size(), 1U) << brought;
    EXPECT_EQ(brought["stamps"][0]["stamps"], 2) << "two green teas are one item";
    EXPECT_EQ(brought["stamps"][0]["count"], 2);
    EXPECT_EQ(brought["stamps"][0]["goal"], 3);
    bool printed = false;
    for (const auto& line : brought["receipt_lines"]) printed |= line.get<std::string>().starts_with("Tea trail: +");
    EXPECT_TRUE(printed) << brought["receipt_lines"];
    const json holding = json::parse(staff("GET", balance_path).body);
    EXPECT_EQ(held_items(holding), (std::map<std::string, bool>{{"green", true}, {"black", true}, {"oolong", false}}));
    EXPECT_EQ(holding["stamps"][0]["basis"], "collection");
    EXPECT_EQ(holding["stamps"][0]["items"][0],
              (json{{"id", "green"}, {"name", "Green tea"}, {"held", true}, {"owed", 0}}));

    const auto again = pos("POST", "/v1/pos/purchases", teas_now("t2", card(0), {tea_line(1, "TEA-G", 1)}).dump());
    ASSERT_EQ(again.status, 201) << again.body;
    EXPECT_TRUE(json::parse(again.body)["stamps"].empty()) << "green tea is on the card already";

    const auto last = pos("POST", "/v1/pos/purchases",
                          teas_now("t3", card(0), {tea_line(1, "TEA-O", 1), tea_line(2, "TEA-G", 1)}).dump());
    ASSERT_EQ(last.status, 201) << last.body;
    const json completed = json::parse(last.body);
    EXPECT_EQ(completed["stamps"][0]["stamps"], 1);
    EXPECT_EQ(completed["stamps"][0]["count"], 0) << "a full card starts empty";
    EXPECT_EQ(completed["stamps"][0]["rewards_earned"], 1);
    const auto points_of = [](const json& balance) {
        return balance["points"]["available"].get<long long>() + balance["points"]["pending"].get<long long>();
    };
    const long long points_before_return = points_of(json::parse(staff("GET", balance_path).body));
    EXPECT_EQ(held_items(json::parse(staff("GET", balance_path).body)),
              (std::map<std::string, bool>{{"green", false}, {"black", false}, {"oolong", false}}));

    json back = return_of("r3", "t3", {{{"line", 1}, {"quantity", 1}}});
    back["pos_time"] = teas_now("x", "", json::array())["pos_time"];
    back["business_day"] = teas_now("x", "", json::array())["business_day"];
    back["original"]["business_day"] = back["business_day"];
    const auto returned = pos("POST", "/v1/pos/returns", back.dump());
    ASSERT_EQ(returned.status, 201) << returned.body;
    const json taken = json::parse(returned.body);
    ASSERT_EQ(taken["stamps"].size(), 1U) << taken;
    EXPECT_EQ(taken["stamps"][0]["stamps"], -1);
    EXPECT_EQ(taken["stamps"][0]["count"], 2) << "the set it completed comes back, all but the oolong";
    EXPECT_EQ(taken["stamps"][0]["rewards_earned"], -1) << "the unused reward is revoked";
    const json after = json::parse(staff("GET", balance_path).body);
    EXPECT_EQ(held_items(after), (std::map<std::string, bool>{{"green", true}, {"black", true}, {"oolong", false}}));
    EXPECT_LE(points_of(after), points_before_return - 300) << "the 300 points of the revoked reward are gone";

    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
}  // namespace patron::testing
