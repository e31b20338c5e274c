#include "notify/webhook_signature.h"

#include "crypto/bytes.h"
#include "crypto/digest.h"

namespace patron::notify {

std::string webhook_signed_text(std::string_view timestamp, std::string_view body) {
    std::string text;
    text.reserve(timestamp.size() + 1 + body.size());
    text.append(timestamp).append(".").append(body);
    return text;
}

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
    return "v1=" + crypto::to_hex(crypto::hmac_sha256(crypto::as_bytes(secret),
                                                      crypto::as_bytes(webhook_signed_text(timestamp, body))));
}

}  // namespace patron::notify
