#include "loyalty/core/member_profile.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <vector>

namespace patron::core {
namespace {

// Reads one UTF-8 code point at text[i] and advances i; returns -1 on a malformed sequence.
long next_code_point(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return -1;
    long code = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return -1;
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    i += length;
    return code;
}

// The ASCII digit for ASCII, Persian (U+06F0..9) and Arabic-Indic (U+0660..9) digits.
std::optional<char> as_digit(long code) {
    if (code >= '0' && code <= '9') return static_cast<char>(code);
    if (code >= 0x06F0 && code <= 0x06F9) return static_cast<char>('0' + (code - 0x06F0));
    if (code >= 0x0660 && code <= 0x0669) return static_cast<char>('0' + (code - 0x0660));
    return std::nullopt;
}

bool is_phone_separator(long code) { return code == ' ' || code == '-' || code == '(' || code == ')' || code == '.'; }

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

// Splits a name into words at ASCII white space.
std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t start = std::string_view::npos;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const bool space = i == text.size() || std::isspace(static_cast<unsigned char>(text[i]));
        if (!space && start == std::string_view::npos) start = i;
        if (space && start != std::string_view::npos) {
            words.push_back(text.substr(start, i - start));
            start = std::string_view::npos;
        }
    }
    return words;
}

// The first n code points of a UTF-8 word.
std::string_view first_code_points(std::string_view word, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t k = 0; k < n && i < word.size(); ++k) {
        if (next_code_point(word, i) < 0) break;
    }
    return word.substr(0, i);
}

}  // namespace

Result<std::string> normalise_phone(std::string_view raw, std::string_view default_country_code,
                                    const std::string& field) {
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < raw.size();) {
        const long code = next_code_point(raw, i);
        if (code == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (const auto digit = as_digit(code)) {
            digits += *digit;
        } else if (!is_phone_separator(code)) {
            return fail(ErrorCode::kValidationFailed, "phone may hold only digits, spaces, dashes and a leading +",
                        field);
        }
    }
    std::string international;
    if (plus) {
        international = digits;
    } else if (digits.starts_with("00")) {
        international = digits.substr(2);
    } else if (digits.starts_with("0") && !default_country_code.empty()) {
        international = std::string(default_country_code) + digits.substr(1);
    } else {
        return fail(ErrorCode::kValidationFailed, "phone must be international (+98...) or local (0912...)", field);
    }
    if (international.size() < 8 || international.size() > 15 || international.starts_with("0")) {
        return fail(ErrorCode::kValidationFailed, "phone is not a valid E.164 number", field);
    }
    return "+" + international;
}

Result<std::string> normalise_email(std::string_view raw, const std::string& field) {
    std::string email = trimmed(raw);
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto at = email.find('@');
    const bool one_at = at != std::string::npos && email.find('@', at + 1) == std::string::npos;
    const bool has_space = email.find_first_of(" \t\r\n") != std::string::npos;
    if (!one_at || at == 0 || has_space || email.size() > 254) {
        return fail(ErrorCode::kValidationFailed, "email is not a valid address", field);
    }
    const std::string domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.') {
        return fail(ErrorCode::kValidationFailed, "email domain is not valid", field);
    }
    return email;
}

std::string masked_name(std::string_view full_name) {
    const std::vector<std::string_view> words = words_of(full_name);
    if (words.empty()) return "***";
    if (words.size() == 1) return std::string(first_code_points(words[0], 2)) + "***";
    return std::string(first_code_points(words.front(), 1)) + ". " + std::string(first_code_points(words.back(), 2)) +
           "***";
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    const auto number = [&](std::size_t from, std::size_t length, auto& out) {
        const char* begin = text.data() + from;
        const auto [end, error] = std::from_chars(begin, begin + length, out);
        return error == std::errc() && end == begin + length;
    };
    if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string format_date(std::chrono::year_month_day date) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

}  // namespace patron::core
