// Cashback rules and stamp cards through a real patrond: a marketer adds them to the draft one by
// one (a bad one lists every problem by JSON path; a card's coupon reward must name a published
// campaign), previews a basket with a coupon against the draft and publishes; the till then sees
// cashback credited and spent as a tender, and a stamp card fill up and pay its coupon. (The till's
// purchases are timed now: the new version is in force from its publication.)
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using CashbackAndStamps = PatrondTest;

TEST_F(CashbackAndStamps, AMarketerDraftsPreviewsAndPublishesThemAndTheTillUsesThem) {
    const auto bad = staff("PUT", "/v1/program/rules/draft/cashback/cb5", R"({"percent": 0, "caps": {"per_day": -1}})");
    ASSERT_EQ(bad.status, 422) << bad.body;
    std::set<std::string> fields;
    const json refusal = json::parse(bad.body);  // Held: a range-for over a temporary's member reads freed memory.
    for (const auto& problem : refusal["error"]["problems"]) fields.insert(problem["field"].get<std::string>());
    EXPECT_EQ(fields, (std::set<std::string>{"cashback[0].percent", "cashback[0].caps.per_day"}));
    const auto cashback = staff("PUT", "/v1/program/rules/draft/cashback/cb5",
                                R"({"name": "Cashback 5%", "percent": 5, "caps": {"per_purchase": 40000}})");
    ASSERT_EQ(cashback.status, 200) << cashback.body;

    const json coffee_card = {{"name", "Coffee card"},
                              {"goal", 2},
                              {"conditions", {{"categories", {"coffee"}}}},
                              {"reward", {{"coupon_campaign", 999999}, {"label", "free coffee"}}}};
    const auto unknown = staff("PUT", "/v1/program/rules/draft/stamp-cards/coffee", coffee_card.dump());
    ASSERT_EQ(unknown.status, 422) << unknown.body;
    EXPECT_EQ(json::parse(unknown.body)["error"]["problems"][0]["field"], "stamp_cards[0].reward.coupon_campaign");
    const long long campaign_id = publish_free_coffee_campaign();
    json rewarding = coffee_card;
    rewarding["reward"]["coupon_campaign"] = campaign_id;
    const auto drafted = staff("PUT", "/v1/program/rules/draft/stamp-cards/coffee", rewarding.dump());
    ASSERT_EQ(drafted.status, 200) << drafted.body;
    EXPECT_EQ(json::parse(drafted.body)["document"]["stamp_cards"][0]["id"], "coffee");

    const auto preview =
        staff("POST", "/v1/program/rules/draft/preview",
              json{{"purchase", purchase("p0", card(0), 1000000)}, {"member_id", member_id(0)}}.dump());
    ASSERT_EQ(preview.status, 200) << preview.body;
    const json previewed = json::parse(preview.body);
    EXPECT_EQ(previewed["cashback"]["earned"], 40000) << "5% of 1,000,000 capped at 40,000";
    EXPECT_EQ(previewed["stamps"][0]["count"], 1);
    const auto published = staff("POST", "/v1/program/rules/publish");
    ASSERT_EQ(published.status, 201) << published.body;

    const auto first = pos("POST", "/v1/pos/purchases", purchase_now("s1", card(0), 400000).dump());
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(json::parse(first.body)["cashback"]["earned"], 20000);
    EXPECT_EQ(json::parse(first.body)["stamps"][0]["count"], 1);
    const auto second = pos("POST", "/v1/pos/purchases", purchase_now("s2", card(0), 400000).dump());
    ASSERT_EQ(second.status, 201) << second.body;
    const json filled = json::parse(second.body);
    EXPECT_EQ(filled["stamps"][0]["rewards_earned"], 1);
    ASSERT_EQ(filled["coupons"]["issued"].size(), 1U);
    const std::string code = filled["coupons"]["issued"][0]["code"];
    EXPECT_EQ(filled["cashback"]["balance"], 40000);
    const json cards_held = json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body);
    EXPECT_EQ(
        cards_held["stamps"],
        (json{
            {{"card_id", "coffee"},
             {"name", "Coffee card"},
             {"basis", "units"},
             {"count", 0},
             {"goal", 2},
             {"reward",
              {{"points", nullptr}, {"coupon_campaign", campaign_id}, {"cashback", nullptr}, {"label", "free coffee"}}},
             {"valid_until", nullptr}}}))
        << "the card starts over once full, and says what a full card gives";

    // The coupon is previewed against the draft too, without being used.
    const auto with_coupon = staff("POST", "/v1/program/rules/draft/preview",
                                   json{{"purchase",
                                         [&] {
                                             json basket = purchase("p1", card(0), 400000);
                                             basket["coupons"] = {code};
                                             return basket;
                                         }()},
                                        {"member_id", member_id(0)}}
                                       .dump());
    ASSERT_EQ(with_coupon.status, 200) << with_coupon.body;
    EXPECT_EQ(json::parse(with_coupon.body)["coupons"]["discount"], 400000);

    json free = purchase_now("s3", card(0), 500000);
    free["coupons"] = {code};
    const auto coffee = pos("POST", "/v1/pos/purchases", free.dump());
    ASSERT_EQ(coffee.status, 201) << coffee.body;
    EXPECT_EQ(json::parse(coffee.body)["coupons"]["discount"], 500000) << "the free coffee";
    EXPECT_EQ(json::parse(coffee.body)["cashback"]["earned"], 0) << "nothing was paid";

    json paying = purchase_now("s4", card(0), 100000);
    paying["spend_cashback"] = 40000;
    const auto quoted = pos("POST", "/v1/pos/quotes", paying.dump());
    ASSERT_EQ(quoted.status, 200) << quoted.body;
    EXPECT_EQ(json::parse(quoted.body)["cashback"]["spent"], 40000);
    const auto paid = pos("POST", "/v1/pos/purchases", paying.dump());
    ASSERT_EQ(paid.status, 201) << paid.body;
    EXPECT_EQ(json::parse(paid.body)["cashback"],
              json({{"earned", 3000}, {"spent", 40000}, {"balance", 3000}, {"available", 40000}, {"currency", "IRR"}}));

    json greedy = purchase_now("s5", card(0), 500000);
    greedy["spend_cashback"] = 3001;
    const auto refused = pos("POST", "/v1/pos/purchases", greedy.dump());
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(code_of(refused), "CASHBACK_INSUFFICIENT");
    EXPECT_EQ(json::parse(refused.body)["error"]["field"], "spend_cashback");
}

}  // namespace
}  // namespace patron::testing
