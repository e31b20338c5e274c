// Instant cashback and stamp cards against a real MariaDB: cashback credited at the commit and
// spent as a tender later, never below zero under 50 racing spends, a budget never exceeded
// under load, caps per day, returns and voids taking back what their lines earned and giving
// back what the wallet paid; stamp cards filling and paying a coupon or points in the purchase's
// transaction, rolling over, and returns taking stamps back (an unused reward revoked, a used
// one leaving a deficit); merges moving both; `verify` checking both ledgers.
#include <gtest/gtest.h>

#include <latch>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/digest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/members/member_merge_service.h"
#include "loyalty/service/program/coupon_campaign_service.h"
#include "loyalty/store/events/outbox_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using nlohmann::json;

// `verify` finds nothing after every test that does not tamper (VerifiedWorldTest).
class CashbackStampsTest : public testing::VerifiedWorldTest {
  protected:
    // Publishes the base earn rule plus these cashback rules and stamp cards, in force now.
    void publish(const json& cashback, const json& stamp_cards = json::array()) {
        const json document = {
            {"rules", json::array({{{"id", "base"}, {"name", "Club points"}, {"points", 1}, {"per_amount", 10000}}})},
            {"cashback", cashback},
            {"stamp_cards", stamp_cards}};
        const auto published =
            world.admin.publish_rules(world.program_id, core::RuleDocument(document), world.clock.now());
        ASSERT_TRUE(published.has_value()) << published.error().message;
    }
    core::Result<service::CommitOutcome> commit(const core::Purchase& purchase) {
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                      pos::encode_purchase_answer);
    }
    core::Purchase spending(const std::string& receipt, std::int64_t amount, const std::string& card,
                            std::int64_t spend) {
        core::Purchase purchase = world.purchase(receipt, amount, card);
        purchase.spend_cashback = spend;
        return purchase;
    }
    json take_back(const std::string& receipt, const std::string& original, std::vector<core::ReturnedLine> lines,
                   bool is_void = false) {
        core::ReturnRequest request = world.return_request(receipt, original, std::move(lines));
        request.is_void = is_void;
        if (is_void) request.key.business_day = *core::parse_date("2026-11-22");
        const auto done = world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes(receipt)),
                                               pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json();
    }
    long long wallet(long long member_id) {
        long long balance = 0;
        world.db.raw() << "SELECT cashback_balance FROM member_accounts WHERE member_id = :id", soci::into(balance),
            soci::use(member_id);
        return balance;
    }
    long long stamps(long long member_id, const std::string& card) {
        long long count = 0;
        world.db.raw() << "SELECT COALESCE(MAX(stamps), 0) FROM stamp_progress WHERE member_id = :id AND card_id = :c",
            soci::into(count), soci::use(member_id), soci::use(card);
        return count;
    }
    // A coupon campaign for the coffee card's reward: the cheapest coffee free.
    long long free_coffee_campaign() {
        const auto made = coupons.create(
            marketer, core::decode_coupon_campaign_document({{"name", "Free coffee"},
                                                             {"type", "free_item"},
                                                             {"conditions", {{"categories", {"coffee"}}}},
                                                             {"members_only", true}})
                          .value());
        EXPECT_TRUE(made.has_value());
        EXPECT_TRUE(coupons.publish(marketer, made->id).has_value());
        return made->id;
    }
};

const json kFivePercent = json::array({{{"id", "cb5"}, {"name", "Cashback 5%"}, {"percent", 5}}});

TEST_F(CashbackStampsTest, CashbackIsCreditedAtTheCommitAndSpentAsATenderLater) {
    publish(kFivePercent);
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const json first = committed(world.purchase("1", 1000000, sara.card_number));
    EXPECT_EQ(first["cashback"],
              json({{"earned", 50000}, {"spent", 0}, {"balance", 50000}, {"available", 0}, {"currency", "IRR"}}));
    bool printed = false;
    // The test program prints in Persian.
    for (const auto& line : first["receipt_lines"]) printed |= line == "Cashback 5%: +۵۰٬۰۰۰ ریال";
    EXPECT_TRUE(printed) << first["receipt_lines"];
    EXPECT_EQ(wallet(sara.id), 50000);

    core::Purchase second = spending("2", 400000, sara.card_number, 30000);
    const auto quote = world.purchases.quote(world.terminal, second);
    ASSERT_TRUE(quote.has_value()) << quote.error().message;
    EXPECT_EQ(quote->cashback_available, 50000) << "the cashier sees what the wallet can pay";
    EXPECT_EQ(quote->cashback_spent, 30000);
    EXPECT_EQ(quote->cashback_earned, 18500);  // 5% of the 370,000 left to pay.
    EXPECT_EQ(wallet(sara.id), 50000) << "a quote writes nothing";
    const json paid = committed(second);
    EXPECT_EQ(paid["cashback"]["spent"], 30000);
    EXPECT_EQ(paid["cashback"]["earned"], 18500);
    EXPECT_EQ(paid["cashback"]["balance"], 38500);
    EXPECT_EQ(paid["points"]["earned"], 37) << "what the wallet paid earns no points either";
    EXPECT_EQ(wallet(sara.id), 38500);

    const auto too_much = commit(spending("3", 400000, sara.card_number, 38501));
    ASSERT_FALSE(too_much.has_value());
    EXPECT_EQ(too_much.error().code, ErrorCode::kCashbackInsufficient);
    EXPECT_EQ(too_much.error().field, "spend_cashback");
    core::Purchase anonymous = world.purchase("4", 400000);
    anonymous.spend_cashback = 1000;
    const auto refused = commit(anonymous);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field, "spend_cashback") << "a wallet needs the member's card";
}

TEST_F(CashbackStampsTest, FiftyRacingSpendsNeverTakeTheWalletBelowZero) {
    publish(kFivePercent);
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("seed", 2000000, sara.card_number));  // 100,000 in the wallet.
    constexpr int kRacers = 50;
    std::latch start(kRacers);
    std::vector<std::string> outcomes(kRacers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRacers; ++i) {
        threads.emplace_back([&, i] {
            const core::Purchase purchase = spending("spend-" + std::to_string(i), 10000, sara.card_number, 10000);
            start.arrive_and_wait();
            const auto done = commit(purchase);
            outcomes[static_cast<std::size_t>(i)] = done ? "OK" : std::string(core::code_name(done.error().code));
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "OK"), 10);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "CASHBACK_INSUFFICIENT"), kRacers - 10);
    EXPECT_EQ(wallet(sara.id), 0);
}

TEST_F(CashbackStampsTest, ABudgetHitUnderLoadIsNeverExceeded) {
    publish(json::array({{{"id", "cb5"}, {"percent", 5}, {"budget", 100000}}}));  // Ten purchases' worth.
    std::vector<std::string> cards;
    for (int m = 0; m < 6; ++m) {
        cards.push_back(world
                            .enrol("Member " + std::to_string(m), "0912000000" + std::to_string(m),
                                   "m" + std::to_string(m) + "@example.com")
                            .card_number);
    }
    constexpr int kRacers = 24;
    std::latch start(kRacers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRacers; ++i) {
        threads.emplace_back([&, i] {
            const core::Purchase purchase = world.purchase("budget-" + std::to_string(i), 200000,
                                                           cards[static_cast<std::size_t>(i) % cards.size()]);
            start.arrive_and_wait();
            EXPECT_TRUE(commit(purchase).has_value());
        });
    }
    for (std::thread& thread : threads) thread.join();
    long long given = 0, used = 0;
    world.db.raw() << "SELECT COALESCE(SUM(cashback_balance), 0) FROM member_accounts", soci::into(given);
    world.db.raw() << "SELECT used FROM rule_budgets WHERE rule_id = 'cb5'", soci::into(used);
    EXPECT_EQ(given, 100000);
    EXPECT_EQ(used, 100000);
}

TEST_F(CashbackStampsTest, ADailyCapCountsAcrossPurchasesAndAReturnGivesItBack) {
    publish(json::array({{{"id", "cb5"}, {"percent", 5}, {"caps", {{"per_day", 60000}}}}}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    EXPECT_EQ(committed(world.purchase("1", 1000000, sara.card_number))["cashback"]["earned"], 50000);
    EXPECT_EQ(committed(world.purchase("2", 1000000, sara.card_number))["cashback"]["earned"], 10000);
    EXPECT_EQ(committed(world.purchase("3", 1000000, sara.card_number))["cashback"]["earned"], 0);
    const json returned = take_back("r1", "1", {{1, 1000}});
    EXPECT_EQ(returned["cashback"]["earned"], -50000);
    EXPECT_EQ(returned["cashback"]["balance"], 10000);
    EXPECT_EQ(committed(world.purchase("4", 1000000, sara.card_number))["cashback"]["earned"], 50000)
        << "the returned purchase's cashback no longer counts against the day's cap";
}

TEST_F(CashbackStampsTest, AVoidReversesTheCashbackAndGivesBackWhatTheWalletPaid) {
    publish(kFivePercent);
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("1", 1000000, sara.card_number));  // +50,000.
    core::Purchase two_lines = spending("2", 600000, sara.card_number, 20000);
    two_lines.lines = {{1, "COF-1", "coffee", 2000, 200000, 400000, 0}, {2, "CAKE", "bakery", 1000, 200000, 200000, 0}};
    const json paid = committed(two_lines);  // -20,000, +29,000 (5% of 580,000).
    EXPECT_EQ(paid["cashback"]["earned"], 29000);
    const json one_coffee = take_back("r1", "2", {{1, 1000}});
    // Line 1 earned 19,333 of the 29,000 (its 400,000 of 600,000): one of its two coffees takes back
    // half of that; a third of the basket's money comes back, so a third of the 20,000 spent.
    EXPECT_EQ(one_coffee["cashback"]["earned"], -9666);
    EXPECT_EQ(one_coffee["cashback"]["spent"], -6666);
    const json voided = take_back("v1", "2", {}, true);
    EXPECT_EQ(voided["cashback"]["earned"], -(29000 - 9666));
    EXPECT_EQ(voided["cashback"]["spent"], -(20000 - 6666));
    EXPECT_EQ(wallet(sara.id), 50000) << "as before purchase 2";
}

TEST_F(CashbackStampsTest, ReturningCashbackAlreadySpentFollowsTheNegativeBalancePolicy) {
    publish(kFivePercent);
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("1", 1000000, sara.card_number));  // +50,000.
    committed(spending("2", 50000, sara.card_number, 50000));   // Spent it all.
    EXPECT_EQ(take_back("r1", "1", {{1, 1000}})["cashback"]["balance"], -50000) << "the default policy allows it";

    const auto reza = world.enrol("Reza Ahmadi", "09351112233", "reza@example.com");
    world.db.raw() << "UPDATE programs SET negative_balance_policy = 'clamp', settings_version = settings_version + 1 "
                      "WHERE id = " +
                          std::to_string(world.program_id);
    committed(world.purchase("3", 1000000, reza.card_number));
    committed(spending("4", 40000, reza.card_number, 40000));  // 10,000 left.
    const json clamped = take_back("r2", "3", {{1, 1000}});
    EXPECT_EQ(clamped["cashback"]["earned"], -10000);
    EXPECT_EQ(clamped["cashback"]["balance"], 0);
    long long shortfall = 0;
    world.db.raw() << "SELECT cashback_shortfall FROM member_accounts WHERE member_id = :id", soci::into(shortfall),
        soci::use(reza.id);
    EXPECT_EQ(shortfall, 40000);
}

const json kCoffeeCard = {
    {"id", "coffee"}, {"name", "Coffee card"}, {"goal", 3}, {"conditions", {{"categories", {"coffee"}}}}};

TEST_F(CashbackStampsTest, AReturnFailsRatherThanSkipTheStampsWhenTheRulesInForceCannotBeRead) {
    json card = kCoffeeCard;
    card["reward"] = {{"points", 10}};
    publish(json::array(), json::array({card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("1", 100000, sara.card_number));
    ASSERT_EQ(stamps(sara.id, "coffee"), 1);
    long long purchases_before = 0;
    world.db.raw() << "SELECT COUNT(*) FROM purchases", soci::into(purchases_before);
    // The published document breaks under the return service (which has not read it yet).
    std::string document;
    int version = 0;
    world.db.raw() << "SELECT document, version FROM rule_sets WHERE program_id = :p ORDER BY version DESC LIMIT 1",
        soci::into(document), soci::into(version), soci::use(world.program_id);
    world.db.raw() << "UPDATE rule_sets SET document = '{\"rules\": 5}' WHERE program_id = :p AND version = :v",
        soci::use(world.program_id), soci::use(version);
    const core::ReturnRequest request = world.return_request("r1", "1", {{1, 1000}});
    const auto refused = world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes("r1")),
                                              pos::encode_purchase_answer);
    world.db.raw() << "UPDATE rule_sets SET document = :d WHERE program_id = :p AND version = :v", soci::use(document),
        soci::use(world.program_id), soci::use(version);
    ASSERT_FALSE(refused.has_value()) << "a return that cannot know the cards must not skip their stamps";
    EXPECT_EQ(refused.error().code, ErrorCode::kInternal);
    EXPECT_EQ(stamps(sara.id, "coffee"), 1);
    long long purchases_after = 0;
    world.db.raw() << "SELECT COUNT(*) FROM purchases", soci::into(purchases_after);
    EXPECT_EQ(purchases_after, purchases_before) << "nothing of the return is written";
    EXPECT_EQ(take_back("r1", "1", {{1, 1000}})["stamps"][0]["count"], 0) << "once readable, the return goes through";
}

TEST_F(CashbackStampsTest, AFilledCardPaysAFreeCoffeeCouponInThePurchaseAndTheSurplusRollsOver) {
    json card = kCoffeeCard;
    card["reward"] = {{"coupon_campaign", free_coffee_campaign()}, {"label", "free coffee"}};
    publish(json::array(), json::array({card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("1", 100000, sara.card_number));
    const json second = committed(world.purchase("2", 100000, sara.card_number));
    EXPECT_EQ(second["stamps"][0]["count"], 2);
    EXPECT_EQ(second["stamps"][0]["goal"], 3);
    core::Purchase two = world.purchase("3", 200000, sara.card_number);
    two.lines[0].quantity_milli = 2000;
    two.lines[0].unit_price = 100000;
    const json filled = committed(two);
    EXPECT_EQ(filled["stamps"][0], json({{"card_id", "coffee"},
                                         {"name", "Coffee card"},
                                         {"stamps", 2},
                                         {"count", 1},
                                         {"goal", 3},
                                         {"rewards_earned", 1}}));
    ASSERT_EQ(filled["coupons"]["issued"].size(), 1U);
    const std::string code = filled["coupons"]["issued"][0]["code"];
    bool printed = false;
    for (const auto& line : filled["receipt_lines"]) printed |= line == "Coffee card: ۳/۳، free coffee";
    EXPECT_TRUE(printed) << filled["receipt_lines"];
    EXPECT_EQ(stamps(sara.id, "coffee"), 1);

    const auto reza = world.enrol("Reza Ahmadi", "09351112233", "reza@example.com");
    core::Purchase stranger = world.purchase("4", 100000, reza.card_number);
    stranger.coupons = {code};
    ASSERT_FALSE(commit(stranger).has_value()) << "the code is Sara's";
    core::Purchase free = world.purchase("5", 100000, sara.card_number);
    free.coupons = {code};
    const json used = committed(free);
    EXPECT_EQ(used["coupons"]["discount"], 100000);
}

// What the purchases above did, as other systems hear it: events of the purchase's transaction,
// in order after its purchase_committed, with ids and amounts and never the coupon's code.
TEST_F(CashbackStampsTest, FillingACardCreditingCashbackAndRedeemingTheRewardAreEvents) {
    const long long campaign = free_coffee_campaign();
    json coupon_card = kCoffeeCard;
    coupon_card["reward"] = {{"coupon_campaign", campaign}, {"label", "free coffee"}};
    json points_card = kCoffeeCard;
    points_card["id"] = "coffee-points";
    points_card["name"] = "Coffee points";
    points_card["reward"] = {{"points", 500}};
    publish(kFivePercent, json::array({coupon_card, points_card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("1", 100000, sara.card_number));
    committed(world.purchase("2", 100000, sara.card_number));
    const json filled = committed(world.purchase("3", 100000, sara.card_number));
    const std::string code = filled["coupons"]["issued"][0]["code"];
    core::Purchase free = world.purchase("4", 200000, sara.card_number);
    free.lines[0].quantity_milli = 2000;
    free.lines[0].unit_price = 100000;
    free.coupons = {code};
    const json used = committed(free);

    std::vector<std::pair<std::string, json>> seen;  // Type and data, from the third purchase on.
    for (const store::OutboxEvent& event : store::events_after(world.db.raw(), world.program_id, 0, 1000)) {
        EXPECT_EQ(event.data.find(code), std::string::npos) << event.type << " names the code";
        const json data = json::parse(event.data);
        if (data.value("purchase_id", 0LL) < filled["purchase_id"].get<long long>()) continue;
        EXPECT_EQ(event.member_id, sara.id) << event.type;
        seen.emplace_back(event.type, data);
    }
    std::vector<std::string> types;
    for (const auto& [type, data] : seen) types.push_back(type);
    ASSERT_GT(used["cashback"]["earned"].get<long long>(), 0) << "two coffees, one of them free: 5% of the other";
    EXPECT_EQ(types, (std::vector<std::string>{"purchase_committed", "stamp_card_completed", "stamp_card_completed",
                                               "reward_issued", "reward_issued", "coupon_issued", "cashback_credited",
                                               "purchase_committed", "coupon_redeemed", "cashback_credited"}));
    ASSERT_EQ(seen.size(), 10u);
    EXPECT_EQ(seen[9].second["amount"], used["cashback"]["earned"]);
    EXPECT_EQ(seen[1].second["stamp_card"], "coffee");
    EXPECT_EQ(seen[1].second["goal"], 3);
    EXPECT_EQ(seen[1].second["rewards"], 1);
    EXPECT_EQ(seen[2].second["stamp_card"], "coffee-points");
    const json& coupon_reward = seen[3].second["kind"] == "coupon" ? seen[3].second : seen[4].second;
    const json& points_reward = seen[3].second["kind"] == "coupon" ? seen[4].second : seen[3].second;
    EXPECT_EQ(coupon_reward["campaign_id"], campaign);
    EXPECT_EQ(coupon_reward["stamp_card"], "coffee");
    EXPECT_EQ(points_reward["points"], 500);
    EXPECT_EQ(points_reward["stamp_card"], "coffee-points");
    EXPECT_EQ(seen[5].second["campaign_id"], campaign);
    EXPECT_EQ(seen[5].second["source"], "stamp_card");
    EXPECT_EQ(seen[6].second["amount"], filled["cashback"]["earned"]);
    EXPECT_EQ(seen[6].second["cashback_balance"], filled["cashback"]["balance"]);
    EXPECT_EQ(seen[6].second["currency"], "IRR");
    EXPECT_EQ(seen[8].second["campaign_id"], campaign);
    EXPECT_EQ(seen[8].second["discount"], 100000);
    EXPECT_EQ(seen[8].second["purchase_id"], used["purchase_id"]);
}

TEST_F(CashbackStampsTest, AReturnThatUnfillsACardRevokesAnUnusedRewardOrLeavesADeficit) {
    const long long campaign = free_coffee_campaign();
    json card = kCoffeeCard;
    card["reward"] = {{"coupon_campaign", campaign}};
    publish(json::array(), json::array({card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    for (const char* receipt : {"1", "2", "3"}) committed(world.purchase(receipt, 100000, sara.card_number));
    EXPECT_EQ(stamps(sara.id, "coffee"), 0);
    const json revoked = take_back("r1", "1", {{1, 1000}});
    EXPECT_EQ(revoked["stamps"][0]["stamps"], -1);
    EXPECT_EQ(revoked["stamps"][0]["count"], 2) << "the unused reward went back: its three stamps return";
    EXPECT_EQ(revoked["stamps"][0]["rewards_earned"], -1);
    std::string code;
    world.db.raw() << "SELECT code FROM coupon_codes WHERE member_id = :id", soci::into(code), soci::use(sara.id);
    core::Purchase with_code = world.purchase("4", 100000, sara.card_number);
    with_code.coupons = {code};
    const auto refused = commit(with_code);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kCouponNotFound) << "a revoked code is good no more";

    // Fill again and use the reward: returns then leave the next card short.
    committed(world.purchase("5", 100000, sara.card_number));
    EXPECT_EQ(stamps(sara.id, "coffee"), 0);
    std::string second_code;
    world.db.raw() << "SELECT code FROM coupon_codes WHERE member_id = :id AND revoked_at IS NULL",
        soci::into(second_code), soci::use(sara.id);
    core::Purchase free = world.purchase("6", 100000, sara.card_number);
    free.coupons = {second_code};
    committed(free);  // A coffee on the house is still a coffee on the card: 1.
    EXPECT_EQ(take_back("r2", "2", {{1, 1000}})["stamps"][0]["count"], 0);
    const json short_card = take_back("r3", "3", {{1, 1000}});
    EXPECT_EQ(short_card["stamps"][0]["count"], -1) << "the reward was used: the next card starts one short";
    EXPECT_EQ(short_card["stamps"][0]["rewards_earned"], 0);
    EXPECT_EQ(stamps(sara.id, "coffee"), -1);
    EXPECT_EQ(committed(world.purchase("7", 100000, sara.card_number))["stamps"][0]["count"], 0);
}

TEST_F(CashbackStampsTest, APointsRewardIsRevokedWithItsPoints) {
    json card = kCoffeeCard;
    card["reward"] = {{"points", 500}};
    publish(json::array(), json::array({card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("1", 100000, sara.card_number));
    committed(world.purchase("2", 100000, sara.card_number));
    const json filled = committed(world.purchase("3", 100000, sara.card_number));
    EXPECT_EQ(filled["points"]["earned"], 510);  // 10 + the card's 500.
    EXPECT_EQ(filled["points"]["available"], 530);
    const json returned = take_back("r1", "3", {{1, 1000}});
    EXPECT_EQ(returned["points"]["earned"], -510);
    EXPECT_EQ(returned["points"]["available"], 20);
    EXPECT_EQ(stamps(sara.id, "coffee"), 2);
}

TEST_F(CashbackStampsTest, AMergeMovesTheWalletAndTheStamps) {
    json card = kCoffeeCard;
    card["reward"] = {{"points", 500}};
    publish(kFivePercent, json::array({card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");
    committed(world.purchase("1", 100000, sara.card_number));
    committed(world.purchase("2", 200000, again.card_number));
    committed(world.purchase("3", 200000, again.card_number));
    service::MemberMergeService merges(world.db.database(), world.keys, world.clock);
    ASSERT_TRUE(
        merges.merge({world.program_id, "Ali (support)", core::StaffRole::kSupport}, sara.id, again.id).has_value());
    EXPECT_EQ(wallet(sara.id), 25000);
    EXPECT_EQ(wallet(again.id), 0);
    EXPECT_EQ(stamps(sara.id, "coffee"), 3);
    const json filled = committed(world.purchase("4", 100000, sara.card_number));
    EXPECT_EQ(filled["stamps"][0]["rewards_earned"], 1) << "4 stamps: one full card, one on the next";
    EXPECT_EQ(filled["stamps"][0]["count"], 1);
}

// A purchase of one line per SKU, 100,000 each (category tea; COF-1 is coffee).
core::Purchase lines_of(testing::TestWorld& world, const std::string& receipt, const std::string& card,
                        const std::vector<std::string>& skus) {
    core::Purchase purchase = world.purchase(receipt, 100000, card);
    purchase.lines.clear();
    purchase.total = 0;
    for (const std::string& sku : skus) {
        purchase.lines.push_back({static_cast<int>(purchase.lines.size()) + 1, sku, sku == "COF-1" ? "coffee" : "tea",
                                  1000, 100000, 100000, 0});
        purchase.total += 100000;
    }
    return purchase;
}

TEST_F(CashbackStampsTest, ACollectionOwesAnItemWhoseUsedRewardAReturnUnfilledAndHoldsEachItemOnceAfterAMerge) {
    const long long campaign = free_coffee_campaign();
    const json teas = {{"id", "teas"},
                       {"name", "Tea trail"},
                       {"basis", "collection"},
                       {"items", {{{"id", "green"}, {"skus", {"TEA-G"}}}, {{"id", "black"}, {"skus", {"TEA-B"}}}}},
                       {"reward", {{"coupon_campaign", campaign}, {"label", "free coffee"}}}};
    publish(json::array(), json::array({teas}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const json full = committed(lines_of(world, "1", sara.card_number, {"TEA-G", "TEA-B"}));
    EXPECT_EQ(full["stamps"][0]["rewards_earned"], 1);
    ASSERT_EQ(full["coupons"]["issued"].size(), 1U) << full;
    core::Purchase free = lines_of(world, "2", sara.card_number, {"COF-1"});
    free.coupons = {full["coupons"]["issued"][0]["code"].get<std::string>()};
    committed(free);

    const json owed = take_back("r1", "1", {{1, 1000}});
    EXPECT_EQ(owed["stamps"][0]["stamps"], -1);
    EXPECT_EQ(owed["stamps"][0]["count"], 0);
    EXPECT_EQ(owed["stamps"][0]["rewards_earned"], 0) << "the reward was used: the green tea is owed instead";
    EXPECT_EQ(stamps(sara.id, "teas"), -1);
    std::string items;
    world.db.raw() << "SELECT items FROM stamp_progress WHERE member_id = :id", soci::into(items), soci::use(sara.id);
    EXPECT_EQ(json::parse(items), json({{"green", -1}}));

    const json paid_back = committed(lines_of(world, "3", sara.card_number, {"TEA-G"}));
    EXPECT_EQ(paid_back["stamps"][0]["stamps"], 1);
    EXPECT_EQ(paid_back["stamps"][0]["count"], 0) << "the green tea paid back what was owed";
    EXPECT_EQ(committed(lines_of(world, "4", sara.card_number, {"TEA-G"}))["stamps"][0]["count"], 1);

    const auto again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");
    committed(lines_of(world, "5", again.card_number, {"TEA-G"}));
    service::MemberMergeService merges(world.db.database(), world.keys, world.clock);
    ASSERT_TRUE(
        merges.merge({world.program_id, "Ali (support)", core::StaffRole::kSupport}, sara.id, again.id).has_value());
    EXPECT_EQ(stamps(sara.id, "teas"), 1) << "both held the green tea: the card holds it once";
    const json completed = committed(lines_of(world, "6", sara.card_number, {"TEA-B"}));
    EXPECT_EQ(completed["stamps"][0]["rewards_earned"], 1);
}

TEST_F(CashbackStampsTest, ACollectionsCashbackRewardIsCreditedAndARevokingReturnTakesItBackDownToZero) {
    const json teas = {{"id", "teas"},
                       {"name", "Tea trail"},
                       {"basis", "collection"},
                       {"items", {{{"id", "green"}, {"skus", {"TEA-G"}}}, {{"id", "black"}, {"skus", {"TEA-B"}}}}},
                       {"reward", {{"cashback", 50000}}}};
    publish(json::array(), json::array({teas}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const json full = committed(lines_of(world, "1", sara.card_number, {"TEA-G", "TEA-B"}));
    EXPECT_EQ(full["cashback"]["earned"], 50000);
    EXPECT_EQ(full["stamps"][0]["rewards_earned"], 1);
    EXPECT_EQ(wallet(sara.id), 50000);
    const json part = take_back("r1", "1", {{2, 1000}});  // The black tea: the reward is revoked.
    EXPECT_EQ(part["stamps"][0]["rewards_earned"], -1);
    EXPECT_EQ(part["stamps"][0]["count"], 1) << "the green tea is back on the card";
    EXPECT_EQ(part["cashback"]["earned"], -50000);
    EXPECT_EQ(part["cashback"]["balance"], 0);
    EXPECT_EQ(wallet(sara.id), 0);

    // Filled again and mostly spent, under the policy that stops a wallet at zero.
    world.db.raw() << "UPDATE programs SET negative_balance_policy = 'clamp', settings_version = settings_version + 1 "
                      "WHERE id = " +
                          std::to_string(world.program_id);
    committed(lines_of(world, "2", sara.card_number, {"TEA-B"}));
    EXPECT_EQ(wallet(sara.id), 50000);
    committed(spending("3", 400000, sara.card_number, 30000));
    const json clamped = take_back("r2", "2", {{1, 1000}});
    EXPECT_EQ(clamped["cashback"]["earned"], -20000) << "what was left of the wallet";
    EXPECT_EQ(wallet(sara.id), 0);
    long long shortfall = 0;
    world.db.raw() << "SELECT cashback_shortfall FROM member_accounts WHERE member_id = :id", soci::into(shortfall),
        soci::use(sara.id);
    EXPECT_EQ(shortfall, 30000);
}

TEST_F(CashbackStampsTest, TheMembersHistoryTellsEveryCashbackAndStampChangeInTheirLanguage) {
    json card = kCoffeeCard;
    card["reward"] = {{"points", 500}};
    publish(kFivePercent, json::array({card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto later = [&] { world.clock.set(world.clock.now() + std::chrono::minutes(1)); };
    committed(world.purchase("1", 1000000, sara.card_number));
    later();
    committed(spending("2", 100000, sara.card_number, 20000));
    later();
    core::Purchase two = world.purchase("3", 200000, sara.card_number);
    two.lines[0].quantity_milli = 2000;
    two.lines[0].unit_price = 100000;
    committed(two);  // 4 stamps: the card fills (500 points), one on the next.
    later();
    take_back("r1", "3", {{1, 2000}});  // Both back: 1 - 2 < 0, so the unused reward is revoked.
    const auto page = world.members.history(world.program_id, sara.id, 0, 20);
    ASSERT_TRUE(page.has_value()) << page.error().message;
    ASSERT_GE(page->cashback.size(), 4U);
    EXPECT_EQ(page->cashback_descriptions.back(), "کش‌بک +۵۰٬۰۰۰ ریال با رسید 1 در Tehran");
    EXPECT_EQ(page->cashback.back().rule_id, "cb5");
    std::vector<std::string> kinds;
    for (const auto& item : page->cashback) kinds.push_back(item.kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"reverse", "earn", "earn", "spend", "earn"}));
    std::vector<std::string> stamp_kinds;
    for (const auto& item : page->stamps) stamp_kinds.push_back(item.kind);
    EXPECT_EQ(stamp_kinds, (std::vector<std::string>{"revoked", "return", "reward", "earn", "earn", "earn"}));
    EXPECT_EQ(page->stamp_descriptions[2], "Coffee card کامل شد: جایزه با رسید 3 در Tehran");
    EXPECT_EQ(page->stamp_descriptions.back(), "+۱ مهر روی Coffee card با رسید 1 در Tehran");

    const auto balance = world.members.balance(world.program_id, sara.id);
    ASSERT_TRUE(balance.has_value());
    EXPECT_EQ(balance->cashback_amount, 50000 - 20000 + 4000);
    ASSERT_EQ(balance->stamps.size(), 1U);
    EXPECT_EQ(balance->stamps[0].card.name, "Coffee card");
    EXPECT_EQ(balance->stamps[0].count, 2);
    EXPECT_EQ(balance->stamps[0].card.goal, 3);
}

TEST_F(CashbackStampsTest, VerifyFindsAWalletOrACardThatDisagreesWithItsLedger) {
    json card = kCoffeeCard;
    card["reward"] = {{"points", 500}};
    publish(kFivePercent, json::array({card}));
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    committed(world.purchase("1", 1000000, sara.card_number));
    EXPECT_TRUE(world.maintenance.verify()->empty());
    tampered_ = true;
    world.db.raw() << "UPDATE member_accounts SET cashback_balance = cashback_balance + 1";
    world.db.raw() << "UPDATE stamp_progress SET stamps = stamps + 1";
    const auto found = world.maintenance.verify().value();
    const auto mentions = [&](const std::string& what) {
        return std::any_of(found.begin(), found.end(), [&](const std::string& line) { return line.starts_with(what); });
    };
    EXPECT_TRUE(mentions("member cashback wallet (ledger vs balance)"));
    EXPECT_TRUE(mentions("member stamps (events less rewards vs card)"));
}

}  // namespace
}  // namespace patron
