#include <gtest/gtest.h>
#include <soci/soci.h>

#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using std::chrono::days;

class Points : public ::testing::Test {
  protected:
    core::Result<service::CommitOutcome> buy(const std::string& receipt, long long amount, long long redeem = 0) {
        core::Purchase purchase = world.purchase(receipt, amount, member.card_number);
        purchase.redeem_points = redeem;
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)),
                                      pos::encode_purchase_answer);
    }
    service::Balance balance() { return world.members.balance(world.program_id, member.id).value(); }
    std::vector<std::string> discrepancies() { return world.maintenance.verify().value(); }
    void set_hold(std::chrono::seconds hold) {
        core::PointsPolicy policy = testing::TestWorld::policy();
        policy.hold = hold;
        ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(Points, EachEarningIsALotAndTheBooksBalance) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    ASSERT_TRUE(buy("2", 500000).has_value());
    EXPECT_EQ(balance().points_available, 140);
    EXPECT_EQ(world.db.count("point_lots"), 2);
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, RedemptionSpendsTheLotsThatExpireFirst) {
    ASSERT_TRUE(buy("1", 900000).has_value());  // 90 points, expiring first.
    world.clock.set(world.clock.now() + days(30));
    ASSERT_TRUE(buy("2", 500000).has_value());  // 50 points.
    const auto paid = buy("3", 200000, 100);
    ASSERT_TRUE(paid.has_value()) << paid.error().message;
    const auto answer = nlohmann::json::parse(paid->body);
    EXPECT_EQ(answer["points"]["redeemed"], 100);
    EXPECT_EQ(answer["points"]["redeemed_value"], 100000);
    EXPECT_EQ(answer["points"]["earned"], 10) << "only the 100,000 IRR not paid with points earn";
    EXPECT_EQ(answer["points"]["available"], 50);
    long long first_lot = -1, second_lot = -1;
    world.db.raw() << "SELECT remaining FROM point_lots ORDER BY id LIMIT 1", soci::into(first_lot);
    world.db.raw() << "SELECT remaining FROM point_lots ORDER BY id LIMIT 1 OFFSET 1", soci::into(second_lot);
    EXPECT_EQ(first_lot, 0);
    EXPECT_EQ(second_lot, 40);
    EXPECT_EQ(balance().points_available, 50);
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, ARefusedRedemptionWritesNothing) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    const auto refused = buy("2", 900000, 91);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kPointsInsufficient);
    EXPECT_EQ(world.db.count("purchases"), 1);
    EXPECT_EQ(balance().points_available, 90);
}

TEST_F(Points, HundredConcurrentRedemptionsNeverOverspend) {
    ASSERT_TRUE(buy("earn", 1000000).has_value());  // 100 points: exactly 10 redemptions of 10.
    constexpr int kRacers = 100;
    std::latch start(kRacers);
    std::atomic<int> succeeded{0};
    std::atomic<int> insufficient{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
        racers.emplace_back([&, i] {
            start.arrive_and_wait();
            const auto outcome = buy("spend-" + std::to_string(i), 10000, 10);
            if (outcome)
                ++succeeded;
            else if (outcome.error().code == core::ErrorCode::kPointsInsufficient)
                ++insufficient;
        });
    }
    for (std::thread& racer : racers) racer.join();
    EXPECT_EQ(succeeded.load(), 10);
    EXPECT_EQ(insufficient.load(), 90);
    EXPECT_EQ(balance().points_available, 0);
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, HeldPointsBecomeSpendableWhenTheHoldEnds) {
    set_hold(std::chrono::hours(24 * 14));
    ASSERT_TRUE(buy("1", 900000).has_value());
    EXPECT_EQ(balance().points_pending, 90);
    EXPECT_EQ(balance().points_available, 0);
    EXPECT_EQ(buy("2", 100000, 10).error().code, core::ErrorCode::kPointsInsufficient);
    EXPECT_TRUE(discrepancies().empty());

    world.clock.set(world.clock.now() + days(13));
    EXPECT_EQ(world.maintenance.run_all_due().value().points, 0);
    world.clock.set(world.clock.now() + days(2));
    const auto released = world.maintenance.run_all_due();
    ASSERT_TRUE(released.has_value());
    EXPECT_EQ(released->points, 90);
    EXPECT_EQ(balance().points_pending, 0);
    EXPECT_EQ(balance().points_available, 90);
    EXPECT_EQ(world.maintenance.run_all_due().value().points, 0) << "idempotent";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, APolicyChangeTakesEffectOnTheNextPurchase) {
    ASSERT_TRUE(buy("1", 900000).has_value());  // The rule set is now parsed and cached.
    set_hold(std::chrono::hours(24));
    ASSERT_TRUE(buy("2", 500000).has_value());
    EXPECT_EQ(balance().points_available, 90);
    EXPECT_EQ(balance().points_pending, 50) << "the new hold applies at once, cache or not";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, LotsExpireAtTheirTimeOnceAndInTheLedger) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    world.clock.set(world.clock.now() + days(200));
    ASSERT_TRUE(buy("2", 500000).has_value());
    ASSERT_TRUE(buy("3", 100000, 20).has_value());   // Spends 20 of the first lot: 70 left in it.
    world.clock.set(world.clock.now() + days(170));  // The first lot (12 months) is due, the second not.
    const auto expired = world.maintenance.run_all_due();
    ASSERT_TRUE(expired.has_value());
    EXPECT_EQ(expired->points, 70);
    EXPECT_EQ(balance().points_available, 50 + 8);
    long long expired_in_ledger = 0;
    world.db.raw() << "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = 'program_expired'",
        soci::into(expired_in_ledger);
    EXPECT_EQ(expired_in_ledger, 70);
    EXPECT_EQ(world.maintenance.run_all_due().value().points, 0) << "a second run expires nothing";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, VerifyFindsBalancesThatDisagreeWithTheLedger) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    ASSERT_TRUE(discrepancies().empty());
    world.db.raw() << "UPDATE member_accounts SET points_available = points_available + 5";
    const auto found = discrepancies();
    ASSERT_EQ(found.size(), 2U);
    EXPECT_NE(found[0].find("ledger vs balance"), std::string::npos) << found[0];
    EXPECT_NE(found[1].find("lots vs balance"), std::string::npos) << found[1];
}

}  // namespace
}  // namespace patron

namespace patron {
namespace {

class Adjustments : public ::testing::Test {
  protected:
    core::Result<service::AdjustedPoints> adjust(long long points, std::string reason,
                                                 core::StaffRole role = core::StaffRole::kSupport) {
        return world.adjustments.adjust(service::StaffIdentity{world.program_id, "Maryam at support", role}, member.id,
                                        {points, std::move(reason)});
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(Adjustments, AddAndRemovePointsWithAReasonAndAnAuditTrail) {
    const auto added = adjust(120, "Coffee machine was broken");
    ASSERT_TRUE(added.has_value()) << added.error().message;
    EXPECT_EQ(added->balance.points_available, 120);
    const auto removed = adjust(-20, "Duplicate goodwill credit");
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->balance.points_available, 100);
    EXPECT_EQ(world.members.balance(world.program_id, member.id)->points_available, 100);
    EXPECT_TRUE(world.maintenance.verify()->empty());

    std::string note;
    world.db.raw() << "SELECT note FROM ledger_transfers WHERE id = :id", soci::use(removed->transfer_id),
        soci::into(note);
    EXPECT_EQ(note, "Duplicate goodwill credit");
    long long audits = 0;
    std::string actor, fields;
    world.db.raw() << "SELECT COUNT(*), MAX(actor), MAX(fields) FROM audit_log WHERE action = 'points.adjust'"
                      " AND entity = 'member' AND entity_id = :id",
        soci::use(member.id), soci::into(audits), soci::into(actor), soci::into(fields);
    EXPECT_EQ(audits, 2);
    EXPECT_EQ(actor, "Maryam at support");
    EXPECT_EQ(fields, "points_available");
}

TEST_F(Adjustments, AreRefusedWithoutReasonRoleOrPoints) {
    ASSERT_TRUE(adjust(50, "welcome").has_value());
    EXPECT_EQ(adjust(-51, "too much").error().code, core::ErrorCode::kPointsInsufficient);
    EXPECT_EQ(adjust(10, "  ").error().field, "reason");
    EXPECT_EQ(adjust(0, "nothing").error().field, "points");
    EXPECT_EQ(adjust(10, "why not", core::StaffRole::kAnalyst).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(world.db.count("audit_log"), 1);
    EXPECT_EQ(world.members.balance(world.program_id, member.id)->points_available, 50);
}

}  // namespace
}  // namespace patron
