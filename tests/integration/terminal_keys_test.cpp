// Terminal keys on the service clock: a rotated-out key signs until its grace period ends and
// not a moment after, and the migration kept the terminal's first key (created before it).
#include <gtest/gtest.h>

#include "loyalty/service/access/terminal_service.h"
#include "tests/support/test_world.h"

namespace patron::testing {
namespace {

using core::ErrorCode;

TEST(TerminalKeys, ARotatedOutKeySignsThroughItsGracePeriodAndNotAfter) {
    TestWorld world;
    service::TerminalService registry(world.db.database(), world.keys, world.clock, world.random);
    const service::StaffIdentity admin{world.program_id, "test admin", core::StaffRole::kAdmin};
    const core::Timestamp start = world.clock.now() + std::chrono::minutes(1);
    world.clock.set(start);

    auto fresh = registry.rotate_key(admin, "S042", "T07", std::chrono::hours(1));
    ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
    world.clock.set(start + std::chrono::minutes(59));
    ASSERT_TRUE(world.access.terminal_by_key(world.terminal_key.key_id).has_value());
    EXPECT_TRUE(world.access.use_nonce(world.terminal_key.key_id, "nonce-in-grace-0123456").has_value());
    auto opened = world.access.terminal_by_key(fresh->key_id);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(std::string((*opened)->secret.view().begin(), (*opened)->secret.view().end()), fresh->secret);
    EXPECT_EQ((*opened)->identity.terminal_code, "T07");
    EXPECT_EQ((*opened)->identity.store_code, "S042");

    // The old key's terminal and secret stay in memory; its requests are refused by the nonce's
    // statement, which reads the key's grace period in the database.
    world.clock.set(start + std::chrono::hours(1));
    EXPECT_EQ(world.access.use_nonce(world.terminal_key.key_id, "nonce-after-grace-01234").error().code,
              ErrorCode::kKeyRevoked);
    EXPECT_EQ(world.db.count("pos_nonces"), 1) << "a refused key records no nonce";
    EXPECT_TRUE(world.access.use_nonce(fresh->key_id, "nonce-after-grace-01234").has_value());
    // A server that had never read the old key refuses it when it is looked up.
    service::AccessService other(world.db.database(), world.keys, world.clock);
    EXPECT_EQ(other.terminal_by_key(world.terminal_key.key_id).error().code, ErrorCode::kKeyRevoked);

    const auto view = registry.terminal(admin, "S042", "T07");
    ASSERT_TRUE(view.has_value());
    ASSERT_EQ(view->keys.size(), 2u);
    EXPECT_EQ(service::key_state(view->keys[0], world.clock.now()), service::KeyState::kExpired);
    EXPECT_EQ(service::key_state(view->keys[1], world.clock.now()), service::KeyState::kActive);
}

TEST(TerminalKeys, AnotherProgramsAdminCannotTouchTheKeys) {
    TestWorld world;
    service::TerminalService registry(world.db.database(), world.keys, world.clock, world.random);
    const service::StaffIdentity stranger{world.program_id + 1, "someone else", core::StaffRole::kAdmin};
    EXPECT_EQ(registry.revoke_key(stranger, world.terminal_key.key_id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(registry.rotate_key(stranger, "S042", "T07", std::chrono::hours(1)).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(world.access.terminal_by_key(world.terminal_key.key_id).has_value());
}

// A key revoked by one server (or through the database) is refused at once by another that holds
// its secret in memory: the check is part of the statement that records the request's nonce.
TEST(TerminalKeys, ARevokedKeyIsRefusedAtOnceByAServerThatKeptItInMemory) {
    TestWorld world;
    service::AccessService till_server(world.db.database(), world.keys, world.clock);
    ASSERT_TRUE(till_server.terminal_by_key(world.terminal_key.key_id).has_value());
    ASSERT_TRUE(till_server.use_nonce(world.terminal_key.key_id, "nonce-before-revoke-01").has_value());

    service::TerminalService registry(world.db.database(), world.keys, world.clock, world.random);
    const service::StaffIdentity admin{world.program_id, "test admin", core::StaffRole::kAdmin};
    ASSERT_TRUE(registry.revoke_key(admin, world.terminal_key.key_id).has_value());

    EXPECT_TRUE(till_server.terminal_by_key(world.terminal_key.key_id).has_value()) << "kept in memory";
    EXPECT_EQ(till_server.use_nonce(world.terminal_key.key_id, "nonce-after-revoke-001").error().code,
              ErrorCode::kKeyRevoked);
    EXPECT_EQ(till_server.use_nonce(world.terminal_key.key_id, "nonce-before-revoke-01").error().code,
              ErrorCode::kKeyRevoked)
        << "a revoked key is refused before its nonces are compared";
    EXPECT_EQ(world.db.count("pos_nonces"), 1);
}

}  // namespace
}  // namespace patron::testing
