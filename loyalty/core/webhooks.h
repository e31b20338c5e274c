// Webhooks (issue 21), the parts with no database or network in sight: the subscription an admin
// sends, read into a typed request (so it can be fuzzed alone); the envelope a receiver gets; and
// the retry schedule, exponential with jitter, until the retry window has passed.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"

namespace patron::core {

enum class WebhookState { kActive, kPaused };

std::string_view to_string(WebhookState state);  // "active", "paused"
std::optional<WebhookState> parse_webhook_state(std::string_view name);

inline constexpr std::size_t kWebhookUrlMax = 2000;
inline constexpr std::size_t kWebhookDescriptionMax = 200;

// POST /v1/webhooks (url and event_types required) and PATCH /v1/webhooks/{id} (any of them):
// url an absolute http or https URL of printable ASCII without credentials or fragment, at most
// 2,000 characters; event_types a non-empty list of distinct event type names, or ["*"] for every
// type (present and future); description at most 200 characters; state active or paused. No other
// field is taken (a misspelt one is refused, not ignored).
struct WebhookRequest {
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> event_types;  // Sorted; {"*"} for all.
    std::optional<std::string> description;
    std::optional<WebhookState> state;
};
Result<WebhookRequest> decode_webhook_request(const nlohmann::json& document, bool creating);

// Whether a subscription to `types` (as decoded: {"*"} or names) wants events of `type`.
bool wants_event(const std::vector<std::string>& types, std::string_view type);

// The JSON body a receiver gets for an event: {id, type, version, program_id, member_id,
// occurred_at, data}, in that order; `data` is the outbox's JSON text as stored.
struct EventEnvelope {
    long long id = 0;
    std::string type;
    int version = 1;
    long long program_id = 0;
    std::optional<long long> member_id;
    Timestamp occurred_at{};
    std::string data;  // JSON.
};
std::string webhook_body(const EventEnvelope& event);

// When a failed delivery is tried again: `first` after the first failure, doubling after each
// further one up to `longest`, each delay jittered to between half and all of itself (so that
// receivers coming back are not met by every delivery at once); and given up (the delivery goes to
// the dead-letter list) once a failure comes `retry_for` or more after the first attempt. The
// defaults retry for a day: 30 s, 1 min, 2 min, ... up to an hour between tries.
struct RetryPolicy {
    std::chrono::milliseconds first{30'000};
    std::chrono::milliseconds longest{3'600'000};
    std::chrono::seconds retry_for{86'400};
};
// The delay after `failures` failures (1 or more); `jitter` in [0, 1] picks within the range.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int failures, double jitter);
bool gives_up(const RetryPolicy& policy, Timestamp first_attempt, Timestamp now);

}  // namespace patron::core
