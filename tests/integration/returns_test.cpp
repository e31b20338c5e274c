// Returns and voids against a real MariaDB: what a return takes back, from which lots, under
// which policy, exactly once; the books verified after every scenario.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/digest.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/store/pos/return_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;
using std::chrono::days;

class Returns : public ::testing::Test {
  protected:
    // Three lines: coffee 2 x 300,000, cake 1 x 250,000, a gift card 150,000: 100 points in all
    // at 1 point per 10,000 IRR (the gift card earns too in this world's rules: 15 of them).
    core::Purchase basket(const std::string& receipt, long long redeem = 0) {
        core::Purchase purchase = world.purchase(receipt, 0, member.card_number);
        purchase.lines = {{1, "COF-1", "coffee", 2000, 300000, 600000, 0},
                          {2, "CAKE", "bakery", 1000, 250000, 250000, 0},
                          {3, "GIFT", "gift_card", 1000, 150000, 150000, 0}};
        purchase.total = 1000000;
        purchase.redeem_points = redeem;
        return purchase;
    }
    json buy(const core::Purchase& purchase) {
        auto done =
            world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                   pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json{};
    }
    core::ReturnRequest request(const std::string& receipt, const std::string& original,
                                std::vector<core::ReturnedLine> lines) {
        core::ReturnRequest request;
        request.key = {"S042", "T07", *core::parse_date("2026-11-23"), receipt};
        request.pos_time = {world.clock.now(), 210};
        request.currency = *core::find_currency("IRR");
        request.original = {"S042", "T07", *core::parse_date("2026-11-22"), original};
        request.lines = std::move(lines);
        request.is_void = request.lines.empty();
        if (request.is_void) request.key.business_day = request.original.business_day;
        return request;
    }
    core::Result<service::CommitOutcome> give_back(const core::ReturnRequest& request, const std::string& body = "") {
        return world.returns.commit(world.terminal, request,
                                    crypto::sha256(crypto::as_bytes(body.empty() ? request.key.receipt : body)),
                                    pos::encode_purchase_answer);
    }
    json returned(const core::ReturnRequest& request) {
        auto done = give_back(request);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json{};
    }
    service::Balance balance() { return world.members.balance(world.program_id, member.id).value(); }
    void expect_books_balance() {
        const auto found = world.maintenance.verify().value();
        EXPECT_TRUE(found.empty()) << found.front();
    }
    void set_policy(core::NegativeBalancePolicy negative) {
        core::PointsPolicy policy = testing::TestWorld::policy();
        policy.negative_balance = negative;
        ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    }

    // A terminal of a second store of the program (same currency), and a request sent from it.
    service::TerminalIdentity other_store_terminal() {
        const long long store =
            world.admin.create_store({0, world.program_id, "S043", "Karaj", "IRR", "Asia/Tehran"}).value();
        const service::TerminalKey key = world.admin.create_terminal(store, "T01").value();
        return world.access.terminal_by_key(key.key_id).value()->identity;
    }
    static core::ReturnRequest sent_from(const service::TerminalIdentity& terminal, core::ReturnRequest request) {
        request.key.store = terminal.store_code;
        request.key.terminal = terminal.terminal_code;
        return request;
    }
    core::Result<service::CommitOutcome> give_back_at(const service::TerminalIdentity& terminal,
                                                      const core::ReturnRequest& request) {
        return world.returns.commit(terminal, request, crypto::sha256(crypto::as_bytes(request.key.receipt)),
                                    pos::encode_purchase_answer);
    }
    void take_returns_in_any_store(bool any_store) {
        core::PointsPolicy policy = testing::TestWorld::policy();
        policy.returns_any_store = any_store;
        ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    }
    long long returned_milli() {
        long long returned = 0;
        world.db.raw() << "SELECT CAST(SUM(returned_milli) AS SIGNED) FROM purchase_lines", soci::into(returned);
        return returned;
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(Returns, APartialReturnTakesBackWhatThoseLinesEarned) {
    EXPECT_EQ(buy(basket("1"))["points"]["earned"], 100);
    const json answer = returned(request("R1", "1", {{2, 1000}}));  // The cake: 25 points.
    EXPECT_EQ(answer["points"]["earned"], -25);
    EXPECT_EQ(answer["points"]["available"], 75);
    ASSERT_EQ(answer["effects"].size(), 1u);
    EXPECT_EQ(answer["effects"][0]["kind"], "reverse_points");
    EXPECT_EQ(answer["effects"][0]["amount"], -25);
    EXPECT_EQ(answer["effects"][0]["rule_version"], 1) << "the version that gave the points";
    EXPECT_EQ(balance().points_available, 75);
    expect_books_balance();
}

// A return reads (and locks) the lots of its own purchase through their index, not every lot of
// the programme: the rows it reads do not grow with the sales made before (migration 0040).
TEST_F(Returns, AReturnReadsOnlyItsOwnPurchasesLots) {
    for (int i = 0; i < 40; ++i) buy(basket("L" + std::to_string(i)));
    const json original = buy(basket("L-last"));
    soci::session& sql = world.db.raw();
    sql << "ANALYZE TABLE point_lots";
    sql << "FLUSH STATUS";
    const auto lots = store::purchase_lots_for_update(sql, original["purchase_id"].get<long long>());
    long long read = 0;
    soci::rowset<soci::row> rows = (sql.prepare << "SHOW SESSION STATUS LIKE 'Handler_read%'");
    for (const soci::row& row : rows) read += std::stoll(row.get<std::string>(1));
    EXPECT_EQ(lots.size(), 1u);
    EXPECT_LT(read, 20) << "rows read for one purchase's lots among " << world.db.count("point_lots");
}

TEST_F(Returns, PartialReturnsOfOneLineAddUpToItsWholeAndNoMore) {
    buy(basket("1"));
    // Coffee: 60 points over 2 units, returned as 0.7 + 0.6 + 0.7 units (weighed goods style).
    EXPECT_EQ(returned(request("R1", "1", {{1, 700}}))["points"]["earned"], -21);
    EXPECT_EQ(returned(request("R2", "1", {{1, 600}}))["points"]["earned"], -18);
    EXPECT_EQ(returned(request("R3", "1", {{1, 700}}))["points"]["earned"], -21);
    const auto more = give_back(request("R4", "1", {{1, 1}}));
    ASSERT_FALSE(more.has_value());
    EXPECT_EQ(more.error().code, core::ErrorCode::kReturnExceedsPurchase);
    EXPECT_EQ(more.error().field, "lines[0].quantity");
    EXPECT_EQ(balance().points_available, 40);
    long long returned_amount = 0;
    world.db.raw() << "SELECT SUM(amount) FROM return_lines", soci::into(returned_amount);
    EXPECT_EQ(returned_amount, 600000) << "the money of the line, exactly, over three returns";
    expect_books_balance();
}

TEST_F(Returns, RefusalsNameTheProblemAndWriteNothing) {
    buy(basket("1"));
    const long long rows_before = world.db.count("purchases");
    const auto unknown = give_back(request("R1", "nope", {{1, 1000}}));
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kReceiptNotFound);
    const auto no_line = give_back(request("R2", "1", {{9, 1000}}));
    EXPECT_EQ(no_line.error().code, core::ErrorCode::kLineNotInReceipt);
    EXPECT_EQ(no_line.error().field, "lines[0].line");
    const auto twice = give_back(request("R3", "1", {{1, 1000}, {1, 1000}}));
    EXPECT_EQ(twice.error().field, "lines[1].line");
    const auto too_many = give_back(request("R4", "1", {{2, 2000}}));
    EXPECT_EQ(too_many.error().code, core::ErrorCode::kReturnExceedsPurchase);
    EXPECT_EQ(world.db.count("purchases"), rows_before);
    EXPECT_EQ(world.db.count("ledger_transfers"), 1);
    EXPECT_EQ(balance().points_available, 100);
}

TEST_F(Returns, ARetryReturnsTheSameAnswerAndAppliesOnce) {
    buy(basket("1"));
    const auto first = give_back(request("R1", "1", {{2, 1000}}));
    const auto again = give_back(request("R1", "1", {{2, 1000}}));
    ASSERT_TRUE(first && again);
    EXPECT_EQ(first->body, again->body);
    EXPECT_TRUE(again->replayed);
    const auto different = give_back(request("R1", "1", {{1, 1000}}), "another body");
    EXPECT_EQ(different.error().code, core::ErrorCode::kIdempotencyConflict);
    EXPECT_EQ(balance().points_available, 75);
    expect_books_balance();
}

TEST_F(Returns, ConcurrentReturnsOfOneLineNeverReturnMoreThanWasBought) {
    buy(basket("1"));
    constexpr int kRacers = 8;  // Each returns the whole coffee line; one may.
    std::latch start(kRacers);
    std::atomic<int> succeeded{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
        racers.emplace_back([&, i] {
            start.arrive_and_wait();
            if (give_back(request("R" + std::to_string(i), "1", {{1, 2000}}))) ++succeeded;
        });
    }
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(succeeded.load(), 1);
    EXPECT_EQ(balance().points_available, 40);
    expect_books_balance();
}

// A return reads its original, then locks it. A member's claim that commits in between gives the
// purchase a member whose account the return did not lock: it must not go on as if the purchase
// were anonymous (taking back none of her points), but start again, the account locked first.
TEST_F(Returns, AReturnOfAPurchaseClaimedWhileItWaitedForItsLockIsToldToTryAgain) {
    ASSERT_TRUE(world.purchases
                    .commit(world.terminal, world.purchase("A1", 300000), crypto::sha256(crypto::as_bytes("A1")),
                            pos::encode_purchase_answer)
                    .has_value());
    long long purchase_id = 0;
    world.db.raw() << "SELECT CAST(id AS SIGNED) FROM purchases WHERE receipt = 'A1'", soci::into(purchase_id);
    std::latch locked(1);
    std::atomic<bool> returning{false};
    // The claim's part that matters here: the purchase's row locked, then given to Sara.
    std::thread claim([&] {
        const auto done = world.db.database().transact([&](soci::session& sql) -> core::Result<void> {
            long long id = 0;
            sql << "SELECT CAST(id AS SIGNED) FROM purchases WHERE id = :id FOR UPDATE", soci::into(id),
                soci::use(purchase_id);
            locked.count_down();
            while (!returning.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            // Until the return waits for this row's lock (or 5 s): a wait in this test's database,
            // not in another test's that shares the server.
            for (int i = 0; i < 500; ++i) {
                long long waiting = 0;
                world.db.raw() << "SELECT COUNT(*) FROM information_schema.innodb_trx t"
                                  " JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id"
                                  " WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()",
                    soci::into(waiting);
                if (waiting > 0) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            sql << "UPDATE purchases SET member_id = :member WHERE id = :id", soci::use(member.id),
                soci::use(purchase_id);
            return {};
        });
        EXPECT_TRUE(done.has_value());
    });
    locked.wait();
    returning = true;
    const auto refused = give_back(request("R1", "A1", {{1, 1000}}));
    claim.join();
    ASSERT_FALSE(refused.has_value()) << "taken back as anonymous from a purchase now Sara's";
    EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(world.db.count("return_lines"), 0);
}

TEST_F(Returns, RedeemedPointsComeBackInProportionToTheMoneyReturned) {
    buy(basket("1"));                        // 100 points.
    const json paid = buy(basket("2", 50));  // Pays 50,000 IRR with 50 points; earns 95 on the rest.
    EXPECT_EQ(paid["points"]["earned"], 95);
    EXPECT_EQ(balance().points_available, 145);
    // Returning the cake (250,000 of 1,000,000): a quarter of the 50 redeemed points come back,
    // and the cake's share of the 95 earned (25 x 95 / 100 = 23.75 -> its allocated share) goes.
    const json answer = returned(request("R1", "2", {{2, 1000}}));
    EXPECT_EQ(answer["points"]["redeemed"], -12);
    EXPECT_EQ(answer["points"]["redeemed_value"], -12500);
    const long long earned_back = -answer["points"]["earned"].get<long long>();
    EXPECT_TRUE(earned_back == 23 || earned_back == 24) << earned_back;
    EXPECT_EQ(balance().points_available, 145 + 12 - earned_back);
    // Returning the rest gives back all 50 and takes back all 95, in total.
    const json rest = returned(request("R2", "2", {{1, 2000}, {3, 1000}}));
    EXPECT_EQ(rest["points"]["redeemed"], -38);
    EXPECT_EQ(-rest["points"]["earned"].get<long long>() + earned_back, 95);
    EXPECT_EQ(balance().points_available, 100) << "as if the second purchase had never happened";
    expect_books_balance();
}

TEST_F(Returns, SpentPointsGoNegativeUnderTheAllowPolicyAndBlockRedemptionUntilRepaid) {
    buy(basket("1"));  // 100 points.
    core::Purchase spend = world.purchase("2", 100000, member.card_number);
    spend.redeem_points = 100;  // Pays the whole 100,000 IRR: all points spent, nothing earned.
    buy(spend);
    EXPECT_EQ(balance().points_available, 0);
    const json answer = returned(request("R1", "1", {{1, 2000}}));  // Coffee: 60 points, all spent.
    EXPECT_EQ(answer["points"]["earned"], -60);
    EXPECT_EQ(balance().points_available, -60);
    expect_books_balance();
    core::Purchase refused = world.purchase("3", 100000, member.card_number);
    refused.redeem_points = 10;
    const auto blocked = world.purchases.commit(world.terminal, refused, crypto::sha256(crypto::as_bytes("3")),
                                                pos::encode_purchase_answer);
    EXPECT_EQ(blocked.error().code, core::ErrorCode::kPointsInsufficient);
    buy(world.purchase("4", 1000000, member.card_number));  // Earns 100: repays 60, leaves 40.
    EXPECT_EQ(balance().points_available, 40);
    long long in_lots = 0;
    world.db.raw() << "SELECT SUM(remaining) FROM point_lots WHERE state = 'available'", soci::into(in_lots);
    EXPECT_EQ(in_lots, 40);
    expect_books_balance();
}

TEST_F(Returns, TheClampPolicyStopsAtZeroAndRecordsTheShortfall) {
    set_policy(core::NegativeBalancePolicy::kClamp);
    buy(basket("1"));
    core::Purchase spend = world.purchase("2", 900000, member.card_number);
    spend.redeem_points = 90;  // 90 of the 100 spent; the coffee lot's 60 went first.
    buy(spend);
    const long long left = balance().points_available;
    const json answer = returned(request("R1", "1", {{1, 2000}}));
    EXPECT_GE(balance().points_available, 0);
    EXPECT_EQ(balance().points_available, left + answer["points"]["earned"].get<long long>());
    long long shortfall = 0;
    world.db.raw() << "SELECT points_shortfall FROM member_accounts WHERE member_id = :id", soci::use(member.id),
        soci::into(shortfall);
    EXPECT_EQ(shortfall - answer["points"]["earned"].get<long long>(), 60) << "taken + recorded = what the line earned";
    expect_books_balance();
}

TEST_F(Returns, ExpiredPointsAreNotTakenTwice) {
    buy(basket("1"));
    world.clock.set(world.clock.now() + days(400));
    ASSERT_TRUE(world.maintenance.expire_due(100).has_value());
    EXPECT_EQ(balance().points_available, 0);
    const json answer = returned(request("R1", "1", {{1, 2000}}));
    EXPECT_EQ(answer["points"]["earned"], 0);
    EXPECT_EQ(balance().points_available, 0);
    expect_books_balance();
}

TEST_F(Returns, PendingPointsAreTakenFromTheHold) {
    core::PointsPolicy policy = testing::TestWorld::policy();
    policy.hold = days(14);
    ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    buy(basket("1"));
    EXPECT_EQ(balance().points_pending, 100);
    returned(request("R1", "1", {{2, 1000}}));
    EXPECT_EQ(balance().points_pending, 75);
    EXPECT_EQ(balance().points_available, 0);
    expect_books_balance();
}

TEST_F(Returns, AVoidReversesWhatReturnsLeftAndOnlyOnce) {
    buy(basket("1"));
    returned(request("R1", "1", {{2, 1000}}));
    const json voided = returned(request("V1", "1", {}));
    EXPECT_EQ(voided["points"]["earned"], -75);
    EXPECT_EQ(balance().points_available, 0);
    const auto again = give_back(request("V2", "1", {}));
    EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyVoided);
    const auto late_return = give_back(request("R2", "1", {{1, 1000}}));
    EXPECT_EQ(late_return.error().code, core::ErrorCode::kReturnExceedsPurchase);
    expect_books_balance();
}

TEST_F(Returns, AVoidAfterItsDayNeedsTheVoidWindow) {
    buy(basket("1"));
    core::ReturnRequest late = request("V1", "1", {});
    late.key.business_day = *core::parse_date("2026-11-24");
    const auto refused = give_back(late);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kVoidWindowClosed);
    core::PointsPolicy policy = testing::TestWorld::policy();
    policy.void_window = std::chrono::hours(72);
    ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    EXPECT_EQ(returned(late)["points"]["earned"], -100);
}

TEST_F(Returns, ReturnedPointsFreeTheRuleBudget) {
    ASSERT_TRUE(
        world.admin
            .publish_rules(world.program_id,
                           core::RuleDocument::parse(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000,
                                                  "limits": {"budget": 150}}]})")
                               .value(),
                           world.clock.now() - days(1))
            .has_value());
    buy(basket("1"));                           // 100 of the budget's 150.
    returned(request("R1", "1", {{1, 2000}}));  // 60 come back.
    long long used = 0;
    world.db.raw() << "SELECT used FROM rule_budgets WHERE rule_id = 'base'", soci::into(used);
    EXPECT_EQ(used, 40);
    EXPECT_EQ(buy(basket("2"))["points"]["earned"], 100) << "the budget has room again";
}

TEST_F(Returns, AnotherStoreCannotReturnOrVoidAPurchaseNorTellItFromAnUnknownReceipt) {
    buy(basket("1"));
    const service::TerminalIdentity other = other_store_terminal();
    const long long rows_before = world.db.count("purchases");
    const auto unknown = give_back_at(other, sent_from(other, request("R0", "nope", {{2, 1000}})));
    ASSERT_FALSE(unknown.has_value());
    const auto refused_return = give_back_at(other, sent_from(other, request("R1", "1", {{2, 1000}})));
    const auto refused_void = give_back_at(other, sent_from(other, request("V1", "1", {})));
    for (const auto* refused : {&refused_return, &refused_void}) {
        ASSERT_FALSE(refused->has_value());
        EXPECT_EQ(refused->error().code, core::ErrorCode::kReceiptNotFound);
        EXPECT_EQ(refused->error().field, "original");
        EXPECT_EQ(refused->error().message, unknown.error().message) << "answered exactly like no such receipt";
    }
    EXPECT_EQ(world.db.count("purchases"), rows_before);
    EXPECT_EQ(world.db.count("ledger_transfers"), 1);
    EXPECT_EQ(returned_milli(), 0);
    EXPECT_EQ(balance().points_available, 100);
    EXPECT_EQ(returned(request("R2", "1", {{2, 1000}}))["points"]["earned"], -25) << "its own store still can";
    expect_books_balance();
}

TEST_F(Returns, AProgramTakingReturnsInAnyStoreLetsAnotherStoreReturnAndVoid) {
    take_returns_in_any_store(true);
    buy(basket("1"));
    const service::TerminalIdentity other = other_store_terminal();
    const auto returned_elsewhere = give_back_at(other, sent_from(other, request("R1", "1", {{2, 1000}})));
    ASSERT_TRUE(returned_elsewhere.has_value()) << returned_elsewhere.error().message;
    EXPECT_EQ(json::parse(returned_elsewhere->body)["points"]["earned"], -25);
    const auto voided_elsewhere = give_back_at(other, sent_from(other, request("V1", "1", {})));
    ASSERT_TRUE(voided_elsewhere.has_value()) << voided_elsewhere.error().message;
    EXPECT_EQ(json::parse(voided_elsewhere->body)["points"]["earned"], -75);
    long long rows_of_other_store = 0;
    world.db.raw() << "SELECT COUNT(*) FROM purchases WHERE store_id = :store", soci::into(rows_of_other_store),
        soci::use(other.store_id);
    EXPECT_EQ(rows_of_other_store, 2) << "the return and the void are the other store's receipts";
    EXPECT_EQ(balance().points_available, 0);
    expect_books_balance();
}

TEST_F(Returns, AReturnTakenInAnotherStoreStillReplaysAfterTheProgramStopsAllowingIt) {
    take_returns_in_any_store(true);
    buy(basket("1"));
    const service::TerminalIdentity other = other_store_terminal();
    const core::ReturnRequest cake = sent_from(other, request("R1", "1", {{2, 1000}}));
    const auto first = give_back_at(other, cake);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    take_returns_in_any_store(false);
    const auto again = give_back_at(other, cake);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->body, first->body);
    const auto more = give_back_at(other, sent_from(other, request("R2", "1", {{1, 1000}})));
    ASSERT_FALSE(more.has_value());
    EXPECT_EQ(more.error().code, core::ErrorCode::kReceiptNotFound);
    EXPECT_EQ(balance().points_available, 75);
    expect_books_balance();
}

}  // namespace
}  // namespace patron
