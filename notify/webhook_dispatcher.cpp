#include "notify/webhook_dispatcher.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "notify/webhook_signature.h"

namespace patron::notify {
namespace {

using nlohmann::json;
using SteadyTime = std::chrono::steady_clock::time_point;

constexpr int kLeaseSeconds = 30;
constexpr auto kLeaseRenewal = std::chrono::seconds(5);
constexpr auto kStandByRetry = std::chrono::seconds(2);  // How often an instance standing by asks.
constexpr int kHandOutBatch = 500;
constexpr int kHandOutBatchesPerRound = 8;
// A claim outlasts the attempt's time-out by this much before another round may send it again.
constexpr auto kClaimMargin = std::chrono::seconds(30);

bool public_ipv4(std::uint32_t address) {  // Host order.
    const auto in = [&](std::uint32_t network, int bits) {
        const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
        return (address & mask) == network;
    };
    return !(in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
             in(0xAC100000, 12) || in(0xC0000000, 24) || in(0xC0A80000, 16) || in(0xC6120000, 15) ||
             in(0xE0000000, 4) || in(0xF0000000, 4));
}

bool public_address(const sockaddr* address) {
    if (address->sa_family == AF_INET) {
        return public_ipv4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6) {
        const in6_addr& six = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&six) || IN6_IS_ADDR_V4COMPAT(&six)) {
            std::uint32_t four = 0;
            std::memcpy(&four, six.s6_addr + 12, 4);
            return public_ipv4(ntohl(four));
        }
        const std::uint8_t first = six.s6_addr[0];
        const bool unique_local = (first & 0xFE) == 0xFC;                          // fc00::/7
        const bool link_local = first == 0xFE && (six.s6_addr[1] & 0xC0) == 0x80;  // fe80::/10
        return !(IN6_IS_ADDR_LOOPBACK(&six) || IN6_IS_ADDR_UNSPECIFIED(&six) || IN6_IS_ADDR_MULTICAST(&six) ||
                 unique_local || link_local);
    }
    return false;
}

struct Transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string body;
    long long delivery_id = 0;
    long long subscription_id = 0;
    std::optional<long long> member_id;
    long long event_id = 0;
    int attempts = 0;
    int window_attempts = 0;
    std::optional<core::Timestamp> first_attempt_at;
    core::Timestamp claimed_until{};
    core::Timestamp attempted_at{};
    SteadyTime started{};
    bool private_receivers = false;
    bool refused_address = false;
    std::array<char, CURL_ERROR_SIZE> error{};

    ~Transfer() {
        if (headers != nullptr) curl_slist_free_all(headers);
        if (easy != nullptr) curl_easy_cleanup(easy);
    }
};

// Refuses a connection to an address that is not public unless private receivers are allowed:
// checked on the address curl resolved and is about to connect to, so a name that resolves to the
// servers' own network (or is changed to, after the URL was checked) is refused all the same.
curl_socket_t open_socket(void* context, curlsocktype, curl_sockaddr* address) {
    auto* transfer = static_cast<Transfer*>(context);
    if (!transfer->private_receivers && !public_address(&address->addr)) {
        transfer->refused_address = true;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

std::string default_holder() {
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
    return std::string(host.data()).substr(0, 100) + ":" + std::to_string(getpid());
}

struct WebhookDispatcher::Impl {
    Impl(service::WebhookService& webhooks, const service::Clock& clock, crypto::RandomSource& random,
         DispatcherSettings settings)
        : webhooks(webhooks), clock(clock), random(random), settings(std::move(settings)) {
        if (this->settings.holder.empty()) this->settings.holder = default_holder();
        curl_global_init(CURL_GLOBAL_DEFAULT);
        multi = curl_multi_init();
    }
    ~Impl() {
        for (auto& [easy, transfer] : transfers) curl_multi_remove_handle(multi, easy);
        transfers.clear();
        curl_multi_cleanup(multi);
    }

    void log(json fields) const {
        if (settings.log) settings.log(fields);
    }

    void keep_lease() {
        const SteadyTime now = std::chrono::steady_clock::now();
        if (leading && now - lease_taken < kLeaseRenewal) return;
        if (!leading && now - lease_tried < kStandByRetry) return;
        lease_tried = now;
        const auto taken = webhooks.take_lease(settings.holder, kLeaseSeconds);
        if (!taken) {
            log({{"level", "warning"},
                 {"event", "webhook_lease_failed"},
                 {"code", core::code_name(taken.error().code)}});
        }
        const bool held = taken && *taken;
        if (held != leading) log({{"event", held ? "webhook_dispatch_leading" : "webhook_dispatch_standing_by"}});
        leading = held;
        if (held) lease_taken = now;
    }

    double jitter() {
        std::array<std::uint8_t, 4> bytes{};
        random.fill(bytes);
        std::uint32_t value = 0;
        std::memcpy(&value, bytes.data(), bytes.size());
        return static_cast<double>(value) / 4294967295.0;
    }

    // Hands out what waits, a batch at a time; `backlog`: every batch of the round came full, so
    // more may be waiting.
    int hand_out() {
        int total = 0;
        for (int batch = 0; batch < kHandOutBatchesPerRound; ++batch) {
            const auto handed = webhooks.hand_out(clock.now(), kHandOutBatch);
            if (!handed) {
                log({{"level", "warning"},
                     {"event", "webhook_hand_out_failed"},
                     {"code", core::code_name(handed.error().code)}});
                return total;
            }
            total += *handed;
            if (*handed < kHandOutBatch) return total;
        }
        backlog = true;
        return total;
    }

    int start_due(const std::vector<store::WebhookSubscriptionRecord>& subscriptions) {
        int started = 0;
        for (const store::WebhookSubscriptionRecord& subscription : subscriptions) {
            if (subscription.state != core::WebhookState::kActive) continue;
            const int free = std::min(settings.per_subscription - busy[subscription.id],
                                      settings.in_flight - static_cast<int>(transfers.size()));
            if (free <= 0) continue;
            const auto secret = webhooks.secret_of(subscription);
            if (!secret) {
                log({{"level", "error"}, {"event", "webhook_secret_unreadable"}, {"webhook", subscription.id}});
                continue;
            }
            const core::Timestamp now = clock.now();
            const auto due = webhooks.claim_due(subscription.id, now, now + settings.timeout + kClaimMargin, free);
            if (!due) {
                log({{"level", "warning"},
                     {"event", "webhook_claim_failed"},
                     {"webhook", subscription.id},
                     {"code", core::code_name(due.error().code)}});
                continue;
            }
            for (const store::DueDelivery& delivery : *due) {
                send(subscription, *secret, delivery);
                ++started;
            }
        }
        return started;
    }

    void send(const store::WebhookSubscriptionRecord& subscription, const std::string& secret,
              const store::DueDelivery& delivery) {
        auto transfer = std::make_unique<Transfer>();
        transfer->body = core::webhook_body(delivery.event);
        transfer->delivery_id = delivery.id;
        transfer->subscription_id = subscription.id;
        transfer->member_id = delivery.member_id;
        transfer->event_id = delivery.event.id;
        transfer->attempts = delivery.attempts;
        transfer->window_attempts = delivery.window_attempts;
        transfer->first_attempt_at = delivery.first_attempt_at;
        transfer->claimed_until = delivery.claimed_until;
        transfer->attempted_at = clock.now();
        transfer->started = std::chrono::steady_clock::now();
        transfer->private_receivers = settings.private_receivers;
        const std::string timestamp = std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(transfer->attempted_at.time_since_epoch()).count());
        for (const std::string& header :
             {std::string("Content-Type: application/json"), std::string("Expect:"),
              "Patron-Event-Id: " + std::to_string(delivery.event.id), "Patron-Event-Type: " + delivery.event.type,
              "Patron-Delivery-Id: " + std::to_string(delivery.id),
              "Patron-Attempt: " + std::to_string(delivery.attempts + 1), "Patron-Timestamp: " + timestamp,
              "Patron-Signature: " + webhook_signature(secret, timestamp, transfer->body)}) {
            transfer->headers = curl_slist_append(transfer->headers, header.c_str());
        }
        CURL* easy = curl_easy_init();
        transfer->easy = easy;
        curl_easy_setopt(easy, CURLOPT_URL, subscription.url.c_str());
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
        // Straight to the receiver: no proxy from the environment, whose address the check of the
        // receiver's address would see instead.
        curl_easy_setopt(easy, CURLOPT_PROXY, "");
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->body.c_str());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(transfer->body.size()));
        curl_easy_setopt(easy, CURLOPT_USERAGENT, "Patron-Webhooks/1");
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(std::min<long long>(settings.timeout.count(), 5000)));
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error.data());
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, transfer.get());
        curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
        curl_multi_add_handle(multi, easy);
        ++busy[subscription.id];
        transfers.emplace(easy, std::move(transfer));
    }

    struct Finished {
        long long delivery_id = 0;
        long long subscription_id = 0;
        int attempt = 0;
        store::AttemptOutcome outcome;
    };

    // The sends that finished, written down together in one transaction.
    int collect() {
        std::vector<Finished> finished;
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            const auto found = transfers.find(message->easy_handle);
            if (found == transfers.end()) continue;
            const Transfer& transfer = *found->second;
            finished.push_back({transfer.delivery_id, transfer.subscription_id, transfer.attempts + 1,
                                outcome_of(transfer, message->data.result)});
            curl_multi_remove_handle(multi, message->easy_handle);
            --busy[transfer.subscription_id];
            transfers.erase(found);
        }
        if (finished.empty()) return 0;
        std::vector<std::pair<long long, store::AttemptOutcome>> attempts;
        for (const Finished& done : finished) attempts.emplace_back(done.delivery_id, done.outcome);
        const auto recorded = webhooks.record_attempts(attempts);
        for (std::size_t i = 0; i < finished.size(); ++i) {
            const Finished& done = finished[i];
            if (recorded && !(*recorded)[i]) {
                // Its claim lapsed meanwhile (sent again) or staff replayed it: that one counts.
                log({{"level", "warning"}, {"event", "webhook_attempt_outdated"}, {"delivery", done.delivery_id}});
            } else if (!recorded) {
                // Sent (or not) but not written down: its claim lapses and it is sent again.
                log({{"level", "warning"},
                     {"event", "webhook_attempt_not_recorded"},
                     {"delivery", done.delivery_id},
                     {"code", core::code_name(recorded.error().code)}});
            } else if (done.outcome.dead) {
                log({{"level", "warning"},
                     {"event", "webhook_delivery_dead"},
                     {"webhook", done.subscription_id},
                     {"delivery", done.delivery_id},
                     {"attempts", done.attempt}});
            }
        }
        return static_cast<int>(finished.size());
    }

    store::AttemptOutcome outcome_of(const Transfer& transfer, CURLcode result) {
        long status = 0;
        curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
        store::AttemptOutcome outcome;
        outcome.attempted_at = transfer.attempted_at;
        outcome.duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - transfer.started)
                .count();
        if (status > 0) outcome.status = static_cast<int>(status);
        outcome.delivered = result == CURLE_OK && status >= 200 && status < 300;
        if (!outcome.delivered) {
            if (transfer.refused_address) {
                outcome.error = "the receiver's address is not public (private receivers are not allowed)";
            } else if (result != CURLE_OK) {
                outcome.error = curl_easy_strerror(result);
            } else {
                outcome.error = "the receiver answered HTTP " + std::to_string(status);
            }
            const core::Timestamp now = clock.now();
            const core::Timestamp first = transfer.first_attempt_at.value_or(transfer.attempted_at);
            outcome.dead = core::gives_up(settings.retry, first, now);
            outcome.next_attempt_at = now + core::retry_delay(settings.retry, transfer.window_attempts + 1, jitter());
        }
        outcome.first_attempt_at = transfer.first_attempt_at;
        outcome.subscription_id = transfer.subscription_id;
        outcome.member_id = transfer.member_id;
        outcome.event_id = transfer.event_id;
        outcome.claimed_until = transfer.claimed_until;
        return outcome;
    }

    service::WebhookService& webhooks;
    const service::Clock& clock;
    crypto::RandomSource& random;
    DispatcherSettings settings;
    CURLM* multi = nullptr;
    std::map<CURL*, std::unique_ptr<Transfer>> transfers;
    std::map<long long, int> busy;  // Sends in flight per subscription.
    bool leading = false;
    bool backlog = false;  // This round's hand-out took full batches only: more may be waiting.
    SteadyTime lease_taken{};
    SteadyTime lease_tried{};
};

WebhookDispatcher::WebhookDispatcher(service::WebhookService& webhooks, const service::Clock& clock,
                                     crypto::RandomSource& random, DispatcherSettings settings)
    : impl_(std::make_unique<Impl>(webhooks, clock, random, std::move(settings))) {}

WebhookDispatcher::~WebhookDispatcher() {
    stop();
    // Sends still under way are given back, due now, so that whoever dispatches next sends them at
    // once rather than when their claims lapse.
    std::vector<std::pair<long long, core::Timestamp>> claims;
    for (const auto& [easy, transfer] : impl_->transfers)
        claims.emplace_back(transfer->delivery_id, transfer->claimed_until);
    if (!claims.empty()) (void)impl_->webhooks.release_claims(claims, impl_->clock.now());
    // Let another instance take over at once rather than when the lease lapses.
    if (impl_->leading) (void)impl_->webhooks.give_up_lease(impl_->settings.holder);
}

RoundReport WebhookDispatcher::round(std::chrono::milliseconds wait) {
    RoundReport report;
    Impl& impl = *impl_;
    impl.keep_lease();
    report.leading = impl.leading;
    impl.backlog = false;  // Only this round's hand-out tells.
    if (impl.leading) {
        const auto subscriptions = impl.webhooks.subscriptions_to_send();
        if (subscriptions) {
            report.handed_out = impl.hand_out();
            report.started = impl.start_due(*subscriptions);
        } else {
            impl.log({{"level", "warning"},
                      {"event", "webhook_subscriptions_unreadable"},
                      {"code", core::code_name(subscriptions.error().code)}});
        }
    }
    int running = 0;
    curl_multi_perform(impl.multi, &running);
    report.finished += impl.collect();
    // Wait for the sends under way (the poll wakes as soon as one has news), or, when there are
    // none, the idle wait, unless this round left work: sends it started or finished may free
    // room for more due at once, and a hand-out of full batches left events waiting. A hand-out
    // that took every waiting event is no reason to come back at once: under the tills' steady
    // load, rounds a few milliseconds apart each read a few events and committed a transaction
    // (about 60 rounds a second at 250 sales a second, a tenth of the statements the database
    // ran). Events wait for the next round at most the idle wait, as on a quiet server.
    const bool worked = report.started + report.finished > 0 || impl.backlog;
    if (!stopping_ && (!impl.transfers.empty() || !worked)) {
        curl_multi_poll(impl.multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
    curl_multi_perform(impl.multi, &running);
    report.finished += impl.collect();
    report.in_flight = static_cast<int>(impl.transfers.size());
    return report;
}

void WebhookDispatcher::start() {
    stopping_ = false;
    thread_ = std::thread([this] {
        while (!stopping_) {
            const RoundReport report = round(impl_->settings.idle_wait);
            // With sends under way the next round comes as soon as one finishes (the poll wakes);
            // with nothing under way the poll waited the idle wait already.
            (void)report;
        }
    });
}

void WebhookDispatcher::stop() {
    stopping_ = true;
    curl_multi_wakeup(impl_->multi);
    if (thread_.joinable()) thread_.join();
}

}  // namespace patron::notify
