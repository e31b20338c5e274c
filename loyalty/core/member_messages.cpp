#include "loyalty/core/member_messages.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "loyalty/core/jalali.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::array<MessageKind, 8> kKinds = {MessageKind::kWelcome,      MessageKind::kPointsExpiring,
                                               MessageKind::kTierReached,  MessageKind::kStampCardCompleted,
                                               MessageKind::kCouponIssued, MessageKind::kTierAtRisk,
                                               MessageKind::kTrigger,      MessageKind::kDrawWon};

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

// 12,345 or, in Persian, ۱۲٬۳۴۵.
std::string number_text(std::int64_t number, Language language) {
    const std::string digits = std::to_string(number < 0 ? -number : number);
    return localized_digits((number < 0 ? "-" : "") + group_thousands(digits), language);
}

// "1 point", "1,200 points", "۱٬۲۰۰ امتیاز".
std::string points_count(std::int64_t points, Language language) {
    if (language == Language::kPersian) return number_text(points, language) + " امتیاز";
    return number_text(points, language) + (points == 1 ? " point" : " points");
}

constexpr const char* kRightToLeftMark = "\u200F";

std::optional<MessageText> words_of(MessageKind kind, const json& data, const MessageContext& context);
std::optional<MessageText> tier_at_risk_words(const json& data, const MessageContext& context);

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
        case MessageKind::kTierAtRisk:
            return "tier_at_risk";
        case MessageKind::kTrigger:
            return "trigger";
        case MessageKind::kDrawWon:
            return "draw_won";
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
        case EventType::kDrawWon:
            if (text_of(data, "state") != "won") return std::nullopt;  // A reserve waits in line.
            return MessageKind::kDrawWon;
        default:
            return std::nullopt;
    }
}

int message_priority(MessageKind kind, const json& data) {
    if (kind == MessageKind::kTrigger) return 1;
    return kind == MessageKind::kCouponIssued &&
                   (text_of(data, "source") == "segment" || text_of(data, "source") == "trigger")
               ? 1
               : 0;
}

bool message_passes_cap(MessageKind kind, const MessagePolicy& policy) {
    return policy.warnings_past_cap && (kind == MessageKind::kPointsExpiring || kind == MessageKind::kTierAtRisk);
}

bool tier_reached_is_news(const TierPolicy& policy, const std::string& from, const std::string& to) {
    const int reached = policy.index_of(to);
    return reached > 0 && reached > policy.index_of(from);
}

std::optional<Timestamp> quiet_until(const MessagePolicy& policy, const TimeZone& zone, Timestamp now) {
    const int from = policy.quiet_from_hour;
    const int until = policy.quiet_until_hour;
    if (from == until) return std::nullopt;
    // The wall clock's hour: on a day the clocks change, hours since midnight are not it.
    const auto wall = std::chrono::floor<std::chrono::seconds>(now) + zone.utc_offset(now);
    const auto wall_day = std::chrono::floor<std::chrono::days>(wall);
    const int hour = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(wall - wall_day).count());
    const bool quiet = from < until ? hour >= from && hour < until : hour >= from || hour < until;
    if (!quiet) return std::nullopt;
    // The quiet hours end today when `until` is still ahead, otherwise tomorrow, at that hour of
    // the wall clock: read back to UTC with the offset then (twice, should the clocks change between).
    const auto end_wall = wall_day + std::chrono::days(hour < until ? 0 : 1) + std::chrono::hours(until);
    Timestamp end = Timestamp{end_wall.time_since_epoch()} - zone.utc_offset(now);
    end = Timestamp{end_wall.time_since_epoch()} - zone.utc_offset(end);
    // An hour the clocks skip (01:00 on a spring-forward night): the first instant after the gap.
    const auto reached = std::chrono::floor<std::chrono::seconds>(end) + zone.utc_offset(end);
    if (reached < end_wall) end += end_wall - reached;
    return end > now ? end : now + std::chrono::minutes(1);
}

std::optional<Timestamp> weekly_cap_frees_at(const std::vector<Timestamp>& sent, int cap) {
    if (cap <= 0 || std::ssize(sent) < cap) return std::nullopt;
    // The week after the message that, once out of the window, leaves cap - 1 in it.
    return sent[sent.size() - static_cast<std::size_t>(cap)] + std::chrono::days(7);
}

std::string_view to_string(MessageChannel channel) { return channel == MessageChannel::kSms ? "sms" : "email"; }

std::optional<MessageChannel> message_channel(const Consents& consents, bool has_phone, bool has_email) {
    if (consents.marketing_sms && has_phone) return MessageChannel::kSms;
    if (consents.marketing_email && has_email) return MessageChannel::kEmail;
    return std::nullopt;
}

bool message_out_of_date(MessageKind kind, const json& data, const TimeZone& zone, Timestamp now) {
    if (kind != MessageKind::kPointsExpiring && kind != MessageKind::kTierAtRisk) return false;
    const auto last = parse_day(text_of(data, "last_day"));
    return last && local_date(zone, now) > *last;
}

std::string date_text(LocalDate date, Language language) {
    if (language == Language::kPersian) {
        if (const auto jalali = to_jalali(date)) {
            // A year is not grouped in thousands: ۱۴۰۶, not ۱٬۴۰۶.
            return localized_digits(std::to_string(jalali->day), language) + " " + kPersianMonths[jalali->month - 1] +
                   " " + localized_digits(std::to_string(jalali->year), language);
        }
    }
    return std::to_string(static_cast<unsigned>(date.day())) + " " +
           kEnglishMonths[static_cast<unsigned>(date.month()) - 1] + " " +
           std::to_string(static_cast<int>(date.year()));
}

json tier_at_risk_data(const TierAtRisk& risk, TierMeasure measure, std::string_view currency, Timestamp period_end,
                       const TimeZone& zone) {
    return json{{"tier", risk.tier},
                {"falls_to", risk.falls_to},
                {"needed", risk.needed},
                {"measure", measure_name(measure)},
                {"currency", currency},
                {"period_end", format_utc(period_end, TimeFormat::kRfc3339)},
                {"last_day", format_date(last_local_date(zone, period_end))}};
}

std::optional<MessageText> compose_message(MessageKind kind, const json& data, const MessageContext& context) {
    auto words = words_of(kind, data, context);
    if (words && context.language == Language::kPersian) {
        words->subject.insert(0, kRightToLeftMark);
        words->text.insert(0, kRightToLeftMark);
    }
    return words;
}

namespace {

std::optional<MessageText> words_of(MessageKind kind, const json& data, const MessageContext& context) {
    const Language language = context.language;
    const bool fa = language == Language::kPersian;
    const std::string& program = context.program_name;
    switch (kind) {
        case MessageKind::kWelcome:
            if (fa) {
                return MessageText{"به " + program + " خوش آمدید",
                                   "به " + program +
                                       " خوش آمدید! از خرید بعدی با کارت خود امتیاز "
                                       "می‌گیرید. "
                                       "موجودی و جایزه‌هایتان را در "
                                       "پورتال اعضا ببینید."};
            }
            return MessageText{
                "Welcome to " + program,
                "Welcome to " + program +
                    "! Your card earns points from your next purchase. See your balance and rewards in the "
                    "member portal."};
        case MessageKind::kPointsExpiring: {
            const std::int64_t count = number_of(data, "points");
            const auto day = parse_day(text_of(data, "last_day"));
            if (count <= 0 || !day) return std::nullopt;
            const std::string points = points_count(count, language);
            const std::string last = date_text(*day, language);
            if (fa) {
                return MessageText{
                    program + ": امتیازهای رو به انقضا",
                    points + " شما در " + program + " پس از " + last +
                        " منقضی می‌شود. تا آن روز از آن استفاده کنید."};
            }
            return MessageText{program + ": points about to expire",
                               "Your " + points + " at " + program + (count == 1 ? " expires" : " expire") + " after " +
                                   last + (count == 1 ? ". Use it by then." : ". Use them by then.")};
        }
        case MessageKind::kTierReached: {
            const std::string tier = text_of(data, "to");
            if (tier.empty()) return std::nullopt;
            if (fa) return MessageText{program + ": سطح تازه", "تبریک! در " + program + " به سطح " + tier + " رسیدید."};
            return MessageText{program + ": a new tier",
                               "Congratulations: you have reached " + tier + " at " + program + "."};
        }
        case MessageKind::kStampCardCompleted: {
            // The card by its name in quotes: a marketer may call it "Coffee" or "Coffee card".
            const std::string card = text_of(data, "name");
            if (card.empty()) return std::nullopt;
            const std::int64_t filled = std::max<std::int64_t>(number_of(data, "rewards"), 1);
            if (fa) {
                const std::string times = filled > 1 ? " " + number_text(filled, language) + " بار" : "";
                return MessageText{program + ": کارت مهر پر شد",
                                   "کارت مهر «" + card + "» شما در " + program + times + " پر شد و " +
                                       (filled > 1 ? "جایزه‌هایتان" : "جایزه‌تان") +
                                       " آماده است."};
            }
            const std::string times = filled > 1 ? " " + number_text(filled, language) + " times" : "";
            return MessageText{program + ": stamp card full",
                               "You filled your stamp card \"" + card + "\" at " + program + times +
                                   (filled > 1 ? ": your rewards are ready." : ": your reward is ready.")};
        }
        case MessageKind::kTierAtRisk:
            return tier_at_risk_words(data, context);
        case MessageKind::kTrigger: {
            // The marketer's words, in her language; the programme's name as the subject.
            const std::string text = text_of(data, fa ? "text_fa" : "text_en");
            if (text.empty()) return std::nullopt;
            return MessageText{program, text};
        }
        case MessageKind::kCouponIssued:
            if (fa) {
                return MessageText{program + ": کوپن تازه",
                                   "کوپن تازه‌ای در " + program + " دارید. آن را در پورتال اعضا ببینید."};
            }
            return MessageText{program + ": a new coupon",
                               "You have a new coupon at " + program + ". See it in the member portal."};
        case MessageKind::kDrawWon: {
            // The prize and the draw by their names, as the marketer wrote them.
            const std::string prize = text_of(data, "prize");
            const std::string draw = text_of(data, "draw_name");
            if (prize.empty() || draw.empty()) return std::nullopt;
            if (fa) {
                return MessageText{program + ": برنده شدید", "تبریک! در قرعه‌کشی «" + draw + "» " +
                                                                 program + " برنده «" + prize +
                                                                 "» شدید. باشگاه برای تحویل جایزه با شما تماس "
                                                                 "می‌گیرد."};
            }
            return MessageText{program + ": you won", "Congratulations! You won \"" + prize + "\" in the " + program +
                                                          " draw \"" + draw +
                                                          "\". The club will be in touch about your prize."};
        }
    }
    return std::nullopt;
}

// "120 more points", "1,200,000 IRR more", "3 more times" as the tier's measure counts.
std::optional<std::string> still_needed(const json& data, Language language) {
    const std::int64_t needed = number_of(data, "needed");
    if (needed <= 0) return std::nullopt;
    const std::string measure = text_of(data, "measure");
    const bool fa = language == Language::kPersian;
    if (measure == "points") {
        if (fa) return points_count(needed, language) + " دیگر";
        return number_text(needed, language) + (needed == 1 ? " more point" : " more points");
    }
    if (measure == "visits") {
        if (fa) return number_text(needed, language) + " بار دیگر";
        return needed == 1 ? std::string("once more") : number_text(needed, language) + " more times";
    }
    if (measure == "amount") {
        const auto currency = find_currency(text_of(data, "currency"));
        if (!currency) return std::nullopt;
        return money_text(Money{needed, *currency}, language) + (fa ? " دیگر" : " more");
    }
    return std::nullopt;
}

std::optional<MessageText> tier_at_risk_words(const json& data, const MessageContext& context) {
    const Language language = context.language;
    const std::string& program = context.program_name;
    const std::string tier = text_of(data, "tier");
    const std::string falls_to = text_of(data, "falls_to");
    const auto day = parse_day(text_of(data, "last_day"));
    const auto needed = still_needed(data, language);
    if (tier.empty() || falls_to.empty() || !day || !needed) return std::nullopt;
    const std::string last = date_text(*day, language);
    const std::string measure = text_of(data, "measure");
    if (language == Language::kPersian) {
        const std::string verb = measure == "points" ? " بگیرید" : " خرید کنید";
        return MessageText{program + ": سطح خود را نگه دارید", "برای نگه داشتن سطح " + tier + " در " + program + "، " +
                                                                   *needed + " تا " + last + verb + "؛ وگرنه سطح شما " +
                                                                   falls_to + " می‌شود."};
    }
    const std::string action = measure == "points"   ? "earn " + *needed
                               : measure == "visits" ? "visit " + *needed
                                                     : "spend " + *needed;
    return MessageText{program + ": keep your tier", "Keep your " + tier + " tier at " + program + ": " + action +
                                                         " by " + last + ", or it becomes " + falls_to + "."};
}

}  // namespace

}  // namespace patron::core
