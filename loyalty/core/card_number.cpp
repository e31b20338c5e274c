#include "loyalty/core/card_number.h"

#include <algorithm>
#include <cctype>

namespace patron::core {
namespace {

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The Luhn sum of the digits, doubling every second digit counted from the right;
// `check_follows` says whether a check digit will stand to their right.
int luhn_sum(std::string_view digits, bool check_follows) {
    int sum = 0;
    bool doubled = check_follows;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int digit = *it - '0';
        if (doubled) {
            digit *= 2;
            if (digit > 9) digit -= 9;
        }
        sum += digit;
        doubled = !doubled;
    }
    return sum;
}

}  // namespace

bool is_valid_card_number(std::string_view number) {
    if (number.size() < 12 || number.size() > 19 || !all_digits(number)) return false;
    return luhn_sum(number, false) % 10 == 0;
}

std::string make_card_number(std::string_view prefix, std::string_view body) {
    std::string number(prefix);
    number += body;
    const int check = (10 - luhn_sum(number, true) % 10) % 10;
    number += static_cast<char>('0' + check);
    return number;
}

}  // namespace patron::core
