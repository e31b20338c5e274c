// The range of a hold-out campaign's effectiveness report when none is asked, against a real
// MariaDB: it starts at the later of the campaign's start and its first recorded member (nothing
// before that can count), and a campaign older than a report's 366 days keeps its latest days.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;

class EffectivenessWindow : public ::testing::Test {
  protected:
    void SetUp() override {
        // Running since January 2025; its hold-out came with a version published today (2026-11-18).
        const json rules = {{"rules", json::array({{{"id", "visit"},
                                                    {"name", "Visit bonus"},
                                                    {"kind", "bonus"},
                                                    {"points", 100},
                                                    {"valid_from", "2025-01-01T00:00:00Z"},
                                                    {"holdout", {{"percent", 50}}}}})}};
        ASSERT_TRUE(world.services.rules.replace_draft(admin, core::RuleDocument(rules)).has_value());
        ASSERT_TRUE(world.services.rules.publish(admin, {}).has_value());
    }
    void buy(const std::string& receipt, const service::EnrolledMember& member, std::int64_t amount) {
        const auto done =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, member.card_number),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    }
    core::EffectivenessReport report() {
        const auto answered =
            world.services.effectiveness_reports.report(analyst, core::CampaignKind::kRule, "visit", {});
        EXPECT_TRUE(answered.has_value()) << answered.error().message;
        return answered.value_or(core::EffectivenessReport{});
    }

    testing::TestWorld world;
    const service::StaffIdentity admin{world.program_id, "Ava (admin)", core::StaffRole::kAdmin};
    const service::StaffIdentity analyst{world.program_id, "Ali (analysis)", core::StaffRole::kAnalyst};
    const service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const service::EnrolledMember reza = world.enrol("Reza Ahmadi", "09350001111", "reza@example.ir");
};

TEST_F(EffectivenessWindow, StartsAtTheFirstRecordedMemberWhenTheCampaignBeganEarlier) {
    buy("first-sara", sara, 100000);  // Records each in their group.
    buy("first-reza", reza, 100000);
    world.clock.set(world.clock.now() + std::chrono::minutes(10));
    buy("again-sara", sara, 200000);
    buy("again-reza", reza, 300000);

    const core::EffectivenessReport answer = report();
    EXPECT_EQ(answer.query.from, core::parse_date("2026-11-18")) << "not the campaign's start in 2025";
    EXPECT_EQ(answer.query.to, core::parse_date("2026-11-18"));
    EXPECT_EQ(answer.targeted.members + answer.holdout.members, 2);
    EXPECT_EQ(answer.targeted.spend + answer.holdout.spend, 500000) << "the purchases after each was recorded";
}

TEST_F(EffectivenessWindow, ACampaignLongerThanAReportKeepsItsLatestDays) {
    // Sara was recorded early in 2025 (an earlier version's hold-out); today is 2026-11-18.
    store::record_exposures(
        world.db.raw(), world.program_id, core::CampaignKind::kRule, sara.id, {{"visit", false}}, std::nullopt,
        core::Timestamp{std::chrono::sys_days{std::chrono::year{2025} / 1 / 5} + std::chrono::hours(10)});
    buy("today", sara, 100000);

    const core::EffectivenessReport answer = report();
    EXPECT_EQ(answer.query.to, core::parse_date("2026-11-18")) << "the window ends today";
    EXPECT_EQ(answer.query.from, core::parse_date("2025-11-18")) << "366 days";
    EXPECT_EQ(answer.targeted.spend, 100000);
}

}  // namespace
}  // namespace patron
