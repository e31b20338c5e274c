// Member scores against a real database: generated purchase histories with known answers go
// through the till's own commit and return paths (the clock set to each purchase's time), the
// refresh scores them, and the table holds the segments, churn bands and values the README's
// formulas give. The refresh must finish while tills hold every member's rows locked.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <future>
#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_database.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using std::chrono::days;

class MemberScores : public ::testing::Test {
  protected:
    struct Planned {
        core::Timestamp at;
        std::string card;
        std::int64_t amount;
    };

    void SetUp() override { today_ = world.clock.now() + days(410); }

    std::string enrol(const std::string& name, int n) {
        const std::string phone = "0912345678" + std::to_string(n);
        return world.enrol(name, phone, "m" + std::to_string(n) + "@example.ir").card_number;
    }
    long long member_of(const std::string& card) {
        long long id = 0;
        world.db.raw() << "SELECT member_id FROM cards WHERE number = :card", soci::into(id), soci::use(card);
        return id;
    }
    // `count` purchases of `amount` every `gap` days, the last `recency` days before today.
    void plan_rhythm(const std::string& card, int count, int gap, int recency, std::int64_t amount) {
        for (int i = 0; i < count; ++i) {
            plan_.push_back({today_ - days(recency + gap * (count - 1 - i)), card, amount});
        }
    }
    void buy(const core::Purchase& purchase) {
        const auto done =
            world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                   pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    }
    // Commits the planned purchases in time order, each at its own time.
    void commit_plan() {
        std::sort(plan_.begin(), plan_.end(), [](const Planned& a, const Planned& b) { return a.at < b.at; });
        for (const Planned& planned : plan_) {
            world.clock.set(planned.at);
            buy(world.purchase("R" + std::to_string(++receipts_), planned.amount, planned.card));
        }
    }
    core::MemberScore score_of(const std::string& card) {
        const auto stored = world.services.insight.member_insight(world.program_id, member_of(card));
        EXPECT_TRUE(stored.has_value()) << card << ": " << (stored ? "" : stored.error().message);
        return stored ? stored->score : core::MemberScore{};
    }

    testing::TestWorld world;
    core::Timestamp today_;
    std::vector<Planned> plan_;
    int receipts_ = 0;
};

TEST_F(MemberScores, GeneratedHistoriesGetTheirKnownSegmentsBandsAndValues) {
    const std::string weekly = enrol("Weekly Buyer", 1);
    const std::string bimonthly = enrol("Bimonthly Buyer", 2);
    const std::string once = enrol("One Visit", 3);
    const std::string never = enrol("Never Bought", 4);
    const std::string long_ago = enrol("Long Ago", 5);
    plan_rhythm(weekly, 10, 7, 30, 100'000);      // Every 7 days, stopped 30 days ago.
    plan_rhythm(bimonthly, 5, 60, 30, 500'000);   // Every 60 days, last came 30 days ago.
    plan_rhythm(long_ago, 1, 1, 400, 1'000'000);  // Outside the 365-day window.
    commit_plan();

    // One visit 10 days ago: 3 x 300,000 IRR whose cost was 200,000 each; one unit returned 5 days ago.
    world.clock.set(today_ - days(10));
    core::Purchase basket = world.purchase("C1", 0, once);
    basket.lines = {{1, "COF-1", "coffee", 3000, 300'000, 900'000, 0, 600'000}};
    basket.total = 900'000;
    buy(basket);
    world.clock.set(today_ - days(5));
    const auto back = world.returns.commit(world.terminal, world.return_request("C1-R", "C1", {{1, 1000}}),
                                           crypto::sha256(crypto::as_bytes("C1-R")), pos::encode_purchase_answer);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    long long stored_cost = 0;
    world.db.raw() << "SELECT cost FROM purchase_lines WHERE cost IS NOT NULL", soci::into(stored_cost);
    EXPECT_EQ(stored_cost, 600'000);

    world.clock.set(today_);
    const auto report = world.services.insight.refresh(world.program_id, 365);
    ASSERT_TRUE(report.has_value()) << report.error().message;
    EXPECT_EQ(report->members, 5);

    // Quintiles among the three who bought in the window; the weekly and bimonthly tie on recency.
    const core::MemberScore w = score_of(weekly);
    EXPECT_EQ(w.recency_days, 30);
    EXPECT_EQ(w.frequency, 10);
    EXPECT_EQ(w.monetary_minor, 1'000'000);
    EXPECT_EQ(std::tuple(w.r_score, w.f_score, w.m_score), std::tuple(1, 4, 2));
    EXPECT_EQ(w.segment, core::RfmSegment::kAtRisk);
    EXPECT_EQ(w.churn_permille, 986);
    EXPECT_EQ(w.churn_band, core::ChurnBand::kHigh);

    const core::MemberScore b = score_of(bimonthly);
    EXPECT_EQ(std::tuple(b.r_score, b.f_score, b.m_score), std::tuple(1, 2, 4));
    EXPECT_EQ(b.segment, core::RfmSegment::kHibernating);
    EXPECT_EQ(b.churn_permille, 393);
    EXPECT_EQ(b.churn_band, core::ChurnBand::kLow);
    // 50 points per purchase at 1,000 IRR each: 250 points, 250,000 IRR of rewards.
    EXPECT_EQ(b.value.spend_minor, 2'500'000);
    EXPECT_EQ(b.value.points_earned, 250);
    EXPECT_EQ(b.value.reward_cost_minor, 250'000);
    EXPECT_EQ(b.value.net_value_minor, 2'250'000);
    EXPECT_FALSE(b.value.cost_minor.has_value());

    const core::MemberScore o = score_of(once);
    EXPECT_EQ(std::tuple(o.r_score, o.f_score, o.m_score), std::tuple(4, 1, 1));
    EXPECT_EQ(o.segment, core::RfmSegment::kPotential);
    EXPECT_EQ(o.churn_band, core::ChurnBand::kLow);
    EXPECT_EQ(o.value.spend_minor, 600'000);  // 900,000 less the 300,000 returned.
    EXPECT_EQ(o.value.points_earned, 60);     // 90 earned, 30 taken back.
    EXPECT_EQ(o.value.reward_cost_minor, 60'000);
    EXPECT_EQ(o.value.net_value_minor, 540'000);
    EXPECT_EQ(o.value.cost_minor, 400'000);  // The cost of the two units kept.
    EXPECT_EQ(o.value.margin_minor, 200'000);
    EXPECT_EQ(o.value.net_margin_minor, 140'000);

    for (const std::string& card : {never, long_ago}) {
        const core::MemberScore idle = score_of(card);
        EXPECT_EQ(idle.segment, core::RfmSegment::kNone);
        EXPECT_EQ(idle.churn_band, core::ChurnBand::kNone);
        EXPECT_FALSE(idle.r_score.has_value());
        EXPECT_EQ(idle.value.spend_minor, 0);
    }

    const auto summary = world.services.insight.segments(world.program_id);
    ASSERT_TRUE(summary.has_value());
    ASSERT_TRUE(summary->refresh.has_value());
    EXPECT_EQ(summary->refresh->members, 5);
    long long counted = 0;
    for (const store::SegmentCell& cell : summary->cells) counted += cell.members;
    EXPECT_EQ(counted, 5);

    const auto by_value = world.services.insight.customer_values(world.program_id, store::ValueOrder::kNetValue, 2);
    ASSERT_TRUE(by_value.has_value());
    ASSERT_EQ(by_value->size(), 2u);
    EXPECT_EQ((*by_value)[0].card, bimonthly);
    EXPECT_EQ((*by_value)[1].stored.score.member_id, member_of(weekly));
    EXPECT_FALSE(world.services.insight.customer_values(world.program_id, store::ValueOrder::kSpend, 1001));
}

TEST_F(MemberScores, ARefreshReplacesTheScoresAndForgetsErasedMembers) {
    const std::string kept = enrol("Kept Member", 1);
    const std::string erased = enrol("Erased Member", 2);
    plan_rhythm(kept, 2, 7, 3, 100'000);
    plan_rhythm(erased, 2, 7, 3, 100'000);
    commit_plan();
    world.clock.set(today_);
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_EQ(world.db.count("member_scores"), 2);
    const long long erased_id = member_of(erased);
    world.db.raw() << "UPDATE members SET status = 'erased' WHERE id = :id", soci::use(erased_id);
    world.clock.set(today_ + days(1));
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_EQ(world.db.count("member_scores"), 1);
    EXPECT_EQ(score_of(kept).recency_days, 4);
    EXPECT_FALSE(world.services.insight.member_insight(world.program_id, erased_id).has_value());
}

TEST_F(MemberScores, TheRefreshNeverWaitsForALockATillHolds) {
    const std::string card = enrol("Busy Member", 1);
    plan_rhythm(card, 3, 7, 1, 100'000);
    commit_plan();
    world.clock.set(today_);
    // A till mid-commit: the member's account, member and purchase rows locked for writing.
    soci::session& till = world.db.raw();
    till.begin();
    long long locked = 0;
    till << "SELECT COUNT(*) FROM member_accounts FOR UPDATE", soci::into(locked);
    till << "SELECT COUNT(*) FROM members FOR UPDATE", soci::into(locked);
    till << "SELECT COUNT(*) FROM purchases FOR UPDATE", soci::into(locked);
    till << "SELECT COUNT(*) FROM purchase_lines FOR UPDATE", soci::into(locked);
    auto refresh =
        std::async(std::launch::async, [&] { return world.services.insight.refresh(world.program_id, 365); });
    const bool finished = refresh.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
    till.rollback();
    ASSERT_TRUE(finished) << "the refresh waited for a lock the till held";
    const auto report = refresh.get();
    ASSERT_TRUE(report.has_value()) << report.error().message;
    EXPECT_EQ(report->members, 1);
}

}  // namespace
}  // namespace patron
