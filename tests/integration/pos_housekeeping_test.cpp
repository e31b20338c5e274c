// What the POS side forgets, on the service clock: an Idempotency-Key answers as before for 7
// days and is forgotten after (the receipt key still replays the operation), and a quote hold
// is deleted a day after it ran out.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/service/pos/pos_housekeeping_service.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;

TEST(PosHousekeeping, IdempotencyKeysLastSevenDaysAndQuoteHoldsADayPastTheirEnd) {
    testing::TestWorld world;
    service::PosHousekeepingService housekeeping(world.db.database(), world.clock);
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto commit = [&](const core::Purchase& purchase, const std::string& body) {
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(body)),
                                      pos::encode_purchase_answer, std::string("till-retry-1"));
    };
    const core::Timestamp start = world.clock.now();
    ASSERT_TRUE(commit(world.purchase("1", 500000, member.card_number), "one").has_value());
    core::Purchase quoted = world.purchase("2", 100000, member.card_number);
    quoted.hold = true;
    ASSERT_TRUE(world.purchases.quote(world.terminal, quoted).has_value());

    world.clock.set(start + std::chrono::hours(7 * 24) - std::chrono::minutes(1));
    auto report = housekeeping.run();
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->idempotency_keys, 0);
    EXPECT_EQ(report->quote_holds, 1) << "the hold ran out 5 minutes after it was placed";
    EXPECT_EQ(commit(world.purchase("3", 100000, member.card_number), "three").error().code,
              ErrorCode::kIdempotencyConflict)
        << "within 7 days the key still belongs to receipt 1";

    world.clock.set(start + std::chrono::hours(7 * 24) + std::chrono::minutes(1));
    report = housekeeping.run();
    EXPECT_EQ(report->idempotency_keys, 1);
    const auto replay = commit(world.purchase("1", 500000, member.card_number), "one");
    ASSERT_TRUE(replay.has_value());
    EXPECT_TRUE(replay->replayed) << "the receipt key still makes the operation exactly-once";
    const auto reused = commit(world.purchase("3", 100000, member.card_number), "three");
    ASSERT_TRUE(reused.has_value()) << "a forgotten key may name a new operation";
    EXPECT_FALSE(reused->replayed);
}

TEST(PosHousekeeping, ARunForgetsEveryOldKeyHoweverManyBatchesThatTakes) {
    testing::TestWorld world;
    service::PosHousekeepingService housekeeping(world.db.database(), world.clock);
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const core::Timestamp start = world.clock.now();
    for (int i = 0; i < 5; ++i) {
        const std::string receipt = std::to_string(i + 1);
        ASSERT_TRUE(world.purchases
                        .commit(world.terminal, world.purchase(receipt, 100000, member.card_number),
                                crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer,
                                "till-key-" + receipt)
                        .has_value());
        core::Purchase quoted = world.purchase("q" + receipt, 100000, member.card_number);
        quoted.hold = true;
        ASSERT_TRUE(world.purchases.quote(world.terminal, quoted).has_value());
    }
    world.clock.set(start + std::chrono::hours(7 * 24) + std::chrono::minutes(1));
    const auto report = housekeeping.run(2);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->idempotency_keys, 5) << "batches of 2, 2 and 1";
    EXPECT_EQ(report->quote_holds, 5);
    const auto again = housekeeping.run(2);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->idempotency_keys, 0);
}

}  // namespace
}  // namespace patron
