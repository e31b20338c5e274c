// Fraud signals through a real patrond and signed tills (issue 21): the admin's policy set over
// HTTP (a faulty one refused naming every field at fault); a card used too often in an hour, at two
// stores minutes apart, or to spend points hours after joining raises a signal with its evidence;
// the policy's hold keeps the member's points from then on pending until support staff release
// them, its block also blocks her cards; a confirmation forfeits the held points, a dismissal
// unblocks. Every signal raises its fraud_signal_raised event in the outbox. Every review is
// audited and an analyst reads but does not review.
#include <soci/soci.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class FraudOverHttp : public PatrondTest {
  protected:
    json balance_of(long long member_id) {
        const auto read = staff("GET", "/v1/members/" + std::to_string(member_id) + "/balance");
        EXPECT_EQ(read.status, 200) << read.body;
        return json::parse(read.body, nullptr, false);
    }
    json signals(const std::string& query = "", const std::string& token = {}) {
        const auto read = staff("GET", "/v1/fraud/signals" + query, "", token);
        EXPECT_EQ(read.status, 200) << read.body;
        return json::parse(read.body, nullptr, false)["signals"];
    }
    json signal(long long id) {
        const auto read = staff("GET", "/v1/fraud/signals/" + std::to_string(id));
        EXPECT_EQ(read.status, 200) << read.body;
        return json::parse(read.body, nullptr, false);
    }
    HttpReply review(long long id, const json& decision, const std::string& token = {}) {
        return staff("POST", "/v1/fraud/signals/" + std::to_string(id) + "/review", decision.dump(), token);
    }
    // Whether the outbox holds one fraud_signal_raised event for `raised` (a signal as the queue
    // lists it), and it names the signal's kind, action, member and purchase with its evidence.
    ::testing::AssertionResult announced(const json& raised) {
        const auto field = [](const json& document, const std::string& name) {
            return document.is_object() && document.contains(name) ? document.at(name) : json();
        };
        std::vector<json> found;
        soci::rowset<std::string> rows = (db.raw().prepare << "SELECT data FROM outbox_events"
                                                              " WHERE event_type = 'fraud_signal_raised' ORDER BY id");
        for (const std::string& text : rows) {
            json data = json::parse(text, nullptr, false);
            if (!field(data, "signal_id").is_null() && field(data, "signal_id") == field(raised, "id")) {
                found.push_back(std::move(data));
            }
        }
        if (found.size() != 1U) {
            return ::testing::AssertionFailure()
                   << found.size() << " fraud_signal_raised events for signal " << field(raised, "id").dump();
        }
        for (const char* name : {"kind", "action", "member_id", "purchase_id", "evidence"}) {
            if (field(found[0], name) != field(raised, name)) {
                return ::testing::AssertionFailure() << "the event's " << name << " is " << field(found[0], name).dump()
                                                     << ", the signal's " << field(raised, name).dump();
            }
        }
        return ::testing::AssertionSuccess();
    }
    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "%s\n", server.log().c_str());
    }
    void set_policy(const json& policy) {
        const auto set = staff("PUT", "/v1/fraud/policy", policy.dump());
        ASSERT_EQ(set.status, 200) << set.body;
    }
    // A purchase at the demo till: its answer.
    json buy(const std::string& receipt, const std::string& card, long long amount, long long redeem = 0) {
        json sale = purchase_now(receipt, card, amount);
        if (redeem > 0) sale["redeem_points"] = redeem;
        const auto bought = pos("POST", "/v1/pos/purchases", sale.dump());
        EXPECT_EQ(bought.status, 201) << bought.body;
        return json::parse(bought.body, nullptr, false);
    }
    // A return at the demo till of the one line of today's purchase `original`.
    json take_back(const std::string& receipt, const std::string& original) {
        json document = return_of(receipt, original, {{{"line", 1}, {"quantity", 1}}});
        const json today = purchase_now(receipt, "", 1);
        document["business_day"] = today["business_day"];
        document["pos_time"] = today["pos_time"];
        document["original"]["business_day"] = today["business_day"];
        const auto returned = pos("POST", "/v1/pos/returns", document.dump());
        EXPECT_EQ(returned.status, 201) << returned.body;
        return json::parse(returned.body, nullptr, false);
    }
    // The same at another store's till.
    HttpReply buy_at(const PosSigner& till, const std::string& store, const std::string& receipt,
                     const std::string& card) {
        json sale = purchase_now(receipt, card, 450000);
        sale["store"] = store;
        const std::string body = sale.dump();
        std::vector<std::string> headers = till.headers("POST", "/v1/pos/purchases", body);
        headers.push_back("Content-Type: application/json");
        return http({"POST", server.url("/v1/pos/purchases"), body, headers});
    }
};

TEST_F(FraudOverHttp, ACardUsedTooOftenHasHerPointsHeldUntilSupportReleasesThem) {
    const auto faulty = staff("PUT", "/v1/fraud/policy",
                              json{{"card_velocity", {{"action", "freeze"}, {"purchases_per_hour", 0}}},
                                   {"redemption_after_enrolment", {{"action", "flag"}}},
                                   {"refund_abuse", {}}}
                                  .dump());
    ASSERT_EQ(faulty.status, 422) << faulty.body;
    std::vector<std::string> fields;
    const json refusal = json::parse(faulty.body);
    for (const json& problem : refusal["error"]["problems"]) fields.push_back(problem["field"]);
    EXPECT_EQ(fields,
              (std::vector<std::string>{"refund_abuse", "card_velocity.action", "card_velocity.purchases_per_hour",
                                        "redemption_after_enrolment.within_hours"}));
    const std::string marketer = staff_user("marketer");
    EXPECT_EQ(staff("PUT", "/v1/fraud/policy", R"({})", marketer).status, 403);
    const auto set =
        staff("PUT", "/v1/fraud/policy", R"({"card_velocity": {"action": "hold", "purchases_per_hour": 3}})");
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(json::parse(set.body)["policy"],
              json::parse(R"({"card_velocity": {"action": "hold", "purchases_per_hour": 3}})"));
    EXPECT_EQ(json::parse(set.body)["version"], 1);

    const long long sara = member_id(0);
    const long long before = balance_of(sara)["points"]["available"];
    const json first = buy("v1", card(0), 450000);
    const long long per_purchase = first["points"]["earned"];
    ASSERT_GT(per_purchase, 0);
    buy("v2", card(0), 450000);
    EXPECT_TRUE(signals().empty()) << "two purchases within the hour are not three";
    const json third = buy("v3", card(0), 450000);
    // The third is the till's as ever; her points from it on wait for review.
    EXPECT_EQ(third["points"]["earned"], per_purchase);
    EXPECT_EQ(third["points"]["available"], before + 2 * per_purchase);
    buy("v4", card(0), 450000);

    const json open = signals("?state=open");
    ASSERT_EQ(open.size(), 1U) << open.dump() << server.log();
    const json raised = open[0];
    EXPECT_EQ(raised["kind"], "card_velocity");
    EXPECT_EQ(raised["action"], "hold");
    EXPECT_EQ(raised["member_id"], sara);
    EXPECT_EQ(raised["evidence"]["purchases_last_hour"], 3);
    EXPECT_EQ(raised["evidence"]["card_last4"], card(0).substr(card(0).size() - 4));
    EXPECT_EQ(raised["evidence"].dump().find(card(0)), std::string::npos) << "never the whole card number";
    EXPECT_TRUE(announced(raised));
    const long long id = raised["id"];
    EXPECT_EQ(signal(id)["points_held"], 2 * per_purchase) << "the third purchase's points and the fourth's";
    json balance = balance_of(sara);
    EXPECT_EQ(balance["points"]["available"], before + 2 * per_purchase);
    EXPECT_EQ(balance["points"]["held_for_review"], 2 * per_purchase);
    EXPECT_EQ(signals("?kind=redemption_after_enrolment").size(), 0U);
    EXPECT_TRUE(refused(staff("GET", "/v1/fraud/signals?state=closed"), 422, "state"));

    // An analyst reads the queue but does not review; support releases, once.
    const std::string analyst = staff_user("analyst");
    EXPECT_EQ(signals("", analyst).size(), 1U);
    EXPECT_EQ(review(id, {{"decision", "release"}}, analyst).status, 403);
    EXPECT_TRUE(refused(review(id, {{"decision", "approve"}}), 422, "decision"));
    const std::string support = staff_user("support");
    const auto released = review(id, {{"decision", "release"}, {"note", "a family sharing one card"}}, support);
    ASSERT_EQ(released.status, 200) << released.body;
    const json done = json::parse(released.body);
    EXPECT_EQ(done["state"], "released");
    EXPECT_EQ(done["points_held"], 0);
    EXPECT_EQ(done["reviewed_by"], "Test support");
    EXPECT_EQ(done["review_note"], "a family sharing one card");
    EXPECT_TRUE(refused(review(id, {{"decision", "confirm"}}, support), 422, "id")) << "reviewed already";
    balance = balance_of(sara);
    EXPECT_EQ(balance["points"]["available"], before + 4 * per_purchase);
    EXPECT_EQ(balance["points"]["held_for_review"], 0);
    // Her next purchase earns as ever: the hour's signal is not raised twice.
    EXPECT_EQ(buy("v5", card(0), 450000)["points"]["available"], before + 5 * per_purchase);
    EXPECT_EQ(signals().size(), 1U);

    const auto audit = staff("GET", "/v1/audit-log?action=fraud_signal.review");
    ASSERT_EQ(audit.status, 200) << audit.body;
    const json entries = json::parse(audit.body)["entries"];
    ASSERT_EQ(entries.size(), 1U) << audit.body;
    EXPECT_EQ(entries[0]["entity_id"], id);
    EXPECT_EQ(entries[0]["member_id"], sara);
}

TEST_F(FraudOverHttp, ACardAtTwoStoresMinutesApartIsBlockedAndAConfirmedFraudForfeitsItsHeldPoints) {
    set_policy({{"card_velocity", {{"action", "block"}, {"other_store_minutes", 30}}}});
    const PosSigner karaj = open_store("S002", "Karaj");
    ASSERT_FALSE(HasFailure());
    const long long reza = member_id(1);
    buy("b1", card(1), 450000);
    const long long before = balance_of(reza)["points"]["available"];
    const auto elsewhere = buy_at(karaj, "S002", "k1", card(1));
    ASSERT_EQ(elsewhere.status, 201) << elsewhere.body;
    const long long earned = json::parse(elsewhere.body)["points"]["earned"];

    const json open = signals("?member_id=" + std::to_string(reza));
    ASSERT_EQ(open.size(), 1U) << server.log();
    EXPECT_EQ(open[0]["action"], "block");
    EXPECT_EQ(open[0]["evidence"]["store"], "S002");
    EXPECT_EQ(open[0]["evidence"]["other_store"]["store"], "S001");
    EXPECT_TRUE(announced(open[0]));
    const long long id = open[0]["id"];
    EXPECT_EQ(signal(id)["blocked_cards_last4"], json::array({card(1).substr(card(1).size() - 4)}))
        << "a card by its last four digits only";
    EXPECT_TRUE(refused(pos("POST", "/v1/pos/purchases", purchase_now("b2", card(1), 450000).dump()), 403, "card"))
        << "a blocked card earns nothing";

    const auto confirmed = review(id, {{"decision", "confirm"}, {"note", "card cloned"}});
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    EXPECT_EQ(json::parse(confirmed.body)["points_forfeited"], earned);
    const json balance = balance_of(reza);
    EXPECT_EQ(balance["points"]["available"], before);
    EXPECT_EQ(balance["points"]["pending"], 0);
    EXPECT_EQ(balance["points"]["held_for_review"], 0);
    EXPECT_TRUE(refused(pos("POST", "/v1/pos/purchases", purchase_now("b3", card(1), 450000).dump()), 403, "card"))
        << "a confirmed fraud's card stays blocked";
    const auto history = staff("GET", "/v1/members/" + std::to_string(reza) + "/history?kind=adjusted");
    ASSERT_EQ(history.status, 200) << history.body;
    EXPECT_NE(history.body.find("forfeit"), std::string::npos) << history.body;
}

TEST_F(FraudOverHttp, PointsSpentHoursAfterJoiningAreFlaggedAndADismissalUnblocksHerCard) {
    set_policy({{"redemption_after_enrolment", {{"action", "block"}, {"within_hours", 24}}}});
    const long long sara = member_id(0);
    const json grant = {{"points", 500}, {"reason", "welcome gift"}};
    ASSERT_EQ(staff("POST", "/v1/members/" + std::to_string(sara) + "/points/adjustments", grant.dump()).status, 201);
    buy("e1", card(0), 450000);  // Earning only: nothing to flag.
    EXPECT_TRUE(signals().empty());
    buy("e2", card(0), 450000, 100);
    const json open = signals();
    ASSERT_EQ(open.size(), 1U) << server.log();
    EXPECT_EQ(open[0]["kind"], "redemption_after_enrolment");
    EXPECT_EQ(open[0]["evidence"]["points_redeemed"], 100);
    EXPECT_LT(open[0]["evidence"]["minutes_after_enrolment"].get<long long>(), 60);
    EXPECT_TRUE(announced(open[0]));
    EXPECT_TRUE(refused(pos("POST", "/v1/pos/purchases", purchase_now("e3", card(0), 450000).dump()), 403, "card"));

    const json waiting = balance_of(sara)["points"];
    const long long held = waiting["held_for_review"];
    EXPECT_GT(held, 0) << "e2's own points wait for the review";
    const auto dismissed = review(open[0]["id"], {{"decision", "dismiss"}, {"note", "staff member's own card"}});
    ASSERT_EQ(dismissed.status, 200) << dismissed.body;
    EXPECT_EQ(json::parse(dismissed.body)["state"], "dismissed");
    const json freed = balance_of(sara)["points"];
    EXPECT_EQ(freed["available"], waiting["available"].get<long long>() + held);
    EXPECT_EQ(freed["held_for_review"], 0);
    const json after = buy("e4", card(0), 450000);
    EXPECT_EQ(after["points"]["pending"], 0) << "her points are hers again at once";
    buy("e5", card(0), 450000, 100);
    EXPECT_EQ(signals().size(), 1U) << "raised once per member";
}

TEST_F(FraudOverHttp, ReturnsThatTakeBackPointsAgainAndAgainOrPointsAlreadySpentAreSignalledAndSupportReleasesTheHold) {
    set_policy({{"return_cycling", {{"action", "hold"}, {"returns", 2}, {"days", 30}}},
                {"spent_points_returned", {{"action", "flag"}, {"points_min", 10}}}});
    const long long sara = member_id(0);
    // Earned, spent at once, then the goods brought back: the points were gone already.
    const json earned = buy("c1", card(0), 450000);
    const long long each = earned["points"]["earned"];
    const long long available = earned["points"]["available"];
    ASSERT_GE(available, 10) << "enough to pay with";
    buy("c2", card(0), 450000, available);
    take_back("c1r", "c1");
    json open = signals();
    ASSERT_EQ(open.size(), 1U) << server.log();
    EXPECT_EQ(open[0]["kind"], "spent_points_returned");
    EXPECT_EQ(open[0]["action"], "flag");
    EXPECT_EQ(open[0]["evidence"]["points_already_spent"], each);
    EXPECT_EQ(open[0]["member_id"], sara);
    EXPECT_TRUE(announced(open[0]));
    // A second return taking points back within 30 days: the pattern, and her points wait from then on.
    // (The c2 purchase, paid partly with points, earned less than c1 took back: c3's points first
    // repaid the 5 she owed, so its return takes back 5 spent points, under the policy's 10.)
    buy("c3", card(0), 450000);
    take_back("c3r", "c3");
    open = signals("?kind=return_cycling");
    ASSERT_EQ(open.size(), 1U) << server.log();
    EXPECT_EQ(open[0]["evidence"]["returns_in_window"], 2);
    EXPECT_EQ(open[0]["member_id"], sara);
    EXPECT_EQ(open[0]["action"], "hold");
    EXPECT_TRUE(announced(open[0]));
    const long long cycling = open[0]["id"];
    const json after = buy("c4", card(0), 450000);
    const long long held = after["points"]["earned"];
    ASSERT_GT(held, 0);
    EXPECT_EQ(balance_of(sara)["points"]["held_for_review"], held);
    EXPECT_EQ(signals().size(), 2U) << signals().dump();
    const auto spent = staff("GET", "/v1/fraud/signals?kind=spent_points_returned");
    EXPECT_EQ(json::parse(spent.body)["signals"].size(), 1U) << "5 spent points are under the policy's 10";

    // Support reviews the pattern in the queue and releases it: c4's points are hers.
    EXPECT_EQ(signal(cycling)["points_held"], held);
    const json waiting = balance_of(sara)["points"];
    const auto released =
        review(cycling, {{"decision", "release"}, {"note", "faulty goods, twice"}}, staff_user("support"));
    ASSERT_EQ(released.status, 200) << released.body;
    const json done = json::parse(released.body);
    EXPECT_EQ(done["state"], "released");
    EXPECT_EQ(done["points_held"], 0);
    EXPECT_EQ(done["reviewed_by"], "Test support");
    const json freed = balance_of(sara)["points"];
    EXPECT_EQ(freed["available"], waiting["available"].get<long long>() + held);
    EXPECT_EQ(freed["held_for_review"], 0);
    EXPECT_EQ(buy("c5", card(0), 450000)["points"]["pending"], 0) << "her next points are hers at once";
    EXPECT_EQ(signals("?state=open").size(), 1U) << "the flag about spent points stays for its own review";
}

TEST_F(FraudOverHttp, AStaffGrantAboveTheLimitWaitsForAReviewAndSoDoesTheThirdOfTheDay) {
    set_policy({{"staff_adjustment", {{"action", "hold"}, {"points_over", 1000}, {"per_user_per_day", 3}}}});
    const std::string support = staff_user("support");
    const long long sara = member_id(0);
    const std::string path = "/v1/members/" + std::to_string(sara) + "/points/adjustments";
    const long long before = balance_of(sara)["points"]["available"];
    const auto small = staff("POST", path, R"({"points": 200, "reason": "goodwill"})", support);
    ASSERT_EQ(small.status, 201) << small.body;
    EXPECT_TRUE(signals().empty());
    const auto large = staff("POST", path, R"({"points": 5000, "reason": "goodwill"})", support);
    ASSERT_EQ(large.status, 201) << large.body;
    json open = signals();
    ASSERT_EQ(open.size(), 1U) << server.log();
    EXPECT_EQ(open[0]["kind"], "staff_adjustment");
    EXPECT_EQ(open[0]["evidence"]["points"], 5000);
    EXPECT_EQ(open[0]["evidence"]["staff"], "Test support");
    EXPECT_EQ(open[0]["purchase_id"], nullptr);
    EXPECT_TRUE(announced(open[0]));
    json balance = balance_of(sara);
    EXPECT_EQ(balance["points"]["available"], before + 200);
    EXPECT_EQ(balance["points"]["held_for_review"], 5000);
    // The third adjustment of her day, small as it is.
    ASSERT_EQ(staff("POST", path, R"({"points": 10, "reason": "goodwill"})", support).status, 201);
    open = signals();
    ASSERT_EQ(open.size(), 2U);
    EXPECT_EQ(open[0]["evidence"]["adjustments_today"], 3);
    EXPECT_EQ(balance_of(sara)["points"]["held_for_review"], 5010) << "held with the first signal's";

    const auto released = review(open[1]["id"], {{"decision", "release"}});
    ASSERT_EQ(released.status, 200) << released.body;
    balance = balance_of(sara);
    EXPECT_EQ(balance["points"]["available"], before + 5210);
    EXPECT_EQ(balance["points"]["held_for_review"], 0);
    // The day's signal still holds what she earns next.
    const json next = buy("s1", card(0), 450000);
    EXPECT_EQ(balance_of(sara)["points"]["held_for_review"], next["points"]["earned"]);
}

// Receipt-claim harvesting: a member claiming shoppers' anonymous receipts in the portal has her
// second claim of the day held, her second failed claim and the fourth claim from her address
// flagged by the same hold; a till whose third receipt of the day is claimed (by staff, for
// another member) is signalled too. The address is shown only as a digest.
TEST_F(FraudOverHttp, ReceiptsClaimedTooOftenByOneMemberAddressOrTillAreSignalled) {
    set_policy({{"claim_harvesting",
                 {{"action", "hold"},
                  {"claims_per_member_per_day", 2},
                  {"failed_per_member_per_day", 2},
                  {"claims_per_address_per_day", 4},
                  {"claims_per_terminal_per_day", 3}}}});
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const long long sara = member_id(0);
    for (const char* receipt : {"h1", "h2", "h3"}) {
        ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase(receipt, "", 330000).dump()).status, 201) << receipt;
    }
    const auto claim = [&](const std::string& receipt, long long total) {
        return claim_in_portal(token, receipt, total);
    };
    const auto first = claim("h1", 330000);
    ASSERT_EQ(first.status, 201) << first.body;
    const long long each = json::parse(first.body)["points"]["earned"];
    ASSERT_GT(each, 0);
    EXPECT_TRUE(signals().empty());
    const auto second = claim("h2", 330000);
    ASSERT_EQ(second.status, 201) << second.body;
    json open = signals();
    ASSERT_EQ(open.size(), 1U) << server.log();
    EXPECT_EQ(open[0]["kind"], "claim_harvesting");
    EXPECT_EQ(open[0]["member_id"], sara);
    EXPECT_EQ(open[0]["evidence"]["subject"], "member");
    EXPECT_EQ(open[0]["evidence"]["claims"], 2);
    EXPECT_EQ(open[0]["evidence"]["store"], "S001");
    EXPECT_EQ(open[0]["evidence"]["terminal"], "T01");
    EXPECT_EQ(open[0]["purchase_id"], open[0]["evidence"]["purchase_id"]);
    EXPECT_TRUE(announced(open[0]));
    json balance = balance_of(sara);
    EXPECT_EQ(balance["points"]["available"], each);
    EXPECT_EQ(balance["points"]["held_for_review"], each) << "the claim that showed it is held";

    // Two wrong guesses: her second failure, and the fourth claim from her address.
    EXPECT_EQ(claim("h9", 330000).status, 404);
    EXPECT_EQ(signals().size(), 1U);
    EXPECT_EQ(claim("h3", 1).status, 404);
    open = signals();
    ASSERT_EQ(open.size(), 3U) << server.log();
    std::map<std::string, json> by_subject;
    for (const json& raised : open) by_subject[raised["evidence"]["subject"]] = raised;
    ASSERT_TRUE(by_subject.contains("failed"));
    EXPECT_EQ(by_subject["failed"]["evidence"]["claims"], 2);
    EXPECT_EQ(by_subject["failed"]["purchase_id"], nullptr);
    ASSERT_TRUE(by_subject.contains("address"));
    EXPECT_EQ(by_subject["address"]["evidence"]["claims"], 4);
    const std::string digest = by_subject["address"]["evidence"]["address_digest"];
    EXPECT_EQ(digest.size(), 8U);
    EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos) << digest;
    EXPECT_EQ(by_subject["address"].dump().find("127.0.0.1"), std::string::npos) << "never the address itself";

    // Support claims the till's third receipt of the day for Reza: the till is signalled.
    const long long reza = member_id(1);
    const auto for_reza =
        staff("POST", "/v1/members/" + std::to_string(reza) + "/claims",
              R"({"store": "S001", "terminal": "T01", "business_day": "2026-11-22", "receipt": "h3"})");
    ASSERT_EQ(for_reza.status, 201) << for_reza.body;
    const json his = signals("?member_id=" + std::to_string(reza));
    ASSERT_EQ(his.size(), 1U) << server.log();
    EXPECT_EQ(his[0]["evidence"]["subject"], "terminal");
    EXPECT_EQ(his[0]["evidence"]["claims"], 3);
    EXPECT_EQ(balance_of(reza)["points"]["held_for_review"], each);

    // Released, her held claim is hers.
    ASSERT_TRUE(by_subject.contains("member"));
    const auto released = review(by_subject["member"]["id"], {{"decision", "release"}});
    ASSERT_EQ(released.status, 200) << released.body;
    EXPECT_EQ(balance_of(sara)["points"]["held_for_review"], 0) << "the other open signals hold nothing yet";
    EXPECT_EQ(balance_of(sara)["points"]["available"], 2 * each);
}

// A till giving far more in an hour than usual: patrond's scan (every second in tests) flags it,
// once, about no member; a hold is refused for it.
TEST_F(FraudOverHttp, ATillGivingFarMoreInAnHourThanUsualIsFlaggedByTheScan) {
    const long long each = buy("t1", card(0), 450000)["points"]["earned"];
    ASSERT_GT(each, 0);
    const auto holding =
        staff("PUT", "/v1/fraud/policy",
              json{{"terminal_outlier", {{"action", "hold"}, {"times_usual", 2}, {"points_min", 1}}}}.dump());
    EXPECT_TRUE(refused(holding, 422, "terminal_outlier.action")) << holding.body;
    // The demo till has no history: its minimum alone decides.
    set_policy({{"terminal_outlier", {{"action", "flag"}, {"times_usual", 2}, {"points_min", 3 * each}}}});
    buy("t2", card(1), 450000);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_TRUE(signals().empty()) << "two sales' points are below the minimum";
    buy("t3", card(0), 450000);
    json raised = signals();
    for (int waited = 0; raised.empty() && waited < 150; ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        raised = signals();
    }
    ASSERT_EQ(raised.size(), 1U) << server.log();
    EXPECT_EQ(raised[0]["kind"], "terminal_outlier");
    EXPECT_EQ(raised[0]["action"], "flag");
    EXPECT_EQ(raised[0]["member_id"], nullptr);
    const json& evidence = raised[0]["evidence"];
    EXPECT_EQ(evidence["store"], "S001");
    EXPECT_EQ(evidence["terminal"], "T01");
    EXPECT_EQ(evidence["purchases"], 3);
    EXPECT_EQ(evidence["points"], 3 * each);
    EXPECT_EQ(evidence["history_hours"], 0);
    EXPECT_EQ(evidence["points_min"], 3 * each);
    EXPECT_FALSE(evidence.contains("cashback_min"));
    EXPECT_TRUE(announced(raised[0]));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_EQ(signals().size(), 1U) << "once per till and hour, however often it is scanned";
    const auto dismissed =
        review(raised[0]["id"], {{"decision", "dismiss"}, {"note", "a coach party"}}, staff_user("support"));
    ASSERT_EQ(dismissed.status, 200) << dismissed.body;
    EXPECT_EQ(json::parse(dismissed.body)["state"], "dismissed");
}

}  // namespace
}  // namespace patron::testing
