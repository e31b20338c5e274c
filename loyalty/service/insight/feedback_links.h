// The signed feedback link a till prints as a QR code: a token naming the purchase and when the
// link expires, signed with HMAC-SHA256 under the key ring's index key in a domain of its own
// ("feedback_token", as blind indexes and one-time codes are keyed), cut to 128 bits. It carries
// no member identity, survives master key rotation (the index key never changes), and is checked
// in constant time. Anyone holding the printed receipt may rate the visit, once.
#pragma once

#include <string>
#include <string_view>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/feedback.h"
#include "loyalty/core/purchase_result.h"

namespace patron::service {

class FeedbackLinks {
  public:
    // `public_url`: where customers reach patrond ("https://club.example"); empty: links are paths.
    FeedbackLinks(const crypto::KeyRing& keys, std::string public_url);

    core::FeedbackInvite invite(long long purchase_id, core::Timestamp expires_at) const;

    // The token's purchase: NOT_FOUND (field token) for a token that is malformed or not signed
    // by Patron (forged, altered), FEEDBACK_WINDOW_CLOSED for a genuine one past its expiry.
    core::Result<core::FeedbackToken> verify(std::string_view token, core::Timestamp now) const;

  private:
    std::string signature_hex(const std::string& signed_part) const;

    const crypto::KeyRing& keys_;
    const std::string public_url_;
};

}  // namespace patron::service
