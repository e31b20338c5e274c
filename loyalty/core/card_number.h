// Card numbers: the program's prefix, random digits and a Luhn check digit, so that a
// mistyped number is caught before any database look-up.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace patron::core {

// True when the text is 12 to 19 ASCII digits whose last digit is their Luhn check digit.
bool is_valid_card_number(std::string_view number);

// prefix + body + the Luhn check digit over both. Both parts must be ASCII digits.
// Random digits between a program's prefix and the check digit of a new card.
inline constexpr std::size_t kCardBodyDigits = 11;

std::string make_card_number(std::string_view prefix, std::string_view body);

}  // namespace patron::core
