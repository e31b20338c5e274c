// Fraud signals against a real MariaDB (issue 21): a signal is written with its purchase and its
// fraud_signal_raised event, once per card and hour; the points it holds are passed over by the
// scheduled release (even with the programme's own hold long over), released by a review, or
// forfeited by a confirmation; a merge hands the signals and the hold to the survivor; a rolled-back
// purchase leaves no signal; a till's hour far above its usual one, in points or in cashback, is
// flagged by the scan; and the books stay right throughout.
#include "loyalty/core/fraud.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/rule_document.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Fraud : public testing::VerifiedWorldTest {
  protected:
    void SetUp() override {
        sara = world.enrol("Sara Ahmadi", "09120000101", "sara@example.ir");
        reza = world.enrol("Reza Karimi", "09120000102", "reza@example.ir");
    }
    void watch(const char* document) {
        const auto policy = core::decode_fraud_policy(json::parse(document));
        ASSERT_TRUE(policy.has_value());
        ASSERT_TRUE(world.services.fraud.set_policy(admin, *policy).has_value());
    }
    std::vector<store::SignalRecord> signals(std::optional<long long> member = std::nullopt) {
        store::SignalQuery query;
        query.member_id = member;
        return world.services.fraud.signals(admin, query).value().signals;
    }
    // The member's points: available, pending.
    std::pair<long long, long long> points(long long member_id) {
        std::pair<long long, long long> found;
        world.db.raw() << "SELECT points_available, points_pending FROM member_accounts WHERE member_id = :m",
            soci::into(found.first), soci::into(found.second), soci::use(member_id);
        return found;
    }
    long long events_of(const std::string& type) {
        long long count = 0;
        world.db.raw() << "SELECT COUNT(*) FROM outbox_events WHERE event_type = :type", soci::into(count),
            soci::use(type);
        return count;
    }
    // A sale of 9,000.00 at S042's T07 on the clock's day, committed: its answer.
    json till_sale(const std::string& receipt, const std::string& card) {
        core::Purchase purchase = world.purchase(receipt, 900000, card);
        purchase.key.business_day =
            std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(world.clock.now())};
        return committed(purchase);
    }
    // How many signals the till scan raised now (0 when it failed, with the failure reported).
    int scan_raised(int tills_measured = -1) {
        const auto scan = world.services.fraud.scan_tills();
        EXPECT_TRUE(scan.has_value()) << scan.error().message;
        if (!scan) return 0;
        if (tills_measured >= 0) {
            EXPECT_EQ(scan->tills, tills_measured) << "tills measured";
        }
        return scan->raised;
    }
    // The one signal raised, a till's: a flag of no member or purchase, at S042's T07; its evidence.
    json the_till_outlier() {
        const auto raised = signals();
        EXPECT_EQ(raised.size(), 1U);
        if (raised.empty()) return json::object();
        EXPECT_EQ(raised[0].kind, core::FraudKind::kTerminalOutlier);
        EXPECT_EQ(raised[0].action, core::FraudAction::kFlag);
        EXPECT_FALSE(raised[0].member_id.has_value());
        EXPECT_FALSE(raised[0].purchase_id.has_value());
        json evidence = json::parse(raised[0].evidence);
        EXPECT_EQ(evidence["store"], "S042");
        EXPECT_EQ(evidence["terminal"], "T07");
        return evidence;
    }
    long long held_lots() {
        long long count = 0;
        world.db.raw() << "SELECT COUNT(*) FROM point_lots WHERE held_by IS NOT NULL AND state = 'pending'",
            soci::into(count);
        return count;
    }

    // member_accounts.fraud_hold_id is kept, not derived: every test ends with it naming an open
    // signal of hers that holds, and with it set for every member such a signal is open for.
    void TearDown() override {
        long long astray = -1;
        world.db.raw() << "SELECT COUNT(*) FROM member_accounts a WHERE"
                          " (a.fraud_hold_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fraud_signals s"
                          "   WHERE s.id = a.fraud_hold_id AND s.member_id = a.member_id AND s.state = 'open'"
                          "   AND s.action <> 'flag'))"
                          " OR (a.fraud_hold_id IS NULL AND EXISTS (SELECT 1 FROM fraud_signals s"
                          "   WHERE s.member_id = a.member_id AND s.state = 'open' AND s.action <> 'flag'))",
            soci::into(astray);
        EXPECT_EQ(astray, 0) << "accounts whose fraud hold disagrees with their open signals";
        testing::VerifiedWorldTest::TearDown();
    }

    const service::StaffIdentity admin{world.program_id, "Ali (admin)", core::StaffRole::kAdmin};
    service::EnrolledMember sara;
    service::EnrolledMember reza;
};

TEST_F(Fraud, ASignalIsWrittenWithItsPurchaseAndEventAndItsHeldPointsWaitForTheReview) {
    watch(R"({"card_velocity": {"action": "hold", "purchases_per_hour": 2}})");
    const json first = committed(world.purchase("F1", 900000, sara.card_number));
    const long long each = first["points"]["earned"];
    ASSERT_GT(each, 0);
    EXPECT_TRUE(signals().empty());
    committed(world.purchase("F2", 900000, sara.card_number));
    committed(world.purchase("F3", 900000, sara.card_number));
    const auto raised = signals();
    ASSERT_EQ(raised.size(), 1U) << "once per card and hour";
    EXPECT_EQ(raised[0].kind, core::FraudKind::kCardVelocity);
    EXPECT_EQ(raised[0].member_id, sara.id);
    EXPECT_EQ(events_of("fraud_signal_raised"), 1);
    std::string data;
    world.db.raw() << "SELECT data FROM outbox_events WHERE event_type = 'fraud_signal_raised'", soci::into(data);
    const json event = json::parse(data);
    EXPECT_EQ(event["signal_id"], raised[0].id);
    EXPECT_EQ(event["kind"], "card_velocity");
    EXPECT_EQ(event["action"], "hold");
    EXPECT_EQ(event["member_id"], sara.id);
    EXPECT_EQ(event["evidence"]["purchases_last_hour"], 2);
    EXPECT_EQ(points(sara.id), std::make_pair(each, 2 * each));

    // The scheduled release, however late, passes the held lots over.
    world.clock.set(world.clock.now() + std::chrono::hours(24 * 30));
    ASSERT_TRUE(world.maintenance.run_all_due().has_value());
    EXPECT_EQ(held_lots(), 2);
    EXPECT_EQ(points(sara.id), std::make_pair(each, 2 * each));

    // Another card's purchases are nobody else's business.
    committed(world.purchase("F4", 900000, reza.card_number));
    EXPECT_EQ(points(reza.id), std::make_pair(each, 0LL));

    const auto reviewed = world.services.fraud.review(
        service::StaffIdentity{world.program_id, "Nima (support)", core::StaffRole::kSupport}, raised[0].id,
        core::FraudReview{core::FraudDecision::kRelease, ""});
    ASSERT_TRUE(reviewed.has_value()) << reviewed.error().message;
    EXPECT_EQ(reviewed->points_held, 0);
    EXPECT_EQ(points(sara.id), std::make_pair(3 * each, 0LL));
    EXPECT_EQ(held_lots(), 0);
    // Her next purchase earns as ever.
    committed(world.purchase("F5", 900000, sara.card_number));
    EXPECT_EQ(points(sara.id), std::make_pair(4 * each, 0LL));
}

TEST_F(Fraud, AConfirmationForfeitsTheHeldPointsAndAMergeHandsTheHoldToTheSurvivor) {
    watch(R"({"card_velocity": {"action": "block", "purchases_per_hour": 1}})");
    const json first = committed(world.purchase("G1", 900000, sara.card_number));
    const long long each = first["points"]["earned"];
    EXPECT_EQ(points(sara.id), std::make_pair(0LL, each)) << "the first purchase is already one too many";
    // Merged into Reza: her held points, her signal and the hold on her new points are his.
    ASSERT_TRUE(world.services.merges
                    .merge(service::StaffIdentity{world.program_id, "Nima (support)", core::StaffRole::kSupport},
                           reza.id, sara.id)
                    .has_value());
    const auto his = signals(reza.id);
    ASSERT_EQ(his.size(), 1U);
    watch("{}");  // Nothing watched now: only the hold he took over holds his points.
    committed(world.purchase("G2", 900000, reza.card_number));  // His own card: only hers was blocked.
    EXPECT_EQ(points(reza.id), std::make_pair(0LL, 2 * each)) << "his new points are held too";

    const auto confirmed =
        world.services.fraud.review(admin, his[0].id, core::FraudReview{core::FraudDecision::kConfirm, "cloned card"});
    ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
    EXPECT_EQ(confirmed->points_forfeited, 2 * each);
    EXPECT_EQ(points(reza.id), std::make_pair(0LL, 0LL));
    EXPECT_FALSE(
        world.services.fraud.review(admin, his[0].id, core::FraudReview{core::FraudDecision::kRelease, ""}).has_value())
        << "decided once";
}

TEST_F(Fraud, APurchaseRolledBackLeavesNoSignalNoEventAndNoHold) {
    watch(R"({"redemption_after_enrolment": {"action": "block", "within_hours": 24}})");
    committed(world.purchase("H1", 900000, sara.card_number));  // Earns her points to spend.
    EXPECT_TRUE(signals().empty());
    core::Purchase spending = world.purchase("H2", 900000, sara.card_number);
    spending.redeem_points = 50;
    // The answer is written last, after the signal: a failure there rolls the whole purchase back.
    const auto failed = world.purchases.commit(world.terminal, spending, crypto::sha256(crypto::as_bytes("H2")),
                                               [](const core::PurchaseResult&) -> std::string {
                                                   throw std::runtime_error("the answer could not be written");
                                               });
    EXPECT_FALSE(failed.has_value());
    EXPECT_TRUE(signals().empty());
    EXPECT_EQ(events_of("fraud_signal_raised"), 0);
    EXPECT_EQ(held_lots(), 0);
    long long blocked = 0;
    world.db.raw() << "SELECT COUNT(*) FROM cards WHERE state = 'blocked'", soci::into(blocked);
    EXPECT_EQ(blocked, 0);
    // The same purchase again, answered: the signal, its event and the block are there.
    committed(spending);
    EXPECT_EQ(signals().size(), 1U);
    EXPECT_EQ(events_of("fraud_signal_raised"), 1);
    EXPECT_EQ(held_lots(), 1);
}

TEST_F(Fraud, AReturnAfterAConfirmationTakesNothingMoreAndPointsReleasedLateDoNotExpireAtOnce) {
    watch(R"({"card_velocity": {"action": "hold", "purchases_per_hour": 1}})");
    const long long each = committed(world.purchase("J1", 900000, sara.card_number))["points"]["earned"];
    const auto first = signals(sara.id);
    ASSERT_EQ(first.size(), 1U);
    ASSERT_TRUE(world.services.fraud.review(admin, first[0].id, {core::FraudDecision::kConfirm, ""}).has_value());
    EXPECT_EQ(points(sara.id), std::make_pair(0LL, 0LL));
    // The goods come back: the points were forfeited, not spent; nothing is charged to her.
    ASSERT_TRUE(world.returns.commit(world.terminal, world.return_request("J1r", "J1", {{1, 1000}}),
                                     crypto::sha256(crypto::as_bytes("J1r")), pos::encode_purchase_answer));
    EXPECT_EQ(points(sara.id), std::make_pair(0LL, 0LL));
    long long shortfall = -1;
    world.db.raw() << "SELECT points_shortfall FROM member_accounts WHERE member_id = :m", soci::into(shortfall),
        soci::use(sara.id);
    EXPECT_EQ(shortfall, 0);

    // Reza's points wait 13 months for their review, longer than the 12 they would have lasted.
    committed(world.purchase("J2", 900000, reza.card_number));
    const auto his = signals(reza.id);
    ASSERT_EQ(his.size(), 1U);
    world.clock.set(world.clock.now() + std::chrono::days(13 * 31));
    ASSERT_TRUE(world.services.fraud.review(admin, his[0].id, {core::FraudDecision::kRelease, ""}).has_value());
    ASSERT_TRUE(world.maintenance.run_all_due().has_value());
    EXPECT_EQ(points(reza.id), std::make_pair(each, 0LL)) << "released, and not expired the moment they are his";
}

// A till's last hour against its history (terminal_outlier): one sale a day for three days makes
// its usual hour; two sales in an hour are twice that, the third more than twice: flagged once in
// the hour, about no member, her points untouched; an hour later the till is quiet again.
TEST_F(Fraud, ATillGivingFarMoreInAnHourThanItsUsualHourIsFlaggedOncePerHour) {
    long long each = 0;
    for (const char* receipt : {"U1", "U2", "U3"}) {
        each = till_sale(receipt, reza.card_number)["points"]["earned"];
        world.clock.set(world.clock.now() + std::chrono::hours(24));
    }
    ASSERT_GT(each, 0);
    // The burst at ten to the hour, so that the next hour comes while it is still in the window.
    const auto hour = std::chrono::floor<std::chrono::hours>(world.clock.now()) + std::chrono::hours(1);
    world.clock.set(hour + std::chrono::minutes(50));
    watch((R"({"terminal_outlier": {"action": "flag", "times_usual": 2, "points_min": )" + std::to_string(each) + "}}")
              .c_str());
    till_sale("B1", sara.card_number);
    till_sale("B2", sara.card_number);
    EXPECT_EQ(scan_raised(1), 0) << "at its minimum, so measured; twice its usual hour is not more than twice";
    till_sale("B3", sara.card_number);
    EXPECT_EQ(scan_raised(), 1);
    const json evidence = the_till_outlier();
    EXPECT_EQ(evidence["purchases"], 3);
    EXPECT_EQ(evidence["points"], 3 * each);
    EXPECT_EQ(evidence["usual_points_per_hour"], each);
    EXPECT_EQ(evidence["history_hours"], 3);
    EXPECT_EQ(evidence["over"], json::array({"points"}));
    EXPECT_EQ(events_of("fraud_signal_raised"), 1);
    EXPECT_EQ(points(sara.id), std::make_pair(3 * each, 0LL)) << "a till's signal holds nobody's points";

    EXPECT_EQ(scan_raised(), 0) << "once per till and hour";
    world.clock.set(hour + std::chrono::minutes(65));
    EXPECT_EQ(scan_raised(0), 0) << "a new hour, but the same burst: signalled within the last hour already, "
                                    "and its history is not read again";
    world.clock.set(hour + std::chrono::minutes(111));
    EXPECT_EQ(scan_raised(0), 0) << "its last hour is quiet";
    const auto dismissed =
        world.services.fraud.review(admin, signals()[0].id, {core::FraudDecision::kDismiss, "a sale"});
    ASSERT_TRUE(dismissed.has_value()) << dismissed.error().message;
    EXPECT_EQ(dismissed->state, core::FraudSignalState::kDismissed);
}

// The same measure for cashback (cashback_min): three days' sales under a 5% cashback rule make the
// till's usual hour; from the burst on a new rule set gives 20%, so two sales give eight times that
// hour's cashback while their points are only twice its points: flagged for cashback alone.
TEST_F(Fraud, ATillGivingFarMoreCashbackInAnHourThanItsUsualHourIsFlaggedForCashback) {
    const auto publish = [&](int percent) {
        const json document = {
            {"rules", json::array({{{"id", "base"}, {"name", "Club points"}, {"points", 1}, {"per_amount", 10000}}})},
            {"cashback", json::array({{{"id", "cb"}, {"name", "Cashback"}, {"percent", percent}}})}};
        const auto published =
            world.admin.publish_rules(world.program_id, core::RuleDocument(document), world.clock.now());
        ASSERT_TRUE(published.has_value()) << published.error().message;
    };
    publish(5);
    long long each = 0;
    long long usual = 0;
    for (const char* receipt : {"V1", "V2", "V3"}) {
        const json answer = till_sale(receipt, reza.card_number);
        each = answer["points"]["earned"];
        usual = answer["cashback"]["earned"];
        world.clock.set(world.clock.now() + std::chrono::hours(24));
    }
    ASSERT_GT(each, 0);
    ASSERT_GT(usual, 0);
    // The burst at ten to the hour, as above.
    const auto hour = std::chrono::floor<std::chrono::hours>(world.clock.now()) + std::chrono::hours(1);
    world.clock.set(hour + std::chrono::minutes(50));
    publish(20);
    watch((R"({"terminal_outlier": {"action": "flag", "times_usual": 2, "points_min": )" + std::to_string(each) +
           R"(, "cashback_min": )" + std::to_string(8 * usual) + "}}")
              .c_str());
    const json first = till_sale("C1", sara.card_number);
    ASSERT_EQ(first["cashback"]["earned"], 4 * usual) << "20% where the usual hour had 5%";
    ASSERT_EQ(first["points"]["earned"], each) << "and the same points";
    EXPECT_EQ(scan_raised(1), 0) << "at its points minimum, so measured; one sale's cashback is below the minimum";
    till_sale("C2", sara.card_number);
    EXPECT_EQ(scan_raised(), 1);
    const json evidence = the_till_outlier();
    EXPECT_EQ(evidence["over"], json::array({"cashback"})) << "twice its usual points is not more than twice";
    EXPECT_EQ(evidence["purchases"], 2);
    EXPECT_EQ(evidence["cashback"], 8 * usual);
    EXPECT_EQ(evidence["usual_cashback_per_hour"], usual);
    EXPECT_EQ(evidence["cashback_min"], 8 * usual);
    EXPECT_EQ(evidence["points"], 2 * each);
    EXPECT_EQ(evidence["usual_points_per_hour"], each);
    EXPECT_EQ(evidence["history_hours"], 3);
    EXPECT_EQ(events_of("fraud_signal_raised"), 1);
    std::string data;
    world.db.raw() << "SELECT data FROM outbox_events WHERE event_type = 'fraud_signal_raised'", soci::into(data);
    const json event = json::parse(data);
    EXPECT_EQ(event["kind"], "terminal_outlier");
    EXPECT_EQ(event["member_id"], nullptr);
    EXPECT_EQ(event["evidence"], evidence);
}

}  // namespace
}  // namespace patron
