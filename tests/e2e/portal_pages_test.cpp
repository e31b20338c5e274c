// The member portal's pages as patrond serves them: only the files the web build wrote, with a
// strict Content-Security-Policy and caching that suits hashed assets; then the pages themselves
// driven in Debian's Chromium by tests/browser (playwright-core), against this patrond.
#include "tests/e2e/web_pages_fixture.h"

namespace patron::testing {
namespace {

class PortalPages : public WebPagesTest {};

TEST_F(PortalPages, ThePageComesWithAStrictPolicyAndIsNeverCached) {
    for (const char* path : {"/portal", "/portal/", "/portal/index.html"}) expect_page(path);
}

TEST_F(PortalPages, HashedAssetsAreCachedForGoodAndSentGzippedToWhoeverTakesIt) { expect_hashed_script("/portal"); }

TEST_F(PortalPages, NothingButTheBuildsFilesIsReachable) {
    expect_nothing_else({"/portal/../v1/me", "/portal/%2e%2e/%2e%2e/etc/passwd", "/portal/assets/../../README.md",
                         "/portal/index.html.gz", "/portal/assets", "/portal/..%2f..%2fREADME.md",
                         "/portal//etc/passwd", "/portal/assets/nothing.js"},
                        "/portal/");
}

TEST_F(PortalPages, AMemberUsesThePortalInChromium) {
    const auto run = run_browser_test("portal.test.mjs", "portal");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// A member's referral code and the friends she invited, before and after a friend's first purchase,
// in both languages; the friend's own welcome; paused terms.
TEST_F(PortalPages, AMemberInvitesFriendsInChromium) {
    const auto run = run_browser_test("portal_referrals.test.mjs", "portal");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// A member's prize draws: her entries from a purchase and a packaging code (a used and an unknown
// code refused), and a draw run after its close with its proof, in both languages.
TEST_F(PortalPages, AMemberEntersPrizeDrawsInChromium) {
    const auto run = run_browser_test("portal_draws.test.mjs", "portal");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// A programme in a currency whose decimals the browser's locale data get wrong (PKR: none there,
// two in ISO 4217): the pages use the exponent the API sends.
TEST_F(PortalPages, AProgrammeInRupeesShowsAndTakesItsPaisa) {
    const auto run = run_browser_test("portal_currency.test.mjs", "portal");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace patron::testing
