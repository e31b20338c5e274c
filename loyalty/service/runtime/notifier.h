// How Patron reaches a member outside the portal: one-time codes for activation and password
// reset, and messages about her club (a welcome, points about to expire, a tier reached, a stamp
// card filled, a coupon given; issue 21). The service says what to send; a Notifier delivers it (a file under var/ for
// development and tests, a webhook for an SMS or email gateway). A notifier carries personal
// data by its nature and must never log it.
#pragma once

#include <string>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"

namespace patron::service {

struct OneTimeCodeMessage {
    std::string channel;  // "sms" or "email"
    std::string to;       // The normalised phone (E.164) or email.
    std::string code;     // Six digits.
    std::string purpose;  // "activate" or "reset"
    std::string program;  // The program's code.
    std::string language;
    core::Timestamp expires_at{};
};

struct MemberMessage {
    long long id = 0;     // The message's id: a gateway that is sent it twice (a retry) can tell.
    std::string channel;  // "sms" or "email"
    std::string to;       // The normalised phone (E.164) or email.
    std::string kind;     // "welcome", "points_expiring", "tier_reached", "stamp_card_completed", "coupon_issued"
    std::string language;
    std::string subject;  // For email.
    std::string text;
    std::string program;  // The program's code.
};

class Notifier {
  public:
    virtual ~Notifier() = default;
    // UNAVAILABLE when the message could not be handed over; nothing about its content.
    virtual core::Result<void> send(const OneTimeCodeMessage& message) = 0;
    virtual core::Result<void> send(const MemberMessage& message) = 0;
    // Whether messages can reach anyone at all (PATRON_NOTIFY set): without, messages to members
    // are skipped (no_notifier) rather than tried in vain.
    virtual bool configured() const { return true; }
};

}  // namespace patron::service
