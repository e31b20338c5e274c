// Webhooks through a real patrond (issue 21): an admin subscribes over HTTP and sees the secret
// once; a till's purchase reaches the receiver signed; support reads the deliveries, a marketer
// nothing; bad subscriptions are refused naming the field; and an event committed while the
// receiver is down is delivered by the next patrond after a restart.
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace patron::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class WebhooksOverHttp : public PatrondTest {
  protected:
    json subscribe(const std::vector<std::string>& types) {
        const auto made = staff("POST", "/v1/webhooks",
                                json{{"url", receiver.url()}, {"event_types", types}, {"description", "CRM"}}.dump());
        EXPECT_EQ(made.status, 201) << made.body;
        return json::parse(made.body, nullptr, false);
    }
    HttpReply sell(const std::string& receipt) {
        return pos("POST", "/v1/pos/purchases", purchase(receipt, card(0), 450000).dump());
    }
    WebhookReceiver receiver;
};

TEST_F(WebhooksOverHttp, ATillsPurchaseReachesTheSubscribedReceiverSignedAndTheSecretIsShownOnce) {
    const json webhook = subscribe({"purchase_committed"});
    const std::string secret = webhook.value("secret", "");
    ASSERT_TRUE(secret.starts_with("whsec_"));
    const std::string path = "/v1/webhooks/" + std::to_string(webhook["id"].get<long long>());
    const auto read = staff("GET", path);
    ASSERT_EQ(read.status, 200);
    EXPECT_FALSE(json::parse(read.body).contains("secret"));
    EXPECT_EQ(json::parse(read.body)["event_types"], json({"purchase_committed"}));
    EXPECT_EQ(staff("GET", "/v1/webhooks").body.find(secret.substr(6)), std::string::npos);

    const auto sold = sell("WH-1");
    ASSERT_EQ(sold.status, 201) << sold.body;
    ASSERT_TRUE(receiver.wait_for(1, 10s)) << server.log();
    const ReceivedDelivery delivery = receiver.received()[0];
    EXPECT_TRUE(WebhookReceiver::signature_holds(delivery, secret));
    const json body = json::parse(delivery.body);
    EXPECT_EQ(body["type"], "purchase_committed");
    EXPECT_EQ(body["member_id"], member_id(0));
    EXPECT_EQ(body["data"]["receipt"], "WH-1");
    EXPECT_EQ(body["data"]["purchase_id"], json::parse(sold.body)["purchase_id"]);

    // Support reads the deliveries and their attempts; a marketer does not; neither subscribes.
    const std::string support = staff_user("support");
    json deliveries;
    for (int i = 0; i < 50; ++i) {  // The attempt is written just after the receiver answers.
        deliveries = json::parse(staff("GET", path + "/deliveries", "", support).body);
        if (deliveries["deliveries"].size() == 1 && deliveries["deliveries"][0]["state"] == "delivered") break;
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(deliveries["deliveries"].size(), 1u) << deliveries;
    EXPECT_EQ(deliveries["deliveries"][0]["state"], "delivered");
    EXPECT_EQ(deliveries["deliveries"][0]["event_id"], body["id"]);
    const std::string one = path + "/deliveries/" + std::to_string(deliveries["deliveries"][0]["id"].get<long long>());
    const json detail = json::parse(staff("GET", one, "", support).body);
    ASSERT_EQ(detail["tries"].size(), 1u);
    EXPECT_EQ(detail["tries"][0]["status"], 200);
    EXPECT_EQ(staff("POST", "/v1/webhooks", R"({"url":"https://a.example","event_types":["*"]})", support).status, 403);
    EXPECT_EQ(staff("GET", "/v1/webhooks", "", staff_user("marketer")).status, 403);
    EXPECT_TRUE(refused(staff("POST", one + "/replay"), 422, "delivery")) << "not dead";
    EXPECT_TRUE(refused(staff("GET", "/v1/webhooks/999999"), 404, "id"));

    // Paused, then changed back.
    const auto paused = staff("PATCH", path, R"({"state":"paused"})");
    ASSERT_EQ(paused.status, 200) << paused.body;
    EXPECT_EQ(json::parse(paused.body)["state"], "paused");
    EXPECT_EQ(json::parse(paused.body)["url"], receiver.url()) << "what was not sent stays";
}

TEST_F(WebhooksOverHttp, ASubscriptionThatIsNotWellFormedIsRefusedNamingTheFieldAndNothingIsMade) {
    EXPECT_TRUE(refused(staff("POST", "/v1/webhooks", R"({"url":"ftp://a.example","event_types":["*"]})"), 422, "url"));
    EXPECT_TRUE(
        refused(staff("POST", "/v1/webhooks", R"({"url":"https://u:p@a.example","event_types":["*"]})"), 422, "url"));
    EXPECT_TRUE(refused(staff("POST", "/v1/webhooks", R"({"url":"https://a.example","event_types":["nope"]})"), 422,
                        "event_types[0]"));
    EXPECT_TRUE(refused(staff("POST", "/v1/webhooks", R"({"url":"https://a.example"})"), 422, "event_types"));
    EXPECT_TRUE(
        refused(staff("POST", "/v1/webhooks", R"({"url":"https://a.example","event_types":["*"],"x":1})"), 422, "x"));
    EXPECT_TRUE(refused(staff("PATCH", "/v1/webhooks/abc", R"({"state":"paused"})"), 404, "id"));
    EXPECT_EQ(db.count("webhook_subscriptions"), 0);

    EXPECT_EQ(db.count("webhook_subscriptions"), 0);
}

TEST_F(WebhooksOverHttp, AnAdminDeletesASubscriptionAndNothingMoreIsSentToIt) {
    const json webhook = subscribe({"purchase_committed"});
    const std::string path = "/v1/webhooks/" + std::to_string(webhook["id"].get<long long>());
    ASSERT_EQ(sell("WH-D1").status, 201);
    ASSERT_TRUE(receiver.wait_for(1, 10s)) << server.log();
    EXPECT_EQ(staff("DELETE", path, "", staff_user("support")).status, 403);
    const auto deleted = staff("DELETE", path);
    EXPECT_EQ(deleted.status, 204) << deleted.body;
    EXPECT_TRUE(deleted.body.empty());
    EXPECT_TRUE(refused(staff("GET", path), 404, "id"));
    EXPECT_TRUE(refused(staff("DELETE", path), 404, "id"));
    EXPECT_EQ(json::parse(staff("GET", "/v1/webhooks").body)["webhooks"].size(), 0u);
    ASSERT_EQ(sell("WH-D2").status, 201);
    std::this_thread::sleep_for(1500ms);  // The dispatcher's rounds: a few in this time.
    EXPECT_EQ(receiver.count(), 1u) << "nothing after the deletion";
}

TEST_F(WebhooksOverHttp, AnEventCommittedWhileTheReceiverIsDownIsDeliveredByTheNextPatrondAfterARestart) {
    const json webhook = subscribe({"purchase_committed"});
    const std::string secret = webhook["secret"];
    std::atomic<bool> down = true;
    receiver.answer_with([&](const ReceivedDelivery&, int) { return down ? 503 : 200; });
    ASSERT_EQ(sell("WH-2").status, 201);
    ASSERT_TRUE(receiver.wait_for(1, 10s)) << "tried once while the receiver is down\n" << server.log();
    ASSERT_EQ(server.stop(), 0);
    const std::size_t tried = receiver.count();
    down = false;

    PatrondProcess restarted(setup.environment(), setup.dir.path());
    ASSERT_TRUE(receiver.wait_for(tried + 1, 15s)) << restarted.log();
    const ReceivedDelivery delivery = receiver.received().back();
    EXPECT_TRUE(WebhookReceiver::signature_holds(delivery, secret));
    EXPECT_EQ(json::parse(delivery.body)["data"]["receipt"], "WH-2");
    EXPECT_GT(std::stoi(delivery.header("patron-attempt")), 1);
    EXPECT_EQ(restarted.stop(), 0);
}

TEST_F(WebhooksOverHttp, TheSigningSecretIsSealedAgainByAMasterKeyRotationAndStillSignsOnceTheOldKeyIsRetired) {
    const json webhook = subscribe({"purchase_committed"});
    const std::string secret = webhook["secret"];
    const auto rotated = run_command({patronctl_path(), "keys", "rotate"}, setup.environment());
    ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
    EXPECT_NE(rotated.output.find("1 webhook secrets and 0 prize draw seeds under mk2"), std::string::npos)
        << rotated.output;
    ASSERT_EQ(run_command({patronctl_path(), "keys", "retire", "mk1"}, setup.environment()).exit_code, 0);
    ASSERT_EQ(server.stop(), 0);

    PatrondProcess fresh(setup.environment(), setup.dir.path());  // Knows mk2 alone.
    const std::string body = purchase("WH-3", card(0), 450000).dump();
    std::vector<std::string> headers = signer().headers("POST", "/v1/pos/purchases", body);
    headers.push_back("Content-Type: application/json");
    ASSERT_EQ(http({"POST", fresh.url("/v1/pos/purchases"), body, headers}).status, 201);
    ASSERT_TRUE(receiver.wait_for(1, 10s)) << fresh.log();
    EXPECT_TRUE(WebhookReceiver::signature_holds(receiver.received()[0], secret)) << "the secret shown at first";
}

}  // namespace
}  // namespace patron::testing
