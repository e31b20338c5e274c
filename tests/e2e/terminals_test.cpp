// Stores, terminals and their keys over HTTP against a real patrond: an admin registers a store
// and a terminal whose key signs at once; a rotation keeps the older key working through its
// grace period and not after; a revocation ends a key at once; and two patrond instances on
// one database share the nonce store (which roles may call these: tests/e2e/staff_test.cpp).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using Terminals = PatrondTest;

TEST_F(Terminals, AnAdminRegistersATerminalRotatesItsKeyWithGraceAndRevokesAtOnce) {
    const auto store =
        staff("POST", "/v1/stores", R"({"code": "S777", "name": "Tajrish", "time_zone": "Asia/Tehran"})");
    ASSERT_EQ(store.status, 201) << store.body;
    EXPECT_EQ(json::parse(store.body)["currency"], "IRR") << "the program's currency";
    EXPECT_EQ(code_of(staff("POST", "/v1/stores", R"({"code": "S777", "name": "x", "time_zone": "UTC"})")),
              "STORE_EXISTS");
    const auto bad_zone = staff("POST", "/v1/stores", R"({"code": "S778", "name": "x", "time_zone": "Tehran"})");
    EXPECT_EQ(bad_zone.status, 422);
    EXPECT_EQ(json::parse(bad_zone.body)["error"]["field"], "time_zone");
    EXPECT_EQ(
        code_of(staff("POST", "/v1/stores", R"({"code": "S779", "name": "x", "time_zone": "UTC", "currency": "USD"})")),
        "CURRENCY_MISMATCH");

    const auto registered = staff("POST", "/v1/stores/S777/terminals", R"({"code": "T9"})");
    ASSERT_EQ(registered.status, 201) << registered.body;
    EXPECT_EQ(code_of(staff("POST", "/v1/stores/S777/terminals", R"({"code": "T9"})")), "TERMINAL_EXISTS");
    const auto numeric = staff("POST", "/v1/stores/S777/terminals", R"({"code": 9})");
    EXPECT_EQ(numeric.status, 422) << "a client mistake, not a 500: " << numeric.body;
    EXPECT_EQ(staff("POST", "/v1/stores/S404/terminals", R"({"code": "T9"})").status, 404);
    const json first = json::parse(registered.body);
    const auto signed_get = [&](const json& key) {
        const std::string path = "/v1/cards/" + card(0);
        const PosSigner by{key["key_id"].get<std::string>(), key["secret"].get<std::string>()};
        return http({"GET", server.url(path), "", by.headers("GET", path, "")});
    };
    EXPECT_EQ(signed_get(first).status, 200) << "a new terminal's key signs at once";

    const auto rotated = staff("POST", "/v1/stores/S777/terminals/T9/keys", R"({"grace_s": 3600})");
    ASSERT_EQ(rotated.status, 201) << rotated.body;
    const json second = json::parse(rotated.body);
    EXPECT_NE(second["key_id"], first["key_id"]);
    EXPECT_EQ(signed_get(second).status, 200);
    EXPECT_EQ(signed_get(first).status, 200) << "the old key signs during its grace period";
    const json view = json::parse(staff("GET", "/v1/stores/S777/terminals/T9").body);
    ASSERT_EQ(view["keys"].size(), 2u);
    EXPECT_EQ(view["keys"][0]["state"], "expiring");
    EXPECT_FALSE(view["keys"][0]["expires_at"].is_null());
    EXPECT_EQ(view["keys"][1]["state"], "active");
    EXPECT_FALSE(view.dump().contains(second["secret"].get<std::string>())) << "secrets are shown once";

    const json third = json::parse(staff("POST", "/v1/stores/S777/terminals/T9/keys", R"({"grace_s": 0})").body);
    const auto ended = signed_get(second);
    EXPECT_EQ(ended.status, 401);
    EXPECT_EQ(code_of(ended), "KEY_REVOKED") << "no grace: the previous key ends now";
    EXPECT_EQ(signed_get(first).status, 200) << "an earlier grace period is not cut short";
    EXPECT_EQ(signed_get(third).status, 200);

    const std::string revoke = "/v1/terminal-keys/" + third["key_id"].get<std::string>();
    EXPECT_EQ(staff("DELETE", revoke).status, 204);
    EXPECT_EQ(code_of(signed_get(third)), "KEY_REVOKED");
    EXPECT_EQ(staff("DELETE", revoke).status, 204) << "revoking twice is harmless";
    EXPECT_EQ(staff("DELETE", "/v1/terminal-keys/tk_nosuchkey").status, 404);
    EXPECT_EQ(code_of(staff("POST", "/v1/stores/S777/terminals/T9/keys", R"({"grace_s": -1})")), "VALIDATION_FAILED");

    const json listed = json::parse(staff("GET", "/v1/stores/S777/terminals").body);
    ASSERT_EQ(listed["terminals"].size(), 1u);
    EXPECT_EQ(listed["terminals"][0]["keys"].size(), 3u);
    EXPECT_EQ(listed["terminals"][0]["keys"][2]["state"], "revoked");
    const json stores = json::parse(staff("GET", "/v1/stores").body)["stores"];
    EXPECT_EQ(stores.size(), 2u) << "the demo store and S777";
}

TEST_F(Terminals, TwoInstancesOnOneDatabaseRefuseEachOthersNonces) {
    const std::string second_dir = setup.dir.path() + "/second";
    std::filesystem::create_directories(second_dir);
    PatrondProcess other(setup.environment(), second_dir);
    const std::string path = "/v1/cards/" + card(0);
    const auto headers = signer().headers("GET", path, "", 0, "shared-nonce-0123456789");
    EXPECT_EQ(http({"GET", server.url(path), "", headers}).status, 200);
    const auto replayed = http({"GET", other.url(path), "", headers});
    EXPECT_EQ(replayed.status, 401);
    EXPECT_EQ(code_of(replayed), "NONCE_REUSED");

    // Both instances hold the key's secret in memory now; revoked through one, the other refuses
    // it at once (the key's state is read with every nonce).
    const auto registered = staff("POST", "/v1/stores/S001/terminals", R"({"code": "T88"})");
    ASSERT_EQ(registered.status, 201) << registered.body;
    const json key = json::parse(registered.body);
    const PosSigner by{key["key_id"].get<std::string>(), key["secret"].get<std::string>()};
    const auto sale = [&](const std::string& url, const std::string& receipt) {
        json document = purchase(receipt, card(0), 10000);
        document["terminal"] = "T88";
        const std::string body = document.dump();
        std::vector<std::string> sent = by.headers("POST", "/v1/pos/purchases", body);
        sent.push_back("Content-Type: application/json");
        return http({"POST", url + "/v1/pos/purchases", body, sent});
    };
    const auto first = sale(server.url(""), "T88-1");
    EXPECT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(sale(other.url(""), "T88-2").status, 201);
    EXPECT_EQ(staff("DELETE", "/v1/terminal-keys/" + key["key_id"].get<std::string>()).status, 204);
    const auto after = sale(other.url(""), "T88-3");
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(code_of(after), "KEY_REVOKED");
    EXPECT_EQ(code_of(sale(server.url(""), "T88-4")), "KEY_REVOKED");
}

}  // namespace
}  // namespace patron::testing
