// Receipt-number gaps: a terminal numbers its receipts in sequence, so a number missing between
// two that Patron holds is an operation that never arrived (or was refused), which is points or
// money a member did not get. Pure: the caller lists the receipts it holds for one terminal and
// business day; receipts that are not plain numbers take no part.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace patron::core {

// The receipt as a number: 1 to 15 ASCII digits (so it fits a long long with room), else none.
std::optional<long long> receipt_number(std::string_view receipt);

struct NumberGap {
    long long from = 0;  // The first number missing.
    long long to = 0;    // The last.

    long long count() const { return to - from + 1; }
    friend bool operator==(const NumberGap&, const NumberGap&) = default;
};

// The runs missing between the smallest and the largest of `numbers` (in any order, repeats
// allowed), ascending; at most `limit` of them (the first ones).
std::vector<NumberGap> number_gaps(std::vector<long long> numbers, std::size_t limit);

}  // namespace patron::core
