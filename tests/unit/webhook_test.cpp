// Webhooks without a database or network: the subscription documents admins send, the envelope a
// receiver gets, the retry schedule, and the signature recipe of docs/events.md, whose worked
// example is read from the document itself (computed independently with the openssl command line).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "loyalty/core/webhooks.h"
#include "notify/webhook_signature.h"
#include "tests/support/build_paths.h"

namespace patron {
namespace {

using nlohmann::json;

core::Result<core::WebhookRequest> decode(const std::string& text, bool creating = true) {
    return core::decode_webhook_request(json::parse(text), creating);
}

std::string refused_field(const std::string& text, bool creating = true) {
    const auto decoded = decode(text, creating);
    if (decoded) return "(taken)";
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kValidationFailed) << text;
    return decoded.error().field;
}

TEST(WebhookRequests, ASubscriptionNeedsAnAddressAndTheTypesItWants) {
    const auto taken = decode(
        R"({"url":"https://crm.example.com/patron?tenant=4","event_types":["purchase_committed","member_enrolled"],
                   "description":"CRM","state":"paused"})");
    ASSERT_TRUE(taken.has_value()) << taken.error().message;
    EXPECT_EQ(*taken->url, "https://crm.example.com/patron?tenant=4");
    EXPECT_EQ(*taken->event_types, (std::vector<std::string>{"member_enrolled", "purchase_committed"})) << "sorted";
    EXPECT_EQ(*taken->description, "CRM");
    EXPECT_EQ(*taken->state, core::WebhookState::kPaused);

    const auto all = decode(R"({"url":"http://127.0.0.1:9000/hook","event_types":["*"]})");
    ASSERT_TRUE(all.has_value());
    EXPECT_TRUE(core::wants_event(*all->event_types, "points_adjusted"));
    EXPECT_TRUE(core::wants_event(*all->event_types, "a_type_added_later"));
    EXPECT_FALSE(core::wants_event(*taken->event_types, "points_adjusted"));
    EXPECT_TRUE(core::wants_event(*taken->event_types, "member_enrolled"));

    EXPECT_EQ(refused_field(R"({"event_types":["*"]})"), "url");
    EXPECT_EQ(refused_field(R"({"url":"https://a.example"})"), "event_types");
    const auto change = decode(R"({"state":"active"})", false);
    ASSERT_TRUE(change.has_value()) << "a change sends only what changes";
    EXPECT_FALSE(change->url.has_value());
}

TEST(WebhookRequests, AnAddressThatIsNotAPlainHttpUrlIsRefusedNamingTheField) {
    for (const char* url : {"", "ftp://example.com/x", "example.com/hook", "https://", "https://:443/x",
                            "https://user:secret@example.com/hook", "https://example.com/hook#part",
                            "https://example.com/a b", "https://exämple.com/", "javascript:alert(1)"}) {
        EXPECT_EQ(refused_field(json{{"url", url}, {"event_types", {"*"}}}.dump()), "url") << url;
    }
    EXPECT_EQ(
        refused_field(json{{"url", "https://example.com/" + std::string(2000, 'a')}, {"event_types", {"*"}}}.dump()),
        "url");
    EXPECT_EQ(refused_field(R"({"url":42,"event_types":["*"]})"), "url");
    EXPECT_EQ(refused_field(R"({"url":"HTTPS://Example.com/Hook","event_types":["*"]})"), "(taken)");
}

TEST(WebhookRequests, EventTypesMustBeKnownDistinctAndStarStandsAlone) {
    const auto field = [](const std::string& types) {
        return refused_field(R"({"url":"https://a.example/h","event_types":)" + types + "}");
    };
    EXPECT_EQ(field("[]"), "event_types");
    EXPECT_EQ(field(R"("*")"), "event_types");
    EXPECT_EQ(field(R"(["purchase_committed","points_expired"])"), "(taken)");
    EXPECT_EQ(field(R"(["purchase_committed","fraud_signal_raised"])"), "(taken)");
    EXPECT_EQ(field(R"(["purchase_committed","points_gifted"])"), "event_types[1]") << "no such event";
    EXPECT_EQ(field(R"(["purchase_committed","Points_Expired"])"), "event_types[1]") << "spelt exactly";
    EXPECT_EQ(field(R"(["member_enrolled",7])"), "event_types[1]");
    EXPECT_EQ(field(R"(["member_enrolled","member_enrolled"])"), "event_types[1]");
    EXPECT_EQ(field(R"(["*","member_enrolled"])"), "event_types");
    EXPECT_EQ(refused_field(R"({"url":"https://a.example/h","event_types":["*"],"secret":"mine"})"), "secret")
        << "a misspelt or unknown field is refused, not ignored";
    EXPECT_EQ(refused_field(R"({"url":"https://a.example/h","event_types":["*"],"state":"on"})"), "state");
    EXPECT_EQ(refused_field(
                  json{{"url", "https://a.example/h"}, {"event_types", {"*"}}, {"description", std::string(201, 'x')}}
                      .dump()),
              "description");
    EXPECT_EQ(refused_field("[]"), "$");
}

// Event 1042: 500 points staff gave member 7 of programme 1, at `at`.
core::EventEnvelope adjustment(long long at) {
    core::EventEnvelope event;
    event.id = 1042;
    event.type = "points_adjusted";
    event.program_id = 1;
    event.member_id = 7;
    event.occurred_at = core::Timestamp(std::chrono::seconds(at));
    event.data = R"({"member_id":7,"points":500,"points_available":1740,"transfer_id":311})";
    return event;
}

TEST(WebhookEnvelope, IsTheDocumentedFieldsInTheirOrderWithTheDataAsStored) {
    core::EventEnvelope event = adjustment(1764687600);
    EXPECT_EQ(core::webhook_body(event),
              R"({"id":1042,"type":"points_adjusted","version":1,"program_id":1,"member_id":7,)"
              R"("occurred_at":"2025-12-02T15:00:00.000000Z",)"
              R"("data":{"member_id":7,"points":500,"points_available":1740,"transfer_id":311}})");
    event.member_id.reset();
    EXPECT_NE(core::webhook_body(event).find(R"("member_id":null)"), std::string::npos);
}

TEST(WebhookRetries, DoubleFromTheFirstWaitUpToTheLongestJitteredWithinHalfAndWholeThenGiveUp) {
    const core::RetryPolicy policy;  // 30 s, doubling, at most an hour, for a day.
    EXPECT_EQ(core::retry_delay(policy, 1, 1.0), std::chrono::seconds(30));
    EXPECT_EQ(core::retry_delay(policy, 1, 0.0), std::chrono::seconds(15));
    EXPECT_EQ(core::retry_delay(policy, 2, 1.0), std::chrono::seconds(60));
    EXPECT_EQ(core::retry_delay(policy, 5, 1.0), std::chrono::seconds(480));
    EXPECT_EQ(core::retry_delay(policy, 8, 1.0), std::chrono::hours(1)) << "3,840 s capped";
    EXPECT_EQ(core::retry_delay(policy, 400, 1.0), std::chrono::hours(1)) << "no overflow however many";
    EXPECT_EQ(core::retry_delay(policy, 400, 0.5), std::chrono::minutes(45));
    // Tried for at least 24 hours: the tries of a receiver that never answers, at the slowest jitter.
    const core::Timestamp first(std::chrono::seconds(1764687600));
    core::Timestamp at = first;
    int tries = 1;
    while (!core::gives_up(policy, first, at)) {
        at += core::retry_delay(policy, tries, 1.0);
        ++tries;
    }
    EXPECT_GE(at - first, std::chrono::hours(24));
    EXPECT_LT(at - first, std::chrono::hours(25));
    EXPECT_EQ(tries, 31) << "7 doublings, then hourly for the rest of the day";
}

// docs/events.md's worked example, read from the document, so that what receivers copy and this
// test cannot drift apart.
TEST(WebhookSignature, TheDocumentedWorkedExampleHolds) {
    std::ifstream file(patron::testing::source_dir() + "/docs/events.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    const std::size_t section = doc.find("### Verifying a delivery");
    ASSERT_NE(section, std::string::npos);
    const std::string example = doc.substr(section, doc.find("\n### ", section + 4) - section);
    std::smatch found;
    ASSERT_TRUE(
        std::regex_search(example, found, std::regex("\nsecret='([^']+)'\ntimestamp='([0-9]+)'\nbody='([^']+)'\n")));
    const std::string secret = found[1], timestamp = found[2], body = found[3];
    ASSERT_TRUE(std::regex_search(example, found, std::regex("\n# ([0-9a-f]{64})\n")));
    const std::string printed = found[1];
    EXPECT_EQ(notify::webhook_signature(secret, timestamp, body), "v1=" + printed);
    EXPECT_NE(example.find("Patron-Signature: v1=" + printed), std::string::npos);
    EXPECT_EQ(notify::webhook_signed_text(timestamp, body), timestamp + "." + body);

    // The body is the envelope Patron writes for such an event.
    EXPECT_EQ(core::webhook_body(adjustment(1796223600)), body);
    EXPECT_NE(notify::webhook_signature(secret, std::to_string(1796223661), body), "v1=" + printed);
}

}  // namespace
}  // namespace patron
