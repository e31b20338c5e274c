// Referrals against a real MariaDB under the clamp policy: a friend spends her welcome, then
// returns the purchase that earned it; what the clamped balance cannot give back stays hers, the
// referral is refused (reason returned) and her next purchase pays no welcome again; `verify`
// finds the referral's record and the ledger agreeing. And a receipt claimed for her after a later
// purchase came too late still qualifies when it was made within her days.
#include "loyalty/core/referrals.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;

class Referrals : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto terms = core::decode_referral_terms({{"state", "active"},
                                                        {"friend_reward", {{"points", 40}}},
                                                        {"referrer_reward", {{"points", 60}}},
                                                        {"within_days", 30},
                                                        {"min_spend", 100000},
                                                        {"per_referrer_per_month", 5}});
        ASSERT_TRUE(terms.has_value());
        ASSERT_TRUE(world.services.referrals.set_terms(marketer, *terms).has_value());
        core::MemberApplication application{"Mina", "09350004444", "mina@example.com", "1992-02-02", "fa"};
        application.referral_code = world.services.referrals.mine({world.program_id, sara.id}).value().code;
        const auto enrolled = world.members.enrol_unattended(world.program_id, application);
        ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
        mina = *enrolled;
    }

    json commit(const core::Purchase& purchase) {
        const auto done =
            world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                   pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json();
    }
    static bool welcomed(const json& answer) {
        for (const json& effect : answer["effects"]) {
            if (effect["rule_id"].get<std::string>().starts_with("referral:")) return true;
        }
        return false;
    }
    json minas_referral() {
        const auto page = world.services.referrals.of_member(support, mina.id);
        EXPECT_TRUE(page.has_value());
        EXPECT_TRUE(page && page->referred_by.has_value());
        json found;
        if (page && page->referred_by) {
            found = {{"state", std::string(core::to_string(page->referred_by->state))},
                     {"reason", page->referred_by->reason},
                     {"friend_points", page->referred_by->friend_points}};
        }
        return found;
    }
    void expect_verified() {
        const auto found = world.maintenance.verify();
        ASSERT_TRUE(found.has_value());
        EXPECT_TRUE(found->empty()) << found->front();
    }

    testing::TestWorld world;
    const service::StaffIdentity marketer{world.program_id, "marketer", core::StaffRole::kMarketer};
    const service::StaffIdentity support{world.program_id, "support", core::StaffRole::kSupport};
    const service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    service::EnrolledMember mina;
};

TEST_F(Referrals, UnderTheClampPolicyAWelcomeSpentBeforeItsPurchaseWasReturnedIsNeverPaidAgain) {
    core::PointsPolicy policy = testing::TestWorld::policy();
    policy.negative_balance = core::NegativeBalancePolicy::kClamp;
    ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());

    ASSERT_TRUE(welcomed(commit(world.purchase("1", 200000, mina.card_number))));
    const json before = commit([&] {
        core::Purchase spend = world.purchase("2", 100000, mina.card_number);
        spend.redeem_points = 40;  // Her welcome, spent.
        return spend;
    }());
    EXPECT_FALSE(welcomed(before));

    const auto back = world.returns.commit(world.terminal, world.return_request("R1", "1", {{1, 1000}}),
                                           crypto::sha256(crypto::as_bytes("R1")), pos::encode_purchase_answer);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    const json referral = minas_referral();
    EXPECT_EQ(referral["state"], "refused") << referral;
    EXPECT_EQ(referral["reason"], "returned");
    EXPECT_GT(referral["friend_points"].get<long long>(), 0) << "what the clamped balance could not give back";
    long long available = -1;
    world.db.raw() << "SELECT points_available FROM member_accounts WHERE member_id = :id", soci::into(available),
        soci::use(mina.id);
    EXPECT_EQ(available, 0) << "the clamp policy stops her balance at zero";

    EXPECT_FALSE(welcomed(commit(world.purchase("3", 300000, mina.card_number)))) << "no second welcome";
    expect_verified();
}

TEST_F(Referrals, AReceiptClaimedAfterHerDaysRanOutStillQualifiesWhenItWasMadeWithinThem) {
    // Without her card on day 25: the receipt is nobody's yet.
    world.clock.set(world.clock.now() + std::chrono::days(25));
    commit(world.purchase("anon", 150000, std::nullopt));
    // With it on day 31: too late, and her account stops naming the referral.
    world.clock.set(world.clock.now() + std::chrono::days(6));
    EXPECT_FALSE(welcomed(commit(world.purchase("late", 150000, mina.card_number))));
    // The day-25 receipt, claimed for her now, was within her days.
    const auto claimed =
        world.purchases.claim(support, mina.id, {"S042", "T07", *core::parse_date("2026-11-22"), "anon"}, std::nullopt,
                              pos::encode_purchase_answer);
    ASSERT_TRUE(claimed.has_value()) << claimed.error().message;
    EXPECT_TRUE(welcomed(json::parse(claimed->body)));
    EXPECT_EQ(minas_referral()["state"], "rewarded");
    expect_verified();
}

}  // namespace
}  // namespace patron
