// Cards through a real patrond: support blocks, unblocks and replaces a card, and the till sees
// each change at once; a replacement carries on the member's account. Support issues a member
// another card (drawn, or a pre-printed one from a range the admin registered), lists the member's
// cards and chooses the primary one; the till finds the same member and account by any active card.
#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/card_number.h"
#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class CardsOverHttp : public PatrondTest {
  protected:
    // The pre-printed plastic card with this serial: "6390 01", nine digits, the check digit.
    static std::string printed(long long serial) {
        const std::string digits = std::to_string(serial);
        return core::make_card_number("639001", std::string(9 - digits.size(), '0') + digits);
    }
    HttpReply register_range(const std::string& name, long long first, long long last) {
        return staff("POST", "/v1/program/card-ranges",
                     json{{"name", name}, {"first", printed(first)}, {"last", printed(last)}}.dump());
    }
    std::string cards_of(int member) { return "/v1/members/" + std::to_string(member_id(member)) + "/cards"; }
    HttpReply issue(int member, const json& body) { return staff("POST", cards_of(member), body.dump()); }
    json listed(int member) { return json::parse(staff("GET", cards_of(member)).body)["cards"]; }
    HttpReply choose(int member, const std::string& number) {
        return staff("POST", cards_of(member) + "/" + number + "/primary", "");
    }
    // The numbers of the listed cards marked primary.
    static std::vector<std::string> primaries(const json& cards) {
        std::vector<std::string> numbers;
        for (const json& card : cards) {
            if (card["primary"] == true) numbers.push_back(card["number"]);
        }
        return numbers;
    }
};

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

TEST_F(CardsOverHttp, AnotherCardDrawnOrPrePrintedFindsTheSameMemberAndAccountAtTheTill) {
    const auto range = register_range("Plastic batch 2026-11", 100, 599);
    ASSERT_EQ(range.status, 201) << range.body;
    EXPECT_EQ(json::parse(range.body)["numbers"], 500);
    EXPECT_EQ(json::parse(range.body)["issued"], 0);

    const auto drawn = issue(0, {{"kind", "virtual"}});
    ASSERT_EQ(drawn.status, 201) << drawn.body;
    const json second = json::parse(drawn.body);
    const std::string virtual_card = second["number"];
    EXPECT_TRUE(virtual_card.starts_with("7001")) << "drawn as at enrolment: " << virtual_card;
    EXPECT_EQ(virtual_card.size(), card(0).size());
    EXPECT_EQ(second["kind"], "virtual");
    EXPECT_EQ(second["state"], "active");
    EXPECT_EQ(second["primary"], false) << "the member's first card stays primary";
    EXPECT_EQ(second["scan"]["qr"], "patron:card:" + virtual_card);
    EXPECT_TRUE(second["issued_at"].is_string());

    const auto handed_over = issue(0, {{"kind", "physical"}, {"number", printed(321)}});
    ASSERT_EQ(handed_over.status, 201) << handed_over.body;
    EXPECT_EQ(json::parse(handed_over.body)["number"], printed(321));
    EXPECT_EQ(json::parse(handed_over.body)["kind"], "physical");
    const json ranges = json::parse(staff("GET", "/v1/program/card-ranges").body)["ranges"];
    ASSERT_EQ(ranges.size(), 1U);
    EXPECT_EQ(ranges[0]["name"], "Plastic batch 2026-11");
    EXPECT_EQ(ranges[0]["first"], printed(100));
    EXPECT_EQ(ranges[0]["last"], printed(599));
    EXPECT_EQ(ranges[0]["issued"], 1);

    const json cards = listed(0);
    ASSERT_EQ(cards.size(), 3U) << cards;
    EXPECT_EQ(cards[0]["number"], card(0));
    EXPECT_EQ(cards[1]["number"], virtual_card);
    EXPECT_EQ(cards[2]["number"], printed(321));
    EXPECT_EQ(primaries(cards), std::vector<std::string>{card(0)});
    for (const json& listed_card : cards) EXPECT_EQ(listed_card["state"], "active") << listed_card;

    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("C-1", card(0), 900000).dump()).status, 201);
    const auto on_plastic = pos("POST", "/v1/pos/purchases", purchase("C-2", printed(321), 200000).dump());
    ASSERT_EQ(on_plastic.status, 201) << on_plastic.body;
    EXPECT_EQ(json::parse(on_plastic.body)["member"]["id"], member_id(0));
    EXPECT_EQ(json::parse(on_plastic.body)["points"]["available"], 110) << "added to the same account";
    for (const std::string& number : {card(0), virtual_card, printed(321)}) {
        const auto looked_up = pos("GET", "/v1/cards/" + number);
        ASSERT_EQ(looked_up.status, 200) << number << ": " << looked_up.body;
        EXPECT_EQ(json::parse(looked_up.body)["member"]["id"], member_id(0)) << number;
        EXPECT_EQ(json::parse(looked_up.body)["points"]["available"], 110) << number;
    }
}

TEST_F(CardsOverHttp, NumbersAndRangesThatCannotBeHadAreRefusedWithTheirReason) {
    ASSERT_EQ(register_range("Batch A", 100, 599).status, 201);
    std::string mistyped = printed(321);
    mistyped.back() = mistyped.back() == '9' ? '0' : static_cast<char>(mistyped.back() + 1);
    const auto bad_digit = issue(0, {{"kind", "physical"}, {"number", mistyped}});
    EXPECT_EQ(bad_digit.status, 422);
    EXPECT_EQ(code_of(bad_digit), "CARD_NUMBER_INVALID");
    const auto outside = issue(0, {{"kind", "physical"}, {"number", printed(600)}});
    EXPECT_EQ(outside.status, 422);
    EXPECT_EQ(code_of(outside), "VALIDATION_FAILED");
    EXPECT_EQ(json::parse(outside.body)["error"]["field"], "number");
    EXPECT_NE(json::parse(outside.body)["error"]["message"].get<std::string>().find("pre-printed card ranges"),
              std::string::npos);
    ASSERT_EQ(issue(0, {{"kind", "physical"}, {"number", printed(100)}}).status, 201);
    const auto taken = issue(1, {{"kind", "physical"}, {"number", printed(100)}});
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(code_of(taken), "CARD_NUMBER_TAKEN");
    EXPECT_EQ(json::parse(taken.body)["error"]["field"], "number");
    EXPECT_EQ(listed(1).size(), 1U) << "nothing issued";
    const auto bad_kind = issue(0, {{"kind", "plastic"}});
    EXPECT_EQ(bad_kind.status, 422);
    EXPECT_EQ(json::parse(bad_kind.body)["error"]["field"], "kind");

    const auto overlapping = register_range("Batch B", 599, 700);
    EXPECT_EQ(overlapping.status, 409) << overlapping.body;
    EXPECT_EQ(code_of(overlapping), "CARD_NUMBER_TAKEN");
    EXPECT_NE(json::parse(overlapping.body)["error"]["message"].get<std::string>().find("Batch A"), std::string::npos);
    EXPECT_EQ(register_range("Batch B", 50, 100).status, 409) << "the first number of Batch A";
    EXPECT_EQ(register_range("Batch B", 600, 700).status, 201) << "next to Batch A";
    EXPECT_EQ(register_range("Batch C", 800, 700).status, 422) << "last before first";
    const auto shorter =
        staff("POST", "/v1/program/card-ranges",
              json{{"name", "Short"}, {"first", core::make_card_number("63900", "000000800")}, {"last", printed(900)}}
                  .dump());
    EXPECT_EQ(shorter.status, 422) << shorter.body;
    EXPECT_EQ(json::parse(shorter.body)["error"]["field"], "last");
    const auto long_name = register_range(std::string(101, 'x'), 800, 900);
    EXPECT_EQ(long_name.status, 422);
    EXPECT_EQ(json::parse(long_name.body)["error"]["field"], "name");
    const auto huge = register_range("Everything", 1'000'000, 20'000'000);
    EXPECT_EQ(huge.status, 422);
    EXPECT_EQ(json::parse(huge.body)["error"]["field"], "last");
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/card-ranges").body)["ranges"].size(), 2U);
}

TEST_F(CardsOverHttp, AMemberHoldsAtMostTenCardsAndOneNotActiveGetsNone) {
    for (int issued = 1; issued < 10; ++issued) {
        const auto reply = issue(0, {{"kind", "virtual"}});
        ASSERT_EQ(reply.status, 201) << "card " << issued + 1 << ": " << reply.body;
    }
    const auto eleventh = issue(0, {{"kind", "virtual"}});
    EXPECT_EQ(eleventh.status, 422);
    EXPECT_EQ(code_of(eleventh), "NOT_AVAILABLE");
    EXPECT_NE(json::parse(eleventh.body)["error"]["message"].get<std::string>().find("10 cards"), std::string::npos);
    const std::string extra = listed(0)[9]["number"];
    ASSERT_EQ(staff("POST", "/v1/cards/" + extra + "/state", R"({"state": "lost", "reason": "x"})").status, 200);
    EXPECT_EQ(issue(0, {{"kind", "virtual"}}).status, 422) << "a lost card is still held";
    ASSERT_EQ(staff("POST", "/v1/cards/" + extra + "/state", R"({"state": "closed", "reason": "x"})").status, 200);
    EXPECT_EQ(issue(0, {{"kind", "virtual"}}).status, 201) << "a closed card is not";

    ASSERT_EQ(staff("DELETE", "/v1/members/" + std::to_string(member_id(2))).status, 204);
    const auto erased = issue(2, {{"kind", "virtual"}});
    EXPECT_EQ(erased.status, 422);
    EXPECT_EQ(code_of(erased), "NOT_AVAILABLE");
    EXPECT_EQ(code_of(staff("POST", "/v1/members/999999/cards", R"({"kind": "virtual"})")), "MEMBER_NOT_FOUND");
    const auto not_active = choose(2, card(2));
    EXPECT_EQ(code_of(not_active), "NOT_AVAILABLE");
}

TEST_F(CardsOverHttp, StaffChooseThePrimaryCardAndAReplacedPrimaryPassesItOn) {
    const std::string second = json::parse(issue(0, {{"kind", "virtual"}}).body)["number"];
    const auto chosen = choose(0, second);
    ASSERT_EQ(chosen.status, 200) << chosen.body;
    EXPECT_EQ(json::parse(chosen.body)["cards"][0]["number"], second) << "the primary first";
    EXPECT_EQ(primaries(json::parse(chosen.body)["cards"]), std::vector<std::string>{second});
    const json member = json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0))).body);
    EXPECT_EQ(member["cards"][0]["number"], second);
    EXPECT_EQ(member["cards"][0]["primary"], true);
    EXPECT_EQ(member["cards"][1]["primary"], false);

    // Blocked, the primary gives way to the oldest active card; unblocked, it is primary again.
    const std::string state = "/v1/cards/" + second + "/state";
    ASSERT_EQ(staff("POST", state, R"({"state": "blocked", "reason": "suspected misuse"})").status, 200);
    json cards = listed(0);
    EXPECT_EQ(primaries(cards), std::vector<std::string>{card(0)});
    EXPECT_EQ(cards[1]["state_reason"], "suspected misuse");
    const auto blocked = choose(0, second);
    EXPECT_EQ(blocked.status, 403);
    EXPECT_EQ(code_of(blocked), "CARD_BLOCKED");
    ASSERT_EQ(staff("POST", state, R"({"state": "active", "reason": "cleared"})").status, 200);
    EXPECT_EQ(primaries(listed(0)), std::vector<std::string>{second});

    EXPECT_EQ(code_of(choose(0, card(1))), "CARD_NOT_FOUND") << "another member's card";
    EXPECT_EQ(code_of(choose(0, "1234")), "CARD_NUMBER_INVALID");

    // Replacing the primary card makes the new one primary; replacing another card changes nothing.
    const auto replaced = staff("POST", "/v1/cards/" + second + "/replacement", R"({"reason": "worn"})");
    ASSERT_EQ(replaced.status, 201) << replaced.body;
    const std::string fresh = json::parse(replaced.body)["number"];
    cards = listed(0);
    EXPECT_EQ(primaries(cards), std::vector<std::string>{fresh});
    EXPECT_EQ(cards[0]["number"], fresh);
    const auto closed = choose(0, second);
    EXPECT_EQ(closed.status, 403);
    EXPECT_EQ(code_of(closed), "CARD_CLOSED");
    ASSERT_EQ(staff("POST", "/v1/cards/" + card(0) + "/replacement", R"({"reason": "worn"})").status, 201);
    EXPECT_EQ(primaries(listed(0)), std::vector<std::string>{fresh});

    const auto looked_up = pos("GET", "/v1/cards/" + fresh);
    ASSERT_EQ(looked_up.status, 200) << looked_up.body;
    EXPECT_EQ(json::parse(looked_up.body)["member"]["id"], member_id(0));
}

}  // namespace
}  // namespace patron::testing
