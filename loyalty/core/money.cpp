#include "loyalty/core/money.h"

#include <algorithm>
#include <array>

namespace patron::core {
namespace {

// The currencies a retail loyalty program meets, with their ISO 4217 minor-unit exponents.
constexpr std::array kCurrencies = {
    Currency{"AED", 2}, Currency{"AFN", 2}, Currency{"AMD", 2}, Currency{"AUD", 2}, Currency{"AZN", 2},
    Currency{"BHD", 3}, Currency{"CAD", 2}, Currency{"CHF", 2}, Currency{"CNY", 2}, Currency{"EUR", 2},
    Currency{"GBP", 2}, Currency{"GEL", 2}, Currency{"INR", 2}, Currency{"IQD", 3}, Currency{"IRR", 0},
    Currency{"JOD", 3}, Currency{"JPY", 0}, Currency{"KRW", 0}, Currency{"KWD", 3}, Currency{"LYD", 3},
    Currency{"OMR", 3}, Currency{"PKR", 2}, Currency{"QAR", 2}, Currency{"RUB", 2}, Currency{"SAR", 2},
    Currency{"SEK", 2}, Currency{"TJS", 2}, Currency{"TND", 3}, Currency{"TRY", 2}, Currency{"USD", 2},
};

}  // namespace

std::optional<Currency> find_currency(std::string_view code) {
    const auto* it =
        std::find_if(kCurrencies.begin(), kCurrencies.end(), [code](const Currency& c) { return c.code == code; });
    if (it == kCurrencies.end()) return std::nullopt;
    return *it;
}

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
    return sum;
}

std::string group_thousands(std::string_view digits) {
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    return grouped;
}

std::string format_money(const Money& money) {
    const bool negative = money.minor < 0;
    // Work in unsigned so that INT64_MIN has a magnitude too.
    std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(money.minor) : static_cast<std::uint64_t>(money.minor);
    std::string digits = std::to_string(magnitude);
    const auto exponent = static_cast<std::size_t>(money.currency.exponent);
    if (digits.size() <= exponent) digits.insert(0, exponent - digits.size() + 1, '0');
    const std::string whole = digits.substr(0, digits.size() - exponent);
    const std::string fraction = digits.substr(digits.size() - exponent);

    std::string text = negative ? "-" : "";
    text += group_thousands(whole);
    if (!fraction.empty()) text += "." + fraction;
    text += " ";
    text += money.currency.code;
    return text;
}

}  // namespace patron::core
