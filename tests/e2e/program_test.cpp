// The marketer's side over HTTP against a real patrond: tiers (and rule sets) set, refused with
// every problem listed, and seen working at the till.
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using ProgramOverHttp = PatrondTest;

TEST_F(ProgramOverHttp, TiersAreSetThenEarnedAtTheTillAndShownWithProgress) {
    EXPECT_EQ(staff("GET", "/v1/program/tiers").status, 404);
    const auto refused = staff("PUT", "/v1/program/tiers", R"({"tiers": [{"name": "Gold", "threshold": 10}], "x": 1})");
    EXPECT_EQ(refused.status, 422);
    const json error = json::parse(refused.body)["error"];
    EXPECT_EQ(error["code"], "VALIDATION_FAILED");
    ASSERT_EQ(error["problems"].size(), 2u) << refused.body;
    EXPECT_EQ(error["problems"][0]["field"], "x");
    EXPECT_EQ(error["problems"][1]["field"], "tiers[0].threshold");
    // Each problem names its reason and bounds, for the console to say in Persian; the first is
    // also the error's own.
    EXPECT_EQ(error["reason"], "unknown_field");
    EXPECT_EQ(error["problems"][0]["reason"], "unknown_field");
    EXPECT_FALSE(error["problems"][0].contains("min"));
    EXPECT_EQ(error["problems"][1]["reason"], "range");
    EXPECT_EQ(error["problems"][1]["min"], 0);
    EXPECT_EQ(error["problems"][1]["max"], 0);
    const auto unordered = staff("PUT", "/v1/program/tiers",
                                 R"({"tiers": [{"name": "Bronze", "threshold": 0}, {"name": "Gold", "threshold": 0},
                                               {"name": "Gold", "threshold": 10}]})");
    EXPECT_EQ(unordered.status, 422);
    const json problems = json::parse(unordered.body)["error"]["problems"];
    ASSERT_EQ(problems.size(), 2u) << unordered.body;
    EXPECT_EQ(problems[0]["field"], "tiers[1].threshold");
    EXPECT_EQ(problems[0]["reason"], "above_lower");
    EXPECT_EQ(problems[1]["field"], "tiers[2].name");
    EXPECT_EQ(problems[1]["reason"], "duplicate");

    const auto set = staff("PUT", "/v1/program/tiers",
                           R"({"measure": "points", "tiers": [{"name": "Bronze", "threshold": 0},
                               {"name": "Silver", "threshold": 100}]})");
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(json::parse(set.body)["version"], 1);
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/tiers").body)["tiers"][1]["name"], "Silver");

    const auto bought = pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 1200000).dump());  // 120 points.
    ASSERT_EQ(bought.status, 201) << bought.body;
    EXPECT_EQ(json::parse(bought.body)["member"]["tier"], "Silver");
    const auto shown = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/tier");
    ASSERT_EQ(shown.status, 200) << shown.body;
    const json tier = json::parse(shown.body);
    EXPECT_EQ(tier["tier"]["name"], "Silver");
    EXPECT_FALSE(tier["tier"]["secured_until"].is_null());
    EXPECT_EQ(tier["progress"]["value"], 120);
    EXPECT_TRUE(tier["progress"]["next"].is_null()) << "Silver is the top tier";
    EXPECT_EQ(tier["history"].size(), 1u);
    EXPECT_EQ(
        json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body)["tier"]["name"],
        "Silver");

    EXPECT_EQ(staff("DELETE", "/v1/program/tiers").status, 204);
    EXPECT_EQ(staff("GET", "/v1/program/tiers").status, 404);
    EXPECT_EQ(staff("DELETE", "/v1/program/tiers").status, 404);
    const auto after = pos("POST", "/v1/pos/purchases", purchase("P-2", card(0), 1000000).dump());
    ASSERT_EQ(after.status, 201) << after.body;
    EXPECT_EQ(json::parse(after.body)["effects"].size(), 1u) << "no tier effects without tiers";
    ASSERT_EQ(staff("PUT", "/v1/program/tiers", R"({"tiers": [{"name": "Base", "threshold": 0}]})").status, 200);
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/tiers").body)["version"], 3) << "versions keep counting";
}

TEST_F(ProgramOverHttp, AMarketerDraftsPreviewsPublishesAndRollsBack) {
    const auto draft = staff("GET", "/v1/program/rules/draft");
    ASSERT_EQ(draft.status, 200) << draft.body;
    EXPECT_EQ(json::parse(draft.body)["based_on_version"], 1);

    const auto bad = staff("PUT", "/v1/program/rules/draft/rules/coffee", R"({"points": -2, "per_amount": 0})");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(json::parse(bad.body)["error"]["problems"].size(), 2u) << bad.body;
    const auto added = staff("PUT", "/v1/program/rules/draft/rules/coffee",
                             R"({"name": "Coffee bonus", "kind": "bonus", "points": 25,
                                 "conditions": {"categories": ["coffee"]}})");
    ASSERT_EQ(added.status, 200) << added.body;

    json preview = {{"purchase", purchase("PREVIEW", card(0), 100000)}, {"member_id", member_id(0)}};
    const auto seen = staff("POST", "/v1/program/rules/draft/preview", preview.dump());
    ASSERT_EQ(seen.status, 200) << seen.body;
    const json rated = json::parse(seen.body);
    EXPECT_EQ(rated["points"]["earned"], 10 + 25) << rated.dump();  // 1 per 10,000 IRR, and the bonus.
    EXPECT_EQ(rated["effects"][1]["receipt_line"], "Coffee bonus: +۲۵ امتیاز");
    preview["purchase"]["total"] = 1;
    const auto wrong = staff("POST", "/v1/program/rules/draft/preview", preview.dump());
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(json::parse(wrong.body)["error"]["field"], "purchase.total");

    const auto published = staff("POST", "/v1/program/rules/publish", R"({"note": "coffee bonus"})");
    ASSERT_EQ(published.status, 201) << published.body;
    EXPECT_EQ(json::parse(published.body)["version"], 2);
    const auto bought = pos("POST", "/v1/pos/purchases", purchase_now("P-1", card(0), 100000).dump());
    EXPECT_EQ(json::parse(bought.body)["points"]["earned"], 35) << bought.body;

    const auto rolled = staff("POST", "/v1/program/rules/versions/1/rollback", "");
    ASSERT_EQ(rolled.status, 201) << rolled.body;
    EXPECT_EQ(json::parse(rolled.body)["version"], 3);
    const auto versions = json::parse(staff("GET", "/v1/program/rules/versions").body)["versions"];
    ASSERT_EQ(versions.size(), 3u);
    EXPECT_EQ(versions[1]["note"], "coffee bonus");
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/rules/versions/3").body)["document"],
              json::parse(staff("GET", "/v1/program/rules/versions/1").body)["document"]);
    const auto again = pos("POST", "/v1/pos/purchases", purchase_now("P-2", card(0), 100000).dump());
    EXPECT_EQ(json::parse(again.body)["points"]["earned"], 10);
    EXPECT_EQ(staff("DELETE", "/v1/program/rules/draft").status, 204);
    EXPECT_EQ(staff("GET", "/v1/program/rules/versions/99").status, 404);
}

TEST_F(ProgramOverHttp, DraftChangesFollowEachOtherAndIfMatchKeepsAnotherStaffMembersChange) {
    // Eight marketers add a bonus each at the same moment: every one is in the draft.
    const std::vector<std::string> as_staff = {"Authorization: Bearer " + setup.demo["staff_token"].get<std::string>(),
                                               "Content-Type: application/json"};
    std::vector<std::thread> marketers;
    std::vector<HttpReply> puts(8);
    for (int i = 0; i < 8; ++i) {
        marketers.emplace_back([&, i] {
            const json bonus = {{"name", "Bonus " + std::to_string(i)}, {"kind", "bonus"}, {"points", 5 + i}};
            puts[i] = http({"PUT", server.url("/v1/program/rules/draft/rules/bonus-" + std::to_string(i)), bonus.dump(),
                            as_staff});
        });
    }
    for (std::thread& marketer : marketers) marketer.join();
    for (const HttpReply& put : puts) EXPECT_EQ(put.status, 200) << put.body;
    const json read = json::parse(staff("GET", "/v1/program/rules/draft").body);
    std::set<std::string> ids;
    for (const json& rule : read["document"]["rules"]) ids.insert(rule["id"].get<std::string>());
    for (int i = 0; i < 8; ++i) EXPECT_TRUE(ids.contains("bonus-" + std::to_string(i))) << read.dump();

    // A whole draft sent with what its sender read replaces only that draft.
    const auto put_whole = [&](const json& document, const std::string& read_at) {
        std::vector<std::string> headers = as_staff;
        headers.push_back("If-Match: \"" + read_at + "\"");
        return http({"PUT", server.url("/v1/program/rules/draft"), document.dump(), headers});
    };
    const std::string read_at = read["updated_at"];
    json mine = read["document"];
    mine["rules"].erase(mine["rules"].size() - 1);
    const auto other = staff("PUT", "/v1/program/rules/draft/rules/late", R"({"kind": "bonus", "points": 3})");
    ASSERT_EQ(other.status, 200) << other.body;
    const auto stale = put_whole(mine, read_at);
    EXPECT_EQ(stale.status, 409) << stale.body;
    EXPECT_EQ(code_of(stale), "DRAFT_CHANGED");
    EXPECT_EQ(json::parse(stale.body)["error"]["field"], "If-Match");
    const json kept = json::parse(staff("GET", "/v1/program/rules/draft").body);
    EXPECT_EQ(kept["document"]["rules"].size(), read["document"]["rules"].size() + 1) << "nothing was saved";
    const auto fresh = put_whole(mine, kept["updated_at"]);
    EXPECT_EQ(fresh.status, 200) << fresh.body;
    EXPECT_EQ(put_whole(mine, "none").status, 409) << "a draft is saved: none is not what is there";

    // Publishing what was read: a change since refuses it, and nothing is published.
    const json versions_before = json::parse(staff("GET", "/v1/program/rules/versions").body);
    const auto publish = [&](const std::string& read_at) {
        std::vector<std::string> headers = as_staff;
        headers.push_back("If-Match: " + read_at);
        return http({"POST", server.url("/v1/program/rules/publish"), R"({"note": "as reviewed"})", headers});
    };
    const std::string reviewed = json::parse(fresh.body)["updated_at"];
    // A rule the saved draft holds (the bonuses arrived in any order, and `mine` left out the last).
    const std::string kept_rule = mine["rules"][0]["id"];
    ASSERT_EQ(staff("DELETE", "/v1/program/rules/draft/rules/" + kept_rule).status, 200);
    const auto refused = publish(reviewed);
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/rules/versions").body), versions_before);
    const std::string now_read = json::parse(staff("GET", "/v1/program/rules/draft").body)["updated_at"];
    EXPECT_EQ(publish(now_read).status, 201);
    EXPECT_EQ(put_whole(mine, "none").status, 200) << "after publishing no draft is saved";
}

TEST_F(ProgramOverHttp, SettingsChangeTogetherOrNotAtAllAndThePolicyAppliesToTheNextPurchase) {
    const json before = json::parse(staff("GET", "/v1/program/settings").body);
    EXPECT_EQ(before["currency"], "IRR");
    EXPECT_EQ(before["points"]["point_value_minor"], 1000);

    const auto refused = staff("PATCH", "/v1/program/settings",
                               R"({"name": "New name", "language": "de", "time_zone": "Mars/Base",
                                   "points": {"hold_days": -1, "expiry": {"mode": "never"}, "colour": 1}})");
    EXPECT_EQ(refused.status, 422) << refused.body;
    std::vector<std::string> fields;
    const json problems = json::parse(refused.body)["error"]["problems"];
    for (const json& problem : problems) fields.push_back(problem["field"]);
    EXPECT_EQ(fields, (std::vector<std::string>{"language", "time_zone", "points.colour", "points.hold_days",
                                                "points.expiry.mode"}))
        << refused.body;
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/settings").body), before) << "nothing of it applied";

    const auto changed = staff("PATCH", "/v1/program/settings",
                               R"({"name": "باشگاه مشتریان", "time_zone": "Asia/Tehran",
                                   "points": {"hold_days": 14, "expiry": {"mode": "quarter_end"}}})");
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(json::parse(changed.body)["points"]["expiry"]["mode"], "quarter_end");
    EXPECT_EQ(json::parse(changed.body)["points"]["point_value_minor"], 1000) << "untouched fields stay";
    const auto bought = pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 500000).dump());
    EXPECT_EQ(json::parse(bought.body)["points"]["pending"], 50) << "held for the new 14 days";

    const auto currency = staff("PATCH", "/v1/program/settings", R"({"currency": "USD"})");
    EXPECT_EQ(currency.status, 422);
    EXPECT_EQ(json::parse(currency.body)["error"]["code"], "NOT_AVAILABLE");
    EXPECT_EQ(json::parse(currency.body)["error"]["field"], "currency");

    // A body of a thousand made-up keys, one of them 5,000 bytes long, is not echoed back whole.
    json many{{"name", "x"}};
    many[std::string(5000, 'k')] = 1;
    for (int i = 0; i < 1000; ++i) many["x" + std::to_string(i)] = i;
    const auto noisy = staff("PATCH", "/v1/program/settings", many.dump());
    ASSERT_EQ(noisy.status, 422) << noisy.body.substr(0, 300);
    EXPECT_LT(noisy.body.size(), 8000u);
    const json error = json::parse(noisy.body)["error"];
    ASSERT_EQ(error["problems"].size(), 51u);
    EXPECT_EQ(error["problems"][50]["field"], nullptr);
    EXPECT_EQ(error["problems"][50]["message"], "and 951 more problems not listed");
    EXPECT_EQ(error["field"].get<std::string>(), std::string(200, 'k') + "\u2026") << "cut, and marked so";
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/settings").body)["name"], "باشگاه مشتریان");
}

}  // namespace
}  // namespace patron::testing
