// The member portal's pages as patrond serves them: only the files the web build wrote, with a
// strict Content-Security-Policy and caching that suits hashed assets; then the pages themselves
// driven in Debian's Chromium by tests/browser (playwright-core), against this patrond.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

// The web build's output (scripts/test builds it before the tests run).
std::string web_dir() { return source_dir() + "/build/web"; }

std::map<std::string, std::string> with_web_pages(std::map<std::string, std::string> environment) {
    environment["PATRON_WEB_DIR"] = web_dir();
    return environment;
}

class PortalPages : public ::testing::Test {
  protected:
    HttpReply get(const std::string& path, std::vector<std::string> headers = {}) {
        return http({"GET", server.url(path), "", std::move(headers)});
    }
    std::string header(const HttpReply& reply, const std::string& name) {
        const auto found = reply.headers.find(name);
        return found == reply.headers.end() ? "" : found->second;
    }
    // The first script the page loads, as its path.
    std::string script_path() {
        const std::string page = get("/portal/").body;
        std::smatch found;
        EXPECT_TRUE(std::regex_search(page, found, std::regex(R"re(src="(/portal/assets/[^"]+\.js)")re"))) << page;
        return found.size() > 1 ? found[1].str() : "";
    }

    TestDatabase db{false};
    DemoSetup setup{db.url()};
    PatrondProcess server{with_web_pages(setup.environment()), setup.dir.path()};
};

TEST_F(PortalPages, ThePageComesWithAStrictPolicyAndIsNeverCached) {
    for (const char* path : {"/portal", "/portal/", "/portal/index.html"}) {
        const auto page = get(path);
        ASSERT_EQ(page.status, 200) << path;
        EXPECT_EQ(header(page, "content-type"), "text/html; charset=utf-8");
        EXPECT_EQ(header(page, "cache-control"), "no-store");
        const std::string policy = header(page, "content-security-policy");
        EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
        EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
        EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
        EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
        EXPECT_EQ(header(page, "x-content-type-options"), "nosniff");
        EXPECT_NE(page.body.find("<div id=\"app\">"), std::string::npos);
        EXPECT_EQ(page.body.find("<script>"), std::string::npos) << "no inline script";
    }
}

TEST_F(PortalPages, HashedAssetsAreCachedForGoodAndSentGzippedToWhoeverTakesIt) {
    const std::string script = script_path();
    ASSERT_FALSE(script.empty());
    const auto plain = get(script);
    ASSERT_EQ(plain.status, 200);
    EXPECT_EQ(header(plain, "content-type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(header(plain, "cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(header(plain, "content-encoding"), "");
    const auto packed = get(script, {"Accept-Encoding: gzip, br"});
    ASSERT_EQ(packed.status, 200);
    EXPECT_EQ(header(packed, "content-encoding"), "gzip");
    EXPECT_EQ(header(packed, "vary"), "Accept-Encoding");
    EXPECT_LT(packed.body.size(), plain.body.size() / 2);
    EXPECT_EQ(packed.body.substr(0, 2), "\x1f\x8b") << "gzip magic";
}

TEST_F(PortalPages, NothingButTheBuildsFilesIsReachable) {
    for (const char* path : {"/portal/../v1/me", "/portal/%2e%2e/%2e%2e/etc/passwd", "/portal/assets/../../README.md",
                             "/portal/index.html.gz", "/portal/assets", "/portal/..%2f..%2fREADME.md",
                             "/portal//etc/passwd", "/portal/assets/nothing.js"}) {
        const auto reply = get(path);
        EXPECT_EQ(reply.status, 404) << path << ": " << reply.body.substr(0, 200);
        EXPECT_EQ(code_of(reply), "NOT_FOUND") << path;
    }
    const auto post = http({"POST", server.url("/portal/"), "x", {"Content-Type: text/plain"}});
    EXPECT_EQ(post.status, 405);
}

TEST_F(PortalPages, AMemberUsesThePortalInChromium) {
    const std::string demo_file = setup.dir.path() + "/demo.json";
    std::ofstream(demo_file) << setup.demo.dump();
    const char* artefacts = std::getenv("PATRON_ARTEFACTS");
    const std::string screenshots =
        (artefacts != nullptr ? std::string(artefacts) : source_dir() + "/build/artefacts") + "/portal";
    const auto run = run_command(
        {"/usr/bin/env", "node", "--test", "--test-reporter=spec", source_dir() + "/tests/browser/portal.test.mjs"},
        {{"PATRON_URL", server.url("")},
         {"PATRON_DEMO", demo_file},
         {"PATRON_NOTIFICATIONS", setup.notifications_file()},
         {"PATRON_SCREENSHOTS", screenshots}});
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace patron::testing
