// Returns without the original receipt against a real MariaDB: refused (RECEIPT_NOT_FOUND)
// unless the program allows them; then they take back what the goods earn the member under
// today's rules, following the negative-balance policy, once, with the books balanced.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using nlohmann::json;

class BlindReturns : public ::testing::Test {
  protected:
    void SetUp() override {
        // 300,000 IRR earns 30 points (1 per 10,000).
        ASSERT_TRUE(world.purchases
                        .commit(world.terminal, world.purchase("1", 300000, member.card_number),
                                crypto::sha256(crypto::as_bytes("1")), pos::encode_purchase_answer)
                        .has_value());
    }
    void allow(core::NegativeBalancePolicy negative) {
        core::PointsPolicy policy = testing::TestWorld::policy();
        policy.blind_returns = true;
        policy.negative_balance = negative;
        ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    }
    // A return at the world's terminal of `amount` IRR of coffee, with no original receipt.
    core::ReturnRequest blind(const std::string& receipt, long long amount) const {
        core::ReturnRequest request = world.return_request(receipt, "", {});
        request.blind = true;
        request.card = member.card_number;
        request.goods = {{1, "COF-1", "coffee", 1000, amount, amount, 0}};
        request.total = amount;
        return request;
    }
    core::Result<service::CommitOutcome> commit(const core::ReturnRequest& request) {
        return world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes(request.key.receipt)),
                                    pos::encode_purchase_answer);
    }
    long long available() {
        long long points = 0;
        world.db.raw() << "SELECT points_available FROM member_accounts WHERE member_id = :id", soci::into(points),
            soci::use(member.id);
        return points;
    }
    void expect_books_balance() {
        const auto found = world.maintenance.verify();
        ASSERT_TRUE(found.has_value());
        EXPECT_TRUE(found->empty()) << found->front();
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(BlindReturns, AreRefusedUnlessTheProgramAllowsThem) {
    const auto refused = commit(blind("R1", 100000));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kReceiptNotFound);
    EXPECT_EQ(refused.error().field, "original");
    EXPECT_EQ(available(), 30);
}

TEST_F(BlindReturns, TakeBackWhatTheGoodsEarnTodayOnce) {
    allow(core::NegativeBalancePolicy::kAllow);
    const auto done = commit(blind("R1", 100000));
    ASSERT_TRUE(done.has_value()) << done.error().message;
    const json answer = json::parse(done->body);
    EXPECT_EQ(answer["points"]["earned"], -10);
    EXPECT_EQ(answer["points"]["available"], 20);
    EXPECT_EQ(answer["effects"][0]["rule_id"], "blind_return");
    EXPECT_EQ(available(), 20);
    const auto again = commit(blind("R1", 100000));
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(available(), 20) << "a retried blind return applies once";
    expect_books_balance();
}

TEST_F(BlindReturns, FollowTheNegativeBalancePolicy) {
    allow(core::NegativeBalancePolicy::kAllow);
    ASSERT_TRUE(commit(blind("R1", 500000)).has_value());
    EXPECT_EQ(available(), 30 - 50) << "allow: the balance goes negative";
    expect_books_balance();

    allow(core::NegativeBalancePolicy::kClamp);
    const auto clamped = commit(blind("R2", 100000));
    ASSERT_TRUE(clamped.has_value());
    EXPECT_EQ(json::parse(clamped->body)["points"]["earned"], 0) << "clamp: nothing left to take";
    long long shortfall = 0;
    world.db.raw() << "SELECT points_shortfall FROM member_accounts WHERE member_id = :id", soci::into(shortfall),
        soci::use(member.id);
    EXPECT_EQ(shortfall, 10);
    expect_books_balance();
}

}  // namespace
}  // namespace patron
