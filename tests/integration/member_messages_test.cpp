// Messages to members against a real MariaDB (issue 21): queued with the event they tell of (none
// for a change rolled back), sent through the notifier in the member's language by the channel her
// consents allow, skipped with the reason otherwise; put off in the quiet hours and sent when they
// end, in her own time zone when she gave one; put off past the weekly cap until a place frees
// (points about to expire go past it only when the programme lets warnings do so); tried
// again when the gateway is down, then given up; skipped for a member erased meanwhile or points
// whose last day has gone; and told of what purchases, a void and the points announcement raise.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "crypto/envelope.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/events/member_message_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/members/member_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class MemberMessages : public ::testing::Test {
  protected:
    service::EnrolledMember enrol(const std::string& name, const std::string& phone, const std::string& email,
                                  const std::string& language, bool sms, bool mail) {
        core::MemberApplication application{name, phone, email, "1990-04-12", language};
        application.consents.marketing_sms = sms;
        application.consents.marketing_email = mail;
        auto enrolled = world.members.enrol_unattended(world.program_id, application);
        EXPECT_TRUE(enrolled.has_value()) << (enrolled ? "" : enrolled.error().message);
        return *enrolled;
    }
    // An event about the member, committed as the services commit theirs (or rolled back).
    void raise(core::EventType type, long long member_id, json data, bool commit = true) {
        const auto done = world.db.database().transact([&](soci::session& sql) -> core::Result<void> {
            store::add_events(sql, {core::Event{type, 1, world.program_id, member_id, world.clock.now(), data}});
            if (!commit) return core::fail(core::ErrorCode::kUnavailable, "rolled back");
            return {};
        });
        EXPECT_EQ(done.has_value(), commit);
    }
    service::MessageRound send() {
        const auto round = world.services.messages.send_due(50);
        EXPECT_TRUE(round.has_value()) << (round ? "" : round.error().message);
        return *round;
    }
    // The member's messages, oldest first: kind, state and reason.
    std::vector<std::string> states(long long member_id) {
        std::vector<std::string> found;
        soci::rowset<soci::row> rows =
            (world.db.raw().prepare << "SELECT kind, state, COALESCE(reason, '') FROM member_messages"
                                       " WHERE member_id = "
                                    << member_id << " ORDER BY id");
        for (const soci::row& row : rows) {
            found.push_back(row.get<std::string>(0) + " " + row.get<std::string>(1) +
                            (row.get<std::string>(2).empty() ? "" : " " + row.get<std::string>(2)));
        }
        return found;
    }
    // Bronze from 0 points, Silver from 100, Gold from 300 in a rolling year; one step down.
    void set_tiers() {
        const auto tiers = core::decode_tier_policy(json::parse(R"({"measure": "points", "window": {"kind":
            "rolling", "months": 12}, "downgrade": "one_step", "grace_days": 30, "tiers": [{"name": "Bronze",
            "threshold": 0}, {"name": "Silver", "threshold": 100}, {"name": "Gold", "threshold": 300}]})"));
        ASSERT_TRUE(tiers.has_value());
        ASSERT_TRUE(world.tiers.set_policy({world.program_id, "Mina", core::StaffRole::kMarketer}, *tiers));
    }
    void set_policy(core::MessagePolicy policy) {
        ASSERT_TRUE(world.db.database().run([&](soci::session& sql) -> core::Result<void> {
            store::set_message_policy(sql, world.program_id, policy);
            return {};
        }));
    }
    void at_utc(int hour, int minute = 0) {
        const auto day = std::chrono::floor<std::chrono::days>(world.clock.now());
        world.clock.set(day + std::chrono::hours(hour) + std::chrono::minutes(minute));
    }

    testing::TestWorld world;  // Its programme "Test Club" speaks Persian, in UTC; 11:06 now.
};

TEST_F(MemberMessages, AWelcomeGoesInHerLanguageByTheChannelHerConsentsAllowAndToNobodyWithout) {
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "fa", true, true);
    const auto john = enrol("John Smith", "09351112233", "john@example.com", "en", false, true);
    const auto omid = enrol("Omid Rad", "09121110000", "omid@example.ir", "fa", false, false);
    const service::MessageRound round = send();
    EXPECT_EQ(round.sent, 2);
    EXPECT_EQ(round.skipped, 1);
    ASSERT_EQ(world.notifier.messages.size(), 2u);
    const service::MemberMessage& to_sara = world.notifier.messages[0];
    EXPECT_EQ(to_sara.channel, "sms");
    EXPECT_EQ(to_sara.to, "+989123456789");
    EXPECT_EQ(to_sara.kind, "welcome");
    EXPECT_EQ(to_sara.language, "fa");
    EXPECT_EQ(to_sara.program, "TEST");
    EXPECT_EQ(to_sara.text,
              "\u200Fبه Test Club خوش آمدید! از خرید بعدی با کارت خود امتیاز می‌گیرید. موجودی "
              "و "
              "جایزه‌هایتان "
              "را در پورتال اعضا ببینید.");
    const service::MemberMessage& to_john = world.notifier.messages[1];
    EXPECT_EQ(to_john.channel, "email") << "no SMS consent";
    EXPECT_EQ(to_john.to, "john@example.com");
    EXPECT_EQ(to_john.subject, "Welcome to Test Club");
    EXPECT_EQ(states(sara.id), std::vector<std::string>{"welcome sent"});
    EXPECT_EQ(states(omid.id), std::vector<std::string>{"welcome skipped no_consent"});
    EXPECT_EQ(send().sent, 0) << "nothing twice";

    // A change rolled back tells nothing; an event no member is told of makes no message.
    raise(core::EventType::kTierChanged, sara.id, {{"to", "Gold"}, {"direction", "upgrade"}}, false);
    raise(core::EventType::kTierChanged, sara.id, {{"to", "Silver"}, {"direction", "downgrade"}});
    EXPECT_EQ(states(sara.id).size(), 1u);
    (void)john;
}

TEST_F(MemberMessages, AtNightAMessageWaitsForTheMorningInTheProgrammesZone) {
    at_utc(22, 15);
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "fa", true, false);
    const service::MessageRound night = send();
    EXPECT_EQ(night.deferred, 1);
    EXPECT_TRUE(world.notifier.messages.empty());
    EXPECT_EQ(states(sara.id), std::vector<std::string>{"welcome pending quiet_hours"});
    at_utc(23, 59);
    EXPECT_EQ(send().deferred, 0) << "not due again before the morning";
    world.clock.set(world.clock.now() + 9h + 1min);  // 09:00 the next day.
    EXPECT_EQ(send().sent, 1);
    ASSERT_EQ(world.notifier.messages.size(), 1u);
    EXPECT_EQ(states(sara.id), std::vector<std::string>{"welcome sent"});
}

// A member who gave her time zone is not messaged in her night, though it is day at the programme,
// and is messaged in her morning, though it is night there; one who gave none keeps the programme's.
TEST_F(MemberMessages, AMemberWhoGaveHerTimeZoneIsToldInHerDayNotTheProgrammes) {
    at_utc(22, 30);  // Night in the programme's UTC; 09:30 the next morning in Sydney (UTC+11 in its summer).
    const auto far = enrol("Sara Karimi", "09123456789", "sara@example.ir", "en", true, false);
    const auto home = enrol("John Smith", "09351112233", "john@example.com", "en", true, false);
    const service::StaffIdentity support{world.program_id, "Ali (support)", core::StaffRole::kSupport};
    ASSERT_TRUE(
        world.members.update(support, far.id, core::decode_member_update(json{{"time_zone", "Australia/Sydney"}})));
    const service::MessageRound night = send();
    EXPECT_EQ(night.sent, 1);
    EXPECT_EQ(night.deferred, 1);
    EXPECT_EQ(states(far.id), std::vector<std::string>{"welcome sent"}) << "her morning";
    EXPECT_EQ(states(home.id), std::vector<std::string>{"welcome pending quiet_hours"}) << "the programme's night";

    // 10:00 UTC: the programme's day, 21:00 in Sydney: her night.
    world.clock.set(world.clock.now() + 11h + 30min);
    raise(core::EventType::kCouponIssued, far.id, {{"campaign_id", 1}, {"source", "staff"}});
    const service::MessageRound day = send();
    EXPECT_EQ(day.sent, 1) << "John's welcome";
    EXPECT_EQ(day.deferred, 1);
    EXPECT_EQ(states(far.id).back(), "coupon_issued pending quiet_hours");
    EXPECT_EQ(states(home.id), std::vector<std::string>{"welcome sent"});
    // Her quiet hours end at 09:00 in Sydney, 22:00 UTC: not before.
    at_utc(21, 59);
    EXPECT_EQ(send().sent, 0);
    at_utc(22, 1);
    EXPECT_EQ(send().sent, 1);
    EXPECT_EQ(states(far.id).back(), "coupon_issued sent");

    // A zone the tz database does not know is refused, named by its field.
    const auto refused =
        world.members.update(support, far.id, core::decode_member_update(json{{"time_zone", "Mars/Olympus"}}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "time_zone");

    // A zone she chose that the zone database has since dropped (sealed here as a newer tzdata
    // would leave it): her other changes are still taken, the zone kept, and her messages keep
    // the programme's night.
    const auto member = store::find_member(world.db.raw(), far.id);
    ASSERT_TRUE(member);
    auto profile = service::open_profile(world.keys, *member);
    ASSERT_TRUE(profile);
    profile->time_zone = "Mars/Olympus";
    const auto key = crypto::unwrap_data_key(world.keys, member->data_key, service::data_key_binding(far.id));
    ASSERT_TRUE(key);
    store::store_sealed_profile(world.db.raw(), far.id, member->data_key,
                                service::seal_profile(*key, far.id, *profile, world.random), world.clock.now());
    // As the portal saves: every field, her zone as it was.
    const auto moved = world.members.update(
        support, far.id, core::decode_member_update(json{{"city", "Perth"}, {"time_zone", "Mars/Olympus"}}));
    ASSERT_TRUE(moved) << moved.error().message;
    ASSERT_TRUE(moved->profile);
    EXPECT_EQ(moved->profile->time_zone, "Mars/Olympus");
    // The programme moved to Tehran: at 19:00 UTC it is 22:30 there, night, while UTC's day.
    world.db.raw() << "UPDATE programs SET time_zone = 'Asia/Tehran' WHERE id = " << world.program_id;
    world.clock.set(world.clock.now() + 21h);  // 19:01 UTC the next day.
    raise(core::EventType::kCouponIssued, far.id, {{"campaign_id", 2}, {"source", "staff"}});
    EXPECT_EQ(send().deferred, 1);
    EXPECT_EQ(states(far.id).back(), "coupon_issued pending quiet_hours") << "the programme's night, not UTC's day";
}

TEST_F(MemberMessages, PastTheWeeklyCapAMessageWaitsForAPlaceAndWarningsDoNotOnlyWhenTheProgrammeSaysSo) {
    set_policy(core::MessagePolicy{2, 21, 9, true});
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "en", true, false);
    ASSERT_EQ(send().sent, 1);  // The welcome.
    world.clock.set(world.clock.now() + 1h);
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 1}, {"source", "segment"}});
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 2}, {"source", "staff"}});
    raise(core::EventType::kPointsExpiring, sara.id, {{"points", 1}, {"last_day", "2026-11-25"}});
    const service::MessageRound round = send();
    EXPECT_EQ(round.sent, 2);
    EXPECT_EQ(round.deferred, 1);
    // The staff's coupon (about her own account) went before the segment's, and the points about
    // to expire went past the cap, as the programme lets warnings: the one message she would most
    // regret missing.
    EXPECT_EQ(states(sara.id), (std::vector<std::string>{"welcome sent", "coupon_issued pending weekly_cap",
                                                         "coupon_issued sent", "points_expiring sent"}));
    EXPECT_EQ(world.notifier.messages[1].text, "You have a new coupon at Test Club. See it in the member portal.");
    EXPECT_EQ(world.notifier.messages[2].text,
              "Your 1 point at Test Club expires after 25 November 2026. Use it by then.");
    // Three in the week with a cap of 2: a place frees when two have left it, a week after the
    // second (the staff's coupon, an hour after the welcome), not a week after the welcome.
    long long wait = 0;
    world.db.raw() << "SELECT TIMESTAMPDIFF(SECOND, (SELECT sent_at FROM member_messages WHERE member_id = " << sara.id
                   << " AND kind = 'coupon_issued' AND state = 'sent'), due_at) FROM member_messages"
                   << " WHERE member_id = " << sara.id << " AND state = 'pending'",
        soci::into(wait);
    EXPECT_EQ(wait, 7 * 24 * 3600);
    world.clock.set(world.clock.now() + std::chrono::days(7) - 1s);
    EXPECT_EQ(send().sent, 0) << "not before the staff's coupon leaves the week";
    world.clock.set(world.clock.now() + 2s);
    EXPECT_EQ(send().sent, 1) << "then the segment's coupon goes";
    EXPECT_EQ(states(sara.id)[1], "coupon_issued sent");

    // Without the programme's word (the default), a warning waits for a place like any message:
    // never more than the cap in any 7 days.
    set_policy(core::MessagePolicy{1, 21, 9});
    raise(core::EventType::kPointsExpiring, sara.id, {{"points", 5}, {"last_day", "2027-11-25"}});
    const service::MessageRound capped = send();
    EXPECT_EQ(capped.sent, 0);
    EXPECT_EQ(capped.deferred, 1);
    EXPECT_EQ(states(sara.id).back(), "points_expiring pending weekly_cap");
    world.db.raw() << "DELETE FROM member_messages WHERE member_id = " << sara.id << " AND state = 'pending'";

    // One that would wait more than 14 days after it was made is not sent at all.
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 3}, {"source", "segment"}});
    world.db.raw() << "UPDATE member_messages SET created_at = created_at - INTERVAL 10 DAY WHERE member_id = "
                   << sara.id << " AND state = 'pending'";
    EXPECT_EQ(send().skipped, 1);
    EXPECT_EQ(states(sara.id).back(), "coupon_issued skipped weekly_cap");

    // A cap of 0: the programme messages nobody.
    set_policy(core::MessagePolicy{0, 21, 9});
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 4}, {"source", "segment"}});
    EXPECT_EQ(send().skipped, 1);
    EXPECT_EQ(states(sara.id).back(), "coupon_issued skipped messages_off");
}

TEST_F(MemberMessages, AGatewayThatIsDownGetsTheMessageLaterAndOneThatStaysDownIsGivenUp) {
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "fa", true, false);
    world.notifier.failing = true;
    EXPECT_EQ(send().retrying, 1);
    EXPECT_EQ(send().retrying, 0) << "not due again for a minute";
    world.clock.set(world.clock.now() + 61s);
    EXPECT_EQ(send().retrying, 1);
    world.notifier.failing = false;
    world.clock.set(world.clock.now() + 121s);
    EXPECT_EQ(send().sent, 1);
    EXPECT_EQ(states(sara.id), std::vector<std::string>{"welcome sent"}) << "the failure before is not its reason";

    // Down for good: six tries over half an hour, then failed.
    raise(core::EventType::kStampCardCompleted, sara.id, {{"name", "Coffee"}, {"rewards", 1}});
    world.notifier.failing = true;
    int tries = 0;
    for (int minute = 0; minute < 60; ++minute) {
        const service::MessageRound round = send();
        tries += round.retrying + round.failed;
        world.clock.set(world.clock.now() + 1min);
    }
    EXPECT_EQ(tries, service::kMessageAttemptsMax);
    EXPECT_EQ(states(sara.id).back(), "stamp_card_completed failed notifier");
}

TEST_F(MemberMessages, AGatewayThatFailsThreeTimesInARowStopsTheRoundAndTheRestWaitAMinute) {
    for (int i = 0; i < 5; ++i) {
        enrol("Member " + std::to_string(i), "0912000000" + std::to_string(i), "m" + std::to_string(i) + "@example.ir",
              "fa", true, false);
    }
    world.notifier.failing = true;
    const service::MessageRound down = send();
    EXPECT_EQ(down.retrying, 3) << "three tries, then the round stops";
    EXPECT_EQ(down.deferred, 2) << "the rest left for a minute later, no attempt counted";
    world.notifier.failing = false;
    EXPECT_EQ(send().sent, 0) << "not due again at once";
    world.clock.set(world.clock.now() + 61s);
    EXPECT_EQ(send().sent, 5) << "the three tried again and the two left, a minute on";
    long long attempts = 0;
    world.db.raw() << "SELECT COALESCE(SUM(attempts), 0) FROM member_messages", soci::into(attempts);
    EXPECT_EQ(attempts, 3 * 2 + 2) << "the three failed once then went; the two went at their first try";
}

// What happens while a message is in the gateway's hands: a void of its purchase does not undo the
// record that it went; a message another sender took meanwhile is not sent twice; and a stop ends
// the round before the next message, leaving the rest due for another instance.
TEST_F(MemberMessages, WhatHappensWhileAMessageIsBeingSentIsHeeded) {
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "en", true, false);
    ASSERT_EQ(send().sent, 1);
    raise(core::EventType::kStampCardCompleted, sara.id, {{"name", "Coffee"}, {"rewards", 1}, {"purchase_id", 777}});
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 1}, {"source", "staff"}});
    int calls = 0;
    world.notifier.on_send = [&] {
        if (++calls > 1) return;
        raise(core::EventType::kPurchaseVoided, sara.id, {{"original_purchase_id", 777}});
        world.db.raw() << "UPDATE member_messages SET due_at = '2030-01-01' WHERE kind = 'coupon_issued'";
    };
    const service::MessageRound round = send();
    EXPECT_EQ(round.sent, 1) << "the card's message, voided while it went, is recorded as sent";
    EXPECT_EQ(round.withdrawn, 1) << "the coupon's, taken by another sender, is left to it";
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(states(sara.id),
              (std::vector<std::string>{"welcome sent", "stamp_card_completed sent", "coupon_issued pending"}));

    world.db.raw() << "UPDATE member_messages SET due_at = '2020-01-01' WHERE kind = 'coupon_issued'";
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 2}, {"source", "staff"}});
    world.notifier.on_send = [&] { world.services.messages.stop(); };
    const service::MessageRound stopped = send();
    EXPECT_EQ(stopped.sent, 1);
    EXPECT_EQ(stopped.deferred, 1) << "left, due at once";
    EXPECT_EQ(states(sara.id).back(), "coupon_issued pending");
    long long due_now = 0;
    const std::string now = store::to_sql_time(world.clock.now());
    world.db.raw() << "SELECT COUNT(*) FROM member_messages WHERE state = 'pending' AND due_at <= :now", soci::use(now),
        soci::into(due_now);
    EXPECT_EQ(due_now, 1);
    const service::MessageRound after = send();
    EXPECT_EQ(after.sent + after.deferred + after.withdrawn, 0) << "a stopped sender claims nothing";
}

// A tier about to be lost: 14 days before her period ends, a member whose review window so far
// would not keep her tier is told what keeps it and by when, once a period; one whose window
// keeps it is not.
TEST_F(MemberMessages, FourteenDaysAheadAMemberWhoWouldLoseHerTierIsToldWhatKeepsItOnce) {
    set_tiers();
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "en", true, false);
    const auto omid = enrol("Omid Rad", "09121110000", "omid@example.ir", "en", true, false);
    const auto reza = enrol("Reza Amini", "09351112233", "reza@example.ir", "en", true, false);
    const auto buy = [&](const std::string& receipt, long long amount, const std::string& card) {
        const auto done =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, card),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << (done ? "" : done.error().message);
    };
    buy("1", 1200000, sara.card_number);  // 120 points: Silver, secured for a year.
    buy("2", 1200000, omid.card_number);
    buy("2r", 1200000, reza.card_number);
    ASSERT_EQ(send().sent, 6) << "three welcomes, three tiers reached";
    world.clock.set(world.clock.now() + std::chrono::days(2));
    buy("3", 1500000, omid.card_number);  // 150 in Omid's review window: he keeps Silver.
    std::string secured;
    world.db.raw() << "SELECT DATE_FORMAT(tier_secured_until, " << store::kSqlTimeFormat
                   << ") FROM member_accounts WHERE member_id = :id",
        soci::use(sara.id), soci::into(secured);
    const core::Timestamp period_end = store::from_sql_time(secured).value();

    world.clock.set(period_end - core::kTierWarningNotice - 1min);
    EXPECT_EQ(world.tiers.warn_all_due().value().reviewed, 0) << "not yet 14 days ahead";
    world.clock.set(period_end - core::kTierWarningNotice + 10h);  // In the morning: no quiet hours.
    const auto warned = world.tiers.warn_all_due();
    ASSERT_TRUE(warned.has_value()) << warned.error().message;
    EXPECT_EQ(warned->reviewed, 3);
    EXPECT_EQ(warned->lowered, 2) << "Sara and Reza, whose first purchase secured this period and counts for no other";
    buy("4r", 1000000, reza.card_number);  // Reza earns what keeps his before the warning goes.
    const service::MessageRound round = send();
    EXPECT_EQ(round.sent, 1);
    EXPECT_EQ(round.skipped, 1);
    EXPECT_EQ(states(reza.id).back(), "tier_at_risk skipped out_of_date");
    const std::string last =
        core::date_text(core::last_local_date(*core::utc_time_zone(), period_end), core::Language::kEnglish);
    EXPECT_EQ(world.notifier.messages.back().text,
              "Keep your Silver tier at Test Club: earn 100 more points by " + last + ", or it becomes Bronze.");
    EXPECT_EQ(states(sara.id).back(), "tier_at_risk sent");
    EXPECT_EQ(states(omid.id).back(), "tier_reached sent") << "Omid keeps his";
    EXPECT_EQ(world.tiers.warn_all_due().value().reviewed, 0) << "once a period";
}

// What no instance could send (no gateway anywhere) is given up 15 days after it was made, but not
// one a sender holds at that moment; then, like every finished message, forgotten after 90 days.
TEST_F(MemberMessages, WhatNobodyCouldSendIsGivenUpAfterFifteenDaysButNotOneInHand) {
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "en", true, false);
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 1}, {"source", "staff"}});
    world.clock.set(world.clock.now() + std::chrono::days(15) + 1min);
    // The coupon's message is in a sender's hands (claimed until 5 minutes from now).
    const std::string claim = store::to_sql_time(world.clock.now() + 5min);
    world.db.raw() << "UPDATE member_messages SET due_at = :claim WHERE kind = 'coupon_issued'", soci::use(claim);
    ASSERT_TRUE(world.services.messages.forget_old().has_value());
    EXPECT_EQ(states(sara.id), (std::vector<std::string>{"welcome skipped too_old", "coupon_issued pending"}));
    world.clock.set(world.clock.now() + std::chrono::days(91));
    const auto forgotten = world.services.messages.forget_old();
    ASSERT_TRUE(forgotten.has_value());
    EXPECT_EQ(states(sara.id), std::vector<std::string>{}) << "the coupon's given up, then both forgotten";
}

TEST_F(MemberMessages, AMemberErasedOrPointsPastTheirLastDayAreNotToldAnything) {
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "fa", true, false);
    ASSERT_EQ(send().sent, 1);
    // 2026-11-18 now: points whose last day was yesterday, and points with a week left.
    raise(core::EventType::kPointsExpiring, sara.id, {{"points", 80}, {"last_day", "2026-11-17"}});
    raise(core::EventType::kPointsExpiring, sara.id, {{"points", 40}, {"last_day", "2026-11-25"}});
    const service::MessageRound round = send();
    EXPECT_EQ(round.sent, 1);
    EXPECT_EQ(round.skipped, 1);
    EXPECT_EQ(world.notifier.messages.back().text,
              "\u200F۴۰ امتیاز شما در Test Club پس از ۴ آذر ۱۴۰۵ منقضی می‌شود. تا آن روز از آن "
              "استفاده "
              "کنید.");
    EXPECT_EQ(states(sara.id)[1], "points_expiring skipped out_of_date");

    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 1}, {"source", "segment"}});
    const service::StaffIdentity admin{world.program_id, "Admin", core::StaffRole::kAdmin};
    ASSERT_TRUE(world.services.privacy.erase(admin, sara.id).has_value());
    EXPECT_EQ(send().skipped, 1);
    EXPECT_EQ(states(sara.id).back(), "coupon_issued skipped member_inactive");
    for (const service::MemberMessage& message : world.notifier.messages) {
        EXPECT_NE(message.kind, "coupon_issued");
    }
}

// What the producers raise, told: a purchase that fills a stamp card and lifts her tier, the first
// tier (where everyone starts) told of never, a void that withdraws what its purchase filled before
// it went, and the points announcement.
TEST_F(MemberMessages, PurchasesAVoidAndThePointsAnnouncementTellHerWhatTheyDid) {
    set_policy(core::MessagePolicy{10, 21, 9});
    const nlohmann::json rules = {
        {"rules", json::array({{{"id", "base"}, {"name", "Club points"}, {"points", 1}, {"per_amount", 10000}}})},
        {"cashback", json::array()},
        {"stamp_cards", json::array({{{"id", "coffee"},
                                      {"name", "Coffee"},
                                      {"goal", 2},
                                      {"conditions", {{"categories", {"coffee"}}}},
                                      {"reward", {{"points", 5}}}}})}};
    ASSERT_TRUE(world.admin.publish_rules(world.program_id, core::RuleDocument(rules), world.clock.now()));
    set_tiers();
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "en", true, false);
    const auto buy = [&](const std::string& receipt, long long amount) {
        const auto done =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, sara.card_number),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << (done ? "" : done.error().message);
    };
    buy("1", 500000);  // 50 points, a stamp, and Bronze (from "Member"): no news.
    buy("2", 600000);  // 60 more and 5 for the full card: Silver.
    const service::MessageRound round = send();
    EXPECT_EQ(round.sent, 3);
    EXPECT_EQ(round.skipped, 1);
    EXPECT_EQ(states(sara.id), (std::vector<std::string>{"welcome sent", "tier_reached skipped not_news",
                                                         "stamp_card_completed sent", "tier_reached sent"}));
    ASSERT_EQ(world.notifier.messages.size(), 3u);
    EXPECT_EQ(world.notifier.messages[1].text,
              "You filled your stamp card \"Coffee\" at Test Club: your reward is ready.");
    EXPECT_EQ(world.notifier.messages[2].text, "Congratulations: you have reached Silver at Test Club.");

    // The card filled again, and the purchase voided before the message went: it never goes.
    buy("3", 100000);
    buy("4", 100000);
    core::ReturnRequest voided = world.return_request("v4", "4", {});
    voided.is_void = true;
    voided.key.business_day = *core::parse_date("2026-11-22");
    ASSERT_TRUE(world.returns.commit(world.terminal, voided, crypto::sha256(crypto::as_bytes("v4")),
                                     pos::encode_purchase_answer));
    EXPECT_EQ(send().sent, 0);
    EXPECT_EQ(states(sara.id).back(), "stamp_card_completed skipped purchase_undone");

    // Filled once more, and the purchase that filled it returned whole: the reward is taken back,
    // and so is the message.
    buy("5", 100000);  // The void left one stamp: this fills the card.
    const auto returned = world.returns.commit(world.terminal, world.return_request("r5", "5", {{1, 1000}}),
                                               crypto::sha256(crypto::as_bytes("r5")), pos::encode_purchase_answer);
    ASSERT_TRUE(returned.has_value()) << returned.error().message;
    EXPECT_NE(returned->body.find("stamp_reward_revoked"), std::string::npos) << returned->body;
    EXPECT_EQ(send().sent, 0);
    EXPECT_EQ(states(sara.id).back(), "stamp_card_completed skipped purchase_undone");

    // The points announcement: what is left of the lots expiring together, with her last day.
    core::PointsPolicy policy = testing::TestWorld::policy();
    policy.expiry_notice = std::chrono::days(30);
    ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy));
    world.clock.set(world.clock.now() + std::chrono::days(340));
    ASSERT_EQ(world.maintenance.run_all_due().value().announced, 1);
    EXPECT_EQ(send().sent, 1);
    EXPECT_EQ(states(sara.id).back(), "points_expiring sent");
    EXPECT_EQ(world.notifier.messages.back().kind, "points_expiring");
    EXPECT_NE(world.notifier.messages.back().text.find("at Test Club expire after 18 November 2027"), std::string::npos)
        << world.notifier.messages.back().text;
}

}  // namespace
}  // namespace patron
