// Messages to members (issue 21): which events a member is told about, in her language (Persian
// with Persian digits and Jalali dates, or English), by which channel her consents allow, and when
// the programme's quiet hours let a message go. Pure: the service reads the event, the member and
// the programme, and sends through the notifier.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/events.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/core/wording.h"

namespace patron::core {

enum class MessageKind {
    kWelcome,             // member_enrolled
    kPointsExpiring,      // points_expiring
    kTierReached,         // tier_changed, an upgrade
    kStampCardCompleted,  // stamp_card_completed (its coupon reward is told with it)
    kCouponIssued,        // coupon_issued by staff or to a segment
};

std::string_view to_string(MessageKind kind);  // "welcome", "points_expiring", ...
std::optional<MessageKind> parse_message_kind(std::string_view name);

// The message an event makes, if any: a downgrade, a stamp card's coupon (told with the card) and
// every other type make none.
std::optional<MessageKind> message_kind_of(EventType type, const nlohmann::json& data);

// How the programme lets Patron message its members: at most `weekly_cap` messages to one member
// in any 7 days (0: none at all), and none in the quiet hours of the programme's time zone, from
// `quiet_from_hour` to `quiet_until_hour` (21 to 9: 21:00 to 09:00 the next morning; equal hours:
// no quiet hours). A message that falls in them waits for their end.
struct MessagePolicy {
    int weekly_cap = 3;
    int quiet_from_hour = 21;
    int quiet_until_hour = 9;

    bool operator==(const MessagePolicy&) const = default;
};

// When the quiet hours around `now` end, or nullopt when `now` is not in them.
std::optional<Timestamp> quiet_until(const MessagePolicy& policy, const TimeZone& zone, Timestamp now);

enum class MessageChannel { kSms, kEmail };
std::string_view to_string(MessageChannel channel);  // "sms", "email"

// SMS when she agreed to marketing SMS and has a phone, else email when she agreed to marketing
// email and has an email; nullopt when she agreed to neither that she can be reached by.
std::optional<MessageChannel> message_channel(const Consents& consents, bool has_phone, bool has_email);

struct MessageContext {
    Language language = Language::kEnglish;
    std::string program_name;
    const TimeZone* zone = nullptr;  // For dates; UTC when none.
};

struct MessageText {
    std::string subject;  // For email; SMS gateways may ignore it.
    std::string text;
};

// Whether what the message tells of is past by `now`: points whose last day to spend them has gone.
bool message_out_of_date(MessageKind kind, const nlohmann::json& data, const TimeZone& zone, Timestamp now);

// The words of a message about an event's `data`, in the context's language.
MessageText compose_message(MessageKind kind, const nlohmann::json& data, const MessageContext& context);

// A local date as a member reads it: "18 November 2027", or in Persian the Jalali date with Persian
// digits, "۲۷ آبان ۱۴۰۶".
std::string date_text(LocalDate date, Language language);

}  // namespace patron::core
