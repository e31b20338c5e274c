// Messages to members against a real MariaDB (issue 21): queued with the event they tell of (none
// for a change rolled back), sent through the notifier in the member's language by the channel her
// consents allow, skipped with the reason otherwise; put off in the quiet hours and sent when they
// end; never more than the weekly cap; tried again when the gateway is down, then given up; and
// skipped for a member erased meanwhile or points whose last day has gone.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "loyalty/store/events/member_message_store.h"
#include "loyalty/store/events/outbox_store.h"
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
              "به Test Club خوش آمدید! از خرید بعدی با کارت خود امتیاز می‌گیرید. موجودی و "
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

TEST_F(MemberMessages, NoMoreThanTheWeeklyCapAndTheWeekAfterAgain) {
    ASSERT_TRUE(world.db.database().run([&](soci::session& sql) -> core::Result<void> {
        store::set_message_policy(sql, world.program_id, core::MessagePolicy{2, 21, 9});
        return {};
    }));
    const auto sara = enrol("Sara Karimi", "09123456789", "sara@example.ir", "en", true, false);
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 1}, {"source", "segment"}});
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 2}, {"source", "staff"}});
    const service::MessageRound round = send();
    EXPECT_EQ(round.sent, 2);
    EXPECT_EQ(round.skipped, 1);
    EXPECT_EQ(states(sara.id),
              (std::vector<std::string>{"welcome sent", "coupon_issued sent", "coupon_issued skipped weekly_cap"}));
    EXPECT_EQ(world.notifier.messages[1].text, "You have a new coupon at Test Club. See it in the member portal.");
    world.clock.set(world.clock.now() + std::chrono::days(7) + 1s);
    raise(core::EventType::kCouponIssued, sara.id, {{"campaign_id", 3}, {"source", "segment"}});
    EXPECT_EQ(send().sent, 1) << "a week on, the cap counts afresh";

    // A cap of 0: the programme messages nobody.
    ASSERT_TRUE(world.db.database().run([&](soci::session& sql) -> core::Result<void> {
        store::set_message_policy(sql, world.program_id, core::MessagePolicy{0, 21, 9});
        return {};
    }));
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
              "۴۰ امتیاز شما در Test Club پس از ۴ آذر ۱۴۰۵ منقضی می‌شود. تا آن روز از آن استفاده "
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

}  // namespace
}  // namespace patron
