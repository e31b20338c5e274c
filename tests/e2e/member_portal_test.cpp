// The member's side of patrond: a one-time code by the file notifier, a password set with it,
// sign-in, and the member's own profile, balances and history. Member tokens reach /v1/me/...
// only; staff tokens do not reach /v1/me/... at all.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/route_table.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class MemberPortal : public PatrondTest {
  protected:
    std::vector<json> notifications() const {
        std::vector<json> lines;
        std::ifstream file(setup.notifications_file());
        for (std::string line; std::getline(file, line);) lines.push_back(json::parse(line));
        return lines;
    }
    HttpReply anyone(const std::string& path, const json& body) {
        return http({"POST", server.url(path), body.dump(), {"Content-Type: application/json"}});
    }
    HttpReply as_member(const std::string& method, const std::string& path, const std::string& token) {
        return http({method, server.url(path), "", {"Authorization: Bearer " + token}});
    }
    // Activates demo member 0 (Sara, phone 0912 345 6789) and answers her token.
    std::string activate_sara() {
        const json who = {{"program", "DEMO"}, {"phone", "09123456789"}};
        EXPECT_EQ(anyone("/v1/me/codes", who).status, 202);
        const auto sent = notifications();
        if (sent.empty()) return "";
        json with_code = who;
        with_code["code"] = sent.back()["code"];
        with_code["password"] = "sara's long secret";
        const auto set = anyone("/v1/me/password", with_code);
        EXPECT_EQ(set.status, 200) << set.body;
        return json::parse(set.body).value("token", "");
    }
};

TEST_F(MemberPortal, AMemberActivatesSignsInAndReadsTheirOwnData) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const auto sent = notifications();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0]["channel"], "sms");
    EXPECT_EQ(sent[0]["to"], "+989123456789");
    EXPECT_EQ(sent[0]["purpose"], "activate");
    EXPECT_EQ(sent[0]["language"], "fa");

    const auto me = as_member("GET", "/v1/me", token);
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(json::parse(me.body)["id"], member_id(0));
    EXPECT_EQ(json::parse(me.body)["full_name"], "سارا کریمی");

    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("portal-1", card(0), 330000).dump()).status, 201);
    const json balance = json::parse(as_member("GET", "/v1/me/balance", token).body);
    EXPECT_EQ(balance["points"]["available"], 33);
    const auto history = as_member("GET", "/v1/me/history", token);
    ASSERT_EQ(history.status, 200) << history.body;
    const json entries = json::parse(history.body)["entries"];
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0]["kind"], "earn");
    EXPECT_EQ(entries[0]["points"]["available"], 33);
    EXPECT_EQ(entries[0]["purchase"]["receipt"], "portal-1");
    EXPECT_EQ(entries[0]["description"], "کسب ۳۳ امتیاز با رسید portal-1 در فروشگاه S001");

    const json signed_in = json::parse(
        anyone("/v1/me/sessions",
               {{"program", "DEMO"}, {"email", "Sara.Karimi@example.ir"}, {"password", "sara's long secret"}})
            .body);
    ASSERT_TRUE(signed_in.contains("token")) << signed_in;
    const std::string second = signed_in["token"];
    EXPECT_EQ(as_member("DELETE", "/v1/me/sessions/current", second).status, 204);
    EXPECT_EQ(as_member("GET", "/v1/me", second).status, 401) << "signed out";
    EXPECT_EQ(as_member("GET", "/v1/me", token).status, 200) << "the other session goes on";
}

TEST_F(MemberPortal, ThePortalPrintsThePrimaryCardFirst) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const std::string cards = "/v1/members/" + std::to_string(member_id(0)) + "/cards";
    const auto second = staff("POST", cards, R"({"kind": "virtual"})");
    ASSERT_EQ(second.status, 201) << second.body;
    const std::string number = json::parse(second.body)["number"];
    json me = json::parse(as_member("GET", "/v1/me", token).body);
    ASSERT_EQ(me["cards"].size(), 2U) << me;
    EXPECT_EQ(me["cards"][0]["number"], card(0)) << "her first card is primary";
    EXPECT_EQ(me["cards"][0]["primary"], true);
    EXPECT_EQ(me["cards"][1]["primary"], false);

    ASSERT_EQ(staff("POST", cards + "/" + number + "/primary").status, 200);
    me = json::parse(as_member("GET", "/v1/me", token).body);
    EXPECT_EQ(me["cards"][0]["number"], number);
    EXPECT_EQ(me["cards"][0]["primary"], true);
    EXPECT_EQ(me["cards"][0]["scan"]["code128"], number) << "what the portal prints";
    EXPECT_EQ(me["cards"][1]["number"], card(0));
    EXPECT_EQ(me["cards"][1]["primary"], false);
    EXPECT_FALSE(me["cards"][0].contains("state_reason")) << "staff's words stay with staff";
}

TEST_F(MemberPortal, MemberTokensReachOnlyTheirOwnRoutesAndStaffTokensNotTheirs) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const std::string other = "/v1/members/" + std::to_string(member_id(1));
    EXPECT_EQ(as_member("GET", other, token).status, 401);
    EXPECT_EQ(as_member("GET", "/v1/members/" + std::to_string(member_id(0)), token).status, 401);
    EXPECT_EQ(staff("GET", "/v1/me").status, 401) << "a staff token is no member token";
    EXPECT_EQ(get("/v1/me").status, 401);
    EXPECT_EQ(code_of(get("/v1/me/history")), "UNAUTHENTICATED");
    EXPECT_EQ(code_of(as_member("GET", "/v1/me/history?limit=0", token)), "VALIDATION_FAILED");
}

TEST_F(MemberPortal, NoStaffRouteTakesAMemberTokenAndNoMemberRouteAStaffToken) {
    const std::string member_token = activate_sara();
    ASSERT_FALSE(member_token.empty());
    int checked = 0;
    const RouteTable table;
    for (const api::Route& route : table.routes()) {
        if (route.caller != api::Caller::kStaff && route.caller != api::Caller::kMember) continue;
        const std::string path = concrete(route.path);
        const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
        const std::string token =
            route.caller == api::Caller::kStaff ? member_token : setup.demo["staff_token"].get<std::string>();
        const auto reply = staff(route.method, path, body, token);
        EXPECT_EQ(reply.status, 401) << route.method << " " << path << ": " << reply.body;
        ++checked;
    }
    EXPECT_GT(checked, 40);
    EXPECT_EQ(as_member("GET", "/v1/me", member_token).status, 200) << "the member token still works";
}

// A member who shopped without the card claims the receipt in the portal with its store,
// terminal, day, number and total: once, and a few wrong guesses later not at all.
TEST_F(MemberPortal, AMemberClaimsAReceiptOnceAndGuessingRunsOutFast) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const auto claim = [&](const std::string& receipt, long long total) {
        const json body = {{"store", "S001"},
                           {"terminal", "T01"},
                           {"business_day", "2026-11-22"},
                           {"receipt", receipt},
                           {"total", total}};
        return http({"POST",
                     server.url("/v1/me/claims"),
                     body.dump(),
                     {"Authorization: Bearer " + token, "Content-Type: application/json"}});
    };
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("anon-1", "", 330000).dump()).status, 201);
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("anon-2", "", 120000).dump()).status, 201);

    EXPECT_TRUE(refused(claim("anon-1", 330001), 404, "receipt")) << "a wrong total is an unknown receipt";
    const auto claimed = claim("anon-1", 330000);
    ASSERT_EQ(claimed.status, 201) << claimed.body;
    EXPECT_EQ(json::parse(claimed.body)["points"]["earned"], 33);
    const auto again = claim("anon-1", 330000);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(code_of(again), "ALREADY_CLAIMED");
    const auto balance = as_member("GET", "/v1/me/balance", token);
    EXPECT_EQ(json::parse(balance.body)["points"]["available"], 33) << "credited once";
    EXPECT_TRUE(refused(http({"POST",
                              server.url("/v1/me/claims"),
                              R"({"store": "S001", "terminal": "T01", "business_day": "2026-11-22", "receipt": "x"})",
                              {"Authorization: Bearer " + token, "Content-Type: application/json"}}),
                        422, "total"));

    // Two failures so far (the wrong total and the second claim); three more guesses, then no more.
    for (const char* guess : {"anon-7", "anon-8", "anon-9"}) EXPECT_EQ(claim(guess, 100000).status, 404) << guess;
    const auto stopped = claim("anon-2", 120000);
    EXPECT_EQ(stopped.status, 429) << stopped.body;
    EXPECT_EQ(code_of(stopped), "TOO_MANY_ATTEMPTS");
    const auto staff_claim = staff("POST", "/v1/members/" + std::to_string(member_id(0)) + "/claims",
                                   R"({"store": "S001", "terminal": "T01", "business_day": "2026-11-22",
                                       "receipt": "anon-2"})");
    EXPECT_EQ(staff_claim.status, 201) << "the store can still credit it: " << staff_claim.body;
}

TEST_F(MemberPortal, WrongCodesAndUnknownPhonesAnswerAlikeAndWriteNothingPersonal) {
    const auto stranger = anyone("/v1/me/codes", {{"program", "DEMO"}, {"phone", "09350000000"}});
    const auto member = anyone("/v1/me/codes", {{"program", "DEMO"}, {"phone", "09123456789"}});
    EXPECT_EQ(stranger.status, 202);
    EXPECT_EQ(stranger.body, member.body);
    EXPECT_EQ(notifications().size(), 1U) << "only the member's code was sent";
    const auto wrong =
        anyone("/v1/me/password", {{"program", "DEMO"},
                                   {"phone", "09123456789"},
                                   {"code", notifications()[0]["code"] == "111111" ? "222222" : "111111"},
                                   {"password", "sara's long secret"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(code_of(wrong), "CODE_INVALID");
    EXPECT_EQ(code_of(anyone("/v1/me/codes", {{"program", "DEMO"}})), "VALIDATION_FAILED");
    EXPECT_EQ(code_of(anyone("/v1/me/sessions", {{"program", "DEMO"}, {"phone", "09123456789"}, {"password", "x"}})),
              "UNAUTHENTICATED");
    EXPECT_EQ(server.log().find("09123456789"), std::string::npos);
    // As a JSON string: six bare digits may well be some request's duration in microseconds.
    EXPECT_EQ(server.log().find('"' + notifications()[0]["code"].get<std::string>() + '"'), std::string::npos);
}

}  // namespace
}  // namespace patron::testing
