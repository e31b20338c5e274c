// What patrond takes from the web build's directory: its regular files only (a symbolic link,
// say to /etc/passwd, is not served), each at its path under the prefix, with its gzip twin
// beside it rather than as a file of its own, and index.html also at the prefix.
#include "api/web_site.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace patron::api {
namespace {

namespace fs = std::filesystem;

class WebFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(dir / "assets");
        write("index.html", "<!doctype html><div id=\"app\"></div>");
        write("assets/index-4f2a.js", "console.log(1)");
        write("assets/index-4f2a.js.gz", "\x1f\x8bpacked");
    }
    void TearDown() override { fs::remove_all(dir); }
    void write(const std::string& name, const std::string& bytes) { std::ofstream(dir / name, std::ios::binary) << bytes; }
    const WebFile* find(const std::vector<WebFile>& files, const std::string& path) {
        for (const WebFile& file : files) {
            if (file.path == path) return &file;
        }
        return nullptr;
    }

    fs::path dir = fs::temp_directory_path() / ("patron-web-" + std::to_string(::getpid()));
};

TEST_F(WebFiles, OnlyTheBuildsRegularFilesAreServedWithTheirGzipTwins) {
    fs::create_symlink("/etc/passwd", dir / "passwd");
    const auto files = load_web_files(dir, "/portal");
    ASSERT_TRUE(files.has_value()) << files.error().message;
    EXPECT_EQ(files->size(), 3u) << "the page at the prefix and at index.html, and the script";
    EXPECT_EQ(find(*files, "/portal/passwd"), nullptr) << "a symbolic link is not followed";
    EXPECT_EQ(find(*files, "/portal/assets/index-4f2a.js.gz"), nullptr) << "a twin, not a file of its own";
    const WebFile* script = find(*files, "/portal/assets/index-4f2a.js");
    ASSERT_NE(script, nullptr);
    EXPECT_TRUE(script->immutable);
    EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
    ASSERT_TRUE(script->gzip.has_value());
    EXPECT_EQ(*script->gzip, "\x1f\x8bpacked");
    const WebFile* page = find(*files, "/portal");
    ASSERT_NE(page, nullptr);
    EXPECT_FALSE(page->immutable);
    EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
}

TEST_F(WebFiles, AMissingBuildOrOneWithoutItsPageIsRefusedAtStartUp) {
    EXPECT_FALSE(load_web_files(dir / "nothing", "/portal").has_value());
    fs::remove(dir / "index.html");
    const auto files = load_web_files(dir, "/portal");
    ASSERT_FALSE(files.has_value());
    EXPECT_NE(files.error().message.find("index.html"), std::string::npos);
}

// A page that keeps its own addresses (the console) is answered at them, one to three segments
// deep; an address with a dot, a capital or under a directory of the build is no such address.
TEST_F(WebFiles, AClientAddressIsAnsweredWithThePageAndNothingElseIs) {
    const auto files = load_web_files(dir, "/console");
    ASSERT_TRUE(files.has_value()) << files.error().message;
    const auto routes = client_routes(*files, "/console");
    ASSERT_EQ(routes.size(), kClientRouteDepthMax);
    EXPECT_EQ(routes[0].path, "/console/:segment1");
    EXPECT_EQ(routes[2].path, "/console/:segment1/:segment2/:segment3");
    const auto answer = [&routes](std::vector<std::string> segments) {
        HttpRequest request;
        for (std::size_t index = 0; index < segments.size(); ++index) {
            request.params["segment" + std::to_string(index + 1)] = segments[index];
        }
        return routes[segments.size() - 1].handler(request, {});
    };
    for (const auto& address : std::vector<std::vector<std::string>>{
             {"configure"}, {"members", "42"}, {"configure", "earn-rules", "spring-2"}}) {
        const auto page = answer(address);
        EXPECT_EQ(page.status, 200) << address[0];
        EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
        EXPECT_EQ(page.body, "<!doctype html><div id=\"app\"></div>");
    }
    for (const auto& address : std::vector<std::vector<std::string>>{
             {"assets"}, {"assets", "nothing-js"}, {"favicon.svg"}, {"Configure"}, {"members", "%2e%2e"}}) {
        EXPECT_EQ(answer(address).status, 404) << address.back();
    }
    EXPECT_TRUE(client_routes(*files, "/elsewhere").empty()) << "no page at that prefix";
}

}  // namespace
}  // namespace patron::api
