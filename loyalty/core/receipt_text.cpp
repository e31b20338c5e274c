#include "loyalty/core/receipt_text.h"

#include <algorithm>
#include <ostream>

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

ReceiptLine::ReceiptLine(std::string_view text) {
    text = prefix_of(text, kReceiptLineMax);
    size_ = static_cast<std::uint8_t>(std::min(text.size(), kBytes));
    std::copy_n(text.data(), size_, data_.data());
}

std::ostream& operator<<(std::ostream& out, const ReceiptLine& line) { return out << line.view(); }

ReceiptLine receipt_line(std::string_view label, std::string_view value) {
    const std::string_view kSeparator = ": ";
    const std::size_t value_length = code_points(value) + kSeparator.size();
    if (value_length >= kReceiptLineMax) return ReceiptLine(prefix_of(value, kReceiptLineMax));
    const std::string_view shown = prefix_of(label, kReceiptLineMax - value_length);
    std::array<char, ReceiptLine::kBytes + 8> joined;  // The label's and value's prefixes fit in 160 bytes.
    char* end = std::copy(shown.begin(), shown.end(), joined.data());
    end = std::copy(kSeparator.begin(), kSeparator.end(), end);
    const std::size_t room = static_cast<std::size_t>(joined.data() + joined.size() - end);
    end = std::copy_n(value.data(), std::min(value.size(), room), end);
    return ReceiptLine(std::string_view(joined.data(), static_cast<std::size_t>(end - joined.data())));
}

ReceiptLine receipt_line(std::string_view name, std::string_view note, std::string_view value) {
    if (note.empty()) return receipt_line(name, value);
    const std::size_t room = kReceiptLineMax - std::min(kReceiptLineMax, code_points(value) + 2);  // ": "
    const std::size_t bracket = code_points(note) + 3;                                             // " (" ")"
    if (bracket >= room) return receipt_line(name, value);  // Not even one letter of the name beside it.
    const std::string_view shown = prefix_of(name, room - bracket);
    std::array<char, ReceiptLine::kBytes + 8> label;  // At most 40 code points of 4 bytes.
    char* end = std::copy(shown.begin(), shown.end(), label.data());
    end = std::copy_n(" (", 2, end);
    end = std::copy(note.begin(), note.end(), end);
    *end++ = ')';
    return receipt_line(std::string_view(label.data(), static_cast<std::size_t>(end - label.data())), value);
}

}  // namespace patron::core
