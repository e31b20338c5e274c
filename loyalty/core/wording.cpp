#include "loyalty/core/wording.h"

namespace patron::core {
namespace {

constexpr std::int64_t kWhole = 100;

}  // namespace

Language language_from_code(std::string_view code) { return code == "fa" ? Language::kPersian : Language::kEnglish; }

std::string_view phrase(Phrase phrase, Language language) {
    const bool persian = language == Language::kPersian;
    switch (phrase) {
        case Phrase::kPointsUsed:
            return persian ? "امتیاز مصرفی" : "Points used";
        case Phrase::kPointsBalance:
            return persian ? "مانده امتیاز" : "Points balance";
        case Phrase::kPointsOnHold:
            return persian ? "امتیاز در انتظار" : "Points on hold";
        case Phrase::kNewTier:
            return persian ? "سطح جدید" : "New tier";
        case Phrase::kReturned:
            return persian ? "امتیاز مرجوعی" : "Returned";
        case Phrase::kPointsRefunded:
            return persian ? "بازگشت امتیاز" : "Points refunded";
        case Phrase::kCashbackUsed:
            return persian ? "کش‌بک مصرفی" : "Cashback used";
        case Phrase::kCashbackBalance:
            return persian ? "مانده کش‌بک" : "Cashback balance";
        case Phrase::kCashbackReturned:
            return persian ? "کش‌بک مرجوعی" : "Cashback returned";
        case Phrase::kCashbackRefunded:
            return persian ? "بازگشت کش‌بک" : "Cashback refunded";
        case Phrase::kStampCardFull:
            return persian ? "جایزه گرفتید" : "reward earned";
        case Phrase::kStampsRemoved:
            return persian ? "مهر مرجوعی" : "Stamps returned";
        case Phrase::kStampsExpired:
            return persian ? "مهرهای منقضی" : "Stamps expired";
        case Phrase::kRewardRevoked:
            return persian ? "جایزه لغو شد" : "Reward revoked";
        case Phrase::kCouponWon:
            return persian ? "کوپن جایزه" : "Coupon won";
        case Phrase::kClaimWithCode:
            return persian ? "امتیاز این خرید را با اسکن کد بگیرید" : "Scan the code in the club for points";
        case Phrase::kRateYourVisit:
            return persian ? "نظرتان را بگویید: کد QR را اسکن کنید" : "Rate your visit: scan the QR code";
    }
    return "";
}

std::string localized_digits(std::string_view text, Language language) {
    if (language != Language::kPersian) return std::string(text);
    static constexpr std::string_view kDigits[] = {"۰", "۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸", "۹"};
    std::string out;
    out.reserve(text.size() * 2);
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            out += kDigits[c - '0'];
        } else if (c == ',') {
            out += "٬";
        } else if (c == '.') {
            out += "٫";
        } else {
            out += c;
        }
    }
    return out;
}

std::string points_text(std::int64_t points, Language language, bool with_sign) {
    std::string text = with_sign && points > 0 ? "+" : "";
    text += localized_digits(std::to_string(points), language);
    // "1 point", not "1 points"; Persian counts with the singular whatever the number.
    const bool one = points == 1 || points == -1;
    text += language == Language::kPersian ? " امتیاز" : (one ? " point" : " points");
    return text;
}

std::string money_text(const Money& money, Language language) {
    if (language != Language::kPersian) return format_money(money);
    std::string text = format_money(money);
    const std::string code(money.currency.code);
    if (code == "IRR") text.replace(text.size() - code.size(), code.size(), "ریال");
    return localized_digits(text, language);
}

std::string signed_number(char sign, std::int64_t number) {
    std::string text(1, sign);
    text += std::to_string(number);
    return text;
}

std::string signed_money_text(char sign, const Money& money, Language language) {
    // Built in place: g++ 12 at -O2 reports a false -Warray-bounds for "+" + std::string.
    std::string text(1, sign);
    text += money_text(money, language);
    return text;
}

std::string multiplier_text(std::int64_t percent, Language language) {
    std::string text = std::to_string(percent / kWhole);
    const std::int64_t fraction = percent % kWhole;
    if (fraction != 0)
        text +=
            "." + std::string(fraction < 10 ? "0" : "") + std::to_string(fraction % 10 == 0 ? fraction / 10 : fraction);
    return (language == Language::kPersian ? "×" : "x") + localized_digits(text, language);
}

std::string tenure_text(int years, Language language) {
    if (language == Language::kPersian) return localized_digits(std::to_string(years), language) + " سال";
    return std::to_string(years) + (years == 1 ? " year" : " years");
}

}  // namespace patron::core
