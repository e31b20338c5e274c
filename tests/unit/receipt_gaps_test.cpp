// Receipt-number gaps, as arithmetic: which numbers are missing between those a terminal sent.
#include "loyalty/core/receipt_gaps.h"

#include <gtest/gtest.h>

namespace patron::core {
namespace {

TEST(ReceiptNumbers, OnlyPlainNumbersOfUpToFifteenDigitsCount) {
    EXPECT_EQ(receipt_number("0042"), 42);
    EXPECT_EQ(receipt_number("999999999999999"), 999999999999999LL);
    EXPECT_EQ(receipt_number("1000000000000000"), std::nullopt) << "16 digits";
    EXPECT_EQ(receipt_number(""), std::nullopt);
    EXPECT_EQ(receipt_number("R-17"), std::nullopt);
    EXPECT_EQ(receipt_number("12 "), std::nullopt);
    EXPECT_EQ(receipt_number("\xdb\xb1\xdb\xb2"), std::nullopt) << "Persian digits are not a sequence number";
}

TEST(ReceiptGaps, NumbersMissingBetweenThoseHeldAreListedInOrder) {
    const std::vector<NumberGap> gaps = number_gaps({9, 1, 2, 5, 5, 12, 3}, 100);
    EXPECT_EQ(gaps, (std::vector<NumberGap>{{4, 4}, {6, 8}, {10, 11}}));
    EXPECT_EQ(gaps[1].count(), 3);
}

TEST(ReceiptGaps, NoneWithoutAHoleAndAtMostTheLimit) {
    EXPECT_TRUE(number_gaps({}, 100).empty());
    EXPECT_TRUE(number_gaps({7}, 100).empty());
    EXPECT_TRUE(number_gaps({3, 4, 5, 4}, 100).empty());
    EXPECT_EQ(number_gaps({1, 3, 5, 7, 9}, 2), (std::vector<NumberGap>{{2, 2}, {4, 4}}));
    EXPECT_EQ(number_gaps({1, 999999999999999LL}, 10), (std::vector<NumberGap>{{2, 999999999999998LL}}))
        << "a wide hole is one entry, not a list of numbers";
}

}  // namespace
}  // namespace patron::core
