// Tiers against a real MariaDB: upgrades on the purchase that qualifies, returns lowering
// progress, reviews at the end of the period (with grace, one step or straight down), history.
#include "loyalty/core/tiers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/store/events/outbox_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;
using std::chrono::days;

class Tiers : public ::testing::Test {
  protected:
    void SetUp() override {
        set_tiers(R"({"measure": "points", "window": {"kind": "rolling", "months": 12},
        "downgrade": "one_step", "grace_days": 30, "tiers": [{"name": "Bronze", "threshold": 0},
        {"name": "Silver", "threshold": 100}, {"name": "Gold", "threshold": 300}]})");
    }

    void set_tiers(const char* document) {
        const auto policy = core::decode_tier_policy(json::parse(document));
        ASSERT_TRUE(policy.has_value()) << policy.error().message;
        const auto set = world.tiers.set_policy(marketer, *policy);
        ASSERT_TRUE(set.has_value()) << set.error().field << ": " << set.error().message;
    }
    json buy(const std::string& receipt, long long amount) {
        auto done = world.purchases.commit(world.terminal, world.purchase(receipt, amount, member.card_number),
                                           crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json{};
    }
    service::MemberTierView tier() { return world.tiers.member_tier(world.program_id, member.id).value(); }

    testing::TestWorld world;
    service::StaffIdentity marketer{world.program_id, "Mina (marketing)", core::StaffRole::kMarketer};
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(Tiers, TheQualifyingPurchaseUpgradesAtOnceAndTheReceiptSaysSo) {
    const json first = buy("1", 500000);  // 50 points: Bronze (from the enrolment tier "Member").
    EXPECT_EQ(first["member"]["tier"], "Bronze");
    EXPECT_EQ(buy("2", 400000)["member"]["tier"], "Bronze");  // 90.
    const json third = buy("3", 200000);                      // 110: Silver.
    EXPECT_EQ(third["member"]["tier"], "Silver");
    EXPECT_EQ(third["effects"].back()["kind"], "tier_change");
    EXPECT_EQ(third["effects"].back()["amount"], 110);
    EXPECT_EQ(third["receipt_lines"][1], "سطح جدید: Silver") << "in the program's language (fa)";
    const auto view = tier();
    EXPECT_EQ(view.progress.tier, "Silver");
    EXPECT_EQ(view.progress.value, 110);
    EXPECT_EQ(*view.progress.next_tier, "Gold");
    EXPECT_EQ(view.progress.missing, 190);
    ASSERT_TRUE(view.progress.secured_until.has_value());
    // Reached on 18 November 2026 (11:06 UTC, the world's programme keeps UTC): secured to the end of
    // 18 November 2027.
    EXPECT_EQ(*view.progress.secured_until, core::Timestamp{std::chrono::sys_days{std::chrono::year{2027} / 11 / 19}});
    ASSERT_EQ(view.history.size(), 2u);
    EXPECT_EQ(view.history[1].from, "Bronze");
    EXPECT_EQ(view.history[1].to, "Silver");
    EXPECT_EQ(view.history[1].reason, "upgrade");
}

// Each change of tier raises tier_changed in its own transaction: an upgrade with the purchase
// that reached it, a downgrade with the review; a review that keeps the tier raises none.
TEST_F(Tiers, EveryChangeOfTierIsAnEventAndAKeptTierIsNot) {
    const auto changes = [&] {
        std::vector<json> found;
        for (const store::OutboxEvent& event : store::events_after(world.db.raw(), world.program_id, 0, 1000)) {
            if (event.type == "tier_changed") found.push_back(json::parse(event.data));
        }
        return found;
    };
    buy("1", 500000);                                // Member -> Bronze.
    const json gold = buy("2", 3000000);             // 350: Gold.
    world.clock.set(world.clock.now() + days(400));  // Nothing earned in the period.
    ASSERT_EQ(world.tiers.review_all_due().value().lowered, 1);
    world.clock.set(world.clock.now() + days(400));
    ASSERT_EQ(world.tiers.review_all_due().value().lowered, 1);  // Silver -> Bronze.
    const std::vector<json> found = changes();
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0]["from"], "Member");
    EXPECT_EQ(found[0]["to"], "Bronze");
    EXPECT_EQ(found[1]["from"], "Bronze");
    EXPECT_EQ(found[1]["to"], "Gold");
    EXPECT_EQ(found[1]["direction"], "upgrade");
    EXPECT_EQ(found[1]["cause"], "purchase");
    EXPECT_EQ(found[1]["progress"], 350);
    EXPECT_EQ(found[1]["purchase_id"], gold["purchase_id"]);
    EXPECT_EQ(found[1]["member_id"], member.id);
    EXPECT_EQ(found[2]["from"], "Gold");
    EXPECT_EQ(found[2]["to"], "Silver");
    EXPECT_EQ(found[2]["direction"], "downgrade");
    EXPECT_EQ(found[2]["cause"], "review");
    EXPECT_TRUE(found[2]["purchase_id"].is_null());
    EXPECT_EQ(found[3]["to"], "Bronze");
    // Bronze is the lowest: the next review keeps it, and says nothing.
    world.clock.set(world.clock.now() + days(400));
    EXPECT_EQ(world.tiers.review_all_due().value().reviewed, 1);
    EXPECT_EQ(changes().size(), 4u);
}

TEST_F(Tiers, AReturnLowersProgressButNotTheTierUntilTheReview) {
    buy("1", 1200000);  // 120: Silver.
    const core::ReturnRequest back = world.return_request("R1", "1", {{1, 1000}});
    ASSERT_TRUE(world.returns.commit(world.terminal, back, crypto::sha256(crypto::as_bytes("R1")),
                                     pos::encode_purchase_answer));
    EXPECT_EQ(tier().progress.value, 0) << "the returned points count no more";
    EXPECT_EQ(tier().progress.tier, "Silver") << "a tier only falls at its review";
    // The period ends (12 months), then the 30 days of grace: Silver falls one step to Bronze.
    world.clock.set(world.clock.now() + days(366));
    EXPECT_EQ(world.tiers.review_all_due()->reviewed, 0) << "still in grace";
    world.clock.set(world.clock.now() + days(31));
    const auto report = world.tiers.review_all_due();
    EXPECT_EQ(report->reviewed, 1);
    EXPECT_EQ(report->lowered, 1);
    EXPECT_EQ(tier().progress.tier, "Bronze");
    EXPECT_EQ(tier().history.back().reason, "downgrade");
    EXPECT_EQ(world.tiers.review_all_due()->reviewed, 0) << "reviewed once per period";
}

TEST_F(Tiers, AMemberWhoStillQualifiesKeepsTheTierForAnotherPeriod) {
    buy("1", 3500000);  // 350: Gold.
    world.clock.set(world.clock.now() + days(300));
    buy("2", 3100000);  // 310 more, inside the window that ends with the period.
    world.clock.set(world.clock.now() + days(100));
    EXPECT_EQ(world.tiers.review_all_due()->lowered, 0);
    EXPECT_EQ(tier().progress.tier, "Gold");
    EXPECT_EQ(tier().history.back().reason, "kept");
}

TEST_F(Tiers, OneStepAtATimeByDefault) {
    EXPECT_EQ(buy("1", 3500000)["member"]["tier"], "Gold");
    ASSERT_EQ(tier().progress.tier, "Gold") << "the claim below needs the member at the top first";
    world.clock.set(world.clock.now() + days(400));
    ASSERT_EQ(world.tiers.review_all_due().value().lowered, 1);
    EXPECT_EQ(tier().progress.tier, "Silver") << "nothing earned in the period, but one step only";
}

TEST_F(Tiers, StraightDownWhenThePolicySaysSo) {
    set_tiers(R"({"measure": "points", "downgrade": "to_qualified", "tiers": [{"name": "Bronze", "threshold": 0},
        {"name": "Silver", "threshold": 100}, {"name": "Gold", "threshold": 300}]})");
    buy("1", 3500000);  // Gold.
    world.clock.set(world.clock.now() + days(400));
    ASSERT_EQ(world.tiers.review_all_due().value().lowered, 1);
    EXPECT_EQ(tier().progress.tier, "Bronze") << "nothing earned in the period: straight to the base tier";
}

TEST_F(Tiers, VisitsAndAmountAreMeasuresToo) {
    set_tiers(R"({"measure": "visits", "tiers": [{"name": "Regular", "threshold": 0},
        {"name": "Friend", "threshold": 3}]})");
    buy("1", 10000);
    buy("2", 10000);
    EXPECT_EQ(buy("3", 10000)["member"]["tier"], "Friend");
    set_tiers(R"({"measure": "amount", "window": {"kind": "calendar_year"}, "tiers": [{"name": "Regular",
        "threshold": 0}, {"name": "Big spender", "threshold": 5000000}]})");
    EXPECT_EQ(tier().progress.value, 30000);
    // "Friend" is no tier of the new policy: the next purchase places the member where they qualify.
    EXPECT_EQ(buy("4", 10000)["member"]["tier"], "Regular");
    EXPECT_EQ(*tier().progress.next_tier, "Big spender");
    EXPECT_EQ(tier().progress.missing, 5000000 - 40000);
    EXPECT_EQ(*tier().progress.next_by, core::Timestamp{std::chrono::sys_days{std::chrono::year{2027} / 1 / 1}})
        << "a calendar year's progress counts until the year ends";
}

TEST_F(Tiers, ABadPolicyIsRefusedWithEveryProblemAndOnlyByMarketers) {
    const auto refused =
        core::decode_tier_policy(json::parse(R"({"measure": "likes", "window": {"kind": "rolling", "months": 0},
            "tiers": [{"name": "A", "threshold": 5}, {"name": "A", "threshold": 1}]})"));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidationFailed);
    std::vector<std::string> fields;
    for (const auto& problem : refused.error().problems) fields.push_back(problem.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"measure", "window.months", "tiers[0].threshold", "tiers[1].name",
                                                "tiers[1].threshold"}));
    const auto forbidden =
        world.tiers.set_policy({world.program_id, "Ali", core::StaffRole::kSupport}, core::TierPolicy{});
    EXPECT_EQ(forbidden.error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(world.tiers.policy(world.program_id)->version, 1) << "nothing stored";
}

}  // namespace
}  // namespace patron
