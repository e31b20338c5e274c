// The event bodies patrond really delivers to a webhook subscriber, each checked against the JSON
// Schema api/openapi.yaml documents for its type under `webhooks:`, with the headers documented
// there and its signature, by tests/browser/webhook_schemas.test.mjs (node, ajv; no Chromium): a
// receiver on loopback subscribed to every type, and the events caused through the API. The demo's
// environment lets patrond post to loopback (PATRON_WEBHOOK_PRIVATE_RECEIVERS=yes) and runs its
// dispatcher (PATRON_WEBHOOKS defaults to yes). points_expiring comes from patrond's minute job,
// so the test takes a little over a minute.
#include "tests/e2e/web_pages_fixture.h"

namespace patron::testing {
namespace {

class WebhookSchemas : public WebPagesTest {};

TEST_F(WebhookSchemas, EveryBodyDeliveredMatchesItsDocumentedSchema) {
    std::map<std::string, std::string> environment;
    environment["PATRON_SOURCE_DIR"] = source_dir();
    const auto run = run_browser_test("webhook_schemas.test.mjs", "webhook_schemas", environment);
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace patron::testing
