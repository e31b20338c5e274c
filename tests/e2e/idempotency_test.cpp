// The Idempotency-Key header on POS writes, through a real patrond: the same key and body answer
// as the first time, byte for byte, without applying again; the same key with another body is
// IDEMPOTENCY_CONFLICT; racing identical requests apply once.
#include <soci/soci.h>

#include <future>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class IdempotencyOverHttp : public PatrondTest {
  protected:
    HttpReply keyed(const std::string& path, const std::string& body, const std::string& key) {
        std::vector<std::string> headers = signer().headers("POST", path, body);
        headers.push_back("Content-Type: application/json");
        headers.push_back("Idempotency-Key: " + key);
        return http({"POST", server.url(path), body, headers});
    }
    long long purchases() {
        long long count = 0;
        db.raw() << "SELECT COUNT(*) FROM purchases", soci::into(count);
        return count;
    }
};

TEST_F(IdempotencyOverHttp, TheSameKeyAnswersAsBeforeAndAnotherBodyConflicts) {
    const std::string body = purchase("P-1", card(0), 900000).dump();
    const auto first = keyed("/v1/pos/purchases", body, "till-7-000123");
    ASSERT_EQ(first.status, 201) << first.body;
    const auto again = keyed("/v1/pos/purchases", body, "till-7-000123");
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.headers.at("idempotent-replayed"), "true");

    // Another receipt under the same key: the till reused a key by mistake.
    const auto conflict = keyed("/v1/pos/purchases", purchase("P-2", card(0), 100000).dump(), "till-7-000123");
    EXPECT_EQ(conflict.status, 409);
    EXPECT_EQ(json::parse(conflict.body)["error"]["code"], "IDEMPOTENCY_CONFLICT");
    EXPECT_EQ(json::parse(conflict.body)["error"]["field"], "Idempotency-Key");
    EXPECT_EQ(purchases(), 1);

    // Returns take keys too, from the same space.
    const json back = return_of("R-1", "P-1", {{{"line", 1}, {"quantity", 1}}});
    const auto returned = keyed("/v1/pos/returns", back.dump(), "till-7-000124");
    ASSERT_EQ(returned.status, 201) << returned.body;
    EXPECT_EQ(keyed("/v1/pos/returns", back.dump(), "till-7-000124").body, returned.body);
    EXPECT_EQ(keyed("/v1/pos/returns", back.dump(), "till-7-000123").status, 409);
}

TEST_F(IdempotencyOverHttp, TwentyRacingIdenticalCommitsApplyOnce) {
    const std::string body = purchase("P-1", card(0), 900000).dump();
    std::vector<std::future<HttpReply>> racers;
    for (int i = 0; i < 20; ++i) {
        racers.push_back(std::async(std::launch::async, [&] { return keyed("/v1/pos/purchases", body, "race-1"); }));
    }
    std::set<std::string> bodies;
    for (auto& racer : racers) {
        const HttpReply reply = racer.get();
        EXPECT_EQ(reply.status, 201) << reply.body;
        bodies.insert(reply.body);
    }
    EXPECT_EQ(bodies.size(), 1u) << "every racer got the winner's answer";
    EXPECT_EQ(purchases(), 1);
    const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance");
    EXPECT_EQ(json::parse(balance.body)["points"]["available"], 90);
}

}  // namespace
}  // namespace patron::testing
