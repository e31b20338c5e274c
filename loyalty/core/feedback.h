// A member's or a customer's answer to the short survey about one purchase: NPS (0-10), CSAT
// (1-5) and CES (1-7), each optional but at least one, and an optional comment of at most 1000
// characters. Also the text form of the signed feedback link's token; the signature itself is
// the service's (crypto/), the core only reads and writes the token's parts. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"

namespace patron::core {

inline constexpr std::size_t kFeedbackCommentMax = 1000;  // Code points.

struct FeedbackAnswer {
    std::optional<int> nps;   // 0-10: how likely the customer recommends the store.
    std::optional<int> csat;  // 1-5: how satisfied with this visit.
    std::optional<int> ces;   // 1-7: how easy it was.
    std::optional<std::string> comment;
};

// {"nps", "csat", "ces", "comment"}; every problem at once (all_problems), each by its field. An
// empty or blank comment counts as none.
Result<FeedbackAnswer> decode_feedback_answer(const nlohmann::json& document);

// Whether a purchase received at `purchased_at` may still be rated at `now`: a window of zero
// turns feedback off.
bool feedback_window_open(Timestamp purchased_at, std::chrono::seconds window, Timestamp now);

// A feedback link's token: "<purchase id>.<expiry, Unix seconds>.<signature, 32 lowercase hex>".
// Only digits, dots and hex, so that it travels in a path, a query string and a QR code as it is.
struct FeedbackToken {
    long long purchase_id = 0;
    Timestamp expires_at{};
    std::string signed_part;  // "<purchase id>.<expiry>": what the signature covers.
    std::string signature_hex;
};

// The part a token's signature covers.
std::string feedback_token_signed_part(long long purchase_id, Timestamp expires_at);
std::string feedback_token_text(const std::string& signed_part, const std::string& signature_hex);
// The token's parts, or nullopt for text of any other form (nothing is verified here).
std::optional<FeedbackToken> parse_feedback_token(std::string_view text);

// Where the portal answers a token: "/portal/#rate=<token>" (a fragment: the token never reaches a server log), after
// `public_url` when one is set.
std::string feedback_link(std::string_view public_url, std::string_view token);

}  // namespace patron::core
