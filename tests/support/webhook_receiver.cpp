#include "tests/support/webhook_receiver.h"

#include <openssl/hmac.h>
#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace patron::testing {

using namespace Pistache;

struct WebhookReceiver::State {
    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::vector<ReceivedDelivery> received;
    Script script = [](const ReceivedDelivery&, int) { return 200; };
    std::chrono::milliseconds delay{0};
};

namespace {

class Handler : public Http::Handler {
  public:
    HTTP_PROTOTYPE(Handler)
    explicit Handler(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}

    void onRequest(const Http::Request& request, Http::ResponseWriter response) override {
        ReceivedDelivery delivery;
        for (const auto& raw : request.headers().rawList()) {
            std::string name = raw.first;
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            delivery.headers[name] = raw.second.value();
        }
        // Pistache reads the headers it knows into typed ones, not the raw list.
        if (const auto type = request.headers().tryGet<Http::Header::ContentType>()) {
            delivery.headers["content-type"] = type->mime().toString();
        }
        delivery.body = request.body();
        WebhookReceiver::Script script;
        std::chrono::milliseconds delay{0};
        int index = 0;
        {
            std::lock_guard lock(state_->mutex);
            index = static_cast<int>(state_->received.size());
            state_->received.push_back(delivery);
            script = state_->script;
            delay = state_->delay;
        }
        state_->arrived.notify_all();
        if (delay.count() > 0) std::this_thread::sleep_for(delay);
        response.send(static_cast<Http::Code>(script(delivery, index)), "{}");
    }

  private:
    std::shared_ptr<WebhookReceiver::State> state_;
};

}  // namespace

struct WebhookReceiver::Server {
    Http::Endpoint endpoint{Address(IP::loopback(), Port(0))};
};

WebhookReceiver::WebhookReceiver() : state_(std::make_shared<State>()), server_(std::make_unique<Server>()) {
    server_->endpoint.init(Http::Endpoint::options().threads(4));
    server_->endpoint.setHandler(Http::make_handler<Handler>(state_));
    server_->endpoint.serveThreaded();
}

WebhookReceiver::~WebhookReceiver() { server_->endpoint.shutdown(); }

std::string WebhookReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(static_cast<std::uint16_t>(server_->endpoint.getPort())) + path;
}

void WebhookReceiver::answer_with(Script script) {
    std::lock_guard lock(state_->mutex);
    state_->script = std::move(script);
}

void WebhookReceiver::delay_answers(std::chrono::milliseconds delay) {
    std::lock_guard lock(state_->mutex);
    state_->delay = delay;
}

std::vector<ReceivedDelivery> WebhookReceiver::received() const {
    std::lock_guard lock(state_->mutex);
    return state_->received;
}

std::size_t WebhookReceiver::count() const {
    std::lock_guard lock(state_->mutex);
    return state_->received.size();
}

bool WebhookReceiver::wait_for(std::size_t count, std::chrono::milliseconds limit) const {
    std::unique_lock lock(state_->mutex);
    return state_->arrived.wait_for(lock, limit, [&] { return state_->received.size() >= count; });
}

bool WebhookReceiver::signature_holds(const ReceivedDelivery& delivery, const std::string& secret) {
    const std::string header = delivery.header("patron-signature");
    if (!header.starts_with("v1=")) return false;
    const std::string signed_text = delivery.header("patron-timestamp") + "." + delivery.body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[mac[i] >> 4];
        hex += kHex[mac[i] & 0x0f];
    }
    return header.substr(3) == hex;
}

}  // namespace patron::testing
