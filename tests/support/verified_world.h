// A test fixture over a TestWorld whose books must stay right: after every test that does not say
// it tampered with them, `verify` (what `patronctl verify` runs) must find nothing. It carries a
// coupon admin and a marketer for tests that set up campaigns.
#pragma once

#include <gtest/gtest.h>

#include "loyalty/service/program/coupon_campaign_service.h"
#include "tests/support/test_world.h"

namespace patron::testing {

class VerifiedWorldTest : public ::testing::Test {
  protected:
    void TearDown() override {
        if (tampered_) return;
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
