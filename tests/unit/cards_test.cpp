// The pure rules of a member's cards: what a pre-printed card range is, which numbers it holds and
// when two ranges meet; and which of a member's cards is primary (the one the portal prints).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loyalty/core/card_number.h"
#include "loyalty/core/card_range.h"
#include "loyalty/core/primary_card.h"

namespace patron::core {
namespace {

// The pre-printed card with this serial: 16 digits, "6390 01" then the serial, then the check digit.
std::string printed(long long serial) {
    std::string digits = std::to_string(serial);
    return make_card_number("639001", std::string(9 - digits.size(), '0') + digits);
}

CardRange range(long long first, long long last) { return CardRange{printed(first), printed(last)}; }

TEST(CardRanges, ARangeRunsFromOneValidNumberToALaterOneOfTheSameLength) {
    EXPECT_TRUE(check_card_range(range(100, 599)).has_value());
    EXPECT_TRUE(check_card_range(range(7, 7)).has_value()) << "a single card";
    EXPECT_EQ(card_range_size(range(100, 599)), 500U);
    EXPECT_EQ(card_range_size(range(7, 7)), 1U);

    std::string mistyped = printed(100);
    mistyped.back() = mistyped.back() == '9' ? '0' : static_cast<char>(mistyped.back() + 1);
    const struct {
        CardRange range;
        ErrorCode code;
        const char* field;
    } refused[] = {
        {{mistyped, printed(599)}, ErrorCode::kCardNumberInvalid, "first"},
        {{printed(100), "1234"}, ErrorCode::kCardNumberInvalid, "last"},
        {{printed(100), make_card_number("6390010", "000000599")}, ErrorCode::kValidationFailed, "last"},
        {range(600, 599), ErrorCode::kValidationFailed, "last"},
        {range(1, kCardRangeNumbersMax + 1), ErrorCode::kValidationFailed, "last"},
    };
    for (const auto& [sent, code, field] : refused) {
        SCOPED_TRACE(sent.first + " to " + sent.last);
        const auto checked = check_card_range(sent);
        ASSERT_FALSE(checked.has_value());
        EXPECT_EQ(checked.error().code, code);
        EXPECT_EQ(checked.error().field, field);
    }
    EXPECT_TRUE(check_card_range(range(1, kCardRangeNumbersMax)).has_value()) << "the largest range";
}

TEST(CardRanges, ARangeHoldsItsEndsAndWhatLiesBetweenAndNothingElse) {
    const CardRange batch = range(100, 599);
    EXPECT_TRUE(in_card_range(batch, printed(100)));
    EXPECT_TRUE(in_card_range(batch, printed(321)));
    EXPECT_TRUE(in_card_range(batch, printed(599)));
    EXPECT_FALSE(in_card_range(batch, printed(99)));
    EXPECT_FALSE(in_card_range(batch, printed(600)));
    std::string mistyped = printed(321);
    mistyped.back() = mistyped.back() == '9' ? '0' : static_cast<char>(mistyped.back() + 1);
    EXPECT_FALSE(in_card_range(batch, mistyped)) << "a wrong check digit is no card of the range";
    EXPECT_FALSE(in_card_range(batch, make_card_number("63900", "000000321"))) << "fewer digits";
    EXPECT_FALSE(in_card_range(batch, printed(321) + "0")) << "more digits";
    EXPECT_FALSE(in_card_range(batch, "")) << "no number";
}

TEST(CardRanges, RangesOverlapWhenTheyShareANumber) {
    EXPECT_TRUE(card_ranges_overlap(range(100, 599), range(599, 700))) << "the last number";
    EXPECT_TRUE(card_ranges_overlap(range(100, 599), range(1, 100))) << "the first number";
    EXPECT_TRUE(card_ranges_overlap(range(100, 599), range(200, 300))) << "inside";
    EXPECT_TRUE(card_ranges_overlap(range(200, 300), range(100, 599))) << "around";
    EXPECT_FALSE(card_ranges_overlap(range(100, 599), range(600, 700))) << "next to each other";
    EXPECT_FALSE(card_ranges_overlap(range(600, 700), range(100, 599)));
    const CardRange shorter{make_card_number("63900", "000000100"), make_card_number("63900", "000000599")};
    EXPECT_FALSE(card_ranges_overlap(range(100, 599), shorter)) << "numbers of another length";
}

struct Card {
    std::string number;
    CardState state;
};

TEST(PrimaryCard, TheChosenCardWhileActiveElseTheOldestActiveCard) {
    const std::vector<Card> cards = {
        {"A", CardState::kReplaced}, {"B", CardState::kActive}, {"C", CardState::kActive}, {"D", CardState::kBlocked}};
    EXPECT_EQ(primary_card_index(cards, "C"), 2U) << "chosen and active";
    EXPECT_EQ(primary_card_index(cards, "D"), 1U) << "chosen but blocked: the oldest active card stands in";
    EXPECT_EQ(primary_card_index(cards, "A"), 1U) << "chosen but replaced";
    EXPECT_EQ(primary_card_index(cards, ""), 1U) << "none chosen";
    EXPECT_EQ(primary_card_index(cards, "Z"), 1U) << "a card that is not the member's";
    const std::vector<Card> closed = {{"A", CardState::kClosed}, {"B", CardState::kLost}};
    EXPECT_EQ(primary_card_index(closed, "A"), std::nullopt) << "no active card, no primary";
    EXPECT_EQ(primary_card_index(std::vector<Card>{}, "A"), std::nullopt);
}

}  // namespace
}  // namespace patron::core
