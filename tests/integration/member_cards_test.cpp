// A member's several cards against a real MariaDB: a merge keeps the survivor's primary card, a
// drawn number never lies in a pre-printed range, ranges of two programs never share a number
// (and one program learns nothing of the other's), and two desks handing over the same plastic
// card at once issue it once.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "loyalty/core/card_number.h"
#include "loyalty/service/members/member_merge_service.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;

// Draws the digits it was given, in order: the numbers a card service draws are the test's.
class ScriptedDigits final : public crypto::RandomSource {
  public:
    explicit ScriptedDigits(std::string digits) : digits_(digits.begin(), digits.end()) {}
    void fill(std::span<std::uint8_t> out) override {
        for (std::uint8_t& byte : out) {
            byte = static_cast<std::uint8_t>(digits_.front() - '0');
            digits_.pop_front();
        }
    }

  private:
    std::deque<char> digits_;
};

service::StaffIdentity staff_of(long long program_id, core::StaffRole role) {
    return {program_id, "Ali (" + std::string(core::to_string(role)) + ")", role};
}

core::CardRangeRegistration range(const std::string& name, const std::string& prefix, const std::string& first,
                                  const std::string& last) {
    return {name, {core::make_card_number(prefix, first), core::make_card_number(prefix, last)}};
}

TEST(MemberCards, AMergeKeepsTheSurvivorsPrimaryCard) {
    testing::TestWorld world;
    const auto support = staff_of(world.program_id, core::StaffRole::kSupport);
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    world.clock.set(world.clock.now() + std::chrono::seconds(1));
    const auto again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");
    world.clock.set(world.clock.now() + std::chrono::seconds(1));
    const auto chosen = world.services.cards.issue(support, sara.id, {"physical", std::nullopt, true});
    ASSERT_TRUE(chosen.has_value()) << chosen.error().message;
    EXPECT_TRUE(chosen->primary);

    service::MemberMergeService merges(world.db.database(), world.keys, world.clock);
    ASSERT_TRUE(merges.merge(support, sara.id, again.id).has_value());
    const auto cards = world.services.cards.cards(support, sara.id);
    ASSERT_TRUE(cards.has_value()) << cards.error().message;
    ASSERT_EQ(cards->size(), 3U);
    EXPECT_EQ(cards->front().number, chosen->number) << "the survivor's choice, not the absorbed record's";
    EXPECT_EQ(std::count_if(cards->begin(), cards->end(), [](const service::CardView& card) { return card.primary; }),
              1);
    EXPECT_EQ((*cards)[1].number, sara.card_number) << "then the others, oldest first";
    EXPECT_EQ((*cards)[2].number, again.card_number);
}

TEST(MemberCards, ADrawnNumberNeverLiesInAPrePrintedRange) {
    testing::TestWorld world;
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    // The first draw lies in the plastic cards' range, the second does not.
    ScriptedDigits draws(
        "00000000042"
        "00000000123");
    service::CardService cards(world.db.database(), world.keys, world.clock, draws);
    ASSERT_TRUE(cards
                    .register_range(staff_of(world.program_id, core::StaffRole::kAdmin),
                                    range("Same prefix", "7001", "00000000000", "00000000099"))
                    .has_value());
    const auto issued =
        cards.issue(staff_of(world.program_id, core::StaffRole::kSupport), sara.id, {"virtual", std::nullopt, false});
    ASSERT_TRUE(issued.has_value()) << issued.error().message;
    EXPECT_EQ(issued->number, core::make_card_number("7001", "00000000123"));
}

TEST(MemberCards, RangesOfTwoProgramsNeverShareANumberAndNeitherSeesTheOther) {
    testing::TestWorld world;
    const long long other = world.admin.create_program({0, "OTHER", "Other Club", "IRR", "98", "fa", "7002"}).value();
    ASSERT_TRUE(world.services.cards
                    .register_range(staff_of(world.program_id, core::StaffRole::kAdmin),
                                    range("Secret batch", "639001", "000000100", "000000599"))
                    .has_value());
    const auto overlapping = world.services.cards.register_range(staff_of(other, core::StaffRole::kAdmin),
                                                                 range("Theirs", "639001", "000000500", "000000900"));
    ASSERT_FALSE(overlapping.has_value());
    EXPECT_EQ(overlapping.error().code, ErrorCode::kCardNumberTaken);
    EXPECT_EQ(overlapping.error().field, "first");
    EXPECT_EQ(overlapping.error().message, "these numbers overlap another program's range");

    const auto member =
        world.members.enrol_unattended(other, {"Reza Ahmadi", "09351112233", std::nullopt, std::nullopt, "en"});
    ASSERT_TRUE(member.has_value()) << member.error().message;
    const auto not_theirs =
        world.services.cards.issue(staff_of(other, core::StaffRole::kSupport), member->id,
                                   {"physical", core::make_card_number("639001", "000000200"), false});
    ASSERT_FALSE(not_theirs.has_value());
    EXPECT_EQ(not_theirs.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(not_theirs.error().field, "number");
    EXPECT_TRUE(world.services.cards.ranges(staff_of(other, core::StaffRole::kAdmin))->empty());
    EXPECT_EQ(world.services.cards.ranges(staff_of(world.program_id, core::StaffRole::kSupport))->size(), 1U);
}

TEST(MemberCards, TwoDesksHandingOverTheSamePlasticCardAtOnceIssueItOnce) {
    testing::TestWorld world;
    const auto support = staff_of(world.program_id, core::StaffRole::kSupport);
    ASSERT_TRUE(world.services.cards
                    .register_range(staff_of(world.program_id, core::StaffRole::kAdmin),
                                    range("Batch", "639001", "000000100", "000000599"))
                    .has_value());
    std::vector<long long> members;
    for (const char* phone : {"09120000001", "09120000002", "09120000003", "09120000004"}) {
        members.push_back(world.enrol("Member " + std::string(phone), phone, std::string(phone) + "@example.ir").id);
    }
    const std::string plastic = core::make_card_number("639001", "000000321");
    std::vector<std::future<core::Result<service::CardView>>> desks;
    for (const long long member : members) {
        desks.push_back(std::async(std::launch::async, [&, member] {
            return world.services.cards.issue(support, member, {"physical", plastic, false});
        }));
    }
    int issued = 0, taken = 0;
    for (auto& desk : desks) {
        const auto outcome = desk.get();
        if (outcome) {
            ++issued;
        } else {
            EXPECT_EQ(outcome.error().code, ErrorCode::kCardNumberTaken) << outcome.error().message;
            ++taken;
        }
    }
    EXPECT_EQ(issued, 1);
    EXPECT_EQ(taken, 3);
}

}  // namespace
}  // namespace patron
