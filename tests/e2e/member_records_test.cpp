// The member registry over HTTP against a real patrond: search through blind indexes, partial
// updates that keep phone and email unique, the right-of-access export and crypto-shredding
// erasure (the ledger keeps its rows), and the scannable card payload.
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using MemberRecords = PatrondTest;

TEST_F(MemberRecords, StaffFindAMemberByExactPhoneEmailOrCard) {
    const auto found_id = [&](const std::string& query) {
        const auto reply = staff("GET", "/v1/members?" + query);
        EXPECT_EQ(reply.status, 200) << query << ": " << reply.body;
        return json::parse(reply.body)["members"][0]["id"].get<long long>();
    };
    EXPECT_EQ(found_id("phone=09123456789"), member_id(0)) << "a local number, as the program's country";
    EXPECT_EQ(found_id("phone=%2B989123456789"), member_id(0));
    EXPECT_EQ(found_id("email=Sara.Karimi%40Example.IR"), member_id(0)) << "emails are compared lower-cased";
    EXPECT_EQ(found_id("card=" + card(1)), member_id(1));
    EXPECT_EQ(staff("GET", "/v1/members?phone=09120000000").status, 404);
    EXPECT_EQ(code_of(staff("GET", "/v1/members?card=7001000000000001")), "CARD_NUMBER_INVALID");
    EXPECT_EQ(staff("GET", "/v1/members").status, 422);
    const json member = json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0))).body);
    EXPECT_EQ(member["cards"][0]["scan"]["code128"], card(0));
    EXPECT_EQ(member["cards"][0]["scan"]["qr"], "patron:card:" + card(0));
}

TEST_F(MemberRecords, APartialUpdateKeepsPhoneAndEmailUniqueAndIsAudited) {
    const std::string path = "/v1/members/" + std::to_string(member_id(0));
    const auto changed = staff("PATCH", path, R"({"email": "sara@new.example", "language": "en"})");
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(json::parse(changed.body)["email"], "sara@new.example");
    EXPECT_EQ(json::parse(changed.body)["full_name"], "سارا کریمی") << "untouched fields stay";
    EXPECT_EQ(staff("GET", "/v1/members?email=sara%40new.example").status, 200);
    EXPECT_EQ(staff("GET", "/v1/members?email=sara.karimi%40example.ir").status, 404) << "the old index is gone";

    const auto taken = staff("PATCH", path, R"({"phone": "+98 935 111 2233"})");
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(code_of(taken), "MEMBER_EXISTS");
    EXPECT_EQ(json::parse(staff("GET", path).body)["phone"], "+989123456789") << "nothing half-applied";
    EXPECT_EQ(json::parse(staff("PATCH", path, R"({"nickname": "S"})").body)["error"]["field"], "nickname");
    EXPECT_EQ(json::parse(staff("PATCH", path, R"({"phone": null, "email": null})").body)["error"]["field"], "phone");
    // A member that is not there is not there whatever was sent, a body that is no object included.
    for (const char* body : {R"({"nickname": "S"})", "[]"}) {
        EXPECT_EQ(code_of(staff("PATCH", "/v1/members/999999", body)), "MEMBER_NOT_FOUND") << body;
    }
    long long audited = 0;
    db.raw() << "SELECT COUNT(*) FROM audit_log WHERE action = 'member.update' AND fields = 'email,language'",
        soci::into(audited);
    EXPECT_EQ(audited, 1);
}

TEST_F(MemberRecords, ExportHoldsEverythingAndEraseShredsItWhileTheBooksStay) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("E-1", card(0), 500000).dump()).status, 201);
    const std::string path = "/v1/members/" + std::to_string(member_id(0));
    const auto exported = staff("GET", path + "/export");
    ASSERT_EQ(exported.status, 200) << exported.body;
    const json document = json::parse(exported.body);
    EXPECT_EQ(document["member"]["profile"]["full_name"], "سارا کریمی");
    EXPECT_EQ(document["cards"][0]["number"], card(0));
    EXPECT_EQ(document["cards"][0]["chosen_primary"], 1) << "the primary card staff chose";
    EXPECT_EQ(document["purchases"][0]["receipt"], "E-1");
    EXPECT_EQ(document["point_lots"][0]["earned"], 50);
    EXPECT_EQ(document["account"]["points_available"], 50);
    EXPECT_FALSE(document["ledger_entries"].empty());

    long long ledger_before = 0;
    db.raw() << "SELECT SUM(amount) FROM ledger_entries WHERE member_id = :id", soci::into(ledger_before),
        soci::use(member_id(0));
    ASSERT_EQ(staff("DELETE", path).status, 204);
    const json erased = json::parse(staff("GET", path).body);
    EXPECT_EQ(erased["status"], "erased");
    EXPECT_FALSE(erased.contains("full_name"));
    EXPECT_EQ(erased["cards"][0]["state"], "closed");
    EXPECT_EQ(code_of(pos("GET", "/v1/cards/" + card(0))), "CARD_CLOSED");
    EXPECT_EQ(staff("GET", "/v1/members?phone=09123456789").status, 404) << "the blind index is gone";
    long long sealed = -1, ledger_after = 0;
    db.raw() << "SELECT COUNT(*) FROM members WHERE id = :id AND (data_key_sealed IS NOT NULL"
                " OR full_name_sealed IS NOT NULL OR phone_sealed IS NOT NULL OR email_sealed IS NOT NULL)",
        soci::into(sealed), soci::use(member_id(0));
    EXPECT_EQ(sealed, 0) << "the data key and every sealed field are gone";
    db.raw() << "SELECT SUM(amount) FROM ledger_entries WHERE member_id = :id", soci::into(ledger_after),
        soci::use(member_id(0));
    EXPECT_EQ(ledger_after, ledger_before) << "the ledger keeps its rows under the member id";
    EXPECT_EQ(staff("DELETE", path).status, 204) << "erasing twice is harmless";
    const auto again =
        staff("POST", "/v1/members", R"({"full_name": "Sara K", "phone": "09123456789", "birth_date": "1990-04-12"})");
    EXPECT_EQ(again.status, 201) << "the phone is free again: " << again.body;
}

TEST_F(MemberRecords, GenderCityPostalCodeTimeZoneAndConsentsAreKeptWithTheirTimes) {
    const json enrol = json::parse(R"({"full_name": "Mina Rahimi", "phone": "09127778899", "gender": "female",
        "city": "Shiraz", "postal_code": "71946-85111", "language": "fa", "time_zone": "Asia/Tehran",
        "consents": {"terms_version": "2026-01", "marketing_sms": true, "marketing_email": false}})");
    const auto enrolled = staff("POST", "/v1/members", enrol.dump());
    ASSERT_EQ(enrolled.status, 201) << enrolled.body;
    const std::string path = "/v1/members/" + std::to_string(json::parse(enrolled.body)["id"].get<long long>());
    const json member = json::parse(staff("GET", path).body);
    EXPECT_EQ(member["gender"], "female");
    EXPECT_EQ(member["city"], "Shiraz");
    EXPECT_EQ(member["postal_code"], "71946-85111");
    EXPECT_EQ(member["time_zone"], "Asia/Tehran");
    EXPECT_EQ(member["consents"]["terms_version"], "2026-01");
    EXPECT_FALSE(member["consents"]["terms_accepted_at"].is_null());
    EXPECT_EQ(member["consents"]["marketing_sms"]["granted"], true);
    EXPECT_FALSE(member["consents"]["marketing_sms"]["at"].is_null());
    EXPECT_EQ(member["consents"]["marketing_email"]["granted"], false);

    const auto withdrawn = staff("PATCH", path, R"({"consents": {"marketing_sms": false}, "city": "Tehran"})");
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
    const json after = json::parse(withdrawn.body);
    EXPECT_EQ(after["consents"]["marketing_sms"]["granted"], false);
    EXPECT_EQ(after["consents"]["terms_version"], "2026-01") << "untouched consents stay";
    EXPECT_EQ(after["city"], "Tehran");
    EXPECT_EQ(after["gender"], "female");
    long long city_in_clear = 0;
    db.raw() << "SELECT COUNT(*) FROM members WHERE details_sealed LIKE '%Tehran%' OR details_sealed LIKE '%Shiraz%'",
        soci::into(city_in_clear);
    EXPECT_EQ(city_in_clear, 0) << "gender, city and postal code are sealed";
    EXPECT_EQ(json::parse(staff("PATCH", path, R"({"consents": {"marketing_fax": true}})").body)["error"]["field"],
              "consents.marketing_fax");
    EXPECT_EQ(json::parse(staff("PATCH", path, R"({"postal_code": "71946;85111"})").body)["error"]["field"],
              "postal_code");
    EXPECT_EQ(json::parse(staff("PATCH", path, R"({"time_zone": "Asia/Atlantis"})").body)["error"]["field"],
              "time_zone");
    EXPECT_EQ(json::parse(staff("PATCH", path, R"({"time_zone": 35})").body)["error"]["field"], "time_zone");
    long long zone_in_clear = 0;
    db.raw() << "SELECT COUNT(*) FROM members WHERE details_sealed LIKE '%Tehran%'", soci::into(zone_in_clear);
    EXPECT_EQ(zone_in_clear, 0) << "her time zone is sealed with the rest";
    const json exported = json::parse(staff("GET", path + "/export").body);
    EXPECT_EQ(exported["member"]["profile"]["city"], "Tehran");
    EXPECT_EQ(exported["member"]["profile"]["time_zone"], "Asia/Tehran");
    EXPECT_EQ(exported["consents"]["marketing_sms"]["granted"], false);
    std::vector<std::string> history;
    for (const json& change : exported["consent_history"]) {
        history.push_back(change["consent"].get<std::string>() + " " + change["value"].get<std::string>() + " by " +
                          change["changed_by"].get<std::string>());
    }
    EXPECT_EQ(history,
              (std::vector<std::string>{"terms 2026-01 by staff", "marketing_sms granted by staff",
                                        "marketing_email not granted by staff", "marketing_sms not granted by staff"}))
        << "every change kept, the one not made (a change of city) not";

    ASSERT_EQ(staff("DELETE", path).status, 204);
    long long history_left = -1;
    db.raw() << "SELECT COUNT(*) FROM member_consent_history WHERE member_id = :id", soci::into(history_left),
        soci::use(json::parse(enrolled.body)["id"].get<long long>());
    EXPECT_EQ(history_left, 0) << "erasing the member removes the consents' history";
}

}  // namespace
}  // namespace patron::testing
