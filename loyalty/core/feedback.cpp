#include "loyalty/core/feedback.h"

#include <algorithm>
#include <charconv>

#include "loyalty/core/receipt_text.h"
#include "loyalty/core/utf8.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::size_t kSignatureHexSize = 32;
constexpr std::size_t kNumberDigitsMax = 18;        // Fits a long long whatever the digits.
constexpr long long kExpirySecondsMax = 1LL << 40;  // Year 36812: microseconds of it still fit a Timestamp.

struct Scale {
    const char* field;
    int minimum;
    int maximum;
    std::optional<int> FeedbackAnswer::*target;
};

constexpr Scale kScales[] = {
    {"nps", 0, 10, &FeedbackAnswer::nps},
    {"csat", 1, 5, &FeedbackAnswer::csat},
    {"ces", 1, 7, &FeedbackAnswer::ces},
};

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

void read_comment(const json& value, FeedbackAnswer& answer, std::vector<Error>& problems) {
    const auto problem = [&](std::string message, Reason why) {
        problems.push_back({ErrorCode::kValidationFailed, std::move(message), "comment", {}, {}, why});
    };
    if (value.is_null()) return;
    if (!value.is_string()) return problem("must be a string or null", reason(ReasonKind::kWrongType));
    const std::string& text = value.get_ref<const std::string&>();
    if (!is_valid_utf8(text)) return problem("must be UTF-8 text", reason(ReasonKind::kWrongType));
    if (code_points(text) > kFeedbackCommentMax) {
        return problem("must be at most " + std::to_string(kFeedbackCommentMax) + " characters",
                       reason(ReasonKind::kTextLength, {}, static_cast<std::int64_t>(kFeedbackCommentMax)));
    }
    if (!is_blank(text)) answer.comment = text;
}

// A decimal number without sign or leading zeros, of at most kNumberDigitsMax digits.
std::optional<long long> whole_number(std::string_view text) {
    const bool digits = std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || text.empty() || text.size() > kNumberDigitsMax || (text.size() > 1 && text[0] == '0')) {
        return std::nullopt;
    }
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool is_lower_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<FeedbackAnswer> decode_feedback_answer(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    FeedbackAnswer answer;
    std::vector<Error> problems;
    for (const auto& [key, value] : document.items()) {
        const bool known = key == "comment" || std::any_of(std::begin(kScales), std::end(kScales),
                                                           [&](const Scale& scale) { return key == scale.field; });
        if (!known) problems.push_back({ErrorCode::kValidationFailed, "unknown field", key});
    }
    for (const Scale& scale : kScales) {
        const auto it = document.find(scale.field);
        if (it == document.end() || it->is_null()) continue;
        if (!it->is_number_integer() || it->get<long long>() < scale.minimum || it->get<long long>() > scale.maximum) {
            problems.push_back({ErrorCode::kValidationFailed,
                                "must be a whole number from " + std::to_string(scale.minimum) + " to " +
                                    std::to_string(scale.maximum),
                                scale.field});
            continue;
        }
        answer.*scale.target = it->get<int>();
    }
    if (const auto it = document.find("comment"); it != document.end()) read_comment(*it, answer, problems);
    if (problems.empty() && !answer.nps && !answer.csat && !answer.ces) {
        problems.push_back({ErrorCode::kValidationFailed, "send at least one of nps, csat and ces", "nps"});
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return answer;
}

bool feedback_window_open(Timestamp purchased_at, std::chrono::seconds window, Timestamp now) {
    return window.count() > 0 && now - purchased_at <= window;
}

std::string feedback_token_signed_part(long long purchase_id, Timestamp expires_at) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(expires_at.time_since_epoch()).count();
    return std::to_string(purchase_id) + "." + std::to_string(seconds);
}

std::string feedback_token_text(const std::string& signed_part, const std::string& signature_hex) {
    return signed_part + "." + signature_hex;
}

std::optional<FeedbackToken> parse_feedback_token(std::string_view text) {
    const std::size_t first = text.find('.');
    const std::size_t second = first == std::string_view::npos ? first : text.find('.', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    const auto purchase_id = whole_number(text.substr(0, first));
    const auto expiry = whole_number(text.substr(first + 1, second - first - 1));
    const std::string_view signature = text.substr(second + 1);
    if (!purchase_id || *purchase_id == 0 || !expiry || *expiry > kExpirySecondsMax ||
        signature.size() != kSignatureHexSize || !is_lower_hex(signature)) {
        return std::nullopt;
    }
    return FeedbackToken{*purchase_id, Timestamp{std::chrono::seconds(*expiry)}, std::string(text.substr(0, second)),
                         std::string(signature)};
}

std::string feedback_link(std::string_view public_url, std::string_view token) {
    while (public_url.ends_with('/')) public_url.remove_suffix(1);
    std::string link(public_url);
    link += "/portal/#rate=";
    link += token;
    return link;
}

}  // namespace patron::core
