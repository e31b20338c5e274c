// Quote holds against a real MariaDB: a quote that holds points keeps them from every other
// spend until its own commit uses them or the hold runs out; racing holds never set aside more
// than the member has; and a commit naming its quote says whether it gave what the quote said,
// and if not why.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using nlohmann::json;

class QuoteHolds : public ::testing::Test {
  protected:
    void SetUp() override {
        // 500,000 IRR earns 50 points (1 per 10,000); a point pays 1,000 IRR, from 10.
        ASSERT_TRUE(commit(world.purchase("1", 500000, member.card_number)).has_value());
    }
    core::Result<service::CommitOutcome> commit(const core::Purchase& purchase) {
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                      pos::encode_purchase_answer);
    }
    // A 100,000 IRR basket paying `points` of it with points, quoted (and held) or committed.
    core::Purchase paying(const std::string& receipt, long long points, bool hold = false) const {
        core::Purchase purchase = world.purchase(receipt, 100000, member.card_number);
        purchase.redeem_points = points;
        purchase.hold = hold;
        return purchase;
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(QuoteHolds, HeldPointsAreTheQuotesCommitsAloneUntilTheHoldRunsOut) {
    const auto quoted = world.purchases.quote(world.terminal, paying("2", 40, true));
    ASSERT_TRUE(quoted.has_value()) << quoted.error().message;
    ASSERT_TRUE(quoted->hold.has_value());
    EXPECT_EQ(quoted->hold->points, 40);
    EXPECT_EQ(quoted->hold->expires_at, world.clock.now() + std::chrono::minutes(5)) << "the program's hold time";

    const auto other = commit(paying("3", 20));
    ASSERT_FALSE(other.has_value()) << "only 10 of the 50 points are free";
    EXPECT_EQ(other.error().code, ErrorCode::kPointsInsufficient);
    const auto other_quote = world.purchases.quote(world.terminal, paying("3", 20, true));
    EXPECT_EQ(other_quote.error().code, ErrorCode::kPointsInsufficient) << "holds do not overlap";

    core::Purchase named = paying("4", 40);
    named.quote_id = quoted->hold->quote_id;
    const auto done = commit(named);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    const json answer = json::parse(done->body);
    EXPECT_EQ(answer["points"]["redeemed"], 40);
    EXPECT_TRUE(answer["quote_check"]["matches"].get<bool>()) << answer["quote_check"].dump();
    EXPECT_EQ(answer["quote_check"]["reasons"], json::array());

    // Used: the hold reserves nothing any more, and a second purchase naming it is told so.
    ASSERT_TRUE(commit(paying("5", 10)).has_value()) << "the 10 left (plus 10 earned) are free";
    core::Purchase again = paying("6", 10);
    again.quote_id = quoted->hold->quote_id;
    const auto reused = commit(again);
    ASSERT_TRUE(reused.has_value());
    EXPECT_EQ(json::parse(reused->body)["quote_check"]["reasons"][0], "the quote's hold was used by another purchase");
}

TEST_F(QuoteHolds, AnExpiredHoldFreesThePointsAndTheCommitSaysWhy) {
    const auto quoted = world.purchases.quote(world.terminal, paying("2", 40, true));
    ASSERT_TRUE(quoted.has_value());
    EXPECT_FALSE(commit(paying("3", 20)).has_value());
    world.clock.set(world.clock.now() + std::chrono::minutes(5));
    ASSERT_TRUE(commit(paying("3", 20)).has_value()) << "the hold ran out by itself";

    core::Purchase late = paying("4", 10);
    late.quote_id = quoted->hold->quote_id;
    const auto done = commit(late);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    const json check = json::parse(done->body)["quote_check"];
    EXPECT_FALSE(check["matches"].get<bool>());
    // Points pay part of the basket, and only the rest earns: 60,000 IRR earned 6, 90,000 earns 9.
    EXPECT_EQ(check["differences"], json::parse(R"([{"field": "points.earned", "quoted": 6, "committed": 9},
                                                    {"field": "points.redeemed", "quoted": 40, "committed": 10}])"));
    EXPECT_TRUE(check["reasons"][0].get<std::string>().starts_with("the quote's hold ran out at ")) << check.dump();
}

TEST_F(QuoteHolds, ACommitThatDiffersFromItsQuoteSaysHowAndWhy) {
    const auto quoted = world.purchases.quote(world.terminal, paying("2", 20, true));
    ASSERT_TRUE(quoted.has_value());
    EXPECT_EQ(quoted->points_earned, 8) << "100,000 IRR less 20,000 paid with points";
    core::Purchase bigger = paying("3", 20);
    bigger.lines[0].unit_price = bigger.lines[0].amount = 300000;
    bigger.total = 300000;
    bigger.quote_id = quoted->hold->quote_id;
    const auto done = commit(bigger);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    const json check = json::parse(done->body)["quote_check"];
    EXPECT_FALSE(check["matches"].get<bool>());
    EXPECT_EQ(check["differences"], json::parse(R"([{"field": "points.earned", "quoted": 8, "committed": 28}])"));
    EXPECT_EQ(check["reasons"], json::array({"the basket is not the quoted one"}));

    core::Purchase unknown = paying("4", 0);
    unknown.quote_id = "q_nosuchquote";
    const auto blind = commit(unknown);
    ASSERT_TRUE(blind.has_value()) << "an unknown quote does not stop the sale";
    EXPECT_EQ(json::parse(blind->body)["quote_check"]["reasons"][0], "the quote is unknown at this store (or too old)");
}

TEST_F(QuoteHolds, RacingHoldsNeverSetAsideMoreThanTheMemberHas) {
    constexpr int kRacers = 10;
    std::latch start(kRacers);
    std::atomic<int> held{0}, refused{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
        racers.emplace_back([&, i] {
            const core::Purchase purchase = paying("q" + std::to_string(i), 20, true);
            start.arrive_and_wait();
            const auto quoted = world.purchases.quote(world.terminal, purchase);
            if (quoted) {
                ++held;
            } else if (quoted.error().code == ErrorCode::kPointsInsufficient) {
                ++refused;
            }
        });
    }
    for (std::thread& racer : racers) racer.join();
    EXPECT_EQ(held.load(), 2) << "50 points hold two spends of 20";
    EXPECT_EQ(refused.load(), kRacers - 2);
}

TEST_F(QuoteHolds, AHoldNeedsACardAndAProgramThatHolds) {
    core::Purchase anonymous = world.purchase("2", 100000);
    anonymous.hold = true;
    EXPECT_EQ(world.purchases.quote(world.terminal, anonymous).error().field, "hold");
    const auto plain = world.purchases.quote(world.terminal, paying("2", 40));
    ASSERT_TRUE(plain.has_value());
    EXPECT_FALSE(plain->hold.has_value()) << "a quote without hold writes nothing";
    EXPECT_TRUE(commit(paying("3", 40)).has_value());
}

}  // namespace
}  // namespace patron
