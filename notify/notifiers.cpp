#include "notify/notifiers.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <mutex>
#include <nlohmann/json.hpp>

namespace patron::notify {
namespace {

using core::ErrorCode;
using core::fail;

class FileNotifier final : public service::Notifier {
  public:
    explicit FileNotifier(std::string path) : path_(std::move(path)) {}

    core::Result<void> send(const service::OneTimeCodeMessage& message) override {
        return append(message_json(message));
    }
    core::Result<void> send(const service::MemberMessage& message) override { return append(message_json(message)); }

  private:
    core::Result<void> append(const std::string& document) {
        const std::string line = document + "\n";
        std::lock_guard lock(mutex_);
        const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd < 0) return fail(ErrorCode::kUnavailable, "the notification file cannot be opened");
        const bool whole = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
        ::close(fd);
        if (!whole) return fail(ErrorCode::kUnavailable, "the notification file cannot be written");
        return {};
    }

    std::string path_;
    std::mutex mutex_;
};

class WebhookNotifier final : public service::Notifier {
  public:
    explicit WebhookNotifier(std::string url) : url_(std::move(url)) {}

    core::Result<void> send(const service::OneTimeCodeMessage& message) override { return post(message_json(message)); }
    core::Result<void> send(const service::MemberMessage& message) override { return post(message_json(message)); }

  private:
    core::Result<void> post(const std::string& body) {
        CURL* curl = curl_easy_init();
        if (curl == nullptr) return fail(ErrorCode::kUnavailable, "the webhook client cannot start");
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(
            curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) {
                return size * count;  // The gateway's answer body is not needed.
            });
        const CURLcode result = curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        if (result != CURLE_OK) {
            return fail(ErrorCode::kUnavailable,
                        std::string("the webhook did not answer: ") + curl_easy_strerror(result));
        }
        if (status < 200 || status > 299) {
            return fail(ErrorCode::kUnavailable, "the webhook answered HTTP " + std::to_string(status));
        }
        return {};
    }

    std::string url_;
};

class NoNotifier final : public service::Notifier {
  public:
    core::Result<void> send(const service::OneTimeCodeMessage&) override { return none(); }
    core::Result<void> send(const service::MemberMessage&) override { return none(); }
    bool configured() const override { return false; }

  private:
    static core::Result<void> none() {
        return fail(ErrorCode::kUnavailable, "no notifier is configured (PATRON_NOTIFY)");
    }
};

}  // namespace

std::string message_json(const service::OneTimeCodeMessage& message) {
    return nlohmann::json{{"event", "member.one_time_code"},
                          {"channel", message.channel},
                          {"to", message.to},
                          {"code", message.code},
                          {"purpose", message.purpose},
                          {"program", message.program},
                          {"language", message.language},
                          {"expires_at", core::format_utc(message.expires_at, core::TimeFormat::kRfc3339)}}
        .dump();
}

std::string message_json(const service::MemberMessage& message) {
    return nlohmann::json{{"event", "member.message"},  {"id", message.id},     {"channel", message.channel},
                          {"to", message.to},           {"kind", message.kind}, {"language", message.language},
                          {"subject", message.subject}, {"text", message.text}, {"program", message.program}}
        .dump();
}

std::expected<std::unique_ptr<service::Notifier>, std::string> notifier_from_setting(const std::string& setting) {
    if (setting.empty()) return std::make_unique<NoNotifier>();
    if (setting.starts_with("file:") && setting.size() > 5) return std::make_unique<FileNotifier>(setting.substr(5));
    if (setting.starts_with("webhook:http://") || setting.starts_with("webhook:https://")) {
        return std::make_unique<WebhookNotifier>(setting.substr(8));
    }
    return std::unexpected("PATRON_NOTIFY must be file:PATH or webhook:http(s)://...");
}

}  // namespace patron::notify
