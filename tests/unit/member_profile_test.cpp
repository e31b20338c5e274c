#include "loyalty/core/member_profile.h"

#include <gtest/gtest.h>

#include "loyalty/core/card_number.h"

namespace patron::core {
namespace {

TEST(Phones, NormaliseToE164WithTheProgramsCountry) {
    const std::pair<const char*, const char*> cases[] = {
        {"0912 345 6789", "+989123456789"}, {"+98 912-345-6789", "+989123456789"}, {"00989123456789", "+989123456789"},
        {"۰۹۱۲۳۴۵۶۷۸۹", "+989123456789"},   {"(0912) 345.6789", "+989123456789"},  {"+1 650 555 0100", "+16505550100"},
    };
    for (const auto& [raw, expected] : cases) {
        SCOPED_TRACE(raw);
        const auto phone = normalise_phone(raw, "98", "phone");
        ASSERT_TRUE(phone.has_value()) << phone.error().message;
        EXPECT_EQ(*phone, expected);
    }
}

TEST(Phones, RejectWhatIsNotAPhoneNumber) {
    for (const char* raw : {"", "abc", "912345", "+98", "0912x3456789", "+1234567890123456", "9123456789"}) {
        SCOPED_TRACE(raw);
        const auto phone = normalise_phone(raw, "98", "phone");
        ASSERT_FALSE(phone.has_value());
        EXPECT_EQ(phone.error().field, "phone");
    }
}

TEST(Emails, AreTrimmedAndLowerCased) {
    EXPECT_EQ(normalise_email("  Sara.Karimi@Example.IR ", "email").value(), "sara.karimi@example.ir");
    for (const char* raw : {"", "no-at", "a@b", "@example.com", "a@@b.com", "a b@c.com", "a@.com", "a@b.com."}) {
        SCOPED_TRACE(raw);
        EXPECT_FALSE(normalise_email(raw, "email").has_value());
    }
}

TEST(Names, AreMaskedForCashiers) {
    EXPECT_EQ(masked_name("Sara Karimi"), "S. Ka***");
    EXPECT_EQ(masked_name("Sara Maryam Karimi"), "S. Ka***");
    EXPECT_EQ(masked_name("Madonna"), "Ma***");
    EXPECT_EQ(masked_name("سارا کریمی"), "س. کر***");
    EXPECT_EQ(masked_name("   "), "***");
}

TEST(Dates, OnlyRealCalendarDatesParse) {
    EXPECT_TRUE(parse_date("2024-02-29").has_value());
    for (const char* text : {"2023-02-29", "2026-13-01", "2026-1-01", "20260101", "2026-01-01T00", ""}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(parse_date(text).has_value());
    }
    EXPECT_EQ(format_date(*parse_date("2026-11-22")), "2026-11-22");
}

TEST(CardNumbers, CarryALuhnCheckDigit) {
    const std::string number = make_card_number("7001", "23456789012");
    EXPECT_EQ(number.size(), 16U);
    EXPECT_TRUE(is_valid_card_number(number));
    EXPECT_TRUE(is_valid_card_number("4111111111111111"));
    std::string typo = number;
    typo[6] = typo[6] == '9' ? '0' : static_cast<char>(typo[6] + 1);
    EXPECT_FALSE(is_valid_card_number(typo));
    EXPECT_FALSE(is_valid_card_number("4111111111111121"));
    EXPECT_FALSE(is_valid_card_number("41111111111a1111"));
    EXPECT_FALSE(is_valid_card_number("12345"));
}

}  // namespace
}  // namespace patron::core
