// The notifiers deliver a one-time code as one JSON document: the webhook notifier to a real
// HTTP server (Pistache on a free port), the file notifier as one line per message, mode 0600.
#include <gtest/gtest.h>
#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "notify/notifiers.h"

namespace patron::notify {
namespace {

using namespace Pistache;

service::OneTimeCodeMessage message() {
    return {"sms", "+989123456789", "123456", "activate", "DEMO", "fa", core::Timestamp{}};
}

class Gateway : public Http::Handler {
  public:
    HTTP_PROTOTYPE(Gateway)
    explicit Gateway(int status = 202) : status_(status) {}
    void onRequest(const Http::Request& request, Http::ResponseWriter response) override {
        {
            std::lock_guard lock(received_mutex());
            received().push_back(request.body());
        }
        response.send(static_cast<Http::Code>(status_));
    }
    static std::mutex& received_mutex() {
        static std::mutex mutex;
        return mutex;
    }
    static std::vector<std::string>& received() {
        static std::vector<std::string> bodies;
        return bodies;
    }

  private:
    int status_;
};

TEST(WebhookNotifier, PostsTheMessageAsJsonAndReportsAGatewayRefusal) {
    Http::Endpoint endpoint(Address(IP::loopback(), Port(0)));
    endpoint.init(Http::Endpoint::options().threads(1));
    endpoint.setHandler(Http::make_handler<Gateway>(202));
    endpoint.serveThreaded();
    const std::string url = "http://127.0.0.1:" + std::to_string(static_cast<std::uint16_t>(endpoint.getPort()));

    auto notifier = notifier_from_setting("webhook:" + url + "/codes").value();
    ASSERT_TRUE(notifier->send(message()).has_value());
    {
        std::lock_guard lock(Gateway::received_mutex());
        ASSERT_EQ(Gateway::received().size(), 1U);
        const nlohmann::json body = nlohmann::json::parse(Gateway::received()[0]);
        EXPECT_EQ(body["event"], "member.one_time_code");
        EXPECT_EQ(body["to"], "+989123456789");
        EXPECT_EQ(body["code"], "123456");
        EXPECT_EQ(body["language"], "fa");
    }
    endpoint.shutdown();

    Http::Endpoint refusing(Address(IP::loopback(), Port(0)));
    refusing.init(Http::Endpoint::options().threads(1));
    refusing.setHandler(Http::make_handler<Gateway>(503));
    refusing.serveThreaded();
    auto refused_notifier = notifier_from_setting("webhook:http://127.0.0.1:" +
                                                  std::to_string(static_cast<std::uint16_t>(refusing.getPort())))
                                .value();
    const auto refused = refused_notifier->send(message());
    refusing.shutdown();
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(refused.error().message, "the webhook answered HTTP 503") << "no content in the reason";
}

TEST(FileNotifier, AppendsOneJsonLinePerMessageToAPrivateFile) {
    const std::string dir = std::filesystem::temp_directory_path() / ("patron-notify-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/codes.jsonl";
    auto notifier = notifier_from_setting("file:" + path).value();
    ASSERT_TRUE(notifier->send(message()).has_value());
    ASSERT_TRUE(notifier->send(message()).has_value());
    std::ifstream file(path);
    int lines = 0;
    for (std::string line; std::getline(file, line); ++lines) EXPECT_EQ(nlohmann::json::parse(line)["code"], "123456");
    EXPECT_EQ(lines, 2);
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
    std::filesystem::remove_all(dir);
}

TEST(Notifiers, ASettingThatNamesNoneIsRefusedAndNoneConfiguredFailsToSend) {
    EXPECT_FALSE(notifier_from_setting("smtp://mail").has_value());
    EXPECT_FALSE(notifier_from_setting("webhook:ftp://x").has_value());
    auto none = notifier_from_setting("").value();
    EXPECT_EQ(none->send(message()).error().code, core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace patron::notify
