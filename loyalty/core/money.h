// Money as integer minor units of an ISO 4217 currency with that currency's own exponent
// (IRR 0, USD 2, KWD 3). There is no floating point anywhere in money: amounts are int64
// and every operation that could overflow says so instead of wrapping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patron::core {

struct Currency {
    std::string_view code;  // ISO 4217 alphabetic code, e.g. "IRR".
    int exponent;           // Number of minor-unit digits: 0 for IRR, 2 for USD, 3 for KWD.

    bool operator==(const Currency& other) const { return code == other.code; }
};

// The currency with this ISO 4217 code, or nullopt when Patron does not know it.
std::optional<Currency> find_currency(std::string_view code);

struct Money {
    std::int64_t minor;
    Currency currency;
};

// Sums two amounts in minor units; nullopt on int64 overflow.
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b);

// Formats an amount for people, with thousands separators and the currency's decimals,
// e.g. 900000 IRR -> "900,000 IRR", 123456 USD -> "1,234.56 USD".
std::string format_money(const Money& money);
// Decimal digits grouped in thousands with commas: "1234567" -> "1,234,567" (localized_digits()
// turns the commas into Persian separators).
std::string group_thousands(std::string_view digits);

}  // namespace patron::core
