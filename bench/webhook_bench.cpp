// Webhooks (issue 21): what the outbox costs the till, and how fast the dispatcher delivers.
//
// The till: purchases committed through the real service layer and MariaDB from 8 threads, each its
// own member, for 5 s in each of three set-ups, alternated twice in one run:
//   without  outbox_events swapped for a BLACKHOLE table: the event's INSERT still rides in the
//            COMMIT's round trip but nothing is stored (no row, no index, no redo);
//   outbox   the outbox as shipped, nothing sending it;
//   sending  the same while the dispatcher delivers every event to a subscribed receiver (a real
//            HTTP server on loopback that answers 200 at once): the hand-out, the deliveries and the
//            attempts written beside the tills.
// Printed as commits/s and p99 per round and as ratios to "without". The events delivered per
// second while the tills commit are printed with "sending".
//
// Then delivery alone: a backlog of purchases by 200 members committed with the dispatcher
// stopped, then delivered: events per second, and the same with the receiver answering after 5 ms.
// Needs PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it).
#include <soci/soci.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <thread>

#include "bench/till_rate.h"
#include "crypto/digest.h"
#include "notify/webhook_dispatcher.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"
#include "tests/support/webhook_receiver.h"

namespace {

using namespace patron;
using namespace std::chrono_literals;

constexpr int kThreads = 8;
constexpr double kSeconds = 5;
constexpr int kBacklogMembers = 200;
constexpr int kBacklogEach = 25;

std::atomic<long> receipt_counter{0};

bool commit_one(testing::TestWorld& world, const std::string& card) {
    const std::string receipt = "W" + std::to_string(receipt_counter++);
    const auto purchase = world.purchase(receipt, 900000, card);
    return world.purchases
        .commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer)
        .has_value();
}

long long delivered(testing::TestWorld& world) {
    long long count = 0;
    world.db.raw() << "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'delivered'", soci::into(count);
    return count;
}

long long pending(testing::TestWorld& world) {
    long long count = 0;
    world.db.raw() << "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'", soci::into(count);
    long long waiting = 0;
    world.db.raw() << "SELECT COUNT(*) FROM outbox_events WHERE handed_out = 0", soci::into(waiting);
    return count + waiting;
}

// The dispatcher on a thread of its own, as patrond runs it.
class Sending {
  public:
    explicit Sending(testing::TestWorld& world) {
        notify::DispatcherSettings settings;
        settings.private_receivers = true;
        settings.holder = "webhook_bench";
        dispatcher_ =
            std::make_unique<notify::WebhookDispatcher>(world.services.webhooks, clock_, world.random, settings);
        dispatcher_->start();
    }
    ~Sending() { dispatcher_->stop(); }

  private:
    service::SystemClock clock_;
    std::unique_ptr<notify::WebhookDispatcher> dispatcher_;
};

// Delivers everything pending; events per second.
double drain(testing::TestWorld& world) {
    const long long before = delivered(world);
    const auto started = std::chrono::steady_clock::now();
    {
        Sending sending(world);
        while (pending(world) > 0 && std::chrono::steady_clock::now() - started < 300s)
            std::this_thread::sleep_for(50ms);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return static_cast<double>(delivered(world) - before) / seconds;
}

void backlog(testing::TestWorld& world, const std::vector<service::EnrolledMember>& members) {
    std::vector<std::thread> tills;
    for (int t = 0; t < kThreads; ++t) {
        tills.emplace_back([&, t] {
            for (int m = t; m < kBacklogMembers; m += kThreads) {
                for (int i = 0; i < kBacklogEach; ++i)
                    commit_one(world, members[static_cast<std::size_t>(m)].card_number);
            }
        });
    }
    for (std::thread& till : tills) till.join();
}

}  // namespace

int main() {
    testing::TestWorld world;
    const std::vector<service::EnrolledMember> members = world.enrol_numbered("Webhook", 0, kBacklogMembers);
    const auto commit = [&](int thread) {
        return commit_one(world, members[static_cast<std::size_t>(thread)].card_number);
    };
    testing::WebhookReceiver receiver;
    const service::StaffIdentity admin{world.program_id, "bench", core::StaffRole::kAdmin};
    core::WebhookRequest request;
    request.url = receiver.url();
    request.event_types = std::vector<std::string>{"*"};
    if (!world.services.webhooks.create(admin, request)) throw std::runtime_error("could not subscribe");
    soci::session& sql = world.db.raw();
    try {
        sql << "INSTALL SONAME 'ha_blackhole'";
    } catch (const soci::soci_error&) {
        // Installed already (by an earlier run against this server).
    }

    bench::till_rate(kThreads, 1, commit);  // Warm-up.
    drain(world);
    std::printf("the till, %d threads, %.0f s each, alternated twice:\n", kThreads, kSeconds);
    double without = 0, outbox = 0, sending = 0, without_p99 = 0, outbox_p99 = 0, sending_p99 = 0, delivered_rate = 0;
    for (int round = 1; round <= 2; ++round) {
        sql << "ALTER TABLE outbox_events ENGINE=BLACKHOLE";
        const bench::TillRate a = bench::till_rate(kThreads, kSeconds, commit);
        sql << "ALTER TABLE outbox_events ENGINE=InnoDB";
        const bench::TillRate b = bench::till_rate(kThreads, kSeconds, commit);
        drain(world);  // What "outbox" wrote, so that "sending" starts with nothing behind it.
        const long long before = delivered(world);
        const auto started = std::chrono::steady_clock::now();
        bench::TillRate c;
        {
            Sending dispatching(world);
            c = bench::till_rate(kThreads, kSeconds, commit);
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double rate = static_cast<double>(delivered(world) - before) / seconds;
        std::printf(
            "  round %d: without %.0f commits/s (p99 %.1f ms), outbox %.0f (p99 %.1f ms), sending %.0f (p99 %.1f "
            "ms) with %.0f events delivered/s\n",
            round, a.per_second, a.p99_ms, b.per_second, b.p99_ms, c.per_second, c.p99_ms, rate);
        without += a.per_second / 2;
        outbox += b.per_second / 2;
        sending += c.per_second / 2;
        without_p99 += a.p99_ms / 2;
        outbox_p99 += b.p99_ms / 2;
        sending_p99 += c.p99_ms / 2;
        delivered_rate += rate / 2;
        drain(world);
    }
    std::printf("till commits/s: without the outbox %.0f, with it %.0f (ratio %.3f), while sending %.0f (ratio %.3f)\n",
                without, outbox, outbox / without, sending, sending / without);
    std::printf("till p99 ms: without %.1f, with %.1f (ratio %.3f), while sending %.1f (ratio %.3f)\n", without_p99,
                outbox_p99, outbox_p99 / without_p99, sending_p99, sending_p99 / without_p99);
    std::printf("events delivered/s while the tills commit: %.0f (%.3f of the commits)\n", delivered_rate,
                delivered_rate / sending);

    for (const int delay_ms : {0, 5}) {
        receiver.delay_answers(std::chrono::milliseconds(delay_ms));
        backlog(world, members);
        const long long waiting = pending(world);
        const double rate = drain(world);
        std::printf("a backlog of %lld events for %d members, receiver answering after %d ms: %.0f events/s\n", waiting,
                    kBacklogMembers, delay_ms, rate);
    }
    std::printf("events received by the receiver: %zu\n", receiver.count());
    return 0;
}
