// The webhook dispatcher (issue 21): runs in patrond, one instance at a time among several (a lease
// in the database, job_leases "webhooks", renewed every few seconds; another instance takes over
// once it lapses). Each round it hands the outbox's new events out to the subscriptions that want
// them, then sends what is due with libcurl, many at once but at most `per_subscription` at a time
// to any one receiver (a slow receiver holds up only its own deliveries), each signed and bounded
// by a time-out; a failure is tried again on the retry policy's schedule and, once the retry
// window has passed, goes to the dead-letter list. A member's deliveries to a subscription are
// sent one at a time in event order.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <thread>

#include "crypto/secure_random.h"
#include "loyalty/core/webhooks.h"
#include "loyalty/service/events/webhook_service.h"
#include "loyalty/service/runtime/clock.h"

namespace patron::notify {

struct DispatcherSettings {
    core::RetryPolicy retry;
    std::chrono::milliseconds timeout{10'000};  // A whole attempt: connecting, sending, the answer.
    int per_subscription = 4;                   // Deliveries in flight to one subscription at most.
    int in_flight = 64;                         // And in all.
    std::chrono::milliseconds idle_wait{250};   // How long a round waits when nothing is being sent.
    // Whether receivers on loopback, private, link-local or other non-public addresses may be
    // posted to: off in production (an admin's URL must not reach into the servers' own network),
    // on for development and tests.
    bool private_receivers = false;
    std::string holder;  // This instance's name in the lease (host and process id by default).
    // Where the dispatcher says what went wrong (patrond's log): ids and classes, never content.
    std::function<void(const nlohmann::json&)> log;
};

struct RoundReport {
    bool leading = false;  // This instance holds the lease.
    int handed_out = 0;    // Events handed out to subscriptions.
    int started = 0;       // Sends started.
    int finished = 0;      // Sends finished (delivered or not).
    int in_flight = 0;     // Sends still under way.
};

class WebhookDispatcher {
  public:
    WebhookDispatcher(service::WebhookService& webhooks, const service::Clock& clock, crypto::RandomSource& random,
                      DispatcherSettings settings);
    ~WebhookDispatcher();  // Stops; sends still under way are abandoned (sent again once their claim lapses).
    WebhookDispatcher(const WebhookDispatcher&) = delete;
    WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

    // One round: the lease, handing out, starting what is due, and waiting up to `wait` for sends
    // to finish. Database trouble is logged and the round ends early; the next one tries again.
    RoundReport round(std::chrono::milliseconds wait);

    // Rounds on a thread of its own until stop().
    void start();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

// The default holder name in the lease: "<host>:<pid>".
std::string default_holder();

}  // namespace patron::notify
