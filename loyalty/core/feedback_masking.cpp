#include "loyalty/core/feedback_masking.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace patron::core {
namespace {

// One UTF-8 character of the comment: where it starts, how many bytes, and what it is.
struct Character {
    std::size_t at = 0;
    std::size_t size = 1;
    char32_t code = 0;
};

std::vector<Character> characters_of(std::string_view text) {
    std::vector<Character> characters;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t size = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        char32_t code = size == 1 ? lead : size == 2 ? lead & 0x1F : size == 3 ? lead & 0x0F : lead & 0x07;
        for (std::size_t k = 1; k < size && i + k < text.size(); ++k) {
            code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        }
        characters.push_back({i, std::min(size, text.size() - i), code});
        i += size;
    }
    return characters;
}

bool is_digit(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'\u06F0' && c <= U'\u06F9') || (c >= U'\u0660' && c <= U'\u0669');
}
bool is_number_joiner(char32_t c) {
    return c == U' ' || c == U'-' || c == U'.' || c == U'(' || c == U')' || c == U'+' || c == U'/';
}
bool is_email_character(char32_t c) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') || c == U'.' || c == U'_' ||
           c == U'%' || c == U'+' || c == U'-';
}

// The characters [begin, end) to mask, as a list of spans; email spans first, then numbers.
struct Span {
    std::size_t begin;
    std::size_t end;
};

// An email: the run of address characters around each '@' with something on both sides.
std::vector<Span> email_spans(const std::vector<Character>& text) {
    std::vector<Span> spans;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i].code != U'@') continue;
        std::size_t begin = i;
        while (begin > 0 && is_email_character(text[begin - 1].code)) --begin;
        std::size_t end = i + 1;
        while (end < text.size() && is_email_character(text[end].code)) ++end;
        if (begin < i && end > i + 1) spans.push_back({begin, end});
    }
    return spans;
}

// Runs of digits joined by separators, with at least kMaskedDigitsMin digits; a run ends at its last digit.
std::vector<Span> number_spans(const std::vector<Character>& text) {
    std::vector<Span> spans;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i].code)) {
            ++i;
            continue;
        }
        std::size_t begin = i;
        if (begin > 0 && text[begin - 1].code == U'+') --begin;
        std::size_t digits = 0;
        std::size_t last_digit = i;
        std::size_t k = i;
        while (k < text.size() && (is_digit(text[k].code) || is_number_joiner(text[k].code))) {
            if (is_digit(text[k].code)) {
                ++digits;
                last_digit = k;
            }
            ++k;
        }
        if (digits >= kMaskedDigitsMin) spans.push_back({begin, last_digit + 1});
        i = last_digit + 1;
    }
    return spans;
}

}  // namespace

std::string mask_contact_details(std::string_view comment) {
    const std::vector<Character> text = characters_of(comment);
    std::vector<bool> masked(text.size(), false);
    for (const auto& spans : {email_spans(text), number_spans(text)}) {
        for (const Span& span : spans) {
            for (std::size_t i = span.begin; i < span.end; ++i) masked[i] = true;
        }
    }
    std::string out;
    out.reserve(comment.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!masked[i]) {
            out.append(comment.substr(text[i].at, text[i].size));
        } else if (i == 0 || !masked[i - 1]) {
            out.append(kMaskedText);
        }
    }
    return out;
}

}  // namespace patron::core
