#include "loyalty/core/member_messages.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "loyalty/core/jalali.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::array<MessageKind, 5> kKinds = {MessageKind::kWelcome, MessageKind::kPointsExpiring,
                                               MessageKind::kTierReached, MessageKind::kStampCardCompleted,
                                               MessageKind::kCouponIssued};

constexpr std::array<const char*, 12> kPersianMonths = {"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                                                        "مهر",     "آبان",     "آذر",   "دی",  "بهمن",  "اسفند"};
constexpr std::array<const char*, 12> kEnglishMonths = {"January",   "February", "March",    "April",
                                                        "May",       "June",     "July",     "August",
                                                        "September", "October",  "November", "December"};

std::string text_of(const json& data, const char* key) {
    const auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t number_of(const json& data, const char* key) {
    const auto it = data.find(key);
    return it != data.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// "2027-11-18" as a date; nullopt when it is not one.
std::optional<LocalDate> parse_day(const std::string& text) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u", &year, &month, &day) != 3) return std::nullopt;
    const LocalDate date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string number_text(std::int64_t number, Language language) {
    return localized_digits(std::to_string(number), language);
}

}  // namespace

std::string_view to_string(MessageKind kind) {
    switch (kind) {
        case MessageKind::kWelcome:
            return "welcome";
        case MessageKind::kPointsExpiring:
            return "points_expiring";
        case MessageKind::kTierReached:
            return "tier_reached";
        case MessageKind::kStampCardCompleted:
            return "stamp_card_completed";
        case MessageKind::kCouponIssued:
            return "coupon_issued";
    }
    return "welcome";
}

std::optional<MessageKind> parse_message_kind(std::string_view name) {
    for (const MessageKind kind : kKinds) {
        if (to_string(kind) == name) return kind;
    }
    return std::nullopt;
}

std::optional<MessageKind> message_kind_of(EventType type, const json& data) {
    switch (type) {
        case EventType::kMemberEnrolled:
            return MessageKind::kWelcome;
        case EventType::kPointsExpiring:
            return MessageKind::kPointsExpiring;
        case EventType::kTierChanged:
            if (text_of(data, "direction") == "upgrade") return MessageKind::kTierReached;
            return std::nullopt;
        case EventType::kStampCardCompleted:
            return MessageKind::kStampCardCompleted;
        case EventType::kCouponIssued:
            if (text_of(data, "source") == "stamp_card") return std::nullopt;  // Told with the card.
            return MessageKind::kCouponIssued;
        default:
            return std::nullopt;
    }
}

std::optional<Timestamp> quiet_until(const MessagePolicy& policy, const TimeZone& zone, Timestamp now) {
    const int from = policy.quiet_from_hour;
    const int until = policy.quiet_until_hour;
    if (from == until) return std::nullopt;
    const LocalDate today = local_date(zone, now);
    const auto since_midnight = std::chrono::duration_cast<std::chrono::seconds>(now - zone.day_start(today));
    const int hour = static_cast<int>(since_midnight.count() / 3600);
    const bool quiet = from < until ? hour >= from && hour < until : hour >= from || hour < until;
    if (!quiet) return std::nullopt;
    // The quiet hours end today when `until` is still ahead, otherwise tomorrow.
    const LocalDate day = hour < until ? today : add_days(today, 1);
    return zone.day_start(day) + std::chrono::hours(until);
}

std::string_view to_string(MessageChannel channel) { return channel == MessageChannel::kSms ? "sms" : "email"; }

std::optional<MessageChannel> message_channel(const Consents& consents, bool has_phone, bool has_email) {
    if (consents.marketing_sms && has_phone) return MessageChannel::kSms;
    if (consents.marketing_email && has_email) return MessageChannel::kEmail;
    return std::nullopt;
}

bool message_out_of_date(MessageKind kind, const json& data, const TimeZone& zone, Timestamp now) {
    if (kind != MessageKind::kPointsExpiring) return false;
    const auto last = parse_day(text_of(data, "last_day"));
    return last && local_date(zone, now) > *last;
}

std::string date_text(LocalDate date, Language language) {
    if (language == Language::kPersian) {
        if (const auto jalali = to_jalali(date)) {
            return number_text(jalali->day, language) + " " + kPersianMonths[jalali->month - 1] + " " +
                   number_text(jalali->year, language);
        }
    }
    return std::to_string(static_cast<unsigned>(date.day())) + " " +
           kEnglishMonths[static_cast<unsigned>(date.month()) - 1] + " " +
           std::to_string(static_cast<int>(date.year()));
}

MessageText compose_message(MessageKind kind, const json& data, const MessageContext& context) {
    const Language language = context.language;
    const bool fa = language == Language::kPersian;
    const std::string& program = context.program_name;
    switch (kind) {
        case MessageKind::kWelcome:
            if (fa) {
                return {"به " + program + " خوش آمدید", "به " + program +
                                                            " خوش آمدید! از خرید بعدی با کارت خود امتیاز می‌گیرید. "
                                                            "موجودی و جایزه‌هایتان را در "
                                                            "پورتال اعضا ببینید."};
            }
            return {"Welcome to " + program,
                    "Welcome to " + program +
                        "! Your card earns points from your next purchase. See your balance and rewards in the "
                        "member portal."};
        case MessageKind::kPointsExpiring: {
            const std::string points = points_text(number_of(data, "points"), language, false);
            const auto day = parse_day(text_of(data, "last_day"));
            const std::string last = day ? date_text(*day, language) : text_of(data, "last_day");
            if (fa) {
                return {program + ": امتیازهای رو به انقضا",
                        points + " شما در " + program + " پس از " + last +
                            " منقضی می‌شود. تا آن روز از آن استفاده کنید."};
            }
            return {program + ": points about to expire",
                    "Your " + points + " at " + program + " expire after " + last + ". Use them by then."};
        }
        case MessageKind::kTierReached: {
            const std::string tier = text_of(data, "to");
            if (fa) return {program + ": سطح تازه", "تبریک! در " + program + " به سطح " + tier + " رسیدید."};
            return {program + ": a new tier", "Congratulations: you have reached " + tier + " at " + program + "."};
        }
        case MessageKind::kStampCardCompleted: {
            const std::string card = text_of(data, "name");
            const std::int64_t filled = std::max<std::int64_t>(number_of(data, "rewards"), 1);
            if (fa) {
                const std::string cards = filled > 1 ? number_text(filled, language) + " کارت " : "کارت ";
                return {program + ": کارت مهر پر شد",
                        cards + card + " شما در " + program + " پر شد و جایزه‌تان آماده است."};
            }
            const std::string cards =
                filled > 1 ? std::to_string(filled) + " " + card + " cards are" : "Your " + card + " card is";
            return {
                program + ": stamp card full",
                cards + " full at " + program + (filled > 1 ? ": your rewards are ready." : ": your reward is ready.")};
        }
        case MessageKind::kCouponIssued:
            if (fa) {
                return {program + ": کوپن تازه",
                        "کوپن تازه‌ای در " + program + " دارید. آن را در پورتال اعضا ببینید."};
            }
            return {program + ": a new coupon",
                    "You have a new coupon at " + program + ". See it in the member portal."};
    }
    return {};
}

}  // namespace patron::core
