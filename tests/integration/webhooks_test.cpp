// Webhooks against a real MariaDB and a real receiving HTTP server (issue 21): the outbox's events
// reach a subscription after their change commits and never for one rolled back, signed by the
// documented recipe; a failing receiver gets the event on the sixth try; past the retry window a
// delivery is dead (replayable for 30 days); a member's events arrive in order while her purchases race; a
// slow receiver holds up only itself; paused subscriptions queue; one dispatcher leads at a time,
// another taking over when it stops or dies and its lease lapses, no event sent by both; and
// private addresses are refused unless allowed.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "crypto/digest.h"
#include "loyalty/store/db/write_batch.h"
#include "loyalty/store/events/outbox_store.h"
#include "notify/webhook_dispatcher.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"
#include "tests/support/webhook_receiver.h"

namespace patron {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class Webhooks : public ::testing::Test {
  protected:
    core::Purchase basket(const std::string& receipt, std::optional<std::string> card) {
        core::Purchase purchase = world.purchase(receipt, 0, std::move(card));
        purchase.lines = {{1, "COF-1", "coffee", 2000, 300000, 600000, 0}};
        purchase.total = 600000;
        return purchase;
    }
    core::Result<service::CommitOutcome> commit(const core::Purchase& purchase) {
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                      pos::encode_purchase_answer);
    }
    void buy(const std::string& receipt, const service::EnrolledMember& member) {
        const auto done = commit(basket(receipt, member.card_number));
        ASSERT_TRUE(done.has_value()) << done.error().message;
    }
    service::NewWebhook subscribe(const std::string& url, std::vector<std::string> types = {"*"},
                                  core::WebhookState state = core::WebhookState::kActive) {
        core::WebhookRequest request;
        request.url = url;
        request.event_types = std::move(types);
        request.state = state;
        auto made = world.services.webhooks.create(admin, request);
        EXPECT_TRUE(made.has_value()) << (made ? "" : made.error().message);
        return *made;
    }
    notify::DispatcherSettings settings(const std::string& holder = "test") {
        notify::DispatcherSettings settings;
        settings.retry = {1000ms, 60'000ms, 3600s};
        settings.timeout = 3000ms;
        settings.private_receivers = true;
        settings.holder = holder;
        // What goes wrong is in the test's output.
        settings.log = [](const json& line) { std::cerr << "[dispatcher] " << line.dump() << "\n"; };
        return settings;
    }
    // Rounds until nothing is handed out, started, finished or in flight (or 200 rounds).
    void settle(notify::WebhookDispatcher& dispatcher) {
        for (int round = 0; round < 200; ++round) {
            const notify::RoundReport report = dispatcher.round(20ms);
            if (report.handed_out + report.started + report.finished + report.in_flight == 0) return;
        }
        ADD_FAILURE() << "the dispatcher did not settle";
    }
    // A paused subscription to purchases, with Sara's purchase "1" queued for it; its id.
    long long paused_with_one_queued(notify::WebhookDispatcher& dispatcher) {
        const long long id =
            subscribe(receiver.url(), {"purchase_committed"}, core::WebhookState::kPaused).webhook.subscription.id;
        buy("1", sara);
        settle(dispatcher);
        return id;
    }
    std::vector<store::DeliveryRecord> deliveries(long long webhook) {
        return world.services.webhooks.deliveries(admin, webhook, std::nullopt, 0, 200).value();
    }
    service::DeliveryView delivery(long long webhook, long long id) {
        return world.services.webhooks.delivery(admin, webhook, id).value();
    }

    testing::TestWorld world;
    const service::StaffIdentity admin{world.program_id, "Admin", core::StaffRole::kAdmin};
    service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    testing::WebhookReceiver receiver;
};

TEST_F(Webhooks, AnEventArrivesSignedAfterItsChangeCommitsAndNoneForAChangeRolledBackOrRefused) {
    const service::NewWebhook webhook = subscribe(receiver.url(), {"purchase_committed", "points_adjusted"});
    EXPECT_TRUE(webhook.secret.starts_with("whsec_"));
    EXPECT_EQ(webhook.secret.size(), 6u + 64u);
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());

    buy("1", sara);
    // A change rolled back: its event is written and the transaction fails after it.
    const auto rolled_back = world.db.database().transact([&](soci::session& sql) -> core::Result<void> {
        store::add_event(sql, core::points_adjusted_event(world.program_id, sara.id, 1, 5, 5, world.clock.now()));
        return core::fail(core::ErrorCode::kValidationFailed, "changed my mind");
    });
    ASSERT_FALSE(rolled_back.has_value());
    // A purchase refused (a card Patron does not know): no change, no event.
    ASSERT_FALSE(commit(basket("2", "6037990000000009")).has_value());
    settle(dispatcher);

    const auto got = receiver.received();
    ASSERT_EQ(got.size(), 1u) << "the purchase, not the enrolment (not wanted), the rollback or the refusal";
    const testing::ReceivedDelivery& delivery = got[0];
    EXPECT_TRUE(testing::WebhookReceiver::signature_holds(delivery, webhook.secret));
    EXPECT_FALSE(testing::WebhookReceiver::signature_holds(delivery, webhook.secret + "x"));
    const json body = json::parse(delivery.body);
    const auto committed = store::events_after(world.db.raw(), world.program_id, 0, 100);
    const auto event = std::find_if(committed.begin(), committed.end(),
                                    [](const store::OutboxEvent& e) { return e.type == "purchase_committed"; });
    ASSERT_NE(event, committed.end());
    EXPECT_EQ(body["id"], event->id);
    EXPECT_EQ(body["type"], "purchase_committed");
    EXPECT_EQ(body["version"], 1);
    EXPECT_EQ(body["program_id"], world.program_id);
    EXPECT_EQ(body["member_id"], sara.id);
    EXPECT_EQ(body["data"], json::parse(event->data));
    EXPECT_EQ(delivery.header("patron-event-id"), std::to_string(event->id));
    EXPECT_EQ(delivery.header("patron-event-type"), "purchase_committed");
    EXPECT_EQ(delivery.header("patron-attempt"), "1");
    EXPECT_EQ(delivery.header("content-type"), "application/json");
    EXPECT_EQ(
        delivery.header("patron-timestamp"),
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(world.clock.now().time_since_epoch()).count()));

    const auto list = deliveries(webhook.webhook.subscription.id);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].state, store::DeliveryState::kDelivered);
    EXPECT_EQ(list[0].attempts, 1);
    EXPECT_EQ(list[0].last_status, 200);
    EXPECT_EQ(delivery.header("patron-delivery-id"), std::to_string(list[0].id));
    EXPECT_EQ(world.services.webhooks.get(admin, webhook.webhook.subscription.id)->deliveries.delivered, 1);
}

TEST_F(Webhooks, AReceiverThatFailsFiveTimesGetsTheEventOnTheSixthTryAfterGrowingWaits) {
    const service::NewWebhook webhook = subscribe(receiver.url());
    receiver.answer_with([](const testing::ReceivedDelivery&, int index) { return index < 5 ? 500 : 204; });
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());
    buy("1", sara);
    const auto started = world.clock.now();
    std::vector<core::Timestamp> waits_until;
    for (int attempt = 0; attempt < 12 && receiver.count() < 6; ++attempt) {
        settle(dispatcher);
        const auto list = deliveries(webhook.webhook.subscription.id);
        const auto purchase = std::find_if(list.begin(), list.end(), [](const store::DeliveryRecord& d) {
            return d.event_type == "purchase_committed";
        });
        ASSERT_NE(purchase, list.end());
        if (purchase->state == store::DeliveryState::kPending) {
            waits_until.push_back(purchase->next_attempt_at);
            world.clock.set(purchase->next_attempt_at);  // Not due a moment before.
        }
    }
    const auto got = receiver.received();
    std::vector<testing::ReceivedDelivery> purchase;
    for (const auto& delivery : got) {
        if (delivery.header("patron-event-type") == "purchase_committed") purchase.push_back(delivery);
    }
    ASSERT_EQ(purchase.size(), 6u);
    for (std::size_t i = 0; i < purchase.size(); ++i) {
        EXPECT_EQ(purchase[i].header("patron-attempt"), std::to_string(i + 1));
        EXPECT_EQ(purchase[i].header("patron-event-id"), purchase[0].header("patron-event-id"));
        EXPECT_TRUE(testing::WebhookReceiver::signature_holds(purchase[i], webhook.secret));
    }
    // 1 s, 2 s, 4 s, 8 s, 16 s, each jittered to between half and all of itself.
    ASSERT_EQ(waits_until.size(), 5u);
    core::Timestamp before = started;
    for (std::size_t i = 0; i < waits_until.size(); ++i) {
        const auto wait = waits_until[i] - before;
        EXPECT_GE(wait, std::chrono::milliseconds(500 << i)) << i;
        EXPECT_LE(wait, std::chrono::milliseconds(1000 << i)) << i;
        before = waits_until[i];
    }
    const auto list = deliveries(webhook.webhook.subscription.id);
    const auto done = std::find_if(list.begin(), list.end(),
                                   [](const store::DeliveryRecord& d) { return d.event_type == "purchase_committed"; });
    const service::DeliveryView view = delivery(webhook.webhook.subscription.id, done->id);
    EXPECT_EQ(view.delivery.state, store::DeliveryState::kDelivered);
    ASSERT_EQ(view.attempts.size(), 6u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(view.attempts[i].status, 500);
        EXPECT_EQ(view.attempts[i].error, "the receiver answered HTTP 500");
    }
    EXPECT_EQ(view.attempts[5].status, 204);
    EXPECT_EQ(view.attempts[5].error, "");
}

TEST_F(Webhooks, PastTheRetryWindowADeliveryIsDeadLaterEventsFlowAndAReplaySendsIt) {
    const service::NewWebhook webhook = subscribe(receiver.url(), {"purchase_committed"});
    const long long id = webhook.webhook.subscription.id;
    std::atomic<bool> failing = true;
    receiver.answer_with([&](const testing::ReceivedDelivery&, int) { return failing ? 503 : 200; });
    notify::DispatcherSettings short_window = settings();
    short_window.retry = {1000ms, 2000ms, 10s};
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, short_window);

    buy("1", sara);
    for (int i = 0; i < 20; ++i) {
        settle(dispatcher);
        world.clock.set(world.clock.now() + 2s);
    }
    auto list = deliveries(id);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].state, store::DeliveryState::kDead);
    EXPECT_GE(list[0].attempts, 6) << "tried for 10 s at 1 s, then every 2 s at most";
    EXPECT_EQ(list[0].last_status, 503);
    const long long dead = list[0].id;
    EXPECT_EQ(world.services.webhooks.deliveries(admin, id, store::DeliveryState::kDead, 0, 10)->size(), 1u);

    // Sara's next purchase is not held behind the dead one.
    failing = false;
    const std::size_t before = receiver.count();
    buy("2", sara);
    settle(dispatcher);
    ASSERT_EQ(receiver.count(), before + 1);
    EXPECT_EQ(json::parse(receiver.received().back().body)["data"]["receipt"], "2");

    // Replayed: sent again with a fresh window, and not replayed twice.
    const auto not_dead = world.services.webhooks.replay(admin, id, deliveries(id)[0].id);
    ASSERT_FALSE(not_dead.has_value());
    EXPECT_EQ(not_dead.error().code, core::ErrorCode::kNotAvailable);
    EXPECT_EQ(not_dead.error().field, "delivery");
    const auto replayed = world.services.webhooks.replay(admin, id, dead);
    ASSERT_TRUE(replayed.has_value()) << replayed.error().message;
    EXPECT_EQ(replayed->delivery.state, store::DeliveryState::kPending);
    settle(dispatcher);
    EXPECT_EQ(json::parse(receiver.received().back().body)["data"]["receipt"], "1");
    EXPECT_EQ(delivery(id, dead).delivery.state, store::DeliveryState::kDelivered);
    EXPECT_EQ(*world.services.webhooks.replay_dead(admin, id), 0);
    long long audited = 0;
    world.db.raw() << "SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.replay'", soci::into(audited);
    EXPECT_EQ(audited, 1);

    // Every dead one at once.
    failing = true;
    buy("3", sara);
    buy("4", sara);
    for (int i = 0; i < 20; ++i) {
        settle(dispatcher);
        world.clock.set(world.clock.now() + 2s);
    }
    ASSERT_EQ(world.services.webhooks.get(admin, id)->deliveries.dead, 2);
    failing = false;
    EXPECT_EQ(*world.services.webhooks.replay_dead(admin, id), 2);
    settle(dispatcher);
    EXPECT_EQ(world.services.webhooks.get(admin, id)->deliveries.delivered, 4);
    const auto last = receiver.received();
    ASSERT_GE(last.size(), 2u);
    EXPECT_EQ(json::parse(last[last.size() - 2].body)["data"]["receipt"], "3") << "replayed in their order";
    EXPECT_EQ(json::parse(last.back().body)["data"]["receipt"], "4");
}

TEST_F(Webhooks, AMembersEventsArriveInTheOrderTheyHappenedWhileHerPurchasesRaceAndTheReceiverFails) {
    const service::NewWebhook webhook = subscribe(receiver.url(), {"purchase_committed"});
    // Every third request fails: her next event must wait for the one that failed.
    receiver.answer_with([](const testing::ReceivedDelivery&, int index) { return index % 3 == 2 ? 500 : 200; });
    const service::EnrolledMember reza = world.enrol("Reza Ahmadi", "09351234567", "reza@example.ir");
    service::SystemClock real_clock;  // Retries come due by themselves.
    notify::DispatcherSettings quick = settings();
    quick.retry = {10ms, 40ms, 3600s};
    notify::WebhookDispatcher dispatcher(world.services.webhooks, real_clock, world.random, quick);
    std::atomic<bool> buying = true;
    std::thread dispatching([&] {
        while (buying) dispatcher.round(5ms);
    });
    constexpr int kThreads = 4;
    constexpr int kEach = 10;
    std::vector<std::thread> tills;
    for (int t = 0; t < kThreads; ++t) {
        tills.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                const auto& member = (i % 2 == 0) ? sara : reza;
                const auto done = commit(basket(std::to_string(t * 100 + i), member.card_number));
                EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
            }
        });
    }
    for (std::thread& till : tills) till.join();
    buying = false;
    dispatching.join();
    for (int i = 0;
         i < 100 &&
         world.services.webhooks.get(admin, webhook.webhook.subscription.id)->deliveries.delivered < kThreads * kEach;
         ++i) {
        settle(dispatcher);
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(world.services.webhooks.get(admin, webhook.webhook.subscription.id)->deliveries.delivered,
              kThreads * kEach);

    // Per member: the events accepted (2xx) are hers, each once, in rising id order, and the
    // outbox's order of her purchases (ids rise with her changes).
    std::map<long long, std::vector<long long>> accepted;
    int index = 0;
    for (const testing::ReceivedDelivery& delivery : receiver.received()) {
        const bool ok = index++ % 3 != 2;
        if (!ok) continue;
        const json body = json::parse(delivery.body);
        accepted[body["member_id"].get<long long>()].push_back(body["id"].get<long long>());
    }
    for (const long long member : {sara.id, reza.id}) {
        std::vector<long long> expected;
        for (const store::OutboxEvent& event : store::events_after(world.db.raw(), world.program_id, 0, 1000)) {
            if (event.type == "purchase_committed" && event.member_id == member) expected.push_back(event.id);
        }
        EXPECT_EQ(expected.size(), static_cast<std::size_t>(kThreads * kEach / 2));
        EXPECT_EQ(accepted[member], expected) << "member " << member;
    }
}

TEST_F(Webhooks, ASlowReceiverHoldsUpOnlyItsOwnDeliveriesAndOneThatDoesNotAnswerTimesOut) {
    testing::WebhookReceiver slow;
    slow.delay_answers(1500ms);
    const service::NewWebhook slow_hook = subscribe(slow.url(), {"purchase_committed"});
    const service::NewWebhook fast_hook = subscribe(receiver.url(), {"purchase_committed"});
    std::vector<service::EnrolledMember> members;
    for (int i = 0; i < 8; ++i) {
        members.push_back(world.enrol("Member " + std::to_string(i), "0912000000" + std::to_string(i),
                                      "member" + std::to_string(i) + "@example.ir"));
        buy(std::to_string(i), members.back());
    }
    notify::DispatcherSettings limited = settings();
    limited.per_subscription = 2;
    limited.timeout = 1000ms;
    service::SystemClock real_clock;
    notify::WebhookDispatcher dispatcher(world.services.webhooks, real_clock, world.random, limited);
    const auto start = std::chrono::steady_clock::now();
    bool slow_answered_first = false;
    while (receiver.count() < 8 && std::chrono::steady_clock::now() - start < 30s) {
        dispatcher.round(20ms);
        for (const store::DeliveryRecord& record : deliveries(slow_hook.webhook.subscription.id)) {
            if (record.attempts > 0) slow_answered_first = true;
        }
    }
    EXPECT_EQ(receiver.count(), 8u) << "the fast receiver got everything";
    EXPECT_FALSE(slow_answered_first) << "before any attempt at the slow one had ended";
    EXPECT_LE(slow.count(), 2u) << "two at a time to the slow one";
    // The slow one answers after the 1 s time-out: failed, no status, tried again later.
    while (std::chrono::steady_clock::now() - start < 30s) {
        dispatcher.round(20ms);
        const auto list = deliveries(slow_hook.webhook.subscription.id);
        if (std::any_of(list.begin(), list.end(), [](const store::DeliveryRecord& d) { return d.attempts > 0; })) break;
    }
    const auto list = deliveries(slow_hook.webhook.subscription.id);
    const auto tried =
        std::find_if(list.begin(), list.end(), [](const store::DeliveryRecord& d) { return d.attempts > 0; });
    ASSERT_NE(tried, list.end());
    EXPECT_EQ(tried->state, store::DeliveryState::kPending);
    EXPECT_FALSE(tried->last_status.has_value());
    EXPECT_NE(tried->last_error.find("imeout"), std::string::npos) << tried->last_error;
    const auto attempts = delivery(slow_hook.webhook.subscription.id, tried->id).attempts;
    ASSERT_FALSE(attempts.empty());
    EXPECT_GE(attempts[0].duration_ms, 900);
    EXPECT_LT(attempts[0].duration_ms, 1500 - 100) << "cut at the time-out, not waited for";
    EXPECT_EQ(world.services.webhooks.get(admin, fast_hook.webhook.subscription.id)->deliveries.delivered, 8);
}

TEST_F(Webhooks, APausedSubscriptionKeepsItsEventsAndSendsThemInOrderOnceResumed) {
    const service::NewWebhook webhook = subscribe(receiver.url(), {"purchase_committed"}, core::WebhookState::kPaused);
    const long long id = webhook.webhook.subscription.id;
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());
    buy("1", sara);
    buy("2", sara);
    settle(dispatcher);
    EXPECT_EQ(receiver.count(), 0u);
    EXPECT_EQ(world.services.webhooks.get(admin, id)->deliveries.pending, 2);
    core::WebhookRequest resume;
    resume.state = core::WebhookState::kActive;
    ASSERT_TRUE(world.services.webhooks.change(admin, id, resume).has_value());
    settle(dispatcher);
    const auto got = receiver.received();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(json::parse(got[0].body)["data"]["receipt"], "1");
    EXPECT_EQ(json::parse(got[1].body)["data"]["receipt"], "2");
}

// What patrond's /metrics shows as the outbox's backlog (patron_outbox_backlog and _oldest_seconds):
// events not handed out yet, and deliveries waiting for an active subscription, not a paused one's.
TEST_F(Webhooks, TheBacklogCountsEventsNotHandedOutAndDeliveriesWaitingForAnActiveReceiver) {
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());
    const auto backlog = [&] { return world.services.webhooks.backlog().value(); };
    EXPECT_GE(backlog().waiting, 1) << "Sara's enrolment";
    settle(dispatcher);
    EXPECT_EQ(backlog().waiting, 0);
    EXPECT_FALSE(backlog().oldest.has_value());
    buy("1", sara);
    EXPECT_GE(backlog().waiting, 1) << "the purchase's events, not handed out yet";
    EXPECT_TRUE(backlog().oldest.has_value());
    settle(dispatcher);
    EXPECT_EQ(backlog().waiting, 0) << "handed out, and no subscription wanted them";

    const long long id =
        subscribe(receiver.url(), {"purchase_committed"}, core::WebhookState::kPaused).webhook.subscription.id;
    buy("2", sara);
    settle(dispatcher);
    EXPECT_EQ(world.services.webhooks.get(admin, id)->deliveries.pending, 1);
    EXPECT_EQ(backlog().waiting, 0) << "a paused subscription's delivery waits by choice";
    core::WebhookRequest resume;
    resume.state = core::WebhookState::kActive;
    ASSERT_TRUE(world.services.webhooks.change(admin, id, resume).has_value());
    EXPECT_EQ(backlog().waiting, 1) << "an active subscription's pending delivery";
    EXPECT_TRUE(backlog().oldest.has_value());
    settle(dispatcher);
    EXPECT_EQ(receiver.count(), 1u);
    EXPECT_EQ(backlog().waiting, 0);
}

TEST_F(Webhooks, APausedSubscriptionQueuesThirtyDaysThenItsDeliveriesDieAndDeadOnesGoThirtyDaysLater) {
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());
    const long long id = paused_with_one_queued(dispatcher);
    world.clock.set(world.clock.now() + std::chrono::days(20));
    buy("2", sara);
    settle(dispatcher);
    ASSERT_EQ(world.services.webhooks.get(admin, id)->deliveries.pending, 2);

    // 31 days after the first: it dies, the one of 11 days waits on.
    world.clock.set(world.clock.now() + std::chrono::days(11));
    const auto first = world.services.webhooks.forget_old();
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(first->expired, 1);
    auto list = deliveries(id);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1].state, store::DeliveryState::kDead);
    EXPECT_EQ(list[1].last_error, "paused for more than 30 days");
    EXPECT_EQ(list[0].state, store::DeliveryState::kPending);
    EXPECT_EQ(world.services.webhooks.forget_old()->expired, 0) << "nothing twice";

    // Dead for 31 days: forgotten, with its event; the other died meanwhile and is kept.
    world.clock.set(world.clock.now() + std::chrono::days(31));
    ASSERT_TRUE(world.services.triggers.run_due(100).has_value());  // An event goes once triggers have seen it.
    const auto later = world.services.webhooks.forget_old();
    ASSERT_TRUE(later.has_value());
    EXPECT_EQ(later->expired, 1);
    EXPECT_EQ(later->deliveries, 1);
    list = deliveries(id);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].state, store::DeliveryState::kDead);
    std::string data;
    world.db.raw() << "SELECT data FROM outbox_events WHERE id = " << list[0].event_id, soci::into(data);
    EXPECT_EQ(json::parse(data)["receipt"], "2");
    long long events = 0;
    world.db.raw() << "SELECT COUNT(*) FROM outbox_events", soci::into(events);
    EXPECT_EQ(events, 1) << "the first purchase's event went with its delivery";

    // Resumed and replayed, what is left is still sent.
    core::WebhookRequest resume;
    resume.state = core::WebhookState::kActive;
    ASSERT_TRUE(world.services.webhooks.change(admin, id, resume).has_value());
    EXPECT_EQ(*world.services.webhooks.replay_dead(admin, id), 1);
    settle(dispatcher);
    ASSERT_EQ(receiver.count(), 1u);
    EXPECT_EQ(json::parse(receiver.received()[0].body)["data"]["receipt"], "2");
}

TEST_F(Webhooks, AProgrammeHasTwentySubscriptionsAtMostAndADeletedOneIsGoneAtOnceAndItsRowsSoonAfter) {
    std::vector<long long> ids;
    for (int i = 0; i < service::kWebhooksPerProgram; ++i) {
        ids.push_back(
            subscribe(receiver.url(), {"purchase_committed"}, core::WebhookState::kPaused).webhook.subscription.id);
    }
    core::WebhookRequest one_more;
    one_more.url = receiver.url();
    one_more.event_types = std::vector<std::string>{"*"};
    const auto refused = world.services.webhooks.create(admin, one_more);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kNotAvailable);
    EXPECT_EQ(world.db.count("webhook_subscriptions"), service::kWebhooksPerProgram);

    // Every one is listed with its counts (one query for them all).
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());
    buy("1", sara);
    settle(dispatcher);
    const auto listed = world.services.webhooks.list(admin);
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), ids.size());
    for (const service::WebhookView& view : *listed) EXPECT_EQ(view.deliveries.pending, 1);

    // Deleted: not found, not listed, handed nothing; room for another.
    const long long gone = ids.front();
    const service::StaffIdentity support{world.program_id, "Support", core::StaffRole::kSupport};
    EXPECT_EQ(world.services.webhooks.remove(support, gone).error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(world.services.webhooks.remove(admin, gone).has_value());
    EXPECT_EQ(world.services.webhooks.get(admin, gone).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(world.services.webhooks.remove(admin, gone).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(world.services.webhooks.list(admin)->size(), ids.size() - 1);
    buy("2", sara);
    settle(dispatcher);
    long long handed = 0;
    world.db.raw() << "SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = " << gone, soci::into(handed);
    EXPECT_EQ(handed, 1) << "only the delivery made before it was deleted";
    EXPECT_TRUE(world.services.webhooks.create(admin, one_more).has_value());
    long long audited = 0;
    world.db.raw() << "SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.delete' AND entity_id = " << gone,
        soci::into(audited);
    EXPECT_EQ(audited, 1);

    // The rows of every subscription deleted go in the next housekeeping run.
    ASSERT_TRUE(world.services.webhooks.remove(admin, ids[1]).has_value());
    const auto forgotten = world.services.webhooks.forget_old();
    ASSERT_TRUE(forgotten.has_value());
    EXPECT_EQ(forgotten->deliveries, 3) << "one of the first (deleted before the second purchase), two of the second";
    EXPECT_EQ(forgotten->subscriptions, 2);
    long long left = 0;
    world.db.raw() << "SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id IN (" << gone << ", " << ids[1]
                   << ")",
        soci::into(left);
    EXPECT_EQ(left, 0);
    EXPECT_EQ(world.db.count("webhook_subscriptions"), service::kWebhooksPerProgram - 1);
    EXPECT_EQ(world.services.webhooks.forget_old()->subscriptions, 0) << "nothing twice";
}

TEST_F(Webhooks, ADeliveryShowsItsLastFiftyAttemptsOldestFirst) {
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());
    const long long id = paused_with_one_queued(dispatcher);
    const long long delivery_id = deliveries(id).at(0).id;
    // Many replays' worth of attempts, written as the dispatcher writes them.
    for (int i = 0; i < 70; ++i) {
        world.db.raw() << "INSERT INTO webhook_attempts (delivery_id, attempted_at, status, duration_ms) VALUES ("
                       << delivery_id << ", '2027-01-01 00:00:00', 503, " << i << ")";
    }
    const service::DeliveryView view = delivery(id, delivery_id);
    ASSERT_EQ(view.attempts.size(), static_cast<std::size_t>(service::kAttemptsShown));
    EXPECT_EQ(view.attempts.front().duration_ms, 20);
    EXPECT_EQ(view.attempts.back().duration_ms, 69);
}

TEST_F(Webhooks, OneDispatcherLeadsAtATimeAndAnotherTakesOverWhenItStops) {
    subscribe(receiver.url(), {"purchase_committed"});
    auto first = std::make_unique<notify::WebhookDispatcher>(world.services.webhooks, world.clock, world.random,
                                                             settings("first"));
    notify::WebhookDispatcher second(world.services.webhooks, world.clock, world.random, settings("second"));
    EXPECT_TRUE(first->round(1ms).leading);
    buy("1", sara);
    for (int i = 0; i < 3; ++i) {
        const notify::RoundReport standing_by = second.round(50ms);
        EXPECT_FALSE(standing_by.leading);
        EXPECT_EQ(standing_by.handed_out + standing_by.started, 0) << "work is waiting, but not for it";
    }
    EXPECT_EQ(receiver.count(), 0u);
    settle(*first);
    EXPECT_EQ(receiver.count(), 1u);
    first.reset();  // Stops and gives the lease up: the other takes it when it next asks (every 2 s).
    bool took = false;
    for (int i = 0; i < 40 && !took; ++i) took = second.round(100ms).leading;
    EXPECT_TRUE(took);
    buy("2", sara);
    settle(second);
    EXPECT_EQ(receiver.count(), 2u);
}

// The leader dies without giving its lease up (it hangs, or its host goes): no one else dispatches
// while the lease runs; once it lapses, by the database's clock that leases are kept by, the
// instance standing by takes it and sends what waited, and the receiver gets every event once.
TEST_F(Webhooks, ALeaderThatDiesHoldingTheLeaseIsReplacedOnceItLapsesAndNoEventIsSentTwice) {
    const service::NewWebhook webhook = subscribe(receiver.url(), {"purchase_committed"});
    // Who holds the lease now (none: "").
    const auto lease_holder = [&] {
        std::string holder;
        world.db.raw() << "SELECT holder FROM job_leases WHERE name = 'webhooks' AND expires_at > NOW(6)",
            soci::into(holder);
        return holder;
    };
    auto first = std::make_unique<notify::WebhookDispatcher>(world.services.webhooks, world.clock, world.random,
                                                             settings("first"));
    notify::WebhookDispatcher second(world.services.webhooks, world.clock, world.random, settings("second"));
    ASSERT_TRUE(first->round(1ms).leading);
    EXPECT_FALSE(second.round(1ms).leading);
    buy("1", sara);
    settle(*first);
    ASSERT_EQ(receiver.count(), 1u);

    // The leader dies: it is called no more and gives nothing up. Her next purchases wait, the
    // other instance asking in vain (every 2 s) while the dead one's 30 s run.
    buy("2", sara);
    buy("3", sara);
    const auto waiting = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - waiting < 2500ms) {
        const notify::RoundReport standing_by = second.round(100ms);
        EXPECT_FALSE(standing_by.leading) << "the dead leader's lease still runs";
        EXPECT_EQ(standing_by.handed_out + standing_by.started, 0);
    }
    EXPECT_EQ(receiver.count(), 1u);
    EXPECT_EQ(lease_holder(), "first");

    // 28 of its 30 seconds have passed: the lease lapses in 2 s, unrenewed.
    const auto aged = std::chrono::steady_clock::now();
    world.db.raw() << "UPDATE job_leases SET expires_at = NOW(6) + INTERVAL 2 SECOND"
                      " WHERE name = 'webhooks' AND holder = 'first'";
    bool took = false;
    for (int i = 0; i < 100 && !took; ++i) took = second.round(100ms).leading;
    ASSERT_TRUE(took) << "the instance standing by takes the lapsed lease";
    EXPECT_GE(std::chrono::steady_clock::now() - aged, 1500ms) << "not before it lapsed";
    EXPECT_EQ(lease_holder(), "second");
    settle(second);

    // Each purchase's event arrived once, in order: the first from the dead leader, the others
    // from the new one, none from both.
    const auto got = receiver.received();
    ASSERT_EQ(got.size(), 3u);
    std::vector<long long> sent;
    for (const testing::ReceivedDelivery& delivery : got) {
        EXPECT_EQ(delivery.header("patron-attempt"), "1");
        EXPECT_TRUE(testing::WebhookReceiver::signature_holds(delivery, webhook.secret));
        sent.push_back(std::stoll(delivery.header("patron-event-id")));
    }
    std::vector<long long> purchases;
    for (const store::OutboxEvent& event : store::events_after(world.db.raw(), world.program_id, 0, 100)) {
        if (event.type == "purchase_committed") purchases.push_back(event.id);
    }
    EXPECT_EQ(sent, purchases);
    const auto list = deliveries(webhook.webhook.subscription.id);
    ASSERT_EQ(list.size(), 3u);
    for (const store::DeliveryRecord& record : list) {
        EXPECT_EQ(record.state, store::DeliveryState::kDelivered);
        EXPECT_EQ(record.attempts, 1) << "delivery " << record.id;
    }

    // The dead one, taken down at last, gives up a lease that is no longer its: nothing.
    first.reset();
    EXPECT_EQ(lease_holder(), "second");
}

TEST_F(Webhooks, AReceiverOnAPrivateAddressIsRefusedUnlessPrivateReceiversAreAllowed) {
    const service::NewWebhook webhook = subscribe(receiver.url(), {"purchase_committed"});
    notify::DispatcherSettings production = settings();
    production.private_receivers = false;
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, production);
    buy("1", sara);
    settle(dispatcher);
    EXPECT_EQ(receiver.count(), 0u) << "127.0.0.1 is never connected to";
    const auto list = deliveries(webhook.webhook.subscription.id);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].state, store::DeliveryState::kPending);
    EXPECT_EQ(list[0].attempts, 1);
    EXPECT_EQ(list[0].last_error, "the receiver's address is not public (private receivers are not allowed)");
}

TEST_F(Webhooks, ARoundThatTookEveryWaitingEventWaitsBeforeTheNextAndOneThatLeftABacklogDoesNot) {
    // Under the tills' steady load the dispatcher came straight back after handing out the few
    // events that had arrived meanwhile: a transaction every few milliseconds, for nothing.
    notify::WebhookDispatcher dispatcher(world.services.webhooks, world.clock, world.random, settings());
    buy("1", sara);
    auto start = std::chrono::steady_clock::now();
    const notify::RoundReport took_all = dispatcher.round(400ms);
    ASSERT_TRUE(took_all.leading);
    EXPECT_GE(took_all.handed_out, 1);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 400ms) << "nothing was left: the round waits";

    // More than a round's batches wait (8 of 500): the round hands out 4,000 and comes back at once.
    const auto added = world.db.database().transact([&](soci::session& sql) -> core::Result<void> {
        std::vector<core::Event> events;
        for (int i = 0; i < 4100; ++i) {
            events.push_back(
                core::points_adjusted_event(world.program_id, sara.id, i + 2, 1, i + 1, world.clock.now()));
        }
        store::add_events(sql, events);
        return {};
    });
    ASSERT_TRUE(added.has_value());
    const auto idle = 30s;
    start = std::chrono::steady_clock::now();
    const notify::RoundReport left_some = dispatcher.round(idle);
    EXPECT_EQ(left_some.handed_out, 4000);
    EXPECT_LT(std::chrono::steady_clock::now() - start, idle) << "events were left waiting: no idle wait";
    start = std::chrono::steady_clock::now();
    EXPECT_EQ(dispatcher.round(400ms).handed_out, 100);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 400ms);
}

}  // namespace
}  // namespace patron
