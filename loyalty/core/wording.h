// The words Patron prints on receipts, in the program's language: English, or Persian with
// Persian digits and separators (members and cashiers in Iran read ۱۲۳٬۴۵۶ ریال, not 123,456 IRR).
// Rule and tier names are the marketers' own words and are printed as they wrote them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/core/money.h"

namespace patron::core {

enum class Language { kEnglish, kPersian };

// "fa" is Persian; every other code reads English.
Language language_from_code(std::string_view code);

enum class Phrase {
    kPointsUsed,
    kPointsBalance,
    kPointsOnHold,
    kNewTier,
    kReturned,
    kPointsRefunded,
    kCashbackUsed,
    kCashbackBalance,
    kCashbackReturned,
    kCashbackRefunded,
    kStampCardFull,
    kStampsRemoved,
    kStampsExpired,
    kRewardRevoked,
    kCouponWon,
    kClaimWithCode,
    kRateYourVisit
};

std::string_view phrase(Phrase phrase, Language language);

// ASCII digits, ',' and '.' as the language writes them (Persian: ۰-۹, '٬' and '٫').
std::string localized_digits(std::string_view text, Language language);

// "+330 points" / "-30 points"; Persian "+۳۳۰ امتیاز". Without a sign for zero or `signed_ = false`.
std::string points_text(std::int64_t points, Language language, bool with_sign = true);

// format_money() in the language: "300,000 IRR", or "۳۰۰٬۰۰۰ ریال".
std::string money_text(const Money& money, Language language);

// A number after a sign, ASCII digits: '+', 2 -> "+2".
std::string signed_number(char sign, std::int64_t number);

// The same after a sign: "+4,500 IRR", "-50,000 IRR".
std::string signed_money_text(char sign, const Money& money, Language language);

// Whole years of membership: "1 year", "7 years"; Persian "۷ سال".
std::string tenure_text(int years, Language language);

// A multiplier in percent as the language writes it: 200 -> "x2", 125 -> "x1.25"; Persian "×۱٫۲۵".
std::string multiplier_text(std::int64_t percent, Language language);

}  // namespace patron::core
