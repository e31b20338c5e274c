// How a webhook delivery is signed (docs/events.md, "Verifying a delivery"): HMAC-SHA256, keyed
// with the subscription's secret exactly as shown (its ASCII text, "whsec_..." included), over the
// Patron-Timestamp header's value, a full stop and the body's bytes; sent as
// Patron-Signature: v1=<64 lower-case hex digits>.
#pragma once

#include <string>
#include <string_view>

namespace patron::notify {

// "1763820220.{...body...}": what is signed.
std::string webhook_signed_text(std::string_view timestamp, std::string_view body);
// "v1=" and the HMAC's hex.
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

}  // namespace patron::notify
