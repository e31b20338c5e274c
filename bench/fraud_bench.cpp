// Fraud signals (issue 21): what watching for them costs the till.
//
// Purchases committed through the real service layer and MariaDB from 8 threads, each cycling
// through its share of the members, for 5 s in each of three set-ups, alternated twice in one run,
// first over 200 members (hot cards: each buys several times a second, so an hour's count reads
// hundreds of purchases, up to the threshold), then over 5,000 (each card a few purchases in the
// run, as cards are used):
//   off       the policy {}: nothing watched (the cached policy is read, nothing more);
//   watching  card_velocity (a card's 1,000th purchase in an hour, or another store within 30
//             minutes) and redemption_after_enrolment (24 hours) watched, and never seen: the two
//             reads of card_velocity on every commit;
//   raising   card_velocity at 1 purchase an hour, flagged: every commit is a sighting, the first
//             of each card writes the signal and its event, the rest find it raised already.
// Printed as commits/s and p99 per round and as ratios to "off".
// Needs PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it).
#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "bench/till_rate.h"
#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace {

using namespace patron;

constexpr int kThreads = 8;
constexpr double kSeconds = 5;
constexpr int kMembersMax = 5000;

std::atomic<long> receipt_counter{0};

void set_policy(testing::TestWorld& world, const char* document) {
    const service::StaffIdentity admin{world.program_id, "bench", core::StaffRole::kAdmin};
    const auto policy = core::decode_fraud_policy(nlohmann::json::parse(document));
    if (!policy || !world.services.fraud.set_policy(admin, *policy))
        throw std::runtime_error("could not set the policy");
}

constexpr const char* kOff = "{}";
constexpr const char* kWatching =
    R"({"card_velocity": {"action": "flag", "purchases_per_hour": 1000, "other_store_minutes": 30},
        "redemption_after_enrolment": {"action": "flag", "within_hours": 24}})";
constexpr const char* kRaising = R"({"card_velocity": {"action": "flag", "purchases_per_hour": 1}})";

// The three set-ups over the first `count` members, alternated twice, printed.
void measure(testing::TestWorld& world, const std::vector<service::EnrolledMember>& members, int count) {
    std::vector<int> next(kThreads, 0);
    const auto commit = [&](int thread) {
        int& turn = next[static_cast<std::size_t>(thread)];
        const int member = thread + kThreads * (turn++ % (count / kThreads));
        const std::string receipt = "F" + std::to_string(receipt_counter++);
        const auto purchase = world.purchase(receipt, 900000, members[static_cast<std::size_t>(member)].card_number);
        return world.purchases
            .commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer)
            .has_value();
    };
    long long signals_before = 0;
    world.db.raw() << "SELECT COUNT(*) FROM fraud_signals", soci::into(signals_before);
    set_policy(world, kOff);
    bench::till_rate(kThreads, 1, commit);  // Warm-up.
    std::printf("the till, %d threads over %d members, %.0f s each, alternated twice:\n", kThreads, count, kSeconds);
    double off = 0, watching = 0, raising = 0, off_p99 = 0, watching_p99 = 0, raising_p99 = 0;
    for (int round = 1; round <= 2; ++round) {
        set_policy(world, kOff);
        const bench::TillRate a = bench::till_rate(kThreads, kSeconds, commit);
        set_policy(world, kWatching);
        const bench::TillRate b = bench::till_rate(kThreads, kSeconds, commit);
        set_policy(world, kRaising);
        const bench::TillRate c = bench::till_rate(kThreads, kSeconds, commit);
        std::printf(
            "  round %d: off %.0f commits/s (p99 %.1f ms), watching %.0f (p99 %.1f ms), raising %.0f (p99 %.1f "
            "ms)\n",
            round, a.per_second, a.p99_ms, b.per_second, b.p99_ms, c.per_second, c.p99_ms);
        off += a.per_second / 2;
        watching += b.per_second / 2;
        raising += c.per_second / 2;
        off_p99 += a.p99_ms / 2;
        watching_p99 += b.p99_ms / 2;
        raising_p99 += c.p99_ms / 2;
    }
    long long signals = 0;
    world.db.raw() << "SELECT COUNT(*) FROM fraud_signals", soci::into(signals);
    std::printf("%d members: till commits/s: off %.0f, watching %.0f (ratio %.3f), raising %.0f (ratio %.3f)\n", count,
                off, watching, watching / off, raising, raising / off);
    std::printf("%d members: till p99 ms: off %.1f, watching %.1f (ratio %.3f), raising %.1f (ratio %.3f)\n", count,
                off_p99, watching_p99, watching_p99 / off_p99, raising_p99, raising_p99 / off_p99);
    std::printf("%d members: signals raised: %lld (one per card and hour)\n", count, signals - signals_before);
}

}  // namespace

int main() {
    testing::TestWorld world;
    const std::vector<service::EnrolledMember> members = world.enrol_numbered("Fraud", 0, kMembersMax);
    measure(world, members, 200);
    measure(world, members, kMembersMax);
    return 0;
}
