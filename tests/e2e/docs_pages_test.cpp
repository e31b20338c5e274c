// The API reference (web/docs: api/openapi.yaml shown by Swagger UI) as patrond serves it at /docs/:
// the portal's strict policy and caching, the contract beside the page, nothing else; then the
// page driven in Debian's Chromium by tests/browser/docs.test.mjs, against this patrond.
#include "tests/e2e/web_pages_fixture.h"

namespace patron::testing {
namespace {

class DocsPages : public WebPagesTest {};

TEST_F(DocsPages, ThePageComesWithAStrictPolicyAndIsNeverCached) {
    for (const char* path : {"/docs", "/docs/", "/docs/index.html"}) expect_page(path);
    EXPECT_EQ(header(get("/docs/"), "content-security-policy"), header(get("/portal/"), "content-security-policy"));
}

TEST_F(DocsPages, HashedAssetsAreCachedForGoodAndSentGzippedToWhoeverTakesIt) { expect_hashed_script("/docs"); }

// The page reads the contract from patrond itself, never cached (a new build is seen at once).
TEST_F(DocsPages, TheContractIsServedBesideThePage) {
    const auto contract = get("/docs/openapi.yaml");
    ASSERT_EQ(contract.status, 200);
    EXPECT_EQ(contract.body.substr(0, 15), "openapi: 3.1.0\n");
    EXPECT_EQ(header(contract, "cache-control"), "no-store");
    EXPECT_EQ(header(contract, "content-type"), "application/yaml");
    EXPECT_EQ(get("/docs/openapi.yaml", {"Accept-Encoding: gzip"}).body.substr(0, 2), "\x1f\x8b") << "gzip magic";
}

TEST_F(DocsPages, NothingButTheBuildsFilesIsReachable) {
    expect_nothing_else({"/docs/../v1/me", "/docs/%2e%2e/%2e%2e/etc/passwd", "/docs/assets/../../README.md",
                         "/docs/index.html.gz", "/docs/assets", "/docs/..%2f..%2fREADME.md", "/docs//etc/passwd",
                         "/docs/assets/nothing.js", "/docs/pos/post-v1-pos-purchases", "/docs/openapi.json"},
                        "/docs/");
}

// An integrator reads the reference at a desktop's and a phone's width (nothing blocked by the
// policy, nothing asked of another origin), opens an operation by its address and tries a staff
// call out against this patrond.
TEST_F(DocsPages, IntegratorsReadTheApiReferenceInChromium) {
    const auto run = run_browser_test("docs.test.mjs", "docs");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace patron::testing
