// The member's balance page against a real MariaDB, in a programme that keeps Tehran time
// (UTC+03:30): expiry, pending points and tier windows follow local days, so a purchase just after
// local midnight belongs to the new day, and one just after local New Year to the new year.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/members/member_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using namespace std::chrono;
using nlohmann::json;

using testing::utc;

class MemberBalance : public ::testing::Test {
  protected:
    void SetUp() override {
        core::ProgramSettingsChange change;
        change.time_zone = "Asia/Tehran";
        change.fields = {"time_zone"};
        ASSERT_TRUE(world.services.settings.update(admin, change).has_value());
    }
    json buy(const std::string& receipt, long long amount) {
        auto done = world.purchases.commit(world.terminal, world.purchase(receipt, amount, member.card_number),
                                           crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json{};
    }
    service::BalanceOutlook outlook() {
        auto balance = world.members.balance(world.program_id, member.id);
        EXPECT_TRUE(balance.has_value());
        return balance && balance->outlook ? *balance->outlook : service::BalanceOutlook{};
    }

    testing::TestWorld world;
    service::StaffIdentity admin{world.program_id, "Ali (admin)", core::StaffRole::kAdmin};
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(MemberBalance, APurchaseTenMinutesAfterMidnightInTehranExpiresAtTheEndOfThatLocalDayAYearLater) {
    world.clock.set(utc("2026-11-30", 20, 40));  // 00:10 on 1 December in Tehran.
    buy("1", 330000);                            // 33 points.
    std::string expires_at;
    world.db.raw() << "SELECT DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%s') FROM point_lots", soci::into(expires_at);
    EXPECT_EQ(expires_at, "2027-12-01T20:30:00") << "the end of 1 December 2027 in Tehran, not of 30 November";

    const service::BalanceOutlook now = outlook();
    EXPECT_EQ(now.time_zone, "Asia/Tehran");
    ASSERT_EQ(now.expiring.size(), 1U);
    EXPECT_EQ(core::format_date(now.expiring[0].date), "2027-12-01");
    EXPECT_EQ(now.expiring[0].at, utc("2027-12-01", 20, 30));
    EXPECT_EQ(now.expiring[0].points, 33);
    EXPECT_EQ(now.expiring_soon, 0);
    EXPECT_TRUE(now.pending.empty()) << "the world's programme holds no points";

    world.clock.set(utc("2027-11-01", 20, 29));
    EXPECT_EQ(outlook().expiring_soon, 0) << "30 days and a minute before";
    world.clock.set(utc("2027-11-01", 20, 30));
    EXPECT_EQ(outlook().expiring_soon, 33) << "30 days before";
}

TEST_F(MemberBalance, PendingPointsAreListedByTheLocalDayTheyBecomeAvailable) {
    core::PointsPolicy policy = testing::TestWorld::policy();
    policy.hold = days(14);
    ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    world.clock.set(utc("2026-11-22", 20, 40));  // 00:10 on 23 November in Tehran.
    buy("1", 200000);
    world.clock.set(utc("2026-11-23", 9));
    buy("2", 100000);
    const service::BalanceOutlook now = outlook();
    ASSERT_EQ(now.pending.size(), 1U) << "both on 23 November in Tehran, though not in UTC";
    EXPECT_EQ(core::format_date(now.pending[0].date), "2026-12-07");
    EXPECT_EQ(now.pending[0].points, 30);
    EXPECT_EQ(now.pending[0].at, utc("2026-12-07", 9)) << "when the last of them becomes available";
    EXPECT_TRUE(now.expiring.empty()) << "pending points are not spendable yet";
}

TEST_F(MemberBalance, PendingAndExpiringComeFromOneReadAndExpiringSoonCountsLotsBeyondTheList) {
    core::PointsPolicy policy = testing::TestWorld::policy();
    policy.hold = days(14);
    ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    world.clock.set(utc("2026-11-22", 9));
    buy("1", 200000);  // 20 points pending until 6 December.
    // 600 available lots of 3 points, one a minute from an hour on: more instants than one read
    // lists, all expiring within 30 days.
    world.db.raw() << "INSERT INTO point_lots (member_id, transfer_id, rule_id, rule_version, earned, remaining,"
                      " state, earned_at, pending_until, expires_at) SELECT member_id, transfer_id, rule_id,"
                      " rule_version, 3, 3, 'available', earned_at, earned_at,"
                      " '2026-11-22 10:00:00' + INTERVAL s.seq MINUTE FROM point_lots, seq_1_to_600 s";
    const service::BalanceOutlook now = outlook();
    ASSERT_EQ(now.pending.size(), 1U);
    EXPECT_EQ(now.pending[0].points, 20);
    EXPECT_TRUE(now.expiring.empty()) << "a list the read cuts drops its last date, which may lack lots";
    EXPECT_EQ(now.expiring_soon, 1800) << "600 lots of 3, though the read lists 500 instants";
    world.clock.set(utc("2026-10-20", 9));  // The list's cut lies beyond the 30 days now.
    EXPECT_EQ(outlook().expiring_soon, 0);
    world.clock.set(utc("2026-10-23", 10, 5));  // The first five instants are within 30 days.
    EXPECT_EQ(outlook().expiring_soon, 15);
}

TEST_F(MemberBalance, ACalendarYearTierWindowTurnsAtLocalNewYear) {
    const auto tiers = core::decode_tier_policy(json::parse(
        R"({"measure": "points", "window": {"kind": "calendar_year"}, "tiers": [{"name": "Bronze", "threshold": 0},
            {"name": "Silver", "threshold": 50}]})"));
    ASSERT_TRUE(world.tiers.set_policy(admin, *tiers).has_value());
    world.clock.set(utc("2026-12-31", 20));  // 23:30 on 31 December 2026 in Tehran.
    EXPECT_EQ(buy("1", 300000)["member"]["tier"], "Bronze");
    world.clock.set(utc("2026-12-31", 21));  // 00:30 on 1 January 2027 in Tehran (still 2026 in UTC).
    EXPECT_EQ(buy("2", 200000)["member"]["tier"], "Bronze") << "30 points in 2026 and 20 in 2027, locally";

    const service::TierStanding tier = outlook().tier;
    EXPECT_EQ(tier.measure, core::TierMeasure::kPoints);
    EXPECT_EQ(tier.qualifying, 20);
    ASSERT_TRUE(tier.window.has_value());
    EXPECT_EQ(core::format_date(tier.window->first), "2027-01-01");
    EXPECT_EQ(core::format_date(tier.window->last), "2027-12-31");
    ASSERT_TRUE(tier.next.has_value());
    EXPECT_EQ(tier.next->name, "Silver");
    EXPECT_EQ(tier.needed, 30);
    EXPECT_EQ(tier.since, utc("2026-12-31", 20)) << "Bronze since the first purchase";
    ASSERT_TRUE(tier.secured_until.has_value());
    EXPECT_EQ(core::format_date(*tier.secured_until), "2027-12-31") << "reached in 2026: that year and the next";

    world.clock.set(utc("2026-12-31", 21, 30));
    EXPECT_EQ(buy("3", 300000)["member"]["tier"], "Silver") << "50 points in 2027";
    const service::TierStanding silver = outlook().tier;
    EXPECT_FALSE(silver.next.has_value()) << "the top tier";
    EXPECT_EQ(core::format_date(*silver.secured_until), "2028-12-31");
}

TEST_F(MemberBalance, ATierMeasureChangedSinceTheLastReadIsReadByTheNewPolicy) {
    const auto points = core::decode_tier_policy(json::parse(
        R"({"measure": "points", "window": {"kind": "calendar_year"}, "tiers": [{"name": "Bronze", "threshold": 0},
            {"name": "Silver", "threshold": 50}]})"));
    ASSERT_TRUE(world.tiers.set_policy(admin, *points).has_value());
    world.clock.set(utc("2026-06-01", 9));
    buy("1", 300000);  // 30 points.
    EXPECT_EQ(outlook().tier.qualifying, 30) << "read with the member: the policies kept are those in force";

    // The kept policies still measure points: the guess is wrong until the read's settings version
    // tells, and the measure must be read by the new policy.
    const auto amount = core::decode_tier_policy(json::parse(
        R"({"measure": "amount", "window": {"kind": "calendar_year"}, "tiers": [{"name": "Bronze", "threshold": 0},
            {"name": "Silver", "threshold": 5000000}]})"));
    ASSERT_TRUE(world.tiers.set_policy(admin, *amount).has_value());
    const service::TierStanding tier = outlook().tier;
    EXPECT_EQ(tier.measure, core::TierMeasure::kAmount);
    EXPECT_EQ(tier.qualifying, 300000);
    EXPECT_EQ(tier.needed, 4700000);
    EXPECT_EQ(outlook().tier.qualifying, 300000) << "and again, now that the new policies are kept";
}

TEST_F(MemberBalance, CardsIssuedAtOneInstantComeInTheirNumbersOrderAndThePrimaryIsShown) {
    const core::Timestamp later = world.clock.now() + hours(1);  // After the card she enrolled with.
    for (const char* number : {"7000000000000090", "7000000000000010"}) {
        store::insert_card(world.db.raw(), {number, member.id, "physical", core::CardState::kActive}, later);
    }
    const std::vector<store::CardRecord> cards = store::find_cards_of_member(world.db.raw(), member.id);
    ASSERT_EQ(cards.size(), 3U);
    EXPECT_EQ(cards[0].number, member.card_number) << "the oldest first";
    EXPECT_EQ(cards[1].number, "7000000000000010");
    EXPECT_EQ(cards[2].number, "7000000000000090");
    EXPECT_EQ(cards[1].kind, "physical");
    EXPECT_EQ(cards[1].issued_at, later);
    EXPECT_FALSE(cards[1].state_reason.has_value());

    world.db.raw() << "UPDATE members SET primary_card = '7000000000000090' WHERE id = " << member.id;
    const service::BalanceOutlook now = outlook();
    ASSERT_TRUE(now.card.has_value());
    EXPECT_EQ(now.card->number, "7000000000000090") << "the card staff chose, read with the member";
    EXPECT_TRUE(now.card->primary);
}

// A token memory kept is checked by the balance's own read: confirmed while the token stands,
// found changed once it ended, and left unread when no member row carried the check.
TEST_F(MemberBalance, ATokenMemoryKeptIsConfirmedByTheBalanceReadOrFoundChanged) {
    const auto token = world.admin.issue_staff_token(world.program_id, "desk", core::StaffRole::kSupport);
    ASSERT_TRUE(token.has_value());
    EXPECT_FALSE(world.access.kept_staff(*token).has_value()) << "kept only once checked";
    ASSERT_TRUE(world.access.staff_by_token(*token).has_value());
    auto kept = world.access.kept_staff(*token);
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->first.role, core::StaffRole::kSupport);
    EXPECT_EQ(kept->first.label, "desk");
    service::FoldedCheck& check = *kept->second;
    EXPECT_EQ(check.state(), service::FoldedCheck::State::kUnread);
    ASSERT_TRUE(world.members.balance(world.program_id, member.id, &check).has_value());
    EXPECT_EQ(check.state(), service::FoldedCheck::State::kConfirmed);

    auto absent = world.access.kept_staff(*token);
    EXPECT_EQ(world.members.balance(world.program_id, member.id + 1000, absent->second.get()).error().code,
              core::ErrorCode::kMemberNotFound);
    EXPECT_EQ(absent->second->state(), service::FoldedCheck::State::kUnread) << "no row carried it";

    world.db.raw() << "UPDATE staff_tokens SET role = 'admin'";
    auto changed = world.access.kept_staff(*token);
    EXPECT_EQ(world.members.balance(world.program_id, member.id, changed->second.get()).error().code,
              core::ErrorCode::kUnauthenticated);
    EXPECT_EQ(changed->second->state(), service::FoldedCheck::State::kChanged) << "another role";
    world.db.raw() << "DELETE FROM staff_tokens";
    auto ended = world.access.kept_staff(*token);
    EXPECT_FALSE(world.members.balance(world.program_id, member.id, ended->second.get()).has_value());
    EXPECT_EQ(ended->second->state(), service::FoldedCheck::State::kChanged) << "signed out";
    EXPECT_FALSE(world.access.staff_by_token(*token).has_value());
    EXPECT_FALSE(world.access.kept_staff(*token).has_value()) << "a refused check forgets the token";
}

TEST_F(MemberBalance, AMemberTokenMemoryKeptIsConfirmedByTheBalanceReadOrFoundChanged) {
    const std::string token = "member-session-token";
    // As a sign-in leaves it (MemberSignInService), an hour before it expires.
    world.db.raw() << "INSERT INTO member_tokens (token_sha256, member_id, program_id, created_at, expires_at)"
                      " VALUES (UNHEX(SHA2('" +
                          token + "', 256)), " + std::to_string(member.id) + ", " + std::to_string(world.program_id) +
                          ", '" + store::to_sql_time(world.clock.now()) + "', '" +
                          store::to_sql_time(world.clock.now() + std::chrono::hours(1)) + "')";
    EXPECT_FALSE(world.access.kept_member(token).has_value()) << "kept only once checked";
    const auto checked = world.access.member_by_token(token);
    ASSERT_TRUE(checked.has_value()) << checked.error().message;
    EXPECT_EQ(checked->member_id, member.id);
    auto kept = world.access.kept_member(token);
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->first.member_id, member.id);
    ASSERT_TRUE(world.members.balance(world.program_id, member.id, kept->second.get()).has_value());
    EXPECT_EQ(kept->second->state(), service::FoldedCheck::State::kConfirmed);

    world.db.raw() << "DELETE FROM member_tokens";
    auto ended = world.access.kept_member(token);
    EXPECT_EQ(world.members.balance(world.program_id, member.id, ended->second.get()).error().code,
              core::ErrorCode::kUnauthenticated);
    EXPECT_EQ(ended->second->state(), service::FoldedCheck::State::kChanged) << "signed out";
}

}  // namespace
}  // namespace patron
