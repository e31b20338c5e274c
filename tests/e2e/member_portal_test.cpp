// The member's side of patrond: a one-time code by the file notifier, a password set with it,
// sign-in, and the member's own profile, balances and history. Member tokens reach /v1/me/...
// only; staff tokens do not reach /v1/me/... at all.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/db/sql_time.h"
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

// The home page's data, in a programme that keeps Tehran time: points by the local day they become
// available and last can be spent, the tier's progress, the member's coupons (usable first) and the
// card to show at the till; staff read the same document.
TEST_F(MemberPortal, TheBalanceHoldsWhatTheHomePageShowsInTheProgrammesLocalDates) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    EXPECT_TRUE(refused(staff("PATCH", "/v1/program/settings", R"({"time_zone": "Asia/Nowhere"})"), 422, "time_zone"))
        << "a name the zone database does not know";
    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"time_zone": "Asia/Tehran"})").status, 200);
    ASSERT_EQ(staff("PUT", "/v1/program/tiers", R"({"measure": "points", "tiers": [{"name": "Bronze", "threshold": 0},
                                                    {"name": "Silver", "threshold": 500}]})")
                  .status,
              200);
    const auto campaign_with = [&](const char* document, const std::vector<std::string>& codes) {
        const auto made = staff("POST", "/v1/coupon-campaigns", document);
        EXPECT_EQ(made.status, 201) << made.body;
        const std::string path = "/v1/coupon-campaigns/" + std::to_string(json::parse(made.body).value("id", 0LL));
        for (const std::string& code : codes) {
            EXPECT_EQ(staff("POST", path + "/codes", json{{"code", code}, {"single_use", true}}.dump()).status, 201);
            EXPECT_EQ(
                staff("POST", "/v1/coupon-codes/" + code + "/assignment", json{{"member_id", member_id(0)}}.dump())
                    .status,
                200);
        }
        EXPECT_EQ(staff("POST", path + "/publish").status, 200);
        return path;
    };
    campaign_with(R"({"name": "Gift", "type": "amount_off_basket", "amount": 50000,
                      "conditions": {"min_basket": 200000}, "scope": {"stores": ["S001"]}})",
                  {"GIFT-ONE", "GIFT-TWO"});
    ASSERT_EQ(
        staff("POST",
              campaign_with(R"({"name": "Old", "type": "percent_off_basket", "percent": 10})", {"OLD-ONE"}) + "/end")
            .status,
        200);

    const auto tehran = service::locate_time_zone("Asia/Tehran");
    const auto now = [] { return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()); };
    const auto today = [&] { return core::local_date(*tehran, now()); };
    const core::LocalDate day = today();
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("home-1", card(0), 330000).dump()).status, 201);  // 33.
    json with_coupon = purchase("home-2", card(0), 500000);
    with_coupon["coupons"] = {"GIFT-ONE"};
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", with_coupon.dump()).status, 201);  // 45 on 450,000 paid.
    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"points": {"hold_days": 14}})").status, 200);
    const core::Timestamp before_held = now();
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("home-3", card(0), 200000).dump()).status, 201);  // 20 held.
    const core::Timestamp after_held = now();
    const auto reply = as_member("GET", "/v1/me/balance", token);
    if (today() != day) GTEST_SKIP() << "ran across midnight in Tehran: the dates below moved on";
    ASSERT_EQ(reply.status, 200) << reply.body;
    const json balance = json::parse(reply.body);
    const auto date = [](core::LocalDate on) { return core::format_date(on); };
    const core::LocalDate last_day = core::add_months(day, 12);

    EXPECT_EQ(balance["time_zone"], "Asia/Tehran");
    EXPECT_EQ(balance["points"]["available"], 78);
    EXPECT_EQ(balance["points"]["pending"], 20);
    ASSERT_EQ(balance["points"]["pending_lots"].size(), 1U) << balance;
    EXPECT_EQ(balance["points"]["pending_lots"][0]["points"], 20);
    EXPECT_EQ(balance["points"]["pending_lots"][0]["available_on"], date(core::add_days(day, 14)));
    std::string available_at = balance["points"]["pending_lots"][0]["available_at"];
    available_at = available_at.replace(10, 1, " ").substr(0, 26);  // "2026-12-07 09:00:00.000000", as SQL writes it.
    const auto available = store::from_sql_time(available_at).value_or(core::Timestamp{});
    EXPECT_GE(available, before_held + std::chrono::days(14));
    EXPECT_LE(available, after_held + std::chrono::days(14));
    ASSERT_EQ(balance["points"]["expiring"].size(), 1U) << balance;
    EXPECT_EQ(balance["points"]["expiring"][0],
              (json{{"points", 78},
                    {"expires_on", date(last_day)},
                    {"expires_at", core::format_utc(core::day_end(*tehran, last_day), core::TimeFormat::kRfc3339)}}));
    EXPECT_EQ(balance["points"]["expiring_soon"], (json{{"points", 0}, {"within_days", 30}}));

    const json tier = balance["tier"];
    EXPECT_EQ(tier["name"], "Bronze");
    EXPECT_TRUE(tier["since"].is_string()) << tier;
    EXPECT_EQ(tier["secured_until"], date(last_day)) << "reached today: secured to this day next year";
    EXPECT_EQ(tier["measure"], "points");
    EXPECT_EQ(tier["qualifying"], 98) << "held points count towards the tier";
    EXPECT_EQ(tier["window"], (json{{"from", date(core::add_months(core::add_days(day, 1), -12))}, {"to", date(day)}}));
    EXPECT_EQ(tier["next"], (json{{"name", "Silver"}, {"threshold", 500}, {"needed", 402}}));

    const json coupons = balance["coupons"];
    ASSERT_EQ(coupons.size(), 3U) << coupons;
    EXPECT_EQ(coupons[0]["code"], "GIFT-TWO") << "the usable one first";
    EXPECT_EQ(coupons[0]["state"], "assigned");
    EXPECT_EQ(coupons[0]["name"], "Gift");
    EXPECT_EQ(coupons[0]["kind"], "amount_off_basket");
    EXPECT_EQ(coupons[0]["value"], 50000);
    EXPECT_EQ(coupons[0]["min_basket"], 200000);
    EXPECT_EQ(coupons[0]["stores"], json::array({"S001"}));
    EXPECT_TRUE(coupons[0]["valid_until"].is_null());
    EXPECT_EQ(coupons[0]["scan"]["qr"], "patron:coupon:GIFT-TWO");
    EXPECT_EQ(coupons[1]["code"], "GIFT-ONE");
    EXPECT_EQ(coupons[1]["state"], "redeemed");
    EXPECT_EQ(coupons[2]["code"], "OLD-ONE");
    EXPECT_EQ(coupons[2]["state"], "expired") << "its campaign ended";
    EXPECT_EQ(coupons[2]["value"], 10);
    EXPECT_TRUE(coupons[2]["min_basket"].is_null());

    EXPECT_EQ(balance["card"]["number"], card(0));
    EXPECT_EQ(balance["card"]["scan"], (json{{"code128", card(0)}, {"qr", "patron:card:" + card(0)}}));
    EXPECT_EQ(balance["cashback"]["currency"], "IRR") << "the fields the balance had stay";
    EXPECT_TRUE(balance["stamps"].is_array());
    const auto for_staff = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance");
    EXPECT_EQ(json::parse(for_staff.body), balance) << "one document for staff and member";
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
