#include "loyalty/service/insight/feedback_links.h"

#include "crypto/blind_index.h"
#include "crypto/digest.h"

namespace patron::service {

FeedbackLinks::FeedbackLinks(const crypto::KeyRing& keys, std::string public_url)
    : keys_(keys), public_url_(std::move(public_url)) {}

std::string FeedbackLinks::signature_hex(const std::string& signed_part) const {
    return crypto::to_hex(crypto::blind_index(keys_, "feedback_token", signed_part));
}

core::FeedbackInvite FeedbackLinks::invite(long long purchase_id, core::Timestamp expires_at) const {
    const auto whole_seconds = std::chrono::ceil<std::chrono::seconds>(expires_at);
    const std::string signed_part = core::feedback_token_signed_part(purchase_id, whole_seconds);
    const std::string token = core::feedback_token_text(signed_part, signature_hex(signed_part));
    return core::FeedbackInvite{token, core::feedback_link(public_url_, token), whole_seconds};
}

core::Result<core::FeedbackToken> FeedbackLinks::verify(std::string_view token, core::Timestamp now) const {
    const auto parsed = core::parse_feedback_token(token);
    const bool genuine = parsed && crypto::constant_time_equal(crypto::as_bytes(signature_hex(parsed->signed_part)),
                                                               crypto::as_bytes(parsed->signature_hex));
    if (!genuine) return core::fail(core::ErrorCode::kNotFound, "no purchase to rate with this link", "token");
    if (now > parsed->expires_at) {
        return core::fail(core::ErrorCode::kFeedbackWindowClosed, "this link to rate the visit has expired", "token");
    }
    return *parsed;
}

}  // namespace patron::service
