// A test fixture over a TestWorld whose books must stay right: after every test that does not say
// it tampered with them, `verify` (what `patronctl verify` runs) must find nothing. It carries a
// coupon admin and a marketer for tests that set up campaigns, and commits purchases at the till.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/service/program/coupon_campaign_service.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron::testing {

class VerifiedWorldTest : public ::testing::Test {
  protected:
    // The purchase committed at the world's terminal, its request digest the receipt's: the answer
    // the till got, or null once the failure is reported.
    nlohmann::json committed(const core::Purchase& purchase) {
        const auto done =
            world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                   pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? nlohmann::json::parse(done->body) : nlohmann::json();
    }

    void TearDown() override {
        if (!tampered_) expect_verified();
    }
    // `verify` finds nothing, here in the middle of a test too.
    void expect_verified() {
        const auto found = world.maintenance.verify();
        ASSERT_TRUE(found.has_value());
        EXPECT_TRUE(found->empty()) << found->front();
    }

    bool tampered_ = false;
    TestWorld world;
    service::CouponCampaignService coupons{world.db.database(), world.keys, world.clock, world.random};
    const service::StaffIdentity marketer{world.program_id, "Mina (marketing)", core::StaffRole::kMarketer};
};

}  // namespace patron::testing
