#include "loyalty/core/receipt_gaps.h"

#include <algorithm>

namespace patron::core {

std::optional<long long> receipt_number(std::string_view receipt) {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };  // Not ::isdigit: receipts may hold UTF-8.
    if (receipt.empty() || receipt.size() > 15 || !std::all_of(receipt.begin(), receipt.end(), digit)) {
        return std::nullopt;
    }
    long long number = 0;
    for (char c : receipt) number = number * 10 + (c - '0');
    return number;
}

std::vector<NumberGap> number_gaps(std::vector<long long> numbers, std::size_t limit) {
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    std::vector<NumberGap> gaps;
    for (std::size_t i = 1; i < numbers.size() && gaps.size() < limit; ++i) {
        if (numbers[i] > numbers[i - 1] + 1) gaps.push_back({numbers[i - 1] + 1, numbers[i] - 1});
    }
    return gaps;
}

}  // namespace patron::core
