// The member's side of patrond: a one-time code by the file notifier, a password set with it,
// sign-in, and the member's own profile, balances and history (whole, or one list at a time);
// changing the profile and the password, the data export and deleting the account. Member tokens
// reach /v1/me/... only, and only the member's own data; staff tokens do not reach /v1/me/... at all.
#include <soci/soci.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
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
    HttpReply anyone(const std::string& path, const json& body) {
        return http({"POST", server.url(path), body.dump(), {"Content-Type: application/json"}});
    }
    HttpReply as_member(const std::string& method, const std::string& path, const std::string& token,
                        const json& body = nullptr) {
        if (body.is_null()) return http({method, server.url(path), "", {"Authorization: Bearer " + token}});
        record_personal_data(method, path, body.dump());
        return http({method,
                     server.url(path),
                     body.dump(),
                     {"Authorization: Bearer " + token, "Content-Type: application/json"}});
    }
    HttpReply sign_in(const json& who, const std::string& password) {
        json request = who;
        request["program"] = "DEMO";
        request["password"] = password;
        return anyone("/v1/me/sessions", request);
    }
};

// The portal's balance takes the member's token from memory and checks it in its own read
// (Route::token_in_read): a session ended or a member closed straight in the database, as
// another instance would do it, is refused from the next read on.
TEST_F(MemberPortal, TheBalanceChecksTheTokenMemoryKeptInItsOwnReadAndAnEndedSessionIsRefusedAtOnce) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const auto status_of = [&](const std::string& held) { return as_member("GET", "/v1/me/balance", held).status; };
    ASSERT_EQ(status_of(token), 200) << "checked in full, then kept";
    ASSERT_EQ(status_of(token), 200) << "kept, and confirmed by the read";
    const std::string member = std::to_string(member_id(0));

    db.raw() << "UPDATE member_tokens SET expires_at = '2020-01-01 00:00:00' WHERE member_id = " + member;
    EXPECT_EQ(status_of(token), 401) << "expired";
    EXPECT_EQ(json::parse(as_member("GET", "/v1/me/balance", token).body)["error"]["code"], "UNAUTHENTICATED");

    const auto signed_in = sign_in({{"phone", "09123456789"}}, "sara's long secret");
    ASSERT_EQ(signed_in.status, 201) << signed_in.body;
    const std::string again = json::parse(signed_in.body)["token"];
    ASSERT_EQ(status_of(again), 200);
    ASSERT_EQ(status_of(again), 200);
    db.raw() << "UPDATE members SET status = 'merged' WHERE id = " + member;
    EXPECT_EQ(status_of(again), 401) << "a member no longer active";
    db.raw() << "UPDATE members SET status = 'active' WHERE id = " + member;
    EXPECT_EQ(status_of(again), 200);
    db.raw() << "DELETE FROM member_tokens WHERE member_id = " + member;
    EXPECT_EQ(status_of(again), 401) << "signed out by another instance";
}

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
    EXPECT_EQ(entries[0]["description"], "کسب ۳۳ امتیاز با رسید portal-1 در شعبه مرکزی تهران");

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
        return claim_in_portal(token, receipt, total);
    };
    const auto anonymous = pos("POST", "/v1/pos/purchases", purchase("anon-1", "", 330000).dump());
    ASSERT_EQ(anonymous.status, 201) << anonymous.body;
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("anon-2", "", 120000).dump()).status, 201);
    // What the till prints under the receipt: a line and a QR code naming it, which the portal reads.
    const json answer = json::parse(anonymous.body);
    const auto& lines = answer["receipt_lines"];
    EXPECT_NE(std::find(lines.begin(), lines.end(), "امتیاز این خرید را با اسکن کد بگیرید"), lines.end())
        << "the programme speaks Persian: " << lines;
    EXPECT_EQ(json::parse(answer["claim"]["qr"].get<std::string>()), (json{{"patron", "receipt"},
                                                                           {"store", "S001"},
                                                                           {"terminal", "T01"},
                                                                           {"business_day", "2026-11-22"},
                                                                           {"receipt", "anon-1"},
                                                                           {"total", 330000}}));
    const auto carded = pos("POST", "/v1/pos/purchases", purchase("carded", card(1), 100000).dump());
    EXPECT_FALSE(json::parse(carded.body).contains("claim")) << "a purchase with a card has nothing to claim";

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

    // One failure so far (the wrong total: her own receipt claimed again is none); four more
    // guesses, then no more.
    for (const char* guess : {"anon-6", "anon-7", "anon-8", "anon-9"}) {
        EXPECT_EQ(claim(guess, 100000).status, 404) << guess;
    }
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

// How many audit entries say the member did `action` themselves, with `fields`.
long long audited_as_member(TestDatabase& db, long long member, const std::string& action, const std::string& fields) {
    long long count = 0;
    db.raw() << "SELECT COUNT(*) FROM audit_log WHERE actor = 'member' AND entity = 'member' AND entity_id = :id"
                " AND action = :action AND fields = :fields",
        soci::into(count), soci::use(member), soci::use(action), soci::use(fields);
    return count;
}

TEST_F(MemberPortal, AMemberChangesTheirProfileLanguageAndConsents) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const json before = json::parse(as_member("GET", "/v1/me", token).body);
    // A stolen session alone cannot move the email (where a new password's code would go).
    EXPECT_TRUE(refused(as_member("PATCH", "/v1/me", token, {{"email", "thief@example.com"}}), 422, "password"));
    EXPECT_TRUE(
        refused(as_member("PATCH", "/v1/me", token, {{"email", "thief@example.com"}, {"password", "a wrong guess"}}),
                401, "password"));
    EXPECT_EQ(json::parse(as_member("GET", "/v1/me", token).body)["email"], before["email"]);
    const auto changed = as_member("PATCH", "/v1/me", token,
                                   {{"full_name", "Sara Karimi"},
                                    {"email", "Sara.K@example.ir"},
                                    {"password", "sara's long secret"},
                                    {"birth_date", "1990-04-13"},
                                    {"city", "Shiraz"},
                                    {"language", "en"},
                                    {"consents", {{"marketing_sms", true}}}});
    ASSERT_EQ(changed.status, 200) << changed.body;
    const json me = json::parse(as_member("GET", "/v1/me", token).body);
    EXPECT_EQ(json::parse(changed.body), me) << "the answer is the member as GET /v1/me has them";
    EXPECT_EQ(me["full_name"], "Sara Karimi");
    EXPECT_EQ(me["email"], "sara.k@example.ir");
    EXPECT_EQ(me["birth_date"], "1990-04-13");
    EXPECT_EQ(me["city"], "Shiraz");
    EXPECT_EQ(me["language"], "en");
    EXPECT_EQ(me["phone"], before["phone"]);
    EXPECT_EQ(me["consents"]["marketing_sms"]["granted"], true);
    EXPECT_TRUE(me["consents"]["marketing_sms"]["at"].is_string()) << "when it was given: " << me;
    EXPECT_EQ(me["consents"]["marketing_email"], before["consents"]["marketing_email"]) << "not sent, not changed";
    EXPECT_EQ(json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0))).body)["email"],
              "sara.k@example.ir")
        << "staff see the change";
    EXPECT_EQ(audited_as_member(db, member_id(0), "member.update", "birth_date,city,consents,email,full_name,language"),
              1);

    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("portal-en", card(0), 330000).dump()).status, 201);
    const json history = json::parse(as_member("GET", "/v1/me/history", token).body);
    EXPECT_EQ(history["language"], "en") << "the member's language is remembered";
    EXPECT_EQ(history["entries"][0]["description"], "Earned 33 points on receipt portal-en at شعبه مرکزی تهران");
    EXPECT_EQ(sign_in({{"email", "sara.k@example.ir"}}, "sara's long secret").status, 201) << "the new email";
    EXPECT_EQ(sign_in({{"email", "sara.karimi@example.ir"}}, "sara's long secret").status, 401) << "not the old";

    const auto withdrawn =
        as_member("PATCH", "/v1/me", token, {{"consents", {{"marketing_sms", false}}}, {"city", nullptr}});
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
    const json after = json::parse(withdrawn.body);
    EXPECT_EQ(after["consents"]["marketing_sms"]["granted"], false);
    EXPECT_GT(after["consents"]["marketing_sms"]["at"].get<std::string>(),
              me["consents"]["marketing_sms"]["at"].get<std::string>())
        << "when it was withdrawn";
    EXPECT_EQ(after["city"], nullptr);
    EXPECT_EQ(after["full_name"], "Sara Karimi");
}

TEST_F(MemberPortal, AProfileChangeIsRefusedByFieldAndChangesNothing) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const std::string before = as_member("GET", "/v1/me", token).body;
    const auto phone = as_member("PATCH", "/v1/me", token, {{"phone", "09350000000"}, {"city", "Shiraz"}});
    EXPECT_TRUE(refused(phone, 422, "phone"));
    EXPECT_NE(json::parse(phone.body)["error"]["message"].get<std::string>().find("ask at the store"),
              std::string::npos)
        << phone.body;
    const auto taken =
        as_member("PATCH", "/v1/me", token,
                  {{"email", "Reza@example.com"}, {"city", "Shiraz"}, {"password", "sara's long secret"}});
    EXPECT_TRUE(refused(taken, 409, "email"));
    EXPECT_EQ(code_of(taken), "MEMBER_EXISTS");
    EXPECT_TRUE(refused(as_member("PATCH", "/v1/me", token, {{"language", "de"}}), 422, "language"));
    EXPECT_TRUE(refused(as_member("PATCH", "/v1/me", token, {{"birth_date", "13/04/1990"}}), 422, "birth_date"));
    EXPECT_TRUE(refused(as_member("PATCH", "/v1/me", token, {{"id", member_id(1)}}), 422, "id"));
    EXPECT_TRUE(refused(as_member("PATCH", "/v1/me", token, {{"gender", "female"}}), 422, "gender"));
    EXPECT_TRUE(refused(as_member("PATCH", "/v1/me", token, {{"consents", {{"terms_version", "9"}}}}), 422,
                        "consents.terms_version"));
    EXPECT_TRUE(refused(as_member("PATCH", "/v1/me", token, json::object()), 422, "$"));
    EXPECT_EQ(as_member("GET", "/v1/me", token).body, before) << "nothing changed";
    EXPECT_EQ(json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(1))).body)["email"],
              "reza@example.com");
}

TEST_F(MemberPortal, APasswordChangeEndsTheOtherSessionsButNotThisOne) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const json phone = {{"phone", "09123456789"}};
    const auto other = sign_in(phone, "sara's long secret");
    ASSERT_EQ(other.status, 201) << other.body;
    const std::string other_token = json::parse(other.body)["token"];

    const auto wrong = as_member("PUT", "/v1/me/password", token,
                                 {{"current_password", "not my secret"}, {"new_password", "a newer long secret"}});
    EXPECT_TRUE(refused(wrong, 401, "current_password"));
    EXPECT_EQ(code_of(wrong), "UNAUTHENTICATED");
    EXPECT_TRUE(refused(as_member("PUT", "/v1/me/password", token,
                                  {{"current_password", "sara's long secret"}, {"new_password", "short"}}),
                        422, "new_password"));
    EXPECT_EQ(as_member("GET", "/v1/me", other_token).status, 200) << "refusals end no session";

    const auto changed =
        as_member("PUT", "/v1/me/password", token,
                  {{"current_password", "sara's long secret"}, {"new_password", "a newer long secret"}});
    EXPECT_EQ(changed.status, 204) << changed.body;
    EXPECT_EQ(as_member("GET", "/v1/me", token).status, 200) << "this session goes on";
    EXPECT_EQ(as_member("GET", "/v1/me", other_token).status, 401) << "the other one ended";
    EXPECT_EQ(sign_in(phone, "sara's long secret").status, 401);
    EXPECT_EQ(sign_in(phone, "a newer long secret").status, 201);
    EXPECT_EQ(audited_as_member(db, member_id(0), "member.password", "password"), 1) << "once: refusals change nothing";
}

// A stolen session cannot guess the password through the portal: a wrong password in a password
// change or an account deletion counts like a failed sign-in, and five lock the phone and email.
TEST_F(MemberPortal, WrongPasswordsInThePortalCountTowardTheSignInLockOut) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(as_member("PUT", "/v1/me/password", token,
                            {{"current_password", "guess " + std::to_string(i)}, {"new_password", "a newer secret"}})
                      .status,
                  401);
    }
    for (int i = 0; i < 2; ++i) {
        EXPECT_TRUE(refused(as_member("DELETE", "/v1/me", token, {{"password", "guess " + std::to_string(i)}}), 401,
                            "password"));
    }
    const auto locked = as_member("PUT", "/v1/me/password", token,
                                  {{"current_password", "sara's long secret"}, {"new_password", "a newer secret"}});
    EXPECT_EQ(locked.status, 429) << locked.body;
    EXPECT_EQ(code_of(locked), "TOO_MANY_ATTEMPTS");
    // When to try again, for the page to say in the member's own clock and language.
    const std::string retry_at = json::parse(locked.body)["error"].value("retry_at", "");
    const auto lifts = store::from_sql_time(retry_at.substr(0, 10) + " " + retry_at.substr(11, 15));
    ASSERT_TRUE(lifts.has_value()) << locked.body;
    EXPECT_GT(*lifts, std::chrono::system_clock::now());
    EXPECT_TRUE(locked.headers.contains("retry-after"));
    EXPECT_EQ(locked.headers.at("retry-after"), core::format_http_date(*lifts));
    EXPECT_EQ(code_of(sign_in({{"phone", "09123456789"}}, "sara's long secret")), "TOO_MANY_ATTEMPTS");
    EXPECT_EQ(code_of(sign_in({{"email", "sara.karimi@example.ir"}}, "sara's long secret")), "TOO_MANY_ATTEMPTS");
    EXPECT_EQ(as_member("GET", "/v1/me", token).status, 200) << "the session itself goes on";
    EXPECT_EQ(code_of(as_member("DELETE", "/v1/me", token, {{"password", "sara's long secret"}})), "TOO_MANY_ATTEMPTS")
        << "and cannot delete the account while locked";
}

TEST_F(MemberPortal, AMemberDownloadsTheirOwnDataAsAFile) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("export-1", card(0), 500000).dump()).status, 201);
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("export-2", card(1), 700000).dump()).status, 201);
    const auto exported = as_member("GET", "/v1/me/export", token);
    ASSERT_EQ(exported.status, 200) << exported.body;
    ASSERT_TRUE(exported.headers.contains("content-disposition"));
    EXPECT_EQ(exported.headers.at("content-disposition"),
              "attachment; filename=\"patron-export-" + std::to_string(member_id(0)) + ".json\"");
    EXPECT_EQ(exported.headers.at("content-type").substr(0, 16), "application/json");
    json mine = json::parse(exported.body);
    EXPECT_EQ(mine["member"]["id"], member_id(0));
    EXPECT_EQ(mine["member"]["profile"]["full_name"], "سارا کریمی");
    ASSERT_EQ(mine["purchases"].size(), 1U) << "her purchase, not Reza's";
    EXPECT_EQ(mine["purchases"][0]["receipt"], "export-1");
    EXPECT_EQ(mine["account"]["points_available"], 50);
    EXPECT_EQ(audited_as_member(db, member_id(0), "member.export", "*"), 1);
    // Her signing in is in it too, without what a password, code or session is checked against.
    EXPECT_FALSE(mine["password"]["updated_at"].is_null());
    ASSERT_EQ(mine["sign_in_codes"].size(), 1U);
    EXPECT_EQ(mine["sign_in_codes"][0]["purpose"], "activate");
    EXPECT_FALSE(mine["sign_in_codes"][0]["used_at"].is_null());
    EXPECT_EQ(mine["sessions"].size(), 1U);
    EXPECT_EQ(mine["lookups"], json::parse(R"([{"kind": "phone"}, {"kind": "email"}])"));
    EXPECT_EQ(exported.body.find(token), std::string::npos);
    for (const char* secret : {"password_hash", "token_sha256", "code_mac", "digest"}) {
        EXPECT_EQ(exported.body.find(std::string("\"") + secret + "\""), std::string::npos) << secret;
    }

    json staffs = json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/export").body);
    for (json* document : {&mine, &staffs}) {
        document->erase("exported_at");
        document->erase("audit");  // The staff export is audited after the member's.
    }
    EXPECT_EQ(mine, staffs) << "the same document staff export";
}

TEST_F(MemberPortal, AMemberDeletesTheirAccountWithTheirPassword) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("erase-1", card(0), 500000).dump()).status, 201);
    EXPECT_TRUE(refused(as_member("DELETE", "/v1/me", token, {{"password", "not my secret"}}), 401, "password"));
    EXPECT_TRUE(refused(as_member("DELETE", "/v1/me", token, json::object()), 422, "password"));
    EXPECT_EQ(code_of(as_member("DELETE", "/v1/me", token)), "MALFORMED_JSON") << "no body, no confirmation";
    EXPECT_EQ(as_member("GET", "/v1/me", token).status, 200) << "still there";

    EXPECT_EQ(as_member("DELETE", "/v1/me", token, {{"password", "sara's long secret"}}).status, 204);
    EXPECT_EQ(as_member("GET", "/v1/me", token).status, 401) << "the session ended with the account";
    EXPECT_EQ(as_member("DELETE", "/v1/me", token, {{"password", "sara's long secret"}}).status, 401);
    const json erased = json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0))).body);
    EXPECT_EQ(erased["status"], "erased");
    EXPECT_FALSE(erased.contains("full_name"));
    EXPECT_EQ(erased["cards"][0]["state"], "closed");
    EXPECT_EQ(code_of(pos("GET", "/v1/cards/" + card(0))), "CARD_CLOSED");
    EXPECT_EQ(sign_in({{"phone", "09123456789"}}, "sara's long secret").status, 401);
    EXPECT_EQ(audited_as_member(db, member_id(0), "member.erase", "profile,data_key,lookups,cards"), 1);
    EXPECT_EQ(json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(1))).body)["status"], "active")
        << "nobody else";
}

// Sara's history, one list at a time, after every kind of movement: purchases earning points,
// cashback and stamps (one filling the card and paying a coupon), the coupon used, points and
// cashback spent, a return, an adjustment, points held then released, and points expired.
TEST_F(MemberPortal, EachHistoryListHoldsItsOwnMovementsNewestFirstAPageAtATime) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    ASSERT_EQ(staff("PUT", "/v1/program/rules/draft/cashback/cb5", R"({"name": "Cashback 5%", "percent": 5})").status,
              200);
    const long long campaign_id = publish_free_coffee_campaign();
    const json coffee_card = {{"name", "Coffee card"},
                              {"goal", 2},
                              {"conditions", {{"categories", {"coffee"}}}},
                              {"reward", {{"coupon_campaign", campaign_id}, {"label", "free coffee"}}}};
    ASSERT_EQ(staff("PUT", "/v1/program/rules/draft/stamp-cards/coffee", coffee_card.dump()).status, 200);
    ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);

    const json first = purchase_now("h1", card(0), 400000);
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", first.dump()).status, 201);
    const auto filled = pos("POST", "/v1/pos/purchases", purchase_now("h2", card(0), 400000).dump());
    ASSERT_EQ(filled.status, 201) << filled.body;
    ASSERT_EQ(json::parse(filled.body)["coupons"]["issued"].size(), 1U) << filled.body;
    const std::string code = json::parse(filled.body)["coupons"]["issued"][0]["code"];
    json free = purchase_now("h3", card(0), 500000);
    free["coupons"] = {code};
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", free.dump()).status, 201);
    json paying = purchase_now("h4", card(0), 100000);
    paying["redeem_points"] = 30;
    paying["spend_cashback"] = 10000;
    const auto paid = pos("POST", "/v1/pos/purchases", paying.dump());
    ASSERT_EQ(paid.status, 201) << paid.body;
    json taken_back = return_of("r1", "h1", {{{"line", 1}, {"quantity", 1}}});
    taken_back["pos_time"] = purchase_now("", "", 1)["pos_time"];
    taken_back["business_day"] = first["business_day"];
    taken_back["original"]["business_day"] = first["business_day"];
    const auto returned = pos("POST", "/v1/pos/returns", taken_back.dump());
    ASSERT_EQ(returned.status, 201) << returned.body;
    const std::string members = "/v1/members/" + std::to_string(member_id(0));
    ASSERT_EQ(staff("POST", members + "/points/adjustments", R"({"points": 25, "reason": "goodwill"})").status, 201);
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase_now("h-reza", card(1), 900000).dump()).status, 201);
    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"points": {"hold_days": 1}})").status, 200);
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase_now("h5", card(0), 200000).dump()).status, 201);
    // The hold of the last purchase ends, and everything available before it reaches its expiry.
    db.raw() << "UPDATE point_lots SET expires_at = IF(state = 'available', '2001-01-01', expires_at),"
                " pending_until = IF(state = 'pending', '2001-01-01', pending_until) WHERE member_id = :id",
        soci::use(member_id(0));
    const auto maintained = run_command({patronctl_path(), "expire"}, setup.environment());
    ASSERT_EQ(maintained.exit_code, 0) << maintained.output;

    const auto list = [&](const std::string& query) {
        const auto reply = as_member("GET", "/v1/me/history?" + query, token);
        EXPECT_EQ(reply.status, 200) << query << ": " << reply.body;
        return json::parse(reply.body);
    };
    const auto kinds_of = [](const json& page) {
        std::set<std::string> kinds;
        for (const json& entry : page["entries"]) kinds.insert(entry["kind"].get<std::string>());
        return kinds;
    };
    std::map<std::string, json> pages;
    for (const char* kind : {"earned", "spent", "expired", "returned", "adjusted", "cashback", "stamps", "coupons"}) {
        SCOPED_TRACE(kind);
        pages[kind] = list(std::string("kind=") + kind + "&limit=100");
        const json& page = pages[kind];
        EXPECT_EQ(page["kind"], kind);
        EXPECT_EQ(page["language"], "fa");
        EXPECT_EQ(page["next_before"], nullptr);
        EXPECT_FALSE(page["entries"].empty()) << page;
        std::string previous = "9999";
        for (const json& entry : page["entries"]) {
            EXPECT_TRUE(entry.contains("store") && entry.contains("description") && entry.contains("purchase"))
                << entry;
            EXPECT_EQ(entry["store"], entry["purchase"].is_null() ? json(nullptr) : entry["purchase"]["store"]);
            EXPECT_EQ(entry["store_name"],
                      entry["purchase"].is_null() ? json(nullptr) : entry["purchase"]["store_name"]);
            EXPECT_TRUE(entry.contains("id") && entry["id"].is_number_integer()) << entry;
            EXPECT_LE(entry["at"].get<std::string>(), previous) << "newest first";
            previous = entry["at"];
            EXPECT_FALSE(entry["purchase"].is_object() && entry["purchase"]["receipt"] == "h-reza")
                << "another member's purchase";
        }
    }
    EXPECT_EQ(kinds_of(pages["earned"]), (std::set<std::string>{"earn", "release"}));
    EXPECT_EQ(kinds_of(pages["spent"]), std::set<std::string>{"redeem"});
    ASSERT_EQ(pages["spent"]["entries"].size(), 1U);
    const json& spent = pages["spent"]["entries"][0];
    EXPECT_EQ(spent["points"]["available"], -30);
    EXPECT_EQ(spent["store"], "S001");
    EXPECT_EQ(spent["store_name"], "شعبه مرکزی تهران");
    EXPECT_EQ(spent["purchase"]["receipt"], "h4");
    EXPECT_EQ(spent["description"], "پرداخت با ۳۰ امتیاز با رسید h4 در شعبه مرکزی تهران");
    EXPECT_EQ(kinds_of(pages["expired"]), std::set<std::string>{"expire"});
    EXPECT_EQ(pages["expired"]["entries"][0]["store"], nullptr);
    EXPECT_EQ(pages["expired"]["entries"][0]["store_name"], nullptr);
    EXPECT_EQ(kinds_of(pages["returned"]), std::set<std::string>{"reverse"});
    EXPECT_EQ(pages["returned"]["entries"][0]["purchase"]["kind"], "return");
    EXPECT_EQ(pages["returned"]["entries"][0]["purchase"]["receipt"], "r1");
    EXPECT_EQ(kinds_of(pages["adjusted"]), std::set<std::string>{"adjust"});
    EXPECT_EQ(pages["adjusted"]["entries"][0]["points"]["available"], 25);
    EXPECT_EQ(kinds_of(pages["cashback"]), (std::set<std::string>{"earn", "spend", "reverse"}));
    for (const json& entry : pages["cashback"]["entries"]) {
        EXPECT_TRUE(entry.contains("amount") && !entry.contains("points")) << entry;
    }
    EXPECT_TRUE(kinds_of(pages["stamps"]).contains("earn") && kinds_of(pages["stamps"]).contains("reward"))
        << pages["stamps"];
    ASSERT_EQ(pages["coupons"]["entries"].size(), 1U);
    const json& used = pages["coupons"]["entries"][0];
    EXPECT_EQ(used["code"], code);
    EXPECT_EQ(used["status"], "redeemed");
    EXPECT_EQ(used["store"], "S001");
    EXPECT_EQ(used["purchase"]["receipt"], "h3");

    // The same lists a page at a time, each page going on where the last stopped.
    for (const char* kind : {"earned", "cashback", "stamps"}) {
        SCOPED_TRACE(kind);
        json all = json::array();
        std::string query = std::string("kind=") + kind + "&limit=1";
        for (int page = 0; page < 20; ++page) {
            const json one = list(query);
            ASSERT_LE(one["entries"].size(), 1U);
            for (const json& entry : one["entries"]) all.push_back(entry);
            if (one["next_before"].is_null()) break;
            query =
                std::string("kind=") + kind + "&limit=1&before=" + std::to_string(one["next_before"].get<long long>());
        }
        EXPECT_EQ(all, pages[kind]["entries"]);
    }

    EXPECT_EQ(json::parse(staff("GET", members + "/history?kind=spent&limit=100").body), pages["spent"])
        << "staff read the same list";
    for (const char* bad : {"kind=points", "kind=", "kind=Earned", "kind=earned&limit=0", "kind=stamps&before=x"}) {
        SCOPED_TRACE(bad);
        const std::string field = std::string(bad).starts_with("kind=earned")   ? "limit"
                                  : std::string(bad).starts_with("kind=stamps") ? "before"
                                                                                : "kind";
        EXPECT_TRUE(refused(as_member("GET", std::string("/v1/me/history?") + bad, token), 422, field));
        EXPECT_TRUE(refused(staff("GET", members + "/history?" + bad), 422, field));
    }
    const json whole = list("limit=100");
    EXPECT_FALSE(whole.contains("kind")) << "without kind, the history as it always was";
    EXPECT_TRUE(whole.contains("cashback") && whole.contains("stamps") && whole.contains("coupons"));
    EXPECT_FALSE(whole["entries"][0].contains("store"));
    EXPECT_EQ(json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(1)) + "/history?kind=earned")
                              .body)["entries"][0]["purchase"]["receipt"],
              "h-reza")
        << "Reza's list is his";
}

}  // namespace
}  // namespace patron::testing
