// Triggers against a real MariaDB (issue 21), each with a known history of purchases and returns
// at the till: "3rd visit this month" tells her in her words once a month, and not for a voided
// visit; "spend over X in 30 days" gives bonus points once in any 30 days; "2 returns in a month"
// gives a coupon of a campaign, keeps nothing of an ended one; "no purchase for 45 days" tells a
// member once per lapse, not one who bought since nor one who had lapsed before the trigger was
// made; a paused trigger does nothing; an event decided twice fires once; the books stay right;
// "3rd visit this month" adds her to a segment for 30 days, at once and through refreshes until
// her days run out, and the segment cannot lose the condition or go while the trigger names it;
// a merge gives the survivor the other record's days there, the later end kept, never an earlier;
// an anniversary gives her bonus points on the day her Jalali year turns, once, a week late at most.
#include "loyalty/core/triggers.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/segments.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/insight/segment_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Triggers : public testing::VerifiedWorldTest {
  protected:
    service::EnrolledMember enrol(const std::string& name, const std::string& phone, const std::string& language) {
        std::string email = name.substr(0, name.find(' ')) + "@example.com";
        for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        core::MemberApplication application{name, phone, email, "1990-04-12", language};
        application.consents.marketing_sms = true;
        auto enrolled = world.members.enrol_unattended(world.program_id, application);
        EXPECT_TRUE(enrolled.has_value()) << (enrolled ? "" : enrolled.error().message);
        return *enrolled;
    }
    long long make(const json& document) {
        const auto decoded = core::decode_trigger_document(document);
        EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : decoded.error().message + " " + decoded.error().field);
        const auto made = world.services.triggers.create(marketer, *decoded);
        EXPECT_TRUE(made.has_value()) << (made ? "" : made.error().message);
        return made ? made->record.id : 0;
    }
    // A purchase of `amount` IRR by the card, now, at the world's till.
    void buy(const std::string& receipt, long long amount, const std::string& card) {
        committed(world.purchase(receipt, amount, card));
    }
    service::TriggerRound run() {
        const auto round = world.services.triggers.run_due(100);
        EXPECT_TRUE(round.has_value()) << (round ? "" : round.error().message);
        return round.value_or(service::TriggerRound{});
    }
    // The trigger's firings, oldest first: "member window outcome".
    std::vector<std::string> firings(long long trigger_id) {
        std::vector<std::string> found;
        soci::rowset<soci::row> rows =
            (world.db.raw().prepare << "SELECT CAST(member_id AS SIGNED), window_key, outcome FROM trigger_firings"
                                       " WHERE trigger_id = "
                                    << trigger_id << " ORDER BY id");
        for (const soci::row& row : rows) {
            found.push_back(std::to_string(row.get<long long>(0)) + " " + row.get<std::string>(1) + " " +
                            row.get<std::string>(2));
        }
        return found;
    }
    void later(std::chrono::hours hours) { world.clock.set(world.clock.now() + hours); }
    long long points(long long member_id) {
        return world.members.balance(world.program_id, member_id).value().points_available;
    }
};

const json kThirdVisit = {
    {"name", "Third visit this month"},
    {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "month"}}},
    {"action",
     {{"kind", "message"},
      {"text", {{"en", "Third visit this month: thank you!"}, {"fa", "سومین خرید این ماه: ممنونیم!"}}}}}};

TEST_F(Triggers, TheThirdVisitOfAMonthTellsHerInHerWordsOnceAMonthAndAVoidedVisitDoesNotCount) {
    const auto sara = enrol("Sara Karimi", "09123456789", "en");  // 2026-11-18, a Wednesday.
    const auto omid = enrol("Omid Rad", "09121110000", "fa");
    const long long trigger = make(kThirdVisit);
    buy("1", 100000, sara.card_number);
    buy("2", 100000, sara.card_number);
    EXPECT_EQ(run().fired, 0) << "two visits";
    // A third visit voided: still two.
    buy("3", 100000, sara.card_number);
    core::ReturnRequest voided = world.return_request("v3", "3", {});
    voided.is_void = true;
    voided.key.business_day = *core::parse_date("2026-11-22");
    ASSERT_TRUE(world.returns.commit(world.terminal, voided, crypto::sha256(crypto::as_bytes("v3")),
                                     pos::encode_purchase_answer));
    EXPECT_EQ(run().fired, 0) << "the third was voided";
    later(1h);
    buy("4", 100000, sara.card_number);
    const service::TriggerRound round = run();
    EXPECT_EQ(round.fired, 1);
    EXPECT_EQ(firings(trigger), std::vector<std::string>{std::to_string(sara.id) + " 2026-11-01 queued"});
    buy("5", 100000, sara.card_number);
    EXPECT_EQ(run().fired, 0) << "once in November";

    // Omid's three visits in Persian: his own words; Sara's message in English.
    for (const char* receipt : {"o1", "o2", "o3"}) buy(receipt, 50000, omid.card_number);
    EXPECT_EQ(run().fired, 1);
    world.clock.set(world.clock.now() + 1h);  // 12:06 UTC: outside quiet hours.
    const auto sent = world.services.messages.send_due(50);
    ASSERT_TRUE(sent.has_value());
    std::vector<std::string> texts;
    for (const service::MemberMessage& message : world.notifier.messages) {
        if (message.kind == "trigger") texts.push_back(message.to + " " + message.text);
    }
    EXPECT_EQ(texts, (std::vector<std::string>{"+989123456789 Third visit this month: thank you!",
                                               "+989121110000 \u200Fسومین خرید این ماه: ممنونیم!"}));

    // December is another window.
    world.clock.set(world.clock.now() + std::chrono::days(15));  // 2026-12-03.
    for (const char* receipt : {"d1", "d2", "d3"}) buy(receipt, 100000, sara.card_number);
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(firings(trigger).back(), std::to_string(sara.id) + " 2026-12-01 queued");
}

TEST_F(Triggers, SpendOverAnAmountInThirtyDaysGivesBonusPointsOnceInAnyThirtyDays) {
    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    const long long trigger = make({{"name", "Big spender"},
                                    {"condition", {{"kind", "spend"}, {"at_least", 1000000}, {"days", 30}}},
                                    {"action", {{"kind", "bonus_points"}, {"points", 250}}}});
    buy("1", 600000, sara.card_number);
    buy("1b", 200000, sara.card_number);
    EXPECT_EQ(run().fired, 0) << "800,000";
    // A return takes 200,000 off her spend: 600,000.
    ASSERT_TRUE(world.returns.commit(world.terminal, world.return_request("r1", "1b", {{1, 1000}}),
                                     crypto::sha256(crypto::as_bytes("r1")), pos::encode_purchase_answer));
    later(24h);
    buy("2", 300000, sara.card_number);
    EXPECT_EQ(run().fired, 0) << "900,000 net";
    const long long before = points(sara.id);
    buy("3", 200000, sara.card_number);
    EXPECT_EQ(run().fired, 1) << "1,100,000";
    EXPECT_EQ(points(sara.id), before + 20 + 250);
    later(24h * 10);
    buy("4", 2000000, sara.card_number);
    EXPECT_EQ(run().fired, 0) << "within 30 days of the bonus";
    later(24h * 25);
    buy("5", 1000000, sara.card_number);
    EXPECT_EQ(run().fired, 1) << "35 days after it: a new window";
    ASSERT_EQ(firings(trigger).size(), 2u);
    EXPECT_NE(firings(trigger)[0].find(" awarded"), std::string::npos);

    // Told to others as an adjustment by the trigger; shown to her as a bonus.
    long long adjusted = 0;
    world.db.raw() << "SELECT COUNT(*) FROM outbox_events WHERE event_type = 'points_adjusted' AND member_id = "
                   << sara.id << " AND JSON_VALUE(data, '$.source') = 'trigger' AND JSON_VALUE(data, '$.points') = 250",
        soci::into(adjusted);
    EXPECT_EQ(adjusted, 2);
    const auto earned = world.members.history_list(world.program_id, sara.id, core::HistoryList::kEarned, 0, 50);
    ASSERT_TRUE(earned.has_value());
    EXPECT_EQ(std::count(earned->descriptions.begin(), earned->descriptions.end(), "Bonus: 250 points"), 2)
        << "in her language: " << ::testing::PrintToString(earned->descriptions);
}

TEST_F(Triggers, AnAnniversaryGivesBonusPointsOnceOnTheDayHerJalaliYearTurnsAndAWeekLateAtMost) {
    using testing::utc;
    // The programme is Persian: years are Jalali. Sara enrols on 1 January 2025 (12 Dey 1403);
    // 1403 was a leap year, so her first anniversary is 2 January 2026 (12 Dey 1404), a day after
    // her Gregorian one. Omid enrols on 1 June 2025 (11 Khordad 1404): his is 1 June 2026.
    world.clock.set(utc("2025-01-01", 10));
    const auto sara = enrol("Sara Karimi", "09123456789", "fa");
    world.clock.set(utc("2025-06-01", 10));
    const auto omid = enrol("Omid Rad", "09121110000", "fa");
    world.clock.set(utc("2025-12-31", 12));
    const long long trigger = make({{"name", "Club birthday"},
                                    {"condition", {{"kind", "anniversary"}, {"years", {1, 5}}}},
                                    {"action", {{"kind", "bonus_points"}, {"points", 250}}}});
    // Each round looks at one day at most: a few rounds reach today.
    const auto rounds = [&] {
        int fired = 0;
        for (int i = 0; i < 10; ++i) fired += run().fired;
        return fired;
    };
    EXPECT_EQ(rounds(), 0) << "31 December";
    world.clock.set(utc("2026-01-01", 12));
    EXPECT_EQ(rounds(), 0) << "her Gregorian anniversary, not her Jalali one";
    world.clock.set(utc("2026-01-02", 12));
    EXPECT_EQ(rounds(), 1);
    EXPECT_EQ(points(sara.id), 250);
    EXPECT_EQ(firings(trigger), std::vector<std::string>{std::to_string(sara.id) + " year 1 awarded"});
    world.clock.set(utc("2026-01-03", 12));
    EXPECT_EQ(rounds(), 0) << "once";
    // No round from January to 4 June: a week back is looked at, and Omid's day is in it.
    world.clock.set(utc("2026-06-04", 12));
    EXPECT_EQ(rounds(), 1);
    EXPECT_EQ(points(omid.id), 250);
    // Sara's second year is not one the trigger names.
    world.clock.set(utc("2027-01-02", 12));
    EXPECT_EQ(rounds(), 0);
    EXPECT_EQ(firings(trigger).size(), 2u);
    // Nor does a day long missed come back: a trigger made today tells from today on.
    const long long every = make({{"name", "Every year"},
                                  {"condition", {{"kind", "anniversary"}}},
                                  {"action", {{"kind", "bonus_points"}, {"points", 10}}}});
    EXPECT_EQ(rounds(), 1) << "Sara's second year, today";
    EXPECT_EQ(firings(every), std::vector<std::string>{std::to_string(sara.id) + " year 2 awarded"});
}

TEST_F(Triggers, TwoReturnsInAMonthGiveACouponOfTheCampaignAndNothingOnceItHasEnded) {
    const auto made = coupons.create(
        marketer,
        core::decode_coupon_campaign_document(json{{"name", "Sorry"}, {"type", "percent_off_basket"}, {"percent", 10}})
            .value());
    ASSERT_TRUE(made.has_value());
    // A draft campaign is refused by its path.
    const auto draft = world.services.triggers.create(
        marketer,
        core::decode_trigger_document(json{{"name", "Returns"},
                                           {"condition", {{"kind", "returns"}, {"at_least", 2}, {"period", "month"}}},
                                           {"action", {{"kind", "coupon"}, {"campaign_id", made->id}}}})
            .value());
    ASSERT_FALSE(draft.has_value());
    EXPECT_EQ(draft.error().field, "action.campaign_id");
    ASSERT_TRUE(coupons.publish(marketer, made->id).has_value());
    const long long trigger = make({{"name", "Returns"},
                                    {"condition", {{"kind", "returns"}, {"at_least", 2}, {"period", "month"}}},
                                    {"action", {{"kind", "coupon"}, {"campaign_id", made->id}}}});
    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    buy("1", 300000, sara.card_number);
    buy("2", 300000, sara.card_number);
    ASSERT_TRUE(world.returns.commit(world.terminal, world.return_request("r1", "1", {{1, 1000}}),
                                     crypto::sha256(crypto::as_bytes("r1")), pos::encode_purchase_answer));
    EXPECT_EQ(run().fired, 0) << "one return";
    ASSERT_TRUE(world.returns.commit(world.terminal, world.return_request("r2", "2", {{1, 1000}}),
                                     crypto::sha256(crypto::as_bytes("r2")), pos::encode_purchase_answer));
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(firings(trigger), std::vector<std::string>{std::to_string(sara.id) + " 2026-11-01 issued"});
    const auto codes = coupons.codes(marketer, made->id).value();
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].member_id, sara.id);
    long long issued = 0;
    world.db.raw() << "SELECT COUNT(*) FROM outbox_events WHERE event_type = 'coupon_issued' AND member_id = "
                   << sara.id << " AND JSON_VALUE(data, '$.source') = 'trigger'",
        soci::into(issued);
    EXPECT_EQ(issued, 1);

    // December: the campaign has ended, so the firing gives nothing and says so.
    ASSERT_TRUE(coupons.end(marketer, made->id).has_value());
    world.clock.set(world.clock.now() + std::chrono::days(15));
    buy("3", 300000, sara.card_number);
    buy("4", 300000, sara.card_number);
    for (const char* receipt : {"3", "4"}) {
        ASSERT_TRUE(world.returns.commit(
            world.terminal, world.return_request(std::string("r") + receipt, receipt, {{1, 1000}}),
            crypto::sha256(crypto::as_bytes(std::string("r") + receipt)), pos::encode_purchase_answer));
    }
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(firings(trigger).back(), std::to_string(sara.id) + " 2026-12-01 campaign_over");
    EXPECT_EQ(coupons.codes(marketer, made->id).value().size(), 1u);
}

TEST_F(Triggers, NoPurchaseForFortyFiveDaysTellsAMemberOncePerLapseAndNotOneWhoBoughtSince) {
    const auto early = enrol("Omid Rad", "09121110000", "fa");
    buy("o1", 100000, early.card_number);  // Lapses before the trigger is made: never told.
    world.clock.set(world.clock.now() + std::chrono::days(50));
    const long long trigger = make({{"name", "Win back"},
                                    {"condition", {{"kind", "no_purchase"}, {"days", 45}}},
                                    {"action", {{"kind", "bonus_points"}, {"points", 100}}}});
    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    const auto john = enrol("John Smith", "09351112233", "en");
    buy("s1", 100000, sara.card_number);
    buy("j1", 100000, john.card_number);
    world.clock.set(world.clock.now() + std::chrono::days(20));
    buy("j2", 100000, john.card_number);
    world.clock.set(world.clock.now() + std::chrono::days(24));  // Sara: 44 days.
    EXPECT_EQ(run().fired, 0);
    world.clock.set(world.clock.now() + std::chrono::days(2));  // Sara: 46 days, John: 26.
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(run().fired, 0) << "once per lapse";
    ASSERT_EQ(firings(trigger).size(), 1u);
    EXPECT_EQ(firings(trigger)[0].substr(0, firings(trigger)[0].find(' ')), std::to_string(sara.id));
    EXPECT_EQ(points(sara.id), 10 + 100);
    world.clock.set(world.clock.now() + std::chrono::days(20));  // John: 46 days.
    EXPECT_EQ(run().fired, 1);
    // Sara comes back, then lapses again: a new lapse, told again.
    buy("s2", 100000, sara.card_number);
    world.clock.set(world.clock.now() + std::chrono::days(46));
    EXPECT_EQ(run().fired, 1) << "Sara's second lapse; John's is told already";
    std::vector<long long> told;
    for (const std::string& firing : firings(trigger)) told.push_back(std::stoll(firing.substr(0, firing.find(' '))));
    EXPECT_EQ(told, (std::vector<long long>{sara.id, john.id, sara.id})) << "not Omid, who lapsed before";
}

TEST_F(Triggers, APausedTriggerDoesNothingAnEndedOneCannotChangeAndAnEventDecidedTwiceFiresOnce) {
    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    const long long trigger = make(kThirdVisit);
    ASSERT_TRUE(world.services.triggers.set_state(marketer, trigger, core::TriggerState::kPaused));
    for (const char* receipt : {"1", "2", "3"}) buy(receipt, 100000, sara.card_number);
    EXPECT_EQ(run().fired, 0) << "paused";
    ASSERT_TRUE(world.services.triggers.set_state(marketer, trigger, core::TriggerState::kActive));
    buy("4", 100000, sara.card_number);
    EXPECT_EQ(run().fired, 1) << "four visits once resumed";
    // Every event decided again (another instance, a lease lapsed mid-round): nothing twice.
    world.db.raw() << "UPDATE outbox_events SET triggers_seen = 0";
    EXPECT_EQ(run().fired, 0);
    EXPECT_EQ(firings(trigger).size(), 1u);
    const auto view = world.services.triggers.get(marketer, trigger);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->counts.firings, 1);
    EXPECT_EQ(view->recent.size(), 1u);
    EXPECT_EQ(view->record.version, 3) << "paused and resumed";

    ASSERT_TRUE(world.services.triggers.set_state(marketer, trigger, core::TriggerState::kEnded));
    const auto again = world.services.triggers.set_state(marketer, trigger, core::TriggerState::kActive);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, core::ErrorCode::kNotAvailable);
    // Analysts read, and only read.
    const service::StaffIdentity analyst{world.program_id, "Ali", core::StaffRole::kAnalyst};
    EXPECT_TRUE(world.services.triggers.list(analyst).has_value());
    EXPECT_EQ(world.services.triggers.create(analyst, core::decode_trigger_document(kThirdVisit).value()).error().code,
              core::ErrorCode::kForbidden);
    long long audited = 0;
    world.db.raw() << "SELECT COUNT(*) FROM audit_log WHERE action IN ('trigger.create', 'trigger.change')"
                      " AND entity_id = "
                   << trigger,
        soci::into(audited);
    EXPECT_EQ(audited, 4);
}

TEST_F(Triggers, TwoBonusesOnOnePurchaseEachTellHerBalanceAfterItAndTheBooksAgree) {
    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    make({{"name", "Any visit"},
          {"condition", {{"kind", "visits"}, {"at_least", 1}, {"days", 1}}},
          {"action", {{"kind", "bonus_points"}, {"points", 100}}}});
    make({{"name", "Spend today"},
          {"condition", {{"kind", "spend"}, {"at_least", 100000}, {"days", 1}}},
          {"action", {{"kind", "bonus_points"}, {"points", 250}}}});
    buy("1", 200000, sara.card_number);  // 20 points.
    EXPECT_EQ(run().fired, 2);
    EXPECT_EQ(points(sara.id), 20 + 100 + 250);
    std::vector<long long> told;
    soci::rowset<soci::row> rows =
        (world.db.raw().prepare << "SELECT CAST(JSON_VALUE(data, '$.points_available') AS SIGNED) FROM outbox_events"
                                   " WHERE event_type = 'points_adjusted' AND member_id = "
                                << sara.id << " ORDER BY id");
    for (const soci::row& row : rows) told.push_back(row.get<long long>(0));
    EXPECT_EQ(told, (std::vector<long long>{120, 370})) << "each after the one before";
}

TEST_F(Triggers, ATriggerRaisesAFraudSignalOncePerWindowAndItsHoldKeepsTheNextBonusWaiting) {
    const long long returns = make({{"name", "Two returns a month"},
                                    {"condition", {{"kind", "returns"}, {"at_least", 2}, {"period", "month"}}},
                                    {"action", {{"kind", "fraud_signal"}, {"policy", "hold"}}}});
    make({{"name", "Any visit"},
          {"condition", {{"kind", "visits"}, {"at_least", 1}, {"days", 1}}},
          {"action", {{"kind", "bonus_points"}, {"points", 100}}}});
    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    buy("1", 300000, sara.card_number);
    buy("2", 300000, sara.card_number);
    EXPECT_EQ(run().fired, 1) << "a visit's bonus, once today";
    for (const char* receipt : {"1", "2"}) {
        ASSERT_TRUE(world.returns.commit(
            world.terminal, world.return_request(std::string("r") + receipt, receipt, {{1, 1000}}),
            crypto::sha256(crypto::as_bytes(std::string("r") + receipt)), pos::encode_purchase_answer));
    }
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(firings(returns), std::vector<std::string>{std::to_string(sara.id) + " 2026-11-01 raised"});
    const service::StaffIdentity support{world.program_id, "Nima (support)", core::StaffRole::kSupport};
    const auto raised = world.services.fraud.signals(support, {}).value().signals;
    ASSERT_EQ(raised.size(), 1U);
    EXPECT_EQ(raised[0].kind, core::FraudKind::kTrigger);
    EXPECT_EQ(raised[0].action, core::FraudAction::kHold);
    EXPECT_EQ(json::parse(raised[0].evidence)["trigger_id"], returns);

    // The next day's visit: its points and its bonus wait for the review.
    world.clock.set(world.clock.now() + std::chrono::days(1));
    const long long before = points(sara.id);
    buy("3", 300000, sara.card_number);
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(points(sara.id), before);
    const auto held = world.services.fraud.signal(support, raised[0].id).value();
    EXPECT_EQ(held.points_held, 30 + 100);
    ASSERT_TRUE(world.services.fraud.review(support, raised[0].id, {core::FraudDecision::kDismiss, ""}).has_value());
    EXPECT_EQ(points(sara.id), before + 30 + 100);
}

TEST_F(Triggers, TheThirdVisitOfAMonthAddsHerToASegmentAtOnceUntilHerThirtyDaysRunOut) {
    const auto segment_of = [&](const json& conditions) {
        const auto decoded =
            core::decode_segment_document({{"code", "regulars"}, {"name", "Regulars"}, {"conditions", conditions}});
        EXPECT_TRUE(decoded.has_value());
        return *decoded;
    };
    ASSERT_TRUE(world.services.segments.create(marketer, segment_of({{"tiers", {"Bronze"}}})).has_value());
    const json document = {{"name", "Regulars"},
                           {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "month"}}},
                           {"action", {{"kind", "segment"}, {"segment", "regulars"}, {"days", 30}}}};
    const auto decoded = core::decode_trigger_document(document);
    ASSERT_TRUE(decoded.has_value());
    const auto without = world.services.triggers.create(marketer, *decoded);
    ASSERT_FALSE(without.has_value()) << "an addition would change nobody's membership";
    EXPECT_EQ(without.error().field, "action.segment");
    ASSERT_TRUE(
        world.services.segments.replace(marketer, "regulars", segment_of({{"added_by_trigger", true}})).has_value());
    const long long trigger = make(document);

    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    const auto omid = enrol("Omid Rad", "09121110000", "fa");
    const auto segments_of = [&](long long member_id) {
        return store::member_segment_codes(world.db.raw(), member_id);
    };
    for (const char* receipt : {"1", "2"}) buy(receipt, 100000, sara.card_number);
    for (const char* receipt : {"o1", "o2"}) buy(receipt, 100000, omid.card_number);
    EXPECT_EQ(run().fired, 0);
    buy("3", 100000, sara.card_number);
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(firings(trigger), std::vector<std::string>{std::to_string(sara.id) + " 2026-11-01 added"});
    EXPECT_EQ(segments_of(sara.id), std::vector<std::string>{"regulars"}) << "the till sees it at once";
    EXPECT_TRUE(segments_of(omid.id).empty());

    // A refresh keeps her while her days last, and counts her.
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_EQ(segments_of(sara.id), std::vector<std::string>{"regulars"});
    EXPECT_TRUE(segments_of(omid.id).empty());
    EXPECT_EQ(world.services.segments.get(marketer, "regulars")->record.members, 1);
    EXPECT_EQ(world.services.segments.count_of(marketer, "regulars")->members, 1);

    // While the trigger names it, the segment neither goes nor loses the condition.
    const auto deleted = world.services.segments.remove(marketer, "regulars");
    ASSERT_FALSE(deleted.has_value());
    EXPECT_NE(deleted.error().message.find("trigger " + std::to_string(trigger)), std::string::npos)
        << deleted.error().message;
    const auto dropped = world.services.segments.replace(marketer, "regulars", segment_of({{"tiers", {"Bronze"}}}));
    ASSERT_FALSE(dropped.has_value());
    EXPECT_EQ(dropped.error().field, "conditions.added_by_trigger");

    // With another condition too, an added member who does not meet it is out.
    ASSERT_TRUE(world.services.segments
                    .replace(marketer, "regulars", segment_of({{"added_by_trigger", true}, {"tiers", {"Gold"}}}))
                    .has_value());
    later(1h);  // A refresh keeps what was written at its own instant or after.
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_TRUE(segments_of(sara.id).empty()) << "added, but not Gold";
    ASSERT_TRUE(
        world.services.segments.replace(marketer, "regulars", segment_of({{"added_by_trigger", true}})).has_value());

    // December's third visit moves her days on from then; after they run out, the refresh takes her out.
    world.clock.set(world.clock.now() + std::chrono::days(15));  // 2026-12-03.
    for (const char* receipt : {"d1", "d2", "d3"}) buy(receipt, 100000, sara.card_number);
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(segments_of(sara.id), std::vector<std::string>{"regulars"});
    world.clock.set(world.clock.now() + std::chrono::days(29));
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_EQ(segments_of(sara.id), std::vector<std::string>{"regulars"}) << "a day left of December's 30";
    world.clock.set(world.clock.now() + std::chrono::days(2));
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_TRUE(segments_of(sara.id).empty()) << "her days ran out";
    EXPECT_EQ(world.services.triggers.forget_ended_additions().value(), 1);

    // Once the trigger has ended, the segment may go.
    ASSERT_TRUE(world.services.triggers.set_state(marketer, trigger, core::TriggerState::kEnded).has_value());
    EXPECT_TRUE(world.services.segments.remove(marketer, "regulars").has_value());
}

TEST_F(Triggers, AMergeGivesTheSurvivorTheOtherRecordsSegmentDaysAndTheLaterEndStays) {
    ASSERT_TRUE(world.services.segments
                    .create(marketer,
                            core::decode_segment_document(
                                {{"code", "picked"}, {"name", "Picked"}, {"conditions", {{"added_by_trigger", true}}}})
                                .value())
                    .has_value());
    const long long trigger = make({{"name", "Any visit"},
                                    {"condition", {{"kind", "visits"}, {"at_least", 1}, {"days", 1}}},
                                    {"action", {{"kind", "segment"}, {"segment", "picked"}, {"days", 30}}}});
    const auto sara = enrol("Sara Karimi", "09123456789", "en");
    const auto again = enrol("Saba Karimi", "09350001111", "en");  // Her second record, its own e-mail.
    const auto until_of = [&](long long member_id) {
        std::string until;
        world.db.raw() << "SELECT DATE_FORMAT(until, '%Y-%m-%d') FROM segment_additions WHERE member_id = :member",
            soci::into(until), soci::use(member_id);
        return world.db.raw().got_data() ? until : std::string("none");
    };
    buy("a1", 100000, again.card_number);  // 2026-11-18: until 2026-12-18.
    EXPECT_EQ(run().fired, 1);
    world.clock.set(world.clock.now() + std::chrono::days(10));
    buy("s1", 100000, sara.card_number);  // 2026-11-28: until 2026-12-28.
    EXPECT_EQ(run().fired, 1);
    EXPECT_EQ(until_of(again.id), "2026-12-18");
    EXPECT_EQ(until_of(sara.id), "2026-12-28");

    // Merged either way, the later end stays and the record merged in has none left.
    const service::StaffIdentity support{world.program_id, "Nima (support)", core::StaffRole::kSupport};
    ASSERT_TRUE(world.services.merges.merge(support, again.id, sara.id).has_value());
    EXPECT_EQ(until_of(again.id), "2026-12-28") << "the later end, from the record merged in";
    EXPECT_EQ(until_of(sara.id), "none");
    EXPECT_EQ(firings(trigger).size(), 2U);
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_EQ(store::member_segment_codes(world.db.raw(), again.id), std::vector<std::string>{"picked"});
}

}  // namespace
}  // namespace patron
