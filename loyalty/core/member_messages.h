// Messages to members (issue 21): which events a member is told about, in her language (Persian
// with Persian digits and Jalali dates, or English), by which channel her consents allow, and when
// the programme's quiet hours let a message go. Pure: the service reads the event, the member and
// the programme, and sends through the notifier.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/events.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/tiers.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/core/wording.h"

namespace patron::core {

enum class MessageKind {
    kWelcome,             // member_enrolled
    kPointsExpiring,      // points_expiring
    kTierReached,         // tier_changed, an upgrade
    kStampCardCompleted,  // stamp_card_completed (its coupon reward is told with it)
    kCouponIssued,        // coupon_issued by staff, to a segment or by a trigger
    kTierAtRisk,          // No event: the tier warning job, ahead of the tier's review.
    kTrigger,             // No event: a marketer's trigger, in the words she wrote ({"text_en", "text_fa"}).
    kDrawWon,             // draw_won, a prize (a reserve place is not told).
};

std::string_view to_string(MessageKind kind);  // "welcome", "points_expiring", ...
std::optional<MessageKind> parse_message_kind(std::string_view name);

// The message an event makes, if any: a downgrade, a stamp card's coupon (told with the card) and
// every other type make none.
std::optional<MessageKind> message_kind_of(EventType type, const nlohmann::json& data);

// Which messages go first when many are due: 0, those about her own account (and a coupon staff
// gave her); 1, what a marketer sent many members: a segment's or a trigger's coupon, a trigger's words.
inline constexpr int kMessagePriorityLowest = 1;
int message_priority(MessageKind kind, const nlohmann::json& data);

// Whether reaching tier `to` from `from` is news to tell her: `to` ranks above `from` and above the
// programme's first tier (where everyone starts, whatever it is called). A tier the policy does not
// name (renamed, or the "Member" every account opens with) ranks below all it names.
bool tier_reached_is_news(const TierPolicy& policy, const std::string& from, const std::string& to);

// How the programme lets Patron message its members: at most `weekly_cap` messages to one member
// in any 7 days (0: none at all), and none in the quiet hours of her time zone (the programme's
// unless she gave hers), from `quiet_from_hour` to `quiet_until_hour` (21 to 9: 21:00 to 09:00 the
// next morning; equal hours: no quiet hours). A message that falls in them waits for their end.
// With `warnings_past_cap` (off unless the programme turns it on), points or a tier about to be
// lost, what she would most regret missing, go past the cap (and count towards it).
struct MessagePolicy {
    int weekly_cap = 3;
    int quiet_from_hour = 21;
    int quiet_until_hour = 9;
    bool warnings_past_cap = false;

    bool operator==(const MessagePolicy&) const = default;
};

// Whether a message goes past the weekly cap: only a warning, and only when the programme says so.
bool message_passes_cap(MessageKind kind, const MessagePolicy& policy);

// When the quiet hours around `now` end, or nullopt when `now` is not in them: the hours of the
// programme's wall clock, also on the days its clocks change.
std::optional<Timestamp> quiet_until(const MessagePolicy& policy, const TimeZone& zone, Timestamp now);

// The longest a message waits for a place under the weekly cap; past it, it is not sent.
inline constexpr std::chrono::days kMessageWaitMax{14};
// When the member, sent messages at `sent` (first first) in the last 7 days, has a place under
// `cap` again: nullopt when she has one now.
std::optional<Timestamp> weekly_cap_frees_at(const std::vector<Timestamp>& sent, int cap);

enum class MessageChannel { kSms, kEmail };
std::string_view to_string(MessageChannel channel);  // "sms", "email"

// SMS when she agreed to marketing SMS and has a phone, else email when she agreed to marketing
// email and has an email; nullopt when she agreed to neither that she can be reached by.
std::optional<MessageChannel> message_channel(const Consents& consents, bool has_phone, bool has_email);

// Dates come in the event's data as local dates already ("last_day"): no zone is needed here.
struct MessageContext {
    Language language = Language::kEnglish;
    std::string program_name;
};

struct MessageText {
    std::string subject;  // For email; SMS gateways may ignore it.
    std::string text;
};

// Whether what the message tells of is past by `now`: points whose last day to spend them has gone,
// a tier whose last day to keep it has gone.
bool message_out_of_date(MessageKind kind, const nlohmann::json& data, const TimeZone& zone, Timestamp now);

// The data of a tier-at-risk message: what she holds, what she would fall to, what more her window
// needs (points, an amount in `currency`'s minor units, or visits) by her last day, the last local
// day of the period ending `period_end` (kept too, to tell a later period's warning from this one).
nlohmann::json tier_at_risk_data(const TierAtRisk& risk, TierMeasure measure, std::string_view currency,
                                 Timestamp period_end, const TimeZone& zone);

// The words of a message about an event's `data`, in the context's language; nullopt when the data
// lacks what the message tells (a tier's name, a card's name, points and their last day). Persian
// texts begin with a right-to-left mark, so that one opening with a Latin programme name still
// reads right to left; numbers are grouped in thousands.
std::optional<MessageText> compose_message(MessageKind kind, const nlohmann::json& data, const MessageContext& context);

// A local date as a member reads it: "18 November 2027", or in Persian the Jalali date with Persian
// digits, "۲۷ آبان ۱۴۰۶".
std::string date_text(LocalDate date, Language language);

}  // namespace patron::core
