#include "loyalty/core/receipt_text.h"

namespace patron::core {
namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The longest prefix of utf8 with at most max code points, never cutting a character in two.
std::string_view prefix_of(std::string_view utf8, std::size_t max) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        if (is_continuation_byte(utf8[i])) continue;
        if (count == max) return utf8.substr(0, i);
        ++count;
    }
    return utf8;
}

}  // namespace

std::size_t code_points(std::string_view utf8) {
    std::size_t count = 0;
    for (char c : utf8) {
        if (!is_continuation_byte(c)) ++count;
    }
    return count;
}

std::string receipt_line(std::string_view label, std::string_view value) {
    const std::string_view kSeparator = ": ";
    if (label.size() + kSeparator.size() + value.size() <= kReceiptLineMax) {  // Bytes bound code points.
        std::string line;
        line.reserve(label.size() + kSeparator.size() + value.size());
        line.append(label).append(kSeparator).append(value);
        return line;
    }
    const std::size_t value_length = code_points(value) + kSeparator.size();
    if (value_length >= kReceiptLineMax) return std::string(prefix_of(value, kReceiptLineMax));
    std::string line(prefix_of(label, kReceiptLineMax - value_length));
    line += kSeparator;
    line += value;
    return line;
}

}  // namespace patron::core
