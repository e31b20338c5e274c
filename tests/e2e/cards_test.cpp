// Card states through a real patrond: support blocks, unblocks and replaces a card, and the till
// sees each change at once; a replacement carries on the member's account.
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using CardsOverHttp = PatrondTest;

TEST_F(CardsOverHttp, BlockedCardsAreRefusedAtTheTillAndAReplacementCarriesOn) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump()).status, 201);
    const std::string state = "/v1/cards/" + card(0) + "/state";
    const auto blocked = staff("POST", state, R"({"state": "blocked", "reason": "suspected misuse"})");
    ASSERT_EQ(blocked.status, 200) << blocked.body;
    EXPECT_EQ(json::parse(blocked.body)["state"], "blocked");
    const auto refused = pos("POST", "/v1/pos/purchases", purchase("P-2", card(0), 100000).dump());
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "CARD_BLOCKED");
    EXPECT_EQ(json::parse(pos("GET", "/v1/cards/" + card(0)).body)["error"]["code"], "CARD_BLOCKED");

    ASSERT_EQ(staff("POST", state, R"({"state": "active", "reason": "cleared"})").status, 200);
    EXPECT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-3", card(0), 100000).dump()).status, 201);

    const auto replaced = staff("POST", "/v1/cards/" + card(0) + "/replacement", R"({"reason": "lost on the bus"})");
    ASSERT_EQ(replaced.status, 201) << replaced.body;
    const std::string fresh = json::parse(replaced.body)["number"];
    EXPECT_NE(fresh, card(0));
    const auto looked_up = pos("GET", "/v1/cards/" + fresh);
    ASSERT_EQ(looked_up.status, 200) << looked_up.body;
    EXPECT_EQ(json::parse(looked_up.body)["points"]["available"], 100) << "the same account";
    EXPECT_EQ(json::parse(pos("GET", "/v1/cards/" + card(0)).body)["error"]["code"], "CARD_CLOSED");
    const auto final_state = staff("POST", state, R"({"state": "active", "reason": "found it"})");
    EXPECT_EQ(final_state.status, 403);
    EXPECT_EQ(json::parse(final_state.body)["error"]["code"], "CARD_CLOSED");

    const std::pair<const char*, const char*> bad[] = {{R"({"state": "frozen", "reason": "x"})", "state"},
                                                       {R"({"state": "blocked"})", "reason"}};
    for (const auto& [body, field] : bad) {
        const auto reply = staff("POST", "/v1/cards/" + fresh + "/state", body);
        EXPECT_EQ(reply.status, 422) << body;
        EXPECT_EQ(json::parse(reply.body)["error"]["field"], field) << body;
    }
    EXPECT_EQ(
        json::parse(
            staff("POST", "/v1/cards/1234/state", R"({"state": "blocked", "reason": "x"})").body)["error"]["code"],
        "CARD_NUMBER_INVALID");
}

}  // namespace
}  // namespace patron::testing
