// A real HTTP server that receives webhooks in tests (Pistache on a free loopback port): it keeps
// every request it gets, answers each with the status a script picks (200 by default), optionally
// after a delay, and checks a delivery's signature by the recipe of docs/events.md.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace patron::testing {

struct ReceivedDelivery {
    std::map<std::string, std::string> headers;  // Lower-case names.
    std::string body;
    std::string header(const std::string& lower_name) const {
        const auto found = headers.find(lower_name);
        return found == headers.end() ? "" : found->second;
    }
};

class WebhookReceiver {
  public:
    // index: the request's number from 0, across the receiver's life.
    using Script = std::function<int(const ReceivedDelivery& delivery, int index)>;

    WebhookReceiver();
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    std::string url(const std::string& path = "/hook") const;
    void answer_with(Script script);
    void delay_answers(std::chrono::milliseconds delay);
    std::vector<ReceivedDelivery> received() const;
    std::size_t count() const;
    // Waits until at least `count` requests came (true) or `limit` passed (false).
    bool wait_for(std::size_t count, std::chrono::milliseconds limit) const;

    // Whether the delivery's Patron-Signature is HMAC-SHA256(secret, timestamp "." body) as
    // docs/events.md says, computed here with OpenSSL directly.
    static bool signature_holds(const ReceivedDelivery& delivery, const std::string& secret);

    struct State;  // What the server's handler shares with the test.

  private:
    std::shared_ptr<State> state_;
    struct Server;
    std::unique_ptr<Server> server_;
};

}  // namespace patron::testing
