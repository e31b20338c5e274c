// The notifiers patrond can be configured with (PATRON_NOTIFY):
//   file:PATH     appends each message as one JSON line to PATH (mode 0600): development and tests
//   webhook:URL   POSTs each message as JSON to an SMS or email gateway (5 s time-out; 2xx = handed over)
// Neither logs a message's content: it carries a phone or email, and a code or words about her club.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "loyalty/service/runtime/notifier.h"

namespace patron::notify {

// The JSON document either notifier delivers for a message: {"event": "member.one_time_code", ...}
// or {"event": "member.message", ...} (docs/notifications.md).
std::string message_json(const service::OneTimeCodeMessage& message);
std::string message_json(const service::MemberMessage& message);

// The notifier a PATRON_NOTIFY value names; empty means none is configured (sending fails with
// UNAVAILABLE, so codes are issued but never reach anyone: fine for a server without a portal).
[[nodiscard]] std::expected<std::unique_ptr<service::Notifier>, std::string> notifier_from_setting(
    const std::string& setting);

}  // namespace patron::notify
