// A patrond serving the web build (build/web, which scripts/test builds before the tests run)
// beside the demo programme, with what the tests of the portal, the console and the API reference
// all check: the page's headers, and the page driven in Debian's Chromium by a test file of
// tests/browser.
#pragma once

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {

class WebPagesTest : public ::testing::Test {
  protected:
    static std::map<std::string, std::string> with_web_pages(std::map<std::string, std::string> environment) {
        environment["PATRON_WEB_DIR"] = source_dir() + "/build/web";
        return environment;
    }
    HttpReply get(const std::string& path, std::vector<std::string> headers = {}) {
        return http({"GET", server.url(path), "", std::move(headers)});
    }
    std::string header(const HttpReply& reply, const std::string& name) {
        const auto found = reply.headers.find(name);
        return found == reply.headers.end() ? "" : found->second;
    }
    // The page itself at `path`: never cached, under a strict policy, no inline script.
    void expect_page(const std::string& path) {
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
    // The first script the page at `prefix` ("/portal") loads, as its path.
    std::string script_path(const std::string& prefix) {
        const std::string page = get(prefix + "/").body;
        std::smatch found;
        EXPECT_TRUE(std::regex_search(page, found, std::regex("src=\"(" + prefix + "/assets/[^\"]+\\.js)\""))) << page;
        return found.size() > 1 ? found[1].str() : "";
    }
    // The page's first script: cached for good, and gzipped for whoever takes it.
    void expect_hashed_script(const std::string& prefix) {
        const std::string script = script_path(prefix);
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
    // Each of `paths` is 404; `page` (a page's address) takes nothing but GET.
    void expect_nothing_else(const std::vector<std::string>& paths, const std::string& page) {
        for (const std::string& path : paths) {
            const auto reply = get(path);
            EXPECT_EQ(reply.status, 404) << path << ": " << reply.body.substr(0, 200);
            EXPECT_EQ(code_of(reply), "NOT_FOUND") << path;
        }
        EXPECT_EQ(http({"POST", server.url(page), "x", {"Content-Type: text/plain"}}).status, 405) << page;
    }
    // Runs tests/browser/FILE against this patrond, with `environment` besides; its screenshots go
    // to the artefacts' `site`.
    CommandResult run_browser_test(const std::string& file, const std::string& site,
                                   std::map<std::string, std::string> environment = {}) {
        const std::string demo_file = setup.dir.path() + "/demo.json";
        std::ofstream(demo_file) << setup.demo.dump();
        const char* artefacts = std::getenv("PATRON_ARTEFACTS");
        const std::string screenshots =
            (artefacts != nullptr ? std::string(artefacts) : source_dir() + "/build/artefacts") + "/" + site;
        environment.insert({{"PATRON_URL", server.url("")},
                            {"PATRON_DEMO", demo_file},
                            {"PATRON_NOTIFICATIONS", setup.notifications_file()},
                            {"PATRON_SCREENSHOTS", screenshots}});
        return run_command(
            {"/usr/bin/env", "node", "--test", "--test-reporter=spec", source_dir() + "/tests/browser/" + file},
            environment);
    }

    TestDatabase db{false};
    DemoSetup setup{db.url()};
    PatrondProcess server{with_web_pages(setup.environment()), setup.dir.path()};
};

}  // namespace patron::testing
