#include <gtest/gtest.h>
#include <soci/soci.h>

#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/digest.h"
#include "loyalty/service/runtime/forget_in_batches.h"
#include "loyalty/store/access/access_store.h"
#include "loyalty/core/card_number.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/program/program_store.h"
#include "loyalty/store/program/rule_draft_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

crypto::Bytes hash_of(const std::string& text) { return crypto::sha256(crypto::as_bytes(text)); }

class PurchaseCommit : public ::testing::Test {
  protected:
    core::Result<service::CommitOutcome> commit(const core::Purchase& purchase, const std::string& request) {
        return world.purchases.commit(world.terminal, purchase, hash_of(request), pos::encode_purchase_answer);
    }
    long long available(long long member_id) {
        return world.members.balance(world.program_id, member_id).value().points_available;
    }

    testing::TestWorld world;
};

TEST_F(PurchaseCommit, EarnsPointsIntoTheLedgerAndTheBalanceTogether) {
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto outcome = commit(world.purchase("1532", 900000, member.card_number), "request-1");
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->kind, core::AnswerKind::kCreated);
    EXPECT_FALSE(outcome->replayed);
    const auto answer = nlohmann::json::parse(outcome->body);
    EXPECT_EQ(answer["points"]["earned"], 90);
    EXPECT_EQ(answer["points"]["available"], 90);
    EXPECT_EQ(answer["member"]["masked_name"], "S. Ka***");
    EXPECT_EQ(available(member.id), 90);
    soci::session& sql = world.db.raw();
    EXPECT_EQ(store::ledger_balance(sql, member.id, core::LedgerAccount::kMemberAvailable), 90);
    long long ledger_sum = -1;
    sql << "SELECT SUM(amount) FROM ledger_entries", soci::into(ledger_sum);
    EXPECT_EQ(ledger_sum, 0) << "double entry: every transfer balances";
    EXPECT_EQ(world.db.count("purchase_lines"), 1);
}

TEST_F(PurchaseCommit, LinesAreStoredAsSentQuotesBackslashesAndPersianIncluded) {
    // The lines' texts go into the statement as literals the client library escaped.
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    core::Purchase purchase = world.purchase("1533", 900000, member.card_number);
    ASSERT_EQ(purchase.lines.size(), 1U);
    purchase.lines[0].sku = "O'Neil\\'); DROP TABLE members; --";
    purchase.lines[0].category = "چای \"سبز\" 100%_";
    purchase.lines.push_back(purchase.lines[0]);
    purchase.lines[1].line = 2;
    purchase.lines[1].sku = "\\";
    purchase.lines[0].amount = purchase.lines[1].amount = 450000;
    purchase.lines[0].unit_price = purchase.lines[1].unit_price = 450000;
    const auto outcome = commit(purchase, "request-quotes");
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    std::vector<std::string> skus(2), categories(2);
    world.db.raw() << "SELECT sku, category FROM purchase_lines ORDER BY line", soci::into(skus),
        soci::into(categories);
    ASSERT_EQ(skus.size(), 2U);
    EXPECT_EQ(skus[0], purchase.lines[0].sku);
    EXPECT_EQ(skus[1], "\\");
    EXPECT_EQ(categories[0], "چای \"سبز\" 100%_");
    EXPECT_EQ(world.db.count("members"), 1);
}

TEST_F(PurchaseCommit, TextLiteralsAreWrittenOnlyInSessionsWithBackslashEscapes) {
    soci::session& raw = world.db.raw();
    EXPECT_EQ(store::sql_text(raw, "O'Neil\\"), "'O\\'Neil\\\\'");
    // Quotes doubled instead of escaped would be misread by SOCI's search for :placeholders.
    raw << "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')";
    EXPECT_THROW(store::sql_text(raw, "O'Neil"), std::logic_error);
    raw << "SET SESSION sql_mode = DEFAULT";
    EXPECT_EQ(store::sql_text(raw, ""), "''");
}

TEST_F(PurchaseCommit, IsAtomicWhenAWriteAfterTheLedgerFails) {
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    // The balance update comes after the purchase, its lines and the ledger entries: make it fail.
    world.db.raw() << "CREATE TRIGGER fail_balance BEFORE UPDATE ON member_accounts FOR EACH ROW "
                      "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'forced failure after the ledger insert'";
    const auto outcome = commit(world.purchase("1532", 900000, member.card_number), "request-1");
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().code, core::ErrorCode::kInternal);
    for (const char* table : {"purchases", "purchase_lines", "ledger_transfers", "ledger_entries"}) {
        EXPECT_EQ(world.db.count(table), 0) << table << " kept rows of a failed purchase";
    }
    EXPECT_EQ(available(member.id), 0);

    world.db.raw() << "DROP TRIGGER fail_balance";
    ASSERT_TRUE(commit(world.purchase("1532", 900000, member.card_number), "request-1").has_value());
    EXPECT_EQ(available(member.id), 90);
}

TEST_F(PurchaseCommit, TheSameReceiptTwiceEarnsOnceAndAnswersTheSame) {
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto purchase = world.purchase("1532", 900000, member.card_number);
    const auto first = commit(purchase, "request-1");
    const auto second = commit(purchase, "request-1");
    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(second.has_value());
    EXPECT_TRUE(second->replayed);
    EXPECT_EQ(second->kind, first->kind);
    EXPECT_EQ(second->body, first->body);
    EXPECT_EQ(available(member.id), 90);
    EXPECT_EQ(world.db.count("ledger_transfers"), 1);

    const auto different = commit(world.purchase("1532", 500000, member.card_number), "request-2");
    ASSERT_FALSE(different.has_value());
    EXPECT_EQ(different.error().code, core::ErrorCode::kIdempotencyConflict);
    EXPECT_EQ(available(member.id), 90);
}

// Answers are kept for replays with the HTTP status they were given, as before services spoke of
// kinds: rows written by earlier versions replay the same, and these do for later ones.
TEST_F(PurchaseCommit, KeepsAnswersUnderTheStatusTheyWereGiven) {
    ASSERT_TRUE(commit(world.purchase("1532", 900000), "request-1").has_value());
    int status = 0;
    world.db.raw() << "SELECT response_status FROM purchases", soci::into(status);
    EXPECT_EQ(status, 201);
    EXPECT_EQ(commit(world.purchase("1532", 900000), "request-1").value().kind, core::AnswerKind::kCreated);

    service::BatchAnswerService& batches = world.services.batch_answers;
    const service::CommitOutcome answered{core::AnswerKind::kAnswered, R"({"results":[],"gaps":[]})", false};
    ASSERT_TRUE(batches.remember(world.terminal, "batch-1", hash_of("batch"), answered).has_value());
    world.db.raw() << "SELECT status FROM batch_answers", soci::into(status);
    EXPECT_EQ(status, 200);
    const auto replayed = batches.earlier(world.terminal, "batch-1", hash_of("batch"));
    ASSERT_TRUE(replayed.has_value());
    EXPECT_EQ(replayed->value().kind, core::AnswerKind::kAnswered);
    EXPECT_TRUE(replayed->value().replayed);
}

TEST_F(PurchaseCommit, RacingCommitsOfOneReceiptApplyOnce) {
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto purchase = world.purchase("1532", 900000, member.card_number);
    constexpr int kRacers = 8;
    std::latch start(kRacers);
    std::vector<std::string> bodies(kRacers);
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
        racers.emplace_back([&, i] {
            start.arrive_and_wait();
            auto outcome = commit(purchase, "request-1");
            bodies[i] = outcome ? outcome->body : "error: " + outcome.error().message;
        });
    }
    for (std::thread& racer : racers) racer.join();
    for (const std::string& body : bodies) EXPECT_EQ(body, bodies[0]);
    EXPECT_EQ(available(member.id), 90);
    EXPECT_EQ(world.db.count("purchases"), 1);
}

TEST_F(PurchaseCommit, AnonymousPurchasesAreKeptAndEarnNothing) {
    const auto outcome = commit(world.purchase("1533", 900000), "request-1");
    ASSERT_TRUE(outcome.has_value());
    const auto answer = nlohmann::json::parse(outcome->body);
    EXPECT_TRUE(answer["member"].is_null());
    EXPECT_EQ(answer["points"]["earned"], 0);
    EXPECT_EQ(world.db.count("purchases"), 1);
    EXPECT_EQ(world.db.count("ledger_entries"), 0);
}

TEST_F(PurchaseCommit, RefusesCardsItCannotUse) {
    const auto unknown = commit(world.purchase("1", 1000, core::make_card_number("7001", "99999999999")), "r");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kCardNotFound);
    const auto mistyped = commit(world.purchase("2", 1000, "7001999999999990"), "r");
    ASSERT_FALSE(mistyped.has_value());
    EXPECT_EQ(mistyped.error().code, core::ErrorCode::kCardNumberInvalid);
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    world.db.raw() << "UPDATE cards SET state = 'blocked' WHERE number = :n", soci::use(member.card_number);
    const auto blocked = commit(world.purchase("3", 1000, member.card_number), "r");
    ASSERT_FALSE(blocked.has_value());
    EXPECT_EQ(blocked.error().code, core::ErrorCode::kCardBlocked);
    EXPECT_EQ(world.db.count("purchases"), 0);
}

TEST_F(PurchaseCommit, ATerminalPostsOnlyForItsOwnStoreAndCurrency) {
    core::Purchase other_store = world.purchase("1", 1000);
    other_store.key.store = "S999";
    EXPECT_EQ(commit(other_store, "r").error().code, core::ErrorCode::kStoreMismatch);
    core::Purchase dollars = world.purchase("1", 1000);
    dollars.currency = *core::find_currency("USD");
    EXPECT_EQ(commit(dollars, "r").error().code, core::ErrorCode::kCurrencyMismatch);
}

}  // namespace
}  // namespace patron

namespace patron {
namespace {

TEST(Nonces, OldOnesAreForgottenAndRecentOnesKept) {
    testing::TestWorld world;
    const core::Timestamp start = world.clock.now();
    ASSERT_TRUE(world.access.use_nonce(world.terminal_key.key_id, "old-nonce-0123456789").has_value());
    world.clock.set(start + std::chrono::seconds(600));
    ASSERT_TRUE(world.access.use_nonce(world.terminal_key.key_id, "new-nonce-0123456789").has_value());
    world.clock.set(start + std::chrono::seconds(901));
    EXPECT_EQ(world.access.purge_old_nonces().value(), 1);
    EXPECT_EQ(world.db.count("pos_nonces"), 1);
    EXPECT_EQ(world.access.use_nonce(world.terminal_key.key_id, "new-nonce-0123456789").error().code,
              core::ErrorCode::kNonceReused);
}

// This many nonces of the world's terminal, used now.
void use_nonces(testing::TestWorld& world, int count) {
    for (int i = 0; i < count; ++i) {
        ASSERT_TRUE(world.access.use_nonce(world.terminal_key.key_id, "old-nonce-" + std::to_string(100000 + i)));
    }
}

TEST(Nonces, ARunForgetsEveryOldOneHoweverManyBatchesThatTakes) {
    testing::TestWorld world;
    const core::Timestamp start = world.clock.now();
    use_nonces(world, 25);
    world.clock.set(start + std::chrono::seconds(600));
    ASSERT_TRUE(world.access.use_nonce(world.terminal_key.key_id, "new-nonce-0123456789").has_value());
    world.clock.set(start + std::chrono::seconds(901));
    EXPECT_EQ(world.access.purge_old_nonces(10).value(), 25) << "three batches of 10, 10 and 5 in one run";
    EXPECT_EQ(world.db.count("pos_nonces"), 1);
    EXPECT_EQ(world.access.purge_old_nonces(10).value(), 0);
}

TEST(Nonces, ARunWhoseTimeIsUpStopsAfterTheBatchItIsIn) {
    testing::TestWorld world;
    const core::Timestamp start = world.clock.now();
    use_nonces(world, 25);
    world.clock.set(start + std::chrono::seconds(901));
    const auto forget = [&](soci::session& sql, int limit) {
        return store::purge_nonces(sql, world.clock.now() - std::chrono::seconds(900), limit);
    };
    EXPECT_EQ(service::forget_in_batches(world.db.database(), 10, forget, std::chrono::seconds(0)).value(), 10)
        << "no time left: one batch, the rest for the next run";
    EXPECT_EQ(world.db.count("pos_nonces"), 15);
    EXPECT_EQ(service::forget_in_batches(world.db.database(), 10, forget).value(), 15);
}

}  // namespace
}  // namespace patron

namespace patron {
namespace {

TEST(RuleVersions, APurchaseIsRatedWithTheVersionInForceAtItsPosTime) {
    testing::TestWorld world;
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const core::Timestamp switch_over = world.clock.now() + std::chrono::hours(1);
    const auto published = world.admin.publish_rules(world.program_id,
                                                     core::RuleDocument::parse(R"({"rules": [
        {"id": "base", "name": "Club points", "points": 2, "per_amount": 10000},
        {"id": "welcome", "kind": "bonus", "points": 500, "scope": {"first_purchase": true}}]})")
                                                         .value(),
                                                     switch_over);
    ASSERT_EQ(published.value(), 2);
    const auto rate = [&](const std::string& receipt, core::Timestamp pos_time) {
        core::Purchase purchase = world.purchase(receipt, 900000, member.card_number);
        purchase.pos_time.utc = pos_time;
        const auto outcome = world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)),
                                                    pos::encode_purchase_answer);
        return nlohmann::json::parse(outcome.value().body);
    };
    const auto before = rate("1", switch_over - std::chrono::minutes(1));
    EXPECT_EQ(before["points"]["earned"], 90) << "version 1, and no welcome bonus in it";
    EXPECT_EQ(before["effects"][0]["rule_version"], 1);
    const auto after = rate("2", switch_over + std::chrono::minutes(1));
    EXPECT_EQ(after["points"]["earned"], 180) << "version 2, no longer the first purchase";
    EXPECT_EQ(after["effects"][0]["rule_version"], 2);
    const auto newcomer = world.enrol("Reza Ahmadi", "09351112233", "reza@example.com");
    core::Purchase first = world.purchase("3", 900000, newcomer.card_number);
    first.pos_time.utc = switch_over + std::chrono::minutes(2);
    const auto welcomed = world.purchases.commit(world.terminal, first, crypto::sha256(crypto::as_bytes("3")),
                                                 pos::encode_purchase_answer);
    EXPECT_EQ(nlohmann::json::parse(welcomed.value().body)["points"]["earned"], 680) << "180 + the welcome bonus";
    std::string rule_version;
    world.db.raw() << "SELECT GROUP_CONCAT(DISTINCT rule_version ORDER BY rule_version) FROM ledger_transfers",
        soci::into(rule_version);
    EXPECT_EQ(rule_version, "1,2") << "the ledger records the version that caused each effect";
}

TEST(RuleVersions, ATillSeesARuleSetPublishedAfterItKeptTheProgrammesSettings) {
    testing::TestWorld world;
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto earned = [&](const std::string& receipt) {
        const core::Purchase purchase = world.purchase(receipt, 900000, member.card_number);
        const auto outcome = world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)),
                                                    pos::encode_purchase_answer);
        return nlohmann::json::parse(outcome.value().body)["points"]["earned"].get<long long>();
    };
    const auto settings_version = [&] {
        long long version = 0;
        world.db.raw() << "SELECT settings_version FROM programs WHERE id = :id", soci::into(version),
            soci::use(world.program_id);
        return version;
    };
    const auto publish = [&](int points, core::Timestamp effective_from) {
        const std::string document = R"({"rules": [{"id": "base", "name": "Club points", "points": )" +
                                     std::to_string(points) + R"(, "per_amount": 10000}]})";
        ASSERT_TRUE(
            world.admin.publish_rules(world.program_id, core::RuleDocument::parse(document).value(), effective_from)
                .has_value());
    };
    EXPECT_EQ(earned("1"), 90);  // The till keeps the settings and rule set starts it read.
    const long long before = settings_version();
    publish(3, world.clock.now());
    EXPECT_EQ(settings_version(), before + 1) << "publishing raises the settings version";
    EXPECT_EQ(earned("2"), 270) << "the new version, at once";
    publish(5, world.clock.now() + std::chrono::hours(1));
    EXPECT_EQ(earned("3"), 270) << "version 3 waits for its hour";
    world.clock.set(world.clock.now() + std::chrono::hours(2));
    EXPECT_EQ(earned("4"), 450) << "and takes effect without another change to the programme";

    // Purchases without a card and the reports still ask SQL which version is in force: both agree.
    publish(7, world.clock.now() + std::chrono::hours(1));  // Version 4 at the same moment as 5.
    publish(9, world.clock.now() + std::chrono::hours(1));
    std::vector<core::RuleSetStart> starts;
    for (const store::RuleSetSummary& published : store::list_rule_sets(world.db.raw(), world.program_id)) {
        starts.push_back(core::RuleSetStart{published.version, published.effective_from});
    }
    ASSERT_EQ(starts.size(), 5U);
    for (const std::chrono::minutes offset :
         {std::chrono::minutes(-540), std::chrono::minutes(0), std::chrono::minutes(59), std::chrono::minutes(60),
          std::chrono::minutes(300)}) {
        const core::Timestamp at = world.clock.now() + offset;
        EXPECT_EQ(store::find_rule_set_version_in_force(world.db.raw(), world.program_id, at),
                  core::rule_set_in_force(starts, at));
    }
    EXPECT_EQ(core::rule_set_in_force(starts, world.clock.now() + std::chrono::hours(1)), 5);
}

class RuleLimits : public ::testing::Test {
  protected:
    void publish(const char* document) {
        ASSERT_TRUE(
            world.admin.publish_rules(world.program_id, core::RuleDocument::parse(document).value(), world.clock.now())
                .has_value());
    }
    long long earn(const std::string& card, const std::string& receipt, std::chrono::hours later = {}) {
        core::Purchase purchase = world.purchase(receipt, 900000, card);
        purchase.pos_time.utc += later;
        const auto outcome = world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)),
                                                    pos::encode_purchase_answer);
        if (!outcome) ADD_FAILURE() << receipt << ": " << outcome.error().message;
        return outcome ? nlohmann::json::parse(outcome->body)["points"]["earned"].get<long long>() : -1;
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(RuleLimits, ADailyCapCountsAcrossPurchasesAndResetsTheNextDay) {
    publish(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000, "limits": {"per_day": 150}}]})");
    EXPECT_EQ(earn(member.card_number, "1"), 90);
    EXPECT_EQ(earn(member.card_number, "2"), 60) << "capped at 150 for the day";
    EXPECT_EQ(earn(member.card_number, "3"), 0);
    EXPECT_EQ(earn(member.card_number, "4", std::chrono::hours(24)), 90) << "a new local day";
    EXPECT_TRUE(world.maintenance.verify()->empty());
}

TEST_F(RuleLimits, ABudgetIsNeverExceededByConcurrentPurchases) {
    publish(R"({"rules": [{"id": "launch", "kind": "bonus", "points": 100, "limits": {"budget": 1050}}]})");
    constexpr int kMembers = 20;
    std::vector<std::string> cards;
    for (int i = 0; i < kMembers; ++i) {
        cards.push_back(world
                            .enrol("Member " + std::to_string(i), "0912000" + std::to_string(1000 + i),
                                   "m" + std::to_string(i) + "@example.ir")
                            .card_number);
    }
    std::latch start(kMembers);
    std::vector<long long> earned(kMembers);
    std::vector<std::thread> buyers;
    for (int i = 0; i < kMembers; ++i) {
        buyers.emplace_back([&, i] {
            start.arrive_and_wait();
            earned[i] = earn(cards[i], "budget-" + std::to_string(i));
        });
    }
    for (std::thread& buyer : buyers) buyer.join();
    long long total = 0;
    for (long long points : earned) {
        EXPECT_GE(points, 0);
        total += points;
    }
    EXPECT_EQ(total, 1050) << "ten full bonuses, one cut to 50, the rest nothing";
    EXPECT_EQ(std::count(earned.begin(), earned.end(), 100), 10);
    EXPECT_EQ(std::count(earned.begin(), earned.end(), 50), 1);
    long long used = 0;
    world.db.raw() << "SELECT used FROM rule_budgets WHERE rule_id = 'launch'", soci::into(used);
    EXPECT_EQ(used, 1050);
}

}  // namespace
}  // namespace patron
