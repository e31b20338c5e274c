#include "loyalty/core/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace patron::core {
namespace {

struct CurrencyCase {
    const char* code;
    int exponent;
};

TEST(Money, CurrenciesCarryTheirOwnMinorUnitExponent) {
    for (const CurrencyCase& c : {CurrencyCase{"IRR", 0}, CurrencyCase{"USD", 2}, CurrencyCase{"KWD", 3},
                                  CurrencyCase{"JPY", 0}, CurrencyCase{"EUR", 2}, CurrencyCase{"BHD", 3}}) {
        SCOPED_TRACE(c.code);
        const auto currency = find_currency(c.code);
        ASSERT_TRUE(currency.has_value());
        EXPECT_EQ(currency->exponent, c.exponent);
    }
}

TEST(Money, UnknownOrMiscasedCodesAreNotCurrencies) {
    EXPECT_FALSE(find_currency("XXX").has_value());
    EXPECT_FALSE(find_currency("irr").has_value());
    EXPECT_FALSE(find_currency("").has_value());
}

TEST(Money, FormatsWithTheCurrencysDecimals) {
    EXPECT_EQ(format_money({900000, *find_currency("IRR")}), "900,000 IRR");
    EXPECT_EQ(format_money({123456, *find_currency("USD")}), "1,234.56 USD");
    EXPECT_EQ(format_money({5, *find_currency("USD")}), "0.05 USD");
    EXPECT_EQ(format_money({1234567, *find_currency("KWD")}), "1,234.567 KWD");
    EXPECT_EQ(format_money({-2500, *find_currency("USD")}), "-25.00 USD");
    EXPECT_EQ(format_money({0, *find_currency("IRR")}), "0 IRR");
}

TEST(Money, AdditionReportsOverflowInsteadOfWrapping) {
    EXPECT_EQ(checked_add(2, 3), 5);
    EXPECT_FALSE(checked_add(std::numeric_limits<std::int64_t>::max(), 1).has_value());
    EXPECT_FALSE(checked_add(std::numeric_limits<std::int64_t>::min(), -1).has_value());
}

}  // namespace
}  // namespace patron::core
