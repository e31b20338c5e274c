// Backtests against a real MariaDB, below HTTP: a window holding more purchases than a backtest
// rates is refused naming `to` and the bound, having read no more than one id past it; a member's
// tier at each past purchase is the one they held then (a tier multiplier of the draft pays by
// it); and members are judged by their materialised segments and the till's hold-out assignment:
// an unchanged draft with a segment scope and a hold-out gives what the published rules gave, a
// draft rule scoped to a segment gives only to its members, and a draft rule's hold-out gives its
// held-out members nothing.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <set>

#include "crypto/digest.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/segments.h"
#include "loyalty/service/posting/holdout_assignment.h"
#include "loyalty/service/program/backtest_service.h"
#include "loyalty/store/pos/backtest_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;

class Backtests : public ::testing::Test {
  protected:
    void buy(const std::string& receipt, long long amount) {
        const auto done =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, member.card_number),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    }
    core::Result<core::BacktestReport> backtest(service::BacktestLimits limits = {}) {
        service::BacktestService backtests(world.db.database(), world.keys, world.clock, world.random, limits);
        const auto window = backtests.window(world.program_id, {core::parse_date("2026-11-18"), std::nullopt});
        if (!window) return std::unexpected(window.error());
        service::BacktestProgress progress;
        return backtests.run(world.program_id, *window, progress);
    }

    core::Result<service::DraftView> draft(const json& document) {
        return world.services.rules.replace_draft(marketer, core::RuleDocument(document));
    }
    // Twelve members, every other one in Tehran (segment "tehran", materialised), each buying once
    // for 100,000 IRR.
    void enrol_buyers_in_two_cities() {
        const auto segment = core::decode_segment_document(
            {{"code", "tehran"}, {"name", "Tehran"}, {"conditions", {{"cities", {"Tehran"}}}}});
        ASSERT_TRUE(segment.has_value());
        ASSERT_TRUE(world.services.segments.create(marketer, *segment).has_value());
        for (int i = 0; i < 12; ++i) {
            core::MemberApplication application{"Buyer " + std::to_string(i), "0912000" + std::to_string(1000 + i),
                                                std::nullopt, "1990-04-12", "fa"};
            application.city = i % 2 == 0 ? "Tehran" : "Shiraz";
            const auto enrolled = world.members.enrol_unattended(world.program_id, application);
            ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
            buyers.push_back(*enrolled);
            if (i % 2 == 0) tehran.insert(enrolled->id);
        }
        ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    }
    void buy_once_each() {
        for (const service::EnrolledMember& buyer : buyers) {
            const auto done = world.purchases.commit(
                world.terminal, world.purchase("P-" + std::to_string(buyer.id), 100000, buyer.card_number),
                crypto::sha256(crypto::as_bytes("P-" + std::to_string(buyer.id))), pos::encode_purchase_answer);
            ASSERT_TRUE(done.has_value()) << done.error().message;
        }
        world.clock.set(world.clock.now() + std::chrono::hours(48));
    }
    // The base rule, 50 points for the members of segment "tehran", and `points` from rule `id` for
    // all but its hold-out of 50%.
    static json scoped_and_held_out(const std::string& id, int points) {
        json rules = json::parse(R"({"rules": [
            {"id": "base", "name": "Club points", "points": 1, "per_amount": 10000},
            {"id": "tehran_bonus", "name": "Tehran bonus", "kind": "bonus", "points": 50,
             "scope": {"segments": ["tehran"]}}]})");
        rules["rules"].push_back(
            {{"id", id}, {"name", id}, {"kind", "bonus"}, {"points", points}, {"holdout", {{"percent", 50}}}});
        return rules;
    }
    // How many of the buyers a rule's hold-out of `percent` keeps out, as the till decides.
    long long held_out_of(const std::string& rule_id, int percent) const {
        long long held_out = 0;
        for (const service::EnrolledMember& buyer : buyers) {
            held_out += service::is_held_out(core::Holdout{percent}, core::CampaignKind::kRule, rule_id, buyer.id);
        }
        return held_out;
    }
    static const core::RuleComparison* rule_of(const core::BacktestReport& report, const std::string& id) {
        for (const core::RuleComparison& rule : report.rules) {
            if (rule.id == id) return &rule;
        }
        return nullptr;
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const service::StaffIdentity marketer{world.program_id, "Mina", core::StaffRole::kMarketer};
    std::vector<service::EnrolledMember> buyers;
    std::set<long long> tehran;
};

TEST_F(Backtests, RefuseAWindowWithMorePurchasesThanTheyRateSayingTheBound) {
    for (const char* receipt : {"B-1", "B-2", "B-3"}) buy(receipt, 100000);
    const auto anonymous =
        world.purchases.commit(world.terminal, world.purchase("B-4", 100000),
                               crypto::sha256(crypto::as_bytes(std::string("B-4"))), pos::encode_purchase_answer);
    ASSERT_TRUE(anonymous.has_value()) << anonymous.error().message;
    world.clock.set(world.clock.now() + std::chrono::hours(48));
    const auto refused = backtest({.purchases_max = 2});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidationFailed);
    EXPECT_EQ(refused.error().field, "to");
    EXPECT_NE(refused.error().message.find("holds more than 2 member purchases"), std::string::npos)
        << refused.error().message;

    // The plan reads one id past the bound, not the whole window.
    const auto window = service::BacktestService(world.db.database(), world.keys, world.clock, world.random)
                            .window(world.program_id, {core::parse_date("2026-11-18"), std::nullopt});
    ASSERT_TRUE(window.has_value());
    const auto plan = [&](long long ids_max) {
        return store::plan_backtest(world.db.raw(), world.program_id, window->starts_at, window->ends_at,
                                    window->ends_at, ids_max);
    };
    EXPECT_EQ(plan(1).ids.size(), 2U);
    const store::BacktestPlan whole = plan(3);
    EXPECT_EQ(whole.ids.size(), 3U);
    EXPECT_EQ(whole.anonymous, 1);
    EXPECT_EQ(whole.voided, 0);

    const auto rated = backtest();
    ASSERT_TRUE(rated) << rated.error().message;
    EXPECT_EQ(rated->rated, 3);
    EXPECT_EQ(rated->published.points, 30);
    EXPECT_EQ(rated->draft.points, 30) << "the draft is a copy of the published rules";
}

TEST_F(Backtests, RateEachPurchaseAtTheTierTheMemberHeldThen) {
    buy("T-1", 100000);
    world.clock.set(world.clock.now() + std::chrono::hours(1));
    // The member became Gold after the first purchase; the draft doubles Gold's points.
    world.db.raw() << "UPDATE member_accounts SET tier = 'Gold' WHERE member_id = " + std::to_string(member.id);
    world.db.raw() << "INSERT INTO tier_history (member_id, from_tier, to_tier, reason, progress, secured_until,"
                      " policy_version, created_at) VALUES (" +
                          std::to_string(member.id) +
                          ", 'Member', 'Gold', 'upgrade', 0, '2027-12-31', 1, '2026-11-18 11:30:00')";
    buy("T-2", 100000);
    const auto drafted = draft(json::parse(
        R"({"rules": [{"id": "base", "name": "Club points", "points": 1, "per_amount": 10000,
                           "multipliers": {"tiers": {"Gold": 2}}}]})"));
    ASSERT_TRUE(drafted) << drafted.error().message;
    world.clock.set(world.clock.now() + std::chrono::hours(48));
    const auto rated = backtest();
    ASSERT_TRUE(rated) << rated.error().message;
    EXPECT_EQ(rated->rated, 2);
    EXPECT_EQ(rated->published.points, 20);
    EXPECT_EQ(rated->draft.points, 10 + 20) << "Member at the first purchase, Gold at the second";
}

TEST_F(Backtests, AnUnchangedDraftWithASegmentScopeAndAHoldoutGivesWhatThePublishedRulesGave) {
    enrol_buyers_in_two_cities();
    ASSERT_TRUE(draft(scoped_and_held_out("welcome", 20)).has_value());
    ASSERT_TRUE(world.services.rules.publish(marketer, {}).has_value());
    buy_once_each();
    const long long held_out = held_out_of("welcome", 50);
    ASSERT_GT(held_out, 0) << "the hold-out must split these buyers for the test to say anything";
    ASSERT_LT(held_out, 12);

    const auto rated = backtest();
    ASSERT_TRUE(rated) << rated.error().message;
    EXPECT_EQ(rated->rated, 12);
    EXPECT_EQ(rated->published.points, 12 * 10 + 6 * 50 + (12 - held_out) * 20);
    EXPECT_EQ(rated->draft.points, rated->published.points) << "the draft is a copy of the published rules";
    EXPECT_EQ(rated->draft.members, rated->published.members);
    for (const char* id : {"base", "tehran_bonus", "welcome"}) {
        const core::RuleComparison* rule = rule_of(*rated, id);
        ASSERT_NE(rule, nullptr) << id;
        EXPECT_EQ(rule->draft.points, rule->published.points) << id;
        EXPECT_EQ(rule->draft.members, rule->published.members) << id;
        EXPECT_EQ(rule->draft.purchases, rule->published.purchases) << id;
    }
}

TEST_F(Backtests, ADraftRuleScopedToASegmentGivesOnlyToItsMembersAndHeldOutMembersGetNothing) {
    enrol_buyers_in_two_cities();
    buy_once_each();
    ASSERT_TRUE(draft(scoped_and_held_out("trial", 30)).has_value());
    const long long held_out = held_out_of("trial", 50);
    ASSERT_GT(held_out, 0);
    ASSERT_LT(held_out, 12);

    const auto rated = backtest();
    ASSERT_TRUE(rated) << rated.error().message;
    const core::RuleComparison* scoped = rule_of(*rated, "tehran_bonus");
    ASSERT_NE(scoped, nullptr);
    EXPECT_EQ(scoped->draft.members, static_cast<long long>(tehran.size()));
    EXPECT_EQ(scoped->draft.points, 50 * static_cast<long long>(tehran.size())) << "Shiraz's members get nothing";
    EXPECT_EQ(scoped->published.points, 0);
    const core::RuleComparison* trial = rule_of(*rated, "trial");
    ASSERT_NE(trial, nullptr);
    EXPECT_EQ(trial->draft.members, 12 - held_out) << "the held-out members get nothing";
    EXPECT_EQ(trial->draft.points, 30 * (12 - held_out));
    EXPECT_EQ(rated->draft.points - rated->published.points, 50 * 6 + 30 * (12 - held_out));
}

}  // namespace
}  // namespace patron
