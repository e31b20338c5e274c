// Backtests against a real MariaDB, below HTTP: a window holding more purchases than a backtest
// rates is refused naming `to` and the bound, having read no more than one id past it; and a
// member's tier at each past purchase is the one they held then (a tier multiplier of the draft
// pays by it).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/service/program/backtest_service.h"
#include "loyalty/store/pos/backtest_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;

class Backtests : public ::testing::Test {
  protected:
    void buy(const std::string& receipt, long long amount) {
        const auto done =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, member.card_number),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    }
    core::Result<core::BacktestReport> backtest(service::BacktestLimits limits = {}) {
        service::BacktestService backtests(world.db.database(), world.keys, world.clock, world.random, limits);
        const auto window = backtests.window(world.program_id, {core::parse_date("2026-11-18"), std::nullopt});
        if (!window) return std::unexpected(window.error());
        service::BacktestProgress progress;
        return backtests.run(world.program_id, *window, progress);
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(Backtests, RefuseAWindowWithMorePurchasesThanTheyRateSayingTheBound) {
    for (const char* receipt : {"B-1", "B-2", "B-3"}) buy(receipt, 100000);
    const auto anonymous =
        world.purchases.commit(world.terminal, world.purchase("B-4", 100000),
                               crypto::sha256(crypto::as_bytes(std::string("B-4"))), pos::encode_purchase_answer);
    ASSERT_TRUE(anonymous.has_value()) << anonymous.error().message;
    world.clock.set(world.clock.now() + std::chrono::hours(48));
    const auto refused = backtest({.purchases_max = 2});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidationFailed);
    EXPECT_EQ(refused.error().field, "to");
    EXPECT_NE(refused.error().message.find("holds more than 2 member purchases"), std::string::npos)
        << refused.error().message;

    // The plan reads one id past the bound, not the whole window.
    const auto window = service::BacktestService(world.db.database(), world.keys, world.clock, world.random)
                            .window(world.program_id, {core::parse_date("2026-11-18"), std::nullopt});
    ASSERT_TRUE(window.has_value());
    const auto plan = [&](long long ids_max) {
        return store::plan_backtest(world.db.raw(), world.program_id, window->starts_at, window->ends_at,
                                    window->ends_at, ids_max);
    };
    EXPECT_EQ(plan(1).ids.size(), 2U);
    const store::BacktestPlan whole = plan(3);
    EXPECT_EQ(whole.ids.size(), 3U);
    EXPECT_EQ(whole.anonymous, 1);
    EXPECT_EQ(whole.voided, 0);

    const auto rated = backtest();
    ASSERT_TRUE(rated) << rated.error().message;
    EXPECT_EQ(rated->rated, 3);
    EXPECT_EQ(rated->published.points, 30);
    EXPECT_EQ(rated->draft.points, 30) << "the draft is a copy of the published rules";
}

TEST_F(Backtests, RateEachPurchaseAtTheTierTheMemberHeldThen) {
    buy("T-1", 100000);
    world.clock.set(world.clock.now() + std::chrono::hours(1));
    // The member became Gold after the first purchase; the draft doubles Gold's points.
    world.db.raw() << "UPDATE member_accounts SET tier = 'Gold' WHERE member_id = " + std::to_string(member.id);
    world.db.raw() << "INSERT INTO tier_history (member_id, from_tier, to_tier, reason, progress, secured_until,"
                      " policy_version, created_at) VALUES (" +
                          std::to_string(member.id) +
                          ", 'Member', 'Gold', 'upgrade', 0, '2027-12-31', 1, '2026-11-18 11:30:00')";
    buy("T-2", 100000);
    service::RuleService rules(world.db.database(), world.keys, world.clock);
    const auto drafted =
        rules.replace_draft({world.program_id, "Mina", core::StaffRole::kMarketer},
                            core::RuleDocument(json::parse(
                                R"({"rules": [{"id": "base", "name": "Club points", "points": 1, "per_amount": 10000,
                           "multipliers": {"tiers": {"Gold": 2}}}]})")));
    ASSERT_TRUE(drafted) << drafted.error().message;
    world.clock.set(world.clock.now() + std::chrono::hours(48));
    const auto rated = backtest();
    ASSERT_TRUE(rated) << rated.error().message;
    EXPECT_EQ(rated->rated, 2);
    EXPECT_EQ(rated->published.points, 20);
    EXPECT_EQ(rated->draft.points, 10 + 20) << "Member at the first purchase, Gold at the second";
}

}  // namespace
}  // namespace patron
