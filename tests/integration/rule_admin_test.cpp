// Marketers' rule sets against a real MariaDB: drafts, validation with every problem, ids the
// engine writes itself or equal but for case refused (versions published with them still rate), a
// hold-out share kept once members are recorded under it, publish with an effective time, rollback
// as a new version, and a preview that writes nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/program/program_service.h"
#include "loyalty/service/program/rule_service.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;
using std::chrono::days;

class RuleSets : public ::testing::Test {
  protected:
    // A draft entry as the API reads it from a PUT body.
    static core::RuleEntry entry(const std::string& id, const char* body) {
        return core::RuleEntry::read(json::parse(body), id).value();
    }
    json buy(const std::string& receipt, long long amount) {
        auto done = world.purchases.commit(world.terminal, world.purchase(receipt, amount, member.card_number),
                                           crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json{};
    }

    testing::TestWorld world;
    service::RuleService rules{world.db.database(), world.keys, world.clock};
    service::StaffIdentity marketer{world.program_id, "Mina (marketing)", core::StaffRole::kMarketer};
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(RuleSets, TheDraftStartsAsTheLatestVersionAndIsEditedRuleByRule) {
    const auto draft = rules.draft(world.program_id);
    ASSERT_TRUE(draft.has_value());
    EXPECT_EQ(draft->based_on_version, 1);
    EXPECT_FALSE(draft->updated_by.has_value());
    EXPECT_EQ(draft->document.as_json()["rules"][0]["id"], "base");

    const auto added =
        rules.put_entry(marketer, core::RuleList::kRules, entry("coffee-x2", R"({"name": "Coffee double", "points": 2,
        "per_amount": 10000, "conditions": {"categories": ["coffee"]}})"));
    ASSERT_TRUE(added.has_value()) << added.error().message;
    EXPECT_EQ(added->document.as_json()["rules"].size(), 2u);
    EXPECT_EQ(added->updated_by, "Mina (marketing)");
    const auto changed =
        rules.put_entry(marketer, core::RuleList::kRules, entry("coffee-x2", R"({"name": "Coffee triple", "points": 3,
        "per_amount": 10000})"));
    EXPECT_EQ(changed->document.as_json()["rules"].size(), 2u) << "same id: replaced";
    EXPECT_EQ(changed->document.as_json()["rules"][1]["points"], 3);
    EXPECT_EQ(rules.delete_entry(marketer, core::RuleList::kRules, "nope").error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(rules.delete_entry(marketer, core::RuleList::kRules, "coffee-x2")->document.as_json()["rules"].size(),
              1u);
    EXPECT_EQ(world.db.count("rule_sets"), 1) << "drafts publish nothing";
}

TEST_F(RuleSets, AnInconsistentRuleSetIsRefusedWithEveryProblemByPath) {
    const auto refused = rules.replace_draft(marketer, core::RuleDocument(json::parse(R"({"rules": [
        {"id": "a", "points": -1, "per_amount": 100, "valid_from": "2026-12-01T00:00:00Z",
         "valid_until": "2026-11-01T00:00:00Z", "conditions": {"colour": "red"}},
        {"id": "a", "points": 1, "per_amount": 100}]})")));
    ASSERT_FALSE(refused.has_value());
    std::vector<std::string> fields;
    for (const auto& problem : refused.error().problems) fields.push_back(problem.field);
    EXPECT_GE(fields.size(), 4u);
    for (const char* expected :
         {"rules[0].points", "rules[0].valid_until", "rules[0].conditions.colour", "rules[1].id"}) {
        EXPECT_NE(std::find(fields.begin(), fields.end(), expected), fields.end()) << expected;
    }
    EXPECT_EQ(world.db.count("rule_set_drafts"), 0);
}

TEST_F(RuleSets, IdsTheEngineWritesOrEqualButForCaseAreRefusedWhileVersionsPublishedWithThemStillRate) {
    const auto reserved =
        rules.put_entry(marketer, core::RuleList::kRules, entry("coupon:7", R"({"kind": "bonus", "points": 5})"));
    ASSERT_FALSE(reserved.has_value());
    EXPECT_EQ(reserved.error().code, core::ErrorCode::kValidationFailed);
    EXPECT_EQ(reserved.error().field, "rules[1].id");
    const auto cased = rules.put_entry(marketer, core::RuleList::kCashback, entry("BASE", R"({"percent": 1})"));
    ASSERT_FALSE(cased.has_value());
    EXPECT_EQ(cased.error().code, core::ErrorCode::kValidationFailed);
    EXPECT_EQ(cased.error().field, "cashback[0].id") << "the ledger's rule_id compares ignoring case: base's rows";
    EXPECT_EQ(world.db.count("rule_set_drafts"), 0);

    // A version published before ids were constrained is not migrated: the till still rates by it,
    // a draft copied from it still previews, and publishing it again is refused.
    const json legacy = json::parse(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000},
        {"id": "blind_return", "kind": "bonus", "points": 5}]})");
    const auto published = world.db.database().transact([&](soci::session& sql) -> core::Result<void> {
        service::publish_rule_set(sql, world.program_id, core::parse_rule_set(legacy, 0).value(),
                                  core::RuleDocument(legacy), world.clock.now(), world.clock.now());
        return {};
    });
    ASSERT_TRUE(published.has_value());
    EXPECT_EQ(buy("1", 100000)["points"]["earned"], 15);
    const auto preview = rules.preview(world.program_id, world.purchase("P", 100000), member.id);
    ASSERT_TRUE(preview.has_value()) << preview.error().message;
    EXPECT_EQ(preview->outcome.points_earned(), 15);
    const auto again = rules.rollback(marketer, 2, {});
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().field, "rules[1].id");
}

TEST_F(RuleSets, AHoldoutShareIsKeptOnceMembersAreRecordedUnderItAndANewIdStartsANewOne) {
    const auto trial = [&](const char* holdout) {
        return rules.put_entry(
            marketer, core::RuleList::kRules,
            entry("trial", (std::string(R"({"kind": "bonus", "points": 5)") + holdout + "}").c_str()));
    };
    ASSERT_TRUE(trial(R"(, "holdout": {"percent": 10})"));
    ASSERT_TRUE(rules.publish(marketer, {}).has_value());
    ASSERT_TRUE(trial(R"(, "holdout": {"percent": 20})"));
    ASSERT_TRUE(rules.publish(marketer, {}).has_value()) << "nobody recorded yet: the share may change";
    buy("1", 100000);
    EXPECT_EQ(world.db.count("campaign_exposures"), 1);

    ASSERT_TRUE(trial(R"(, "holdout": {"percent": 30})"));
    const auto changed = rules.publish(marketer, {});
    ASSERT_FALSE(changed.has_value());
    EXPECT_EQ(changed.error().code, core::ErrorCode::kValidationFailed);
    EXPECT_EQ(changed.error().field, "rules[1].holdout.percent");
    EXPECT_NE(changed.error().message.find("keep 20%"), std::string::npos) << changed.error().message;
    ASSERT_TRUE(trial(""));
    const auto removed = rules.publish(marketer, {});
    ASSERT_FALSE(removed.has_value());
    EXPECT_EQ(removed.error().field, "rules[1].holdout");
    ASSERT_TRUE(rules.put_entry(marketer, core::RuleList::kRules,
                                entry("trial", R"({"kind": "bonus", "points": 7, "holdout": {"percent": 20}})")));
    ASSERT_TRUE(rules.publish(marketer, {}).has_value()) << "the same share, other terms";

    ASSERT_TRUE(rules.delete_entry(marketer, core::RuleList::kRules, "trial"));
    ASSERT_TRUE(rules.put_entry(marketer, core::RuleList::kRules,
                                entry("trial-2", R"({"kind": "bonus", "points": 5, "holdout": {"percent": 30}})")));
    ASSERT_TRUE(rules.publish(marketer, {}).has_value()) << "a new id, a new hold-out";
    ASSERT_TRUE(trial(R"(, "holdout": {"percent": 50})"));
    EXPECT_EQ(rules.publish(marketer, {}).error().field, "rules[2].holdout.percent")
        << "the share it was last published with, though the version in force lacks it";
    EXPECT_EQ(rules.rollback(marketer, 2, {}).error().field, "rules[1].holdout.percent") << "version 2 had 10%";
}

TEST_F(RuleSets, OnlyAdminAndMarketersEditRules) {
    const service::StaffIdentity analyst{world.program_id, "Reza", core::StaffRole::kAnalyst};
    EXPECT_EQ(rules.put_entry(analyst, core::RuleList::kRules, entry("x", R"({"points": 1})")).error().code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(rules.publish(analyst, {}).error().code, core::ErrorCode::kForbidden);
    EXPECT_TRUE(rules.draft(world.program_id).has_value()) << "reading is for every role";
}

TEST_F(RuleSets, PublishedVersionsRateFromTheirEffectiveTimeAndRollBackAsNewVersions) {
    ASSERT_TRUE(rules.put_entry(marketer, core::RuleList::kRules, entry("base", R"({"name": "Club points", "points": 5,
        "per_amount": 10000})")));
    const auto in_a_day = rules.publish(marketer, {world.clock.now() + days(1), "five times the points"});
    ASSERT_TRUE(in_a_day.has_value()) << in_a_day.error().message;
    EXPECT_EQ(in_a_day->summary.version, 2);
    EXPECT_EQ(world.db.count("rule_set_drafts"), 0) << "the draft became the version";
    EXPECT_EQ(buy("1", 100000)["points"]["earned"], 10) << "not in force yet";
    world.clock.set(world.clock.now() + days(2));
    EXPECT_EQ(buy("2", 100000)["points"]["earned"], 50);

    const auto back = rules.rollback(marketer, 1, {});
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->summary.version, 3);
    EXPECT_EQ(back->summary.note, "rollback to version 1");
    EXPECT_EQ(buy("3", 100000)["points"]["earned"], 10);
    const auto listed = rules.versions(world.program_id);
    ASSERT_EQ(listed->size(), 3u);
    EXPECT_EQ((*listed)[0].version, 3);
    EXPECT_EQ((*listed)[1].published_by, "Mina (marketing)");
    EXPECT_EQ(rules.rollback(marketer, 9, {}).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(rules.publish(marketer, {world.clock.now() - days(1), ""}).error().code, core::ErrorCode::kNotFound)
        << "no draft";
    ASSERT_TRUE(rules.put_entry(marketer, core::RuleList::kRules, entry("x", R"({"points": 1, "per_amount": 1})")));
    EXPECT_EQ(rules.publish(marketer, {world.clock.now() - days(1), ""}).error().field, "effective_from");
}

TEST_F(RuleSets, APreviewRatesTheDraftForTheMemberAndWritesNothing) {
    buy("1", 500000);  // 50 points, a purchase before: no first-purchase bonus any more.
    ASSERT_TRUE(rules.replace_draft(marketer, core::RuleDocument(json::parse(R"({"rules": [
        {"id": "base", "name": "Club points", "points": 2, "per_amount": 10000},
        {"id": "welcome", "name": "Welcome", "kind": "bonus", "points": 100, "scope": {"first_purchase": true}},
        {"id": "cap", "name": "Capped", "points": 1, "per_amount": 1000, "limits": {"per_purchase": 7}}]})"))));
    const long long transfers = world.db.count("ledger_transfers");
    core::Purchase basket = world.purchase("preview", 300000);
    const auto seen = rules.preview(world.program_id, basket, member.id);
    ASSERT_TRUE(seen.has_value()) << seen.error().message;
    EXPECT_EQ(seen->outcome.points_earned(), 60 + 7);
    EXPECT_EQ(seen->points_available, 50);
    ASSERT_EQ(seen->outcome.effects.size(), 2u);
    EXPECT_TRUE(seen->outcome.effects[1].capped);
    EXPECT_EQ(seen->outcome.effects[1].raw_milli, 300000);
    const auto anonymous = rules.preview(world.program_id, basket, std::nullopt);
    EXPECT_EQ(anonymous->outcome.points_earned(), 67) << "no member-scoped rule applies";
    EXPECT_EQ(rules.preview(world.program_id, basket, 999).error().code, core::ErrorCode::kMemberNotFound);
    EXPECT_EQ(world.db.count("ledger_transfers"), transfers);
    EXPECT_EQ(world.db.count("purchases"), 1);
}

}  // namespace
}  // namespace patron
