// Late identification against a real MariaDB: an anonymous purchase credited to a member once,
// rated by the rules of its POS time, within the claim window, with the books balanced after.
#include <gtest/gtest.h>

#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/digest.h"
#include "loyalty/store/events/outbox_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;
using std::chrono::days;

class Claims : public ::testing::Test {
  protected:
    void SetUp() override {
        core::Purchase anonymous = world.purchase("1", 0);
        anonymous.lines = {{1, "COF-1", "coffee", 2000, 300000, 600000, 0},
                           {2, "CAKE", "bakery", 1000, 150000, 150000, 0}};
        anonymous.total = 750000;
        const auto done = world.purchases.commit(world.terminal, anonymous, crypto::sha256(crypto::as_bytes("1")),
                                                 pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value());
        ASSERT_EQ(json::parse(done->body)["points"]["earned"], 0) << "anonymous purchases earn nothing";
        long long earning_lines = -1;
        world.db.raw() << "SELECT COUNT(points) FROM purchase_lines", soci::into(earning_lines);
        EXPECT_EQ(earning_lines, 0) << "no line of an anonymous purchase holds points";
    }
    core::Result<service::CommitOutcome> claim(long long member_id, const std::string& receipt = "1",
                                               const std::optional<service::StaffIdentity>& who = {}) {
        return world.purchases.claim(who.value_or(support), member_id,
                                     {"S042", "T07", *core::parse_date("2026-11-22"), receipt}, std::nullopt,
                                     pos::encode_purchase_answer);
    }

    testing::TestWorld world;
    service::StaffIdentity support{world.program_id, "Ali (support)", core::StaffRole::kSupport};
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    service::EnrolledMember other = world.enrol("Reza Ahmadi", "09121112233", "reza@example.ir");
};

TEST_F(Claims, AnAnonymousPurchaseIsCreditedOnceAndReturnsTakeItBackLater) {
    const auto claimed = claim(member.id);
    ASSERT_TRUE(claimed.has_value()) << claimed.error().message;
    EXPECT_EQ(claimed->kind, core::AnswerKind::kCreated);
    EXPECT_EQ(json::parse(claimed->body)["points"]["earned"], 75);
    EXPECT_EQ(world.members.balance(world.program_id, member.id)->points_available, 75);
    // The claim wrote on the lines what each earned, from the one lot the purchase's points went to.
    const long long purchase_id = json::parse(claimed->body)["purchase_id"];
    std::vector<json> points;
    soci::rowset<std::string> rows =
        (world.db.raw().prepare << "SELECT points FROM purchase_lines WHERE purchase_id = :id ORDER BY line",
         soci::use(purchase_id));
    for (const std::string& row : rows) points.push_back(json::parse(row));
    ASSERT_EQ(points.size(), 2u);
    ASSERT_EQ(points[0].size(), 1u);
    EXPECT_EQ(points[0][0]["points"], 60);
    EXPECT_EQ(points[1], json::array({{{"lot", points[0][0]["lot"]}, {"points", 15}}}));
    EXPECT_EQ(claim(member.id).error().code, core::ErrorCode::kAlreadyClaimed);
    EXPECT_EQ(claim(other.id).error().code, core::ErrorCode::kAlreadyClaimed);
    // Other systems hear of the claim once, as what it gave the member; refused claims raise nothing.
    std::vector<store::OutboxEvent> claims;
    for (store::OutboxEvent& event : store::events_after(world.db.raw(), world.program_id, 0, 1000)) {
        if (event.type == "purchase_claimed") claims.push_back(std::move(event));
    }
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].member_id, member.id);
    const json data = json::parse(claims[0].data);
    EXPECT_EQ(data["purchase_id"], json::parse(claimed->body)["purchase_id"]);
    EXPECT_EQ(data["points_earned"], 75);
    EXPECT_EQ(data["points_available"], 75);
    EXPECT_EQ(data["receipt"], "1") << "hers now: the receipt no longer claims anything";
    EXPECT_EQ(data["total"], 750000);
    EXPECT_FALSE(data.contains("original_purchase_id"));

    // The claimed purchase behaves as the member's own: a return takes the cake's points back.
    const core::ReturnRequest back = world.return_request("R1", "1", {{2, 1000}});
    const auto returned =
        world.returns.commit(world.terminal, back, crypto::sha256(crypto::as_bytes("R1")), pos::encode_purchase_answer);
    ASSERT_TRUE(returned.has_value());
    EXPECT_EQ(json::parse(returned->body)["points"]["earned"], -15);
    const auto found = world.maintenance.verify().value();
    EXPECT_TRUE(found.empty()) << found.front();
}

TEST_F(Claims, RefusedOutsideTheWindowForUnknownReceiptsAndForOtherRoles) {
    EXPECT_EQ(claim(member.id, "9").error().code, core::ErrorCode::kReceiptNotFound);
    EXPECT_EQ(claim(999).error().code, core::ErrorCode::kMemberNotFound);
    const service::StaffIdentity marketer{world.program_id, "Mina", core::StaffRole::kMarketer};
    EXPECT_EQ(claim(member.id, "1", marketer).error().code, core::ErrorCode::kForbidden);
    world.clock.set(world.clock.now() + days(31));
    EXPECT_EQ(claim(member.id).error().code, core::ErrorCode::kClaimWindowClosed);
    EXPECT_EQ(world.members.balance(world.program_id, member.id)->points_available, 0);
}

TEST_F(Claims, TwoStaffClaimingAtOnceCreditOneMember) {
    std::latch start(2);
    std::atomic<int> succeeded{0};
    std::thread first([&] {
        start.arrive_and_wait();
        if (claim(member.id)) ++succeeded;
    });
    std::thread second([&] {
        start.arrive_and_wait();
        if (claim(other.id)) ++succeeded;
    });
    first.join();
    second.join();
    EXPECT_EQ(succeeded.load(), 1);
    EXPECT_EQ(world.members.balance(world.program_id, member.id)->points_available +
                  world.members.balance(world.program_id, other.id)->points_available,
              75);
}

}  // namespace
}  // namespace patron
