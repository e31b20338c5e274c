// Referrals through a real patrond: a marketer sets the terms (bad ones refused with every problem
// by its JSON path); a member's code comes from her referral page; staff enrol a friend with it
// (an unknown or malformed code refused by its field, and any code while the terms are paused);
// the friend's first purchase under the least total gives nothing, the next one gives her welcome
// on the receipt and the referrer her reward, within the referrer's monthly limit; a return of the
// qualifying purchase takes both back and the referral waits again; a purchase at the till the
// referrer just used is refused as self-referral; merging the friend into the referrer refuses the
// referral and takes back what it gave; and `patronctl verify` finds the ledgers balanced.
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class Referrals : public PatrondTest {
  protected:
    json terms(int per_month, int same_till_minutes) const {
        return {{"state", "active"},
                {"friend_reward", {{"points", 500}}},
                {"referrer_reward", {{"cashback", 20000}}},
                {"within_days", 30},
                {"min_spend", 100000},
                {"per_referrer_per_month", per_month},
                {"same_till_minutes", same_till_minutes}};
    }
    // Sara's referral page as staff see it.
    json referrals_of(long long member) {
        const auto reply = staff("GET", "/v1/members/" + std::to_string(member) + "/referrals");
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body);
    }
    // A friend enrolled with `code`: her id and card.
    std::pair<long long, std::string> enrol(const std::string& name, const std::string& phone,
                                            const std::string& code) {
        const auto enrolled =
            staff("POST", "/v1/members", json{{"full_name", name}, {"phone", phone}, {"referral_code", code}}.dump());
        EXPECT_EQ(enrolled.status, 201) << enrolled.body;
        const json body = json::parse(enrolled.body);
        return {body["id"].get<long long>(), body["cards"][0]["number"].get<std::string>()};
    }
    json balance(long long member) {
        return json::parse(staff("GET", "/v1/members/" + std::to_string(member) + "/balance").body);
    }
    static long long points(const json& balance) {
        return balance["points"]["available"].get<long long>() + balance["points"]["pending"].get<long long>();
    }
    // The effect of the referral's welcome in an answer, or null.
    static json referral_effect(const json& answer) {
        for (const json& effect : answer["effects"]) {
            if (effect["rule_id"].get<std::string>().starts_with("referral:")) return effect;
        }
        return nullptr;
    }
};

TEST_F(Referrals, AFriendsFirstQualifyingPurchaseRewardsBothWithinTheLimitAndAReturnTakesBothBack) {
    json bad = terms(1, 0);
    bad["within_days"] = 0;
    bad["friend_reward"] = json::object();
    bad["referrer_reward"] = {{"points", 10}, {"cashback", 10}};
    bad["colour"] = "red";
    const auto rejected = staff("PUT", "/v1/program/referrals", bad.dump());
    ASSERT_EQ(rejected.status, 422) << rejected.body;
    std::set<std::string> fields;
    const json refusal = json::parse(rejected.body);  // Held: not a range-for over a temporary's member.
    for (const auto& problem : refusal["error"]["problems"]) {
        fields.insert(problem["field"].get<std::string>());
    }
    EXPECT_EQ(fields, (std::set<std::string>{"colour", "friend_reward", "referrer_reward", "within_days"}));

    // No terms yet: a code is refused at enrolment.
    const std::string code = referrals_of(member_id(0))["code"].get<std::string>();
    ASSERT_EQ(code.size(), 8U);
    const auto closed = staff("POST", "/v1/members",
                              json{{"full_name", "Early"}, {"phone", "09121110000"}, {"referral_code", code}}.dump());
    EXPECT_TRUE(refused(closed, 409, "referral_code"));
    EXPECT_EQ(code_of(closed), "REFERRALS_CLOSED");
    const auto set = staff("PUT", "/v1/program/referrals", terms(1, 0).dump());
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(json::parse(set.body)["version"], 1);
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/referrals").body)["terms"], terms(1, 0));

    const auto unknown =
        staff("POST", "/v1/members",
              json{{"full_name", "Nobody"}, {"phone", "09121110001"}, {"referral_code", "ZZZZ-ZZZZ"}}.dump());
    EXPECT_TRUE(refused(unknown, 422, "referral_code"));
    EXPECT_EQ(code_of(unknown), "REFERRAL_CODE_UNKNOWN");
    const auto malformed = staff(
        "POST", "/v1/members", json{{"full_name", "Nobody"}, {"phone", "09121110002"}, {"referral_code", "U!"}}.dump());
    EXPECT_TRUE(refused(malformed, 422, "referral_code"));
    EXPECT_EQ(code_of(malformed), "VALIDATION_FAILED");
    // Nothing was enrolled by the refusals.
    EXPECT_EQ(staff("GET", "/v1/members?phone=09121110001").status, 404);
    // The same phone as the referrer's: she is a member already.
    EXPECT_TRUE(
        refused(staff("POST", "/v1/members",
                      json{{"full_name", "Sara again"}, {"phone", "0912 345 6789"}, {"referral_code", code}}.dump()),
                409, "phone"));

    // Typed in lower case with a dash, as people do.
    std::string typed = code.substr(0, 4) + "-" + code.substr(4);
    std::transform(typed.begin(), typed.end(), typed.begin(), [](unsigned char c) { return std::tolower(c); });
    const auto [friend_id, friend_card] = enrol("Mina Friend", "09121112222", typed);
    const long long sara_cashback = balance(member_id(0))["cashback"]["amount"].get<long long>();

    const auto small = pos("POST", "/v1/pos/purchases", purchase_now("f1", friend_card, 50000).dump());
    ASSERT_EQ(small.status, 201) << small.body;
    EXPECT_TRUE(referral_effect(json::parse(small.body)).is_null()) << "under the least total";
    EXPECT_EQ(referrals_of(member_id(0))["friends"][0]["state"], "pending");

    const auto first = pos("POST", "/v1/pos/purchases", purchase_now("f2", friend_card, 150000).dump());
    ASSERT_EQ(first.status, 201) << first.body;
    const json welcomed = json::parse(first.body);
    const json welcome = referral_effect(welcomed);
    ASSERT_FALSE(welcome.is_null()) << welcomed;
    EXPECT_EQ(welcome["kind"], "earn_points");
    EXPECT_EQ(welcome["amount"], 500);
    bool printed = false;
    for (const auto& line : welcomed["receipt_lines"]) {
        printed |= line.get<std::string>().find("هدیه دعوت دوست") != std::string::npos;
    }
    EXPECT_TRUE(printed) << welcomed["receipt_lines"];
    const long long friend_points = points(balance(friend_id));
    EXPECT_GE(friend_points, 500);
    EXPECT_EQ(balance(member_id(0))["cashback"]["amount"], sara_cashback + 20000);

    json page = referrals_of(member_id(0));
    EXPECT_EQ(page["rewarded"], 1);
    EXPECT_EQ(page["earned"]["cashback"], 20000);
    EXPECT_EQ(page["this_month"], (json{{"rewarded", 1}, {"limit", 1}}));
    EXPECT_EQ(page["friends"][0]["friend_id"], friend_id);
    EXPECT_EQ(page["friends"][0]["referrer_outcome"], "rewarded");
    EXPECT_EQ(page["friends"][0]["reward"], (json{{"cashback", 20000}}));
    const json own = referrals_of(friend_id)["referred_by"];
    EXPECT_EQ(own["state"], "rewarded");
    EXPECT_EQ(own["referrer_id"], member_id(0));
    EXPECT_EQ(own["reward"], (json{{"points", 500}}));

    // A second friend qualifies past the referrer's monthly limit: she has her welcome, Sara nothing.
    const auto [second_id, second_card] = enrol("Second Friend", "09121113333", code);
    const auto second = pos("POST", "/v1/pos/purchases", purchase_now("g1", second_card, 200000).dump());
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_FALSE(referral_effect(json::parse(second.body)).is_null());
    EXPECT_EQ(balance(member_id(0))["cashback"]["amount"], sara_cashback + 20000);
    page = referrals_of(member_id(0));
    EXPECT_EQ(page["friends"][0]["friend_id"], second_id);
    EXPECT_EQ(page["friends"][0]["referrer_outcome"], "capped");
    EXPECT_TRUE(page["friends"][0]["reward"].is_null());

    // The first friend's qualifying purchase comes back whole: both rewards are taken back.
    json back = return_of("f2r", "f2", {{{"line", 1}, {"quantity", 1}}});
    const json now = purchase_now("x", "", 0);
    back["pos_time"] = now["pos_time"];
    back["business_day"] = now["business_day"];
    back["original"]["business_day"] = now["business_day"];
    const auto returned = pos("POST", "/v1/pos/returns", back.dump());
    ASSERT_EQ(returned.status, 201) << returned.body;
    const json taken = referral_effect(json::parse(returned.body));
    ASSERT_FALSE(taken.is_null()) << returned.body;
    EXPECT_EQ(taken["kind"], "reverse_points");
    EXPECT_EQ(taken["amount"], -500);
    EXPECT_EQ(balance(member_id(0))["cashback"]["amount"], sara_cashback);
    page = referrals_of(member_id(0));
    EXPECT_EQ(page["friends"][1]["state"], "pending") << "she may still qualify within her days";
    EXPECT_EQ(page["friends"][1]["revocations"], 1);
    EXPECT_EQ(page["rewarded"], 1);
    EXPECT_EQ(page["earned"]["cashback"], 0);

    // Her history tells both, in her language.
    const json history = json::parse(staff("GET", "/v1/members/" + std::to_string(friend_id) + "/history").body);
    int told = 0;
    for (const json& item : history["entries"]) {
        told += item.value("description", "").find("دعوت دوست") != std::string::npos ? 1 : 0;
    }
    EXPECT_EQ(told, 2) << history;

    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

TEST_F(Referrals, APurchaseAtTheReferrersTillIsRefusedAndAMergeOfTheTwoTakesTheRewardsBack) {
    ASSERT_EQ(staff("PUT", "/v1/program/referrals", terms(5, 30).dump()).status, 200);
    const std::string code = referrals_of(member_id(0))["code"].get<std::string>();

    // Sara buys at the till, then her "friend" at the same till minutes later.
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase_now("s1", card(0), 120000).dump()).status, 201);
    const auto [friend_id, friend_card] = enrol("Sara's Other Card", "09121114444", code);
    const auto same_till = pos("POST", "/v1/pos/purchases", purchase_now("s2", friend_card, 150000).dump());
    ASSERT_EQ(same_till.status, 201) << same_till.body;
    EXPECT_TRUE(referral_effect(json::parse(same_till.body)).is_null());
    json page = referrals_of(member_id(0));
    EXPECT_EQ(page["friends"][0]["state"], "refused");
    EXPECT_EQ(page["friends"][0]["reason"], "same_till");

    // Terms without the till check: a friend qualifies, then support finds she is Sara.
    ASSERT_EQ(staff("PUT", "/v1/program/referrals", terms(5, 0).dump()).status, 200);
    const auto [other_id, other_card] = enrol("Another Friend", "09121115555", code);
    const long long sara_cashback = balance(member_id(0))["cashback"]["amount"].get<long long>();
    const auto qualifying = pos("POST", "/v1/pos/purchases", purchase_now("s3", other_card, 150000).dump());
    ASSERT_EQ(qualifying.status, 201) << qualifying.body;
    ASSERT_FALSE(referral_effect(json::parse(qualifying.body)).is_null());
    EXPECT_EQ(balance(member_id(0))["cashback"]["amount"], sara_cashback + 20000);
    const long long other_points = points(balance(other_id));

    const auto merged =
        staff("POST", "/v1/members/" + std::to_string(member_id(0)) + "/merge", json{{"from", other_id}}.dump());
    ASSERT_EQ(merged.status, 200) << merged.body;
    page = referrals_of(member_id(0));
    bool same_member = false;
    for (const json& friend_ : page["friends"]) {
        if (friend_["friend_id"] == other_id) {
            same_member = friend_["state"] == "refused" && friend_["reason"] == "same_member";
        }
    }
    EXPECT_TRUE(same_member) << page;
    const json after = balance(member_id(0));
    EXPECT_EQ(after["cashback"]["amount"], sara_cashback) << "the referrer's reward is taken back";
    EXPECT_EQ(page["earned"]["cashback"], 0);
    EXPECT_GE(other_points, 500);

    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
}  // namespace patron::testing
