// The documents marketers send about their program, as loyalty/core reads them before any service
// sees them: tier policies.
#include <gtest/gtest.h>

#include "loyalty/core/tiers.h"

namespace patron::core {
namespace {

using nlohmann::json;

TEST(TierRequests, APolicyIsDecodedWithEveryProblemAndStoredAsText) {
    const auto refused = decode_tier_policy({{"measure", "likes"}, {"tiers", json::array()}});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kValidationFailed);
    EXPECT_FALSE(refused.error().problems.empty());
    const auto policy = decode_tier_policy(json::parse(R"({"measure": "points", "window": {"kind": "calendar_year"},
        "tiers": [{"name": "Bronze", "threshold": 0}, {"name": "Gold", "threshold": 100}]})"));
    ASSERT_TRUE(policy.has_value()) << policy.error().message;
    EXPECT_EQ(policy->version, 0) << "not stored yet";
    const auto stored = read_stored_tier_policy(tier_policy_text(*policy), 3);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->version, 3);
    EXPECT_EQ(stored->tiers.size(), 2u);
    EXPECT_FALSE(read_stored_tier_policy("not json", 4).has_value());
}

}  // namespace
}  // namespace patron::core
