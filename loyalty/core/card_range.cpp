#include "loyalty/core/card_range.h"

#include "loyalty/core/card_number.h"

namespace patron::core {
namespace {

// The digits before the check digit.
std::string_view body(std::string_view number) { return number.substr(0, number.size() - 1); }

// The body as a number: at most 18 digits, so it fits.
std::uint64_t body_value(std::string_view number) {
    std::uint64_t value = 0;
    for (const char digit : body(number)) value = value * 10 + static_cast<std::uint64_t>(digit - '0');
    return value;
}

}  // namespace

Result<void> check_card_range(const CardRange& range) {
    if (!is_valid_card_number(range.first)) {
        return fail(ErrorCode::kCardNumberInvalid, "first is not a valid card number (check digit)", "first");
    }
    if (!is_valid_card_number(range.last)) {
        return fail(ErrorCode::kCardNumberInvalid, "last is not a valid card number (check digit)", "last");
    }
    if (range.first.size() != range.last.size()) {
        return fail(ErrorCode::kValidationFailed, "first and last must have the same number of digits", "last");
    }
    if (body_value(range.last) < body_value(range.first)) {
        return fail(ErrorCode::kValidationFailed, "last must not come before first", "last");
    }
    if (card_range_size(range) > kCardRangeNumbersMax) {
        return fail(ErrorCode::kValidationFailed, "a range holds at most 10,000,000 card numbers", "last");
    }
    return {};
}

std::uint64_t card_range_size(const CardRange& range) { return body_value(range.last) - body_value(range.first) + 1; }

bool in_card_range(const CardRange& range, std::string_view number) {
    if (number.size() != range.first.size() || !is_valid_card_number(number)) return false;
    const std::uint64_t value = body_value(number);
    return body_value(range.first) <= value && value <= body_value(range.last);
}

bool card_ranges_overlap(const CardRange& a, const CardRange& b) {
    if (a.first.size() != b.first.size()) return false;
    return body_value(a.first) <= body_value(b.last) && body_value(b.first) <= body_value(a.last);
}

}  // namespace patron::core
