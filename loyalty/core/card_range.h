// Pre-printed card ranges: a run of numbers a program bought from its card printer, from `first` to
// `last`, both valid card numbers of one length. Ranges compare on the digits before the check
// digit, since the check digit follows from them; no range may share a number with another.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"

namespace patron::core {

struct CardRange {
    std::string first;
    std::string last;
};

// A printer's batch is thousands to a few million cards; a bound keeps one program from fencing off
// the number space other programs draw from (a drawn number never lies in a range).
inline constexpr std::uint64_t kCardRangeNumbersMax = 10'000'000;

// Both ends valid card numbers (CARD_NUMBER_INVALID naming `first` or `last`), of one length, first
// not after last, at most kCardRangeNumbersMax numbers (VALIDATION_FAILED naming `last`).
Result<void> check_card_range(const CardRange& range);

// How many card numbers the range holds; the range must have passed check_card_range.
std::uint64_t card_range_size(const CardRange& range);

// Whether `number` (any text) is one of the range's card numbers.
bool in_card_range(const CardRange& range, std::string_view number);

// Whether two checked ranges share a number (ranges of different lengths never do).
bool card_ranges_overlap(const CardRange& a, const CardRange& b);

}  // namespace patron::core
