// The audit log through a real patrond (issue 18): what support and admins did shows up in
// GET /v1/audit-log, newest first, found by actor (email or name), member, action and local
// dates, a page at a time with no entry twice; marketers and analysts are refused; every bad
// parameter is refused by its name; and no entry carries a personal value.
#include <soci/soci.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class AuditLog : public PatrondTest {
  protected:
    // The page the query asks for, as `token` (the demo admin's without one).
    json search(const std::string& query, const std::string& token = {}) {
        const auto reply = staff("GET", "/v1/audit-log" + query, "", token);
        EXPECT_EQ(reply.status, 200) << query << ": " << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    // The actions of a page's entries, newest first.
    static std::vector<std::string> actions_of(const json& page) {
        std::vector<std::string> actions;
        for (const json& entry : page["entries"]) actions.push_back(entry["action"]);
        return actions;
    }
    std::string member_path(int member) { return "/v1/members/" + std::to_string(member_id(member)); }
    void adjust(int member, int points, const std::string& token = {}) {
        const json body = {{"points", points}, {"reason", "goodwill after a complaint"}};
        ASSERT_EQ(staff("POST", member_path(member) + "/points/adjustments", body.dump(), token).status, 201);
    }
    void block_card(int member, const std::string& token = {}) {
        const auto blocked = staff("POST", "/v1/cards/" + card(member) + "/state",
                                   R"({"state": "blocked", "reason": "lost at the cinema"})", token);
        ASSERT_EQ(blocked.status, 200) << blocked.body;
    }
    // Today's date in UTC, moved by `days`: the demo programme's dates lie within a day of it.
    static std::string utc_date(int days) {
        const auto now = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
        return core::format_utc(now + std::chrono::days(days), core::TimeFormat::kRfc3339).substr(0, 10);
    }
};

TEST_F(AuditLog, SupportSeesThePointAdjustmentItJustMadeOnTheMember) {
    const std::string support = staff_user("support");
    adjust(0, 25, support);
    const json page = search("?member=" + std::to_string(member_id(0)), support);
    ASSERT_FALSE(page["entries"].empty()) << page;
    const json& entry = page["entries"][0];
    EXPECT_EQ(entry["action"], "points.adjust");
    EXPECT_EQ(entry["actor"], "Test support") << "the staff user's name";
    EXPECT_EQ(entry["entity"], "member");
    EXPECT_EQ(entry["entity_id"], member_id(0));
    EXPECT_EQ(entry["member_id"], member_id(0));
    EXPECT_EQ(entry["fields"], json::array({"points_available"}));
    EXPECT_TRUE(entry["id"].is_number_integer());
    const std::string at = entry["at"];
    EXPECT_EQ(at.size(), 27u) << at;
    EXPECT_EQ(at.back(), 'Z') << "RFC 3339 in UTC, as every time Patron writes";
    EXPECT_TRUE(page["next_cursor"].is_null());
    EXPECT_EQ(page.size(), 2u) << "entries and next_cursor";
    EXPECT_EQ(entry.size(), 8u) << entry;

    // Support finds its own work by its email, or by the name entries show, in any case.
    for (const char* actor : {"support@staff.example", "SUPPORT@staff.example", "Test%20support", "test%20SUPPORT"}) {
        EXPECT_EQ(actions_of(search(std::string("?actor=") + actor, support)),
                  std::vector<std::string>{"points.adjust"})
            << actor;
    }
}

TEST_F(AuditLog, ACardBlockAndASettingsChangeAreLoggedAndEachFilterNarrows) {
    const std::string support = staff_user("support");
    adjust(0, 10, support);
    block_card(0, support);
    adjust(1, 5, support);
    ASSERT_EQ(
        staff("PATCH", "/v1/program/settings", R"({"name": "Demo Club", "points": {"late_after_days": 60}})").status,
        200);

    const json everything = search("?limit=200");
    const std::vector<std::string> newest = {"program.settings", "points.adjust", "card.blocked", "points.adjust",
                                             "staff.create"};
    std::vector<std::string> actions = actions_of(everything);
    ASSERT_GE(actions.size(), newest.size()) << everything;
    EXPECT_EQ(std::vector<std::string>(actions.begin(), actions.begin() + 5), newest) << "newest first";
    const json& settings = everything["entries"][0];
    EXPECT_EQ(settings["actor"], "demo admin") << "the patronctl token's label";
    EXPECT_EQ(settings["entity"], "program");
    EXPECT_TRUE(settings["member_id"].is_null());
    EXPECT_EQ(settings["fields"], json::array({"name", "points.late_after_days"}));
    const json& blocked = everything["entries"][2];
    EXPECT_EQ(blocked["member_id"], member_id(0));
    EXPECT_EQ(blocked["fields"], json::array({"cards.state", "cards.state_reason"}));

    const std::string sara = std::to_string(member_id(0));
    EXPECT_EQ(actions_of(search("?member=" + sara)), (std::vector<std::string>{"card.blocked", "points.adjust"}));
    EXPECT_EQ(actions_of(search("?action=card.blocked")), std::vector<std::string>{"card.blocked"});
    EXPECT_EQ(actions_of(search("?action=points.adjust&member=" + sara)), std::vector<std::string>{"points.adjust"});
    EXPECT_EQ(actions_of(search("?actor=support%40staff.example")),
              (std::vector<std::string>{"points.adjust", "card.blocked", "points.adjust"}));
    EXPECT_EQ(actions_of(search("?actor=demo%20admin&action=program.settings")),
              std::vector<std::string>{"program.settings"});
    EXPECT_EQ(actions_of(search("?actor=nobody%40staff.example")), std::vector<std::string>{});
    EXPECT_EQ(actions_of(search("?member=999999")), std::vector<std::string>{});
    // Local dates of the programme, both ends included.
    EXPECT_EQ(search("?from=" + utc_date(-1) + "&to=" + utc_date(1) + "&limit=200")["entries"].size(),
              everything["entries"].size());
    EXPECT_EQ(actions_of(search("?from=2020-01-01&to=2020-12-31")), std::vector<std::string>{});
    EXPECT_EQ(actions_of(search("?to=2020-12-31")), std::vector<std::string>{});
    EXPECT_EQ(search("?from=" + utc_date(-1) + "&limit=200")["entries"].size(), everything["entries"].size());
}

TEST_F(AuditLog, EveryEntryAboutAMemberIsFoundByTheMemberClaimsAndCouponsIncluded) {
    const auto sold = pos("POST", "/v1/pos/purchases", purchase_now("AUD-1", "", 300000).dump());
    ASSERT_EQ(sold.status, 201) << sold.body;
    const json receipt = purchase_now("AUD-1", "", 300000);
    const json claim = {{"store", "S001"},
                        {"terminal", "T01"},
                        {"business_day", receipt["business_day"]},
                        {"receipt", "AUD-1"},
                        {"total", 300000}};
    const auto claimed = staff("POST", member_path(1) + "/claims", claim.dump());
    ASSERT_EQ(claimed.status, 201) << claimed.body;
    const long long campaign = publish_free_coffee_campaign();
    ASSERT_EQ(staff("POST", "/v1/coupon-campaigns/" + std::to_string(campaign) + "/codes",
                    R"({"code": "AUDIT-1", "single_use": true})")
                  .status,
              201);
    const auto assigned =
        staff("POST", "/v1/coupon-codes/AUDIT-1/assignment", json{{"member_id", member_id(1)}}.dump());
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    const auto changed = staff("PATCH", member_path(1), R"({"language": "en"})");
    ASSERT_EQ(changed.status, 200) << changed.body;

    const json page = search("?member=" + std::to_string(member_id(1)));
    EXPECT_EQ(actions_of(page), (std::vector<std::string>{"member.update", "coupon_code.assign", "purchase.claim"}));
    EXPECT_EQ(page["entries"][1]["entity"], "coupon_code");
    EXPECT_EQ(page["entries"][2]["entity"], "purchase");
    for (const json& entry : page["entries"]) EXPECT_EQ(entry["member_id"], member_id(1)) << entry;
}

TEST_F(AuditLog, PagesWithTheCursorReturnEveryEntryOnceNewestFirst) {
    for (int i = 0; i < 12; ++i) adjust(i % 2, 1 + i);
    std::vector<long long> all;
    const json everything = search("?limit=200");
    for (const json& entry : everything["entries"]) all.push_back(entry["id"]);
    ASSERT_GE(all.size(), 12u);

    std::vector<long long> paged;
    std::string query = "?limit=5";
    for (int pages = 0; pages < 100; ++pages) {
        const json page = search(query);
        EXPECT_LE(page["entries"].size(), 5u);
        for (const json& entry : page["entries"]) paged.push_back(entry["id"]);
        if (page["next_cursor"].is_null()) break;
        query = "?limit=5&cursor=" + page["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(paged, all) << "every entry once, in the same order";
    EXPECT_TRUE(std::is_sorted(all.rbegin(), all.rend())) << "newest first";

    // A filtered search pages the same way, the filters sent again with the cursor.
    const std::string sara = "?member=" + std::to_string(member_id(0)) + "&limit=4";
    const json first = search(sara);
    ASSERT_EQ(first["entries"].size(), 4u);
    const json second = search(sara + "&cursor=" + first["next_cursor"].get<std::string>());
    EXPECT_EQ(second["entries"].size(), 2u) << "six adjustments of Sara's";
    EXPECT_TRUE(second["next_cursor"].is_null());
}

TEST_F(AuditLog, AnEmailFindsAStaffUsersEntriesUnderEveryNameTheyHad) {
    const std::string support = staff_user("support");
    adjust(0, 3, support);
    const json users = json::parse(staff("GET", "/v1/staff/users").body)["users"];
    long long support_id = 0;
    for (const json& user : users) {
        if (user["role"] == "support") support_id = user["id"];
    }
    ASSERT_EQ(staff("PATCH", "/v1/staff/users/" + std::to_string(support_id), R"({"name": "Mina Support"})").status,
              200);
    adjust(0, 4, support);
    EXPECT_EQ(actions_of(search("?actor=support%40staff.example")),
              (std::vector<std::string>{"points.adjust", "points.adjust"}));
    const json renamed = search("?actor=Mina%20Support");
    EXPECT_EQ(actions_of(renamed), std::vector<std::string>{"points.adjust"}) << "a name finds what was done under it";
    EXPECT_EQ(actions_of(search("?actor=Test%20support")), std::vector<std::string>{"points.adjust"});
}

TEST_F(AuditLog, MarketersAndAnalystsAreRefusedAsAreCallersWithoutAToken) {
    for (const char* role : {"marketer", "analyst"}) {
        const std::string token = staff_user(role);
        for (const char* path : {"/v1/audit-log", "/v1/audit-log/actions"}) {
            const auto reply = staff("GET", path, "", token);
            EXPECT_EQ(reply.status, 403) << role << " " << path;
            EXPECT_EQ(code_of(reply), "FORBIDDEN");
        }
    }
    EXPECT_EQ(get("/v1/audit-log").status, 401);
    EXPECT_EQ(get("/v1/audit-log/actions").status, 401);
    EXPECT_EQ(staff("GET", "/v1/audit-log/actions", "", staff_user("support")).status, 200);
}

TEST_F(AuditLog, EachBadParameterIsRefusedByNameAndUnknownOnesAreIgnored) {
    const std::pair<const char*, const char*> bad[] = {
        {"actor=", "actor"},
        {"member=0", "member"},
        {"member=abc", "member"},
        {"member=-1", "member"},
        {"action=points.give", "action"},
        {"action=", "action"},
        {"from=2026-02-30", "from"},
        {"to=today", "to"},
        {"from=2026-11-02&to=2026-11-01", "from"},
        {"limit=0", "limit"},
        {"limit=201", "limit"},
        {"limit=1e3", "limit"},
        {"cursor=", "cursor"},
        {"cursor=abc", "cursor"},
        {"cursor=1795000000000000", "cursor"},
        {"cursor=1795000000000000-0", "cursor"},
        {"cursor=99999999999999999999999-1", "cursor"},
        {"cursor=1795000000000000-1%00", "cursor"},
    };
    for (const auto& [query, field] : bad) {
        const auto reply = staff("GET", std::string("/v1/audit-log?") + query);
        EXPECT_TRUE(refused(reply, 422, field)) << query;
        EXPECT_EQ(code_of(reply), "VALIDATION_FAILED") << query;
    }
    EXPECT_EQ(staff("GET", "/v1/audit-log?page=2&sort=oldest").status, 200) << "unknown parameters are ignored";
    EXPECT_EQ(staff("GET", "/v1/audit-log?actor=%27%20OR%201%3D1%20--").body, R"({"entries":[],"next_cursor":null})");
    EXPECT_EQ(server.log().find(R"("status":500)"), std::string::npos);
}

TEST_F(AuditLog, TheActionsListIsEveryActionTheLogRecords) {
    const auto reply = staff("GET", "/v1/audit-log/actions");
    ASSERT_EQ(reply.status, 200) << reply.body;
    const json actions = json::parse(reply.body)["actions"];
    ASSERT_EQ(actions.size(), 57u);
    const std::set<std::string> listed(actions.begin(), actions.end());
    EXPECT_EQ(listed.size(), actions.size());
    for (const char* action : {"points.adjust", "card.blocked", "program.settings", "member.merge_in", "purchase.claim",
                               "staff.create", "rules.publish", "webhook.replay"}) {
        EXPECT_TRUE(listed.contains(action)) << action;
    }
    // Whatever this test suite's world wrote is among them.
    block_card(0);
    adjust(0, 1);
    const json written = search("?limit=200");
    for (const json& entry : written["entries"]) EXPECT_TRUE(listed.contains(entry["action"])) << entry;
}

TEST_F(AuditLog, AStaffEnrolmentIsLoggedAndAMergeNamesTheOtherMemberOnBothRecords) {
    const std::string support = staff_user("support");
    const json application = {{"full_name", "Nima Rahimi"},
                              {"phone", "+98 912 000 7788"},
                              {"city", "Shiraz"},
                              {"consents", {{"marketing_sms", true}}}};
    const auto enrolled = staff("POST", "/v1/members", application.dump(), support);
    ASSERT_EQ(enrolled.status, 201) << enrolled.body;
    const long long nima = json::parse(enrolled.body)["id"];
    const json enrolment = search("?member=" + std::to_string(nima), support);
    ASSERT_EQ(actions_of(enrolment), std::vector<std::string>{"member.enrol"}) << enrolment;
    EXPECT_EQ(enrolment["entries"][0]["actor"], "Test support");
    EXPECT_EQ(enrolment["entries"][0]["fields"], json::array({"city", "consents", "full_name", "phone"}));
    for (const char* value : {"Nima", "Rahimi", "7788", "Shiraz"}) {
        EXPECT_EQ(enrolment.dump().find(value), std::string::npos) << value;
    }
    EXPECT_EQ(actions_of(search("?member=" + std::to_string(member_id(0)), support)), std::vector<std::string>{})
        << "the demo's own members were enrolled by no one";

    const json merge = {{"from", nima}};
    const auto merged = staff("POST", member_path(0) + "/merge", merge.dump(), support);
    ASSERT_EQ(merged.status, 200) << merged.body;
    const json survivor = search("?member=" + std::to_string(member_id(0)), support);
    ASSERT_EQ(actions_of(survivor), std::vector<std::string>{"member.merge_in"});
    EXPECT_EQ(survivor["entries"][0]["entity_id"], nima) << "the record taken in";
    EXPECT_EQ(survivor["entries"][0]["member_id"], member_id(0));
    const json absorbed = search("?member=" + std::to_string(nima), support);
    ASSERT_EQ(actions_of(absorbed), (std::vector<std::string>{"member.merged", "member.enrol"}));
    EXPECT_EQ(absorbed["entries"][0]["entity_id"], member_id(0)) << "the record it was merged into";
    EXPECT_EQ(absorbed["entries"][0]["member_id"], nima);
}

TEST_F(AuditLog, NoEntryCarriesAPersonalValueOnlyTheNamesOfWhatChanged) {
    const std::string support = staff_user("support");
    const json change = {{"full_name", "Sara Karimi-Tehrani"},
                         {"email", "sara.k.private@example.ir"},
                         {"phone", "+98 912 000 4567"},
                         {"city", "Isfahan"}};
    const auto changed = staff("PATCH", member_path(0), change.dump(), support);
    ASSERT_EQ(changed.status, 200) << changed.body;
    adjust(0, 7, support);
    block_card(0, support);
    ASSERT_EQ(staff("GET", member_path(0) + "/export", "", support).status, 200);

    const auto reply = staff("GET", "/v1/audit-log?member=" + std::to_string(member_id(0)), "", support);
    ASSERT_EQ(reply.status, 200);
    for (const std::string& value :
         {std::string("Sara Karimi-Tehrani"), std::string("sara.k.private@example.ir"), std::string("9120004567"),
          std::string("Isfahan"), std::string("سارا"), std::string("goodwill"), std::string("cinema"), card(0)}) {
        EXPECT_EQ(reply.body.find(value), std::string::npos) << value << " in " << reply.body;
    }
    const json page = json::parse(reply.body);
    EXPECT_EQ(actions_of(page),
              (std::vector<std::string>{"member.export", "card.blocked", "points.adjust", "member.update"}));
    EXPECT_EQ(page["entries"][3]["fields"], json::array({"city", "email", "full_name", "phone"}));
    EXPECT_EQ(page["entries"][0]["fields"], json::array({"*"})) << "an export reads everything";
}

// The log is append-only in fact (issue 20): patrond's database user can neither change nor remove
// an entry, and `patronctl verify` names the entry changed by whoever worked around that.
TEST_F(AuditLog, EntriesCannotBeChangedAndVerifyNamesTheOneChangedBehindTheTriggers) {
    const std::string support = staff_user("support");
    adjust(0, 25, support);
    block_card(1, support);
    adjust(2, 5, support);
    EXPECT_THROW(db.raw() << "UPDATE audit_log SET actor = 'nobody'", soci::soci_error);
    EXPECT_THROW(db.raw() << "DELETE FROM audit_log", soci::soci_error);
    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    EXPECT_NE(verified.output.find("the audit log's chains are whole"), std::string::npos) << verified.output;

    long long card_entry = 0;
    long long link = 0;
    long long program = 0;
    db.raw() << "SELECT CAST(a.id AS SIGNED), CAST(s.seq AS SIGNED), CAST(a.program_id AS SIGNED) FROM audit_log a"
                " JOIN audit_seals s ON s.audit_id = a.id WHERE a.action = 'card.blocked'",
        soci::into(card_entry), soci::into(link), soci::into(program);
    db.raw() << "DROP TRIGGER audit_log_no_update";
    db.raw() << "UPDATE audit_log SET fields = 'reason' WHERE id = :id", soci::use(card_entry);
    const auto broken = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(broken.exit_code, 1) << broken.output;
    EXPECT_NE(
        broken.output.find("audit log: programme " + std::to_string(program) + ": entry " + std::to_string(card_entry) +
                           " (link " + std::to_string(link) + ") does not match its seal"),
        std::string::npos)
        << broken.output;
}

}  // namespace
}  // namespace patron::testing
