// The staff console's pages as patrond serves them: the build's files under the same strict
// policy and caching as the portal's, and the console's own addresses (/console/configure)
// answered with its page so a reload or a bookmark works, while a missing file stays 404; then
// the console driven in Debian's Chromium by tests/browser/console.test.mjs (and each section's
// screens by console_SECTION.test.mjs), against this patrond.
#include "tests/e2e/web_pages_fixture.h"

namespace patron::testing {
namespace {

class ConsolePages : public WebPagesTest {};

TEST_F(ConsolePages, ThePageComesWithAStrictPolicyAndIsNeverCached) {
    for (const char* path : {"/console", "/console/", "/console/index.html"}) expect_page(path);
}

TEST_F(ConsolePages, TheConsolesOwnAddressesAnswerItsPage) {
    const std::string page = get("/console/").body;
    for (const char* path : {"/console/configure", "/console/members/", "/console/configure/earn-rules/12",
                             "/console/no-such-section", "/console/configure/stores/S001",
                             "/console/configure/rules/happy_hour.v2~1", "/console/configure/rules/Happy%20hour",
                             "/console/configure/rules/%D8%AC%D8%B4%D9%86", "/console/configure/rules/a(1)!"}) {
        expect_page(path);
        EXPECT_EQ(get(path).body, page) << path;
    }
}

TEST_F(ConsolePages, HashedAssetsAreCachedForGoodAndSentGzippedToWhoeverTakesIt) { expect_hashed_script("/console"); }

TEST_F(ConsolePages, AMissingFileIsNoAddressOfTheConsole) {
    expect_nothing_else(
        {"/console/assets", "/console/assets/nothing.js", "/console/nothing.js", "/console/Configure",
         "/console/%2e%2e", "/console/..%2f..%2fREADME.md", "/console/a/b/c/d", "/console/index.html.gz",
         "/console/../v1/members", "/console/configure/..", "/console/configure/%41", "/console/Configure/rules",
         "/console/configure/a%2Fb", "/console/configure/%2e%2e", "/console/configure/a%00", "/console/configure/a%5c",
         "/console/configure/a%4", "/console/configure/a%zz", "/console/configure/a%"},
        "/console/configure");
}

TEST_F(ConsolePages, StaffUseTheConsoleInChromium) {
    const auto run = run_browser_test("console.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST_F(ConsolePages, MarketersConfigureTheProgrammeInChromium) {
    const auto run = run_browser_test("console_configure.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// Triggers made in the form, fired by purchases at the till (patrond decides them every few
// seconds), paused, resumed and ended.
TEST_F(ConsolePages, MarketersSetTriggersInChromium) {
    const auto run = run_browser_test("console_triggers.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// The fraud policy set in its form, signals raised by signed purchases at the till, released by an
// admin, read by an analyst and confirmed by support.
TEST_F(ConsolePages, SupportReviewsFraudSignalsInChromium) {
    const auto run = run_browser_test("console_fraud.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// Referral terms set in their form; a friend enrolled with a member's code, and her first purchase,
// shown on both members' pages.
TEST_F(ConsolePages, MarketersSetReferralTermsInChromium) {
    const auto run = run_browser_test("console_referrals.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// A prize draw made in its form (a bad window refused by its field), published with its
// commitment, and packaging codes made and downloaded.
TEST_F(ConsolePages, MarketersRunPrizeDrawsInChromium) {
    const auto run = run_browser_test("console_draws.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST_F(ConsolePages, SupportLooksAfterMembersInChromium) {
    const auto run = run_browser_test("console_members.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST_F(ConsolePages, AdminsLookAfterStaffAndReadTheAuditLogInChromium) {
    const auto run = run_browser_test("console_staff.test.mjs", "console");
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

// The dashboard's figures against `patronctl verify`'s, which the browser test runs against this
// patrond's database.
TEST_F(ConsolePages, AnalystsReadTheDashboardInChromium) {
    auto environment = setup.environment();
    environment["PATRONCTL"] = patronctl_path();
    const auto run = run_browser_test("console_dashboard.test.mjs", "console", environment);
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace patron::testing
