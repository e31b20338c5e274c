#include "loyalty/core/webhooks.h"

#include <algorithm>
#include <cmath>

#include "loyalty/core/events.h"
#include "loyalty/core/json_fields.h"
#include "loyalty/core/utf8.h"

namespace patron::core {

using nlohmann::json;

namespace {

// An absolute http(s) URL of printable ASCII: a host after the scheme, no user:password@ (a
// secret in an address ends up in logs and lists), no fragment (never sent), no spaces.
Result<std::string> webhook_url(const std::string& url) {
    const auto refuse = [](const std::string& why) { return fail(ErrorCode::kValidationFailed, why, "url"); };
    if (url.empty() || url.size() > kWebhookUrlMax) return refuse("must be 1 to 2000 characters");
    if (!std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
        return refuse("must be printable ASCII without spaces (percent-encode anything else)");
    }
    std::string lower(url.substr(0, 8));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    const std::size_t scheme = lower.starts_with("https://") ? 8 : lower.starts_with("http://") ? 7 : 0;
    if (scheme == 0) return refuse("must start with https:// or http://");
    const std::size_t authority_end = url.find_first_of("/?#", scheme);
    const std::string authority = url.substr(scheme, authority_end - scheme);
    if (authority.empty() || authority.front() == ':') return refuse("must name a host");
    if (authority.find('@') != std::string::npos) {
        return refuse("must not hold a user name or password: the signature proves who sends");
    }
    if (url.find('#') != std::string::npos) return refuse("must not have a fragment (#...)");
    return url;
}

Result<std::vector<std::string>> event_types(const json& value) {
    const auto refuse = [](const std::string& why, const std::string& field) {
        return fail(ErrorCode::kValidationFailed, why, field);
    };
    if (!value.is_array() || value.empty()) {
        return refuse("must be a non-empty list of event types, or [\"*\"] for all", "event_types");
    }
    if (value.size() > kEventTypes.size() + 1) return refuse("names a type more than once", "event_types");
    std::vector<std::string> types;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string field = "event_types[" + std::to_string(i) + "]";
        if (!value[i].is_string()) return refuse("must be an event type's name", field);
        const std::string name = value[i].get<std::string>();
        if (name != "*" && !parse_event_type(name)) return refuse("is not an event type Patron raises", field);
        if (std::find(types.begin(), types.end(), name) != types.end()) return refuse("is listed twice", field);
        types.push_back(name);
    }
    if (types.size() > 1 && std::find(types.begin(), types.end(), "*") != types.end()) {
        return refuse("\"*\" stands alone: it means every type", "event_types");
    }
    std::sort(types.begin(), types.end());
    return types;
}

}  // namespace

std::string_view to_string(WebhookState state) { return state == WebhookState::kActive ? "active" : "paused"; }

std::optional<WebhookState> parse_webhook_state(std::string_view name) {
    if (name == "active") return WebhookState::kActive;
    if (name == "paused") return WebhookState::kPaused;
    return std::nullopt;
}

Result<WebhookRequest> decode_webhook_request(const json& document, bool creating) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    if (auto known = only_fields(document, {"url", "event_types", "description", "state"}); !known) {
        return std::unexpected(known.error());
    }
    WebhookRequest request;
    auto url = optional_string(document, "url");
    if (!url) return std::unexpected(url.error());
    if (*url) {
        auto checked = webhook_url(**url);
        if (!checked) return std::unexpected(checked.error());
        request.url = std::move(*checked);
    } else if (creating) {
        return fail(ErrorCode::kValidationFailed, "is required: where Patron posts the events", "url",
                    reason(ReasonKind::kRequired));
    }
    if (document.contains("event_types") && !document["event_types"].is_null()) {
        auto types = event_types(document["event_types"]);
        if (!types) return std::unexpected(types.error());
        request.event_types = std::move(*types);
    } else if (creating) {
        return fail(ErrorCode::kValidationFailed, "is required: the event types to send, or [\"*\"] for all",
                    "event_types");
    }
    auto description = optional_string(document, "description");
    if (!description) return std::unexpected(description.error());
    if (*description) {
        if (!is_valid_utf8(**description) || (*description)->size() > kWebhookDescriptionMax) {
            return fail(ErrorCode::kValidationFailed, "must be at most 200 bytes of UTF-8", "description");
        }
        request.description = std::move(**description);
    }
    auto state = optional_string(document, "state");
    if (!state) return std::unexpected(state.error());
    if (*state) {
        request.state = parse_webhook_state(**state);
        if (!request.state)
            return fail(ErrorCode::kValidationFailed, "must be active or paused", "state", reason(ReasonKind::kOneOf));
    }
    return request;
}

bool wants_event(const std::vector<std::string>& types, std::string_view type) {
    return std::any_of(types.begin(), types.end(),
                       [&](const std::string& name) { return name == "*" || name == type; });
}

std::string webhook_body(const EventEnvelope& event) {
    nlohmann::ordered_json body;
    body["id"] = event.id;
    body["type"] = event.type;
    body["version"] = event.version;
    body["program_id"] = event.program_id;
    body["member_id"] = event.member_id ? nlohmann::ordered_json(*event.member_id) : nlohmann::ordered_json();
    body["occurred_at"] = format_utc(event.occurred_at, TimeFormat::kRfc3339);
    body["data"] = nlohmann::ordered_json::parse(event.data, nullptr, false);
    if (body["data"].is_discarded()) body["data"] = nlohmann::ordered_json::object();
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int failures, double jitter) {
    const double doubled = static_cast<double>(policy.first.count()) * std::pow(2.0, std::max(0, failures - 1));
    const double capped = std::min(doubled, static_cast<double>(policy.longest.count()));
    const double fraction = 0.5 + 0.5 * std::clamp(jitter, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(capped * fraction));
}

bool gives_up(const RetryPolicy& policy, Timestamp first_attempt, Timestamp now) {
    return now - first_attempt >= policy.retry_for;
}

}  // namespace patron::core
