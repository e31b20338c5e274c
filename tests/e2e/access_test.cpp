#include <chrono>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using Access = PatrondTest;

long long now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TEST_F(Access, StaffRoutesNeedAKnownBearerToken) {
    const std::string path = "/v1/members/" + std::to_string(member_id(0));
    EXPECT_EQ(code_of(get(path)), "UNAUTHENTICATED");
    const auto wrong = get(path, {"Authorization: Bearer pst_0000"});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(code_of(wrong), "UNAUTHENTICATED");
    EXPECT_EQ(get(path, {"Authorization: Basic abc"}).status, 401);
}

TEST_F(Access, PosRequestsAreVerifiedExactlyAsTheContractSays) {
    const std::string body = purchase("900", card(0), 10000).dump();
    const std::string path = "/v1/pos/purchases";
    const PosSigner good = signer();
    const auto send = [&](std::vector<std::string> headers, const std::string& sent_body) {
        headers.push_back("Content-Type: application/json");
        return http({"POST", server.url(path), sent_body, headers});
    };

    const auto tampered = send(good.headers("POST", path, body), purchase("900", card(0), 20000).dump());
    EXPECT_EQ(tampered.status, 401);
    EXPECT_EQ(code_of(tampered), "SIGNATURE_INVALID");

    const auto wrong_secret = send(PosSigner{good.key_id, "not-the-secret"}.headers("POST", path, body), body);
    EXPECT_EQ(code_of(wrong_secret), "SIGNATURE_INVALID");

    const auto stale = send(good.headers("POST", path, body, now_s() - 301), body);
    EXPECT_EQ(stale.status, 401);
    EXPECT_EQ(code_of(stale), "TIMESTAMP_SKEW");

    const auto unknown = send(PosSigner{"tk_unknown", "x"}.headers("POST", path, body), body);
    EXPECT_EQ(code_of(unknown), "KEY_UNKNOWN");

    const auto unsigned_request = http({"POST", server.url(path), body, {"Content-Type: application/json"}});
    EXPECT_EQ(unsigned_request.status, 401);
    EXPECT_EQ(code_of(unsigned_request), "SIGNATURE_INVALID");

    const auto headers = good.headers("POST", path, body, 0, "fixed-nonce-0123456789");
    const auto first = send(headers, body);
    EXPECT_EQ(first.status, 201) << first.body;
    const auto replayed_nonce = send(headers, body);
    EXPECT_EQ(replayed_nonce.status, 401);
    EXPECT_EQ(code_of(replayed_nonce), "NONCE_REUSED");

    // None of the refused requests earned anything: only the one good purchase did (1 point).
    const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance");
    EXPECT_EQ(json::parse(balance.body)["points"]["available"], 1);
}

// A purchase records its nonce in its own transaction; one that is refused records it afterwards,
// so that a refused request cannot be sent again either (and succeed once the card exists).
TEST_F(Access, ARefusedPurchaseUsesUpItsNonceToo) {
    const std::string path = "/v1/pos/purchases";
    const std::string unknown_card = purchase("901", "7001000000000004", 10000).dump();
    const auto headers = signer().headers("POST", path, unknown_card, 0, "refused-nonce-0123456789");
    const auto send = [&](const std::vector<std::string>& signed_headers, const std::string& body) {
        std::vector<std::string> sent = signed_headers;
        sent.push_back("Content-Type: application/json");
        return http({"POST", server.url(path), body, sent});
    };
    const auto refused = send(headers, unknown_card);
    EXPECT_EQ(code_of(refused), "CARD_NOT_FOUND") << refused.body;
    const auto again = send(headers, unknown_card);
    EXPECT_EQ(again.status, 401);
    EXPECT_EQ(code_of(again), "NONCE_REUSED");

    const std::string malformed = R"({"store": "S042", "lines": 7})";
    const auto bad_headers = signer().headers("POST", path, malformed, 0, "malformed-nonce-01234567");
    EXPECT_EQ(send(bad_headers, malformed).status, 422);
    EXPECT_EQ(code_of(send(bad_headers, malformed)), "NONCE_REUSED");
}

TEST_F(Access, ANonceStaysUsedAcrossARestart) {
    const std::string path = "/v1/cards/" + card(0);
    const auto headers = signer().headers("GET", path, "", 0, "restart-nonce-0123456789");
    EXPECT_EQ(http({"GET", server.url(path), "", headers}).status, 200);
    server.stop();
    PatrondProcess restarted(setup.environment(), setup.dir.path());
    const auto again = http({"GET", restarted.url(path), "", headers});
    EXPECT_EQ(again.status, 401);
    EXPECT_EQ(code_of(again), "NONCE_REUSED");
}

TEST_F(Access, CardLookupsTellMistypedUnknownAndBlockedApart) {
    EXPECT_EQ(code_of(pos("GET", "/v1/cards/7001000000000001")), "CARD_NUMBER_INVALID");
    const auto unknown = pos("GET", "/v1/cards/7001000000000004");  // Luhn-valid, never issued.
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(code_of(unknown), "CARD_NOT_FOUND");
}

}  // namespace
}  // namespace patron::testing
