// Purchases committed per second through the real service layer and MariaDB (the transaction
// the POS waits for: lock the account, check the receipt, rate, write purchase, lines, ledger,
// balance and answer), with 1 to 32 threads, each thread its own member so that the numbers
// show MariaDB's group commit rather than lock waits on one account row. Then the same with the
// earn rule holding 10% of its members out (issue 17): every purchase hashes the member into the
// rule's groups and records the exposure (INSERT IGNORE), so the two tables show what that costs.
//
// First, the price of the reports' indexes at the till (issue 17): the same commits from 8
// threads with the indexes migrations 0028 and 0032 add (purchases by instant, covering; a
// member's purchases with kind and void; members by enrolment; tier changes by time; accounts by
// first purchase) dropped ("before") and in place ("after"), alternated twice in one run, each
// printed as commits/s and p99 latency, and after/before as ratios. The account's first and last
// purchase instants are written in both: they ride in the UPDATE of the balances every purchase
// made before them. Then the same for the stamp indexes migration 0037 adds for the Rewards report,
// with a visit stamp card that every purchase stamps. PATRON_BENCH_SKIP_INDEX_COMPARISON=1 leaves that comparison out:
// it commits some 20,000 purchases and rebuilds indexes of the tables the benchmarks below then use, so a run that
// compares this bench with an older build of it (which had no such comparison) skips it.
// Needs PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "bench/till_rate.h"
#include "crypto/digest.h"
#include "loyalty/core/rule_document.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace {

using namespace patron;

std::unique_ptr<testing::TestWorld> world;
std::vector<service::EnrolledMember> members;
std::atomic<long> receipt_counter{0};
std::mutex setup_mutex;

void set_up(int threads) {
    std::lock_guard lock(setup_mutex);
    if (!world) world = std::make_unique<testing::TestWorld>();
    const int have = static_cast<int>(members.size());
    if (have < threads) std::ranges::move(world->enrol_numbered("Bench", have, threads), std::back_inserter(members));
}

bool commit_one(const std::string& card) {
    const std::string receipt = "B" + std::to_string(receipt_counter++);
    const auto purchase = world->purchase(receipt, 900000, card);
    return world->purchases
        .commit(world->terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer)
        .has_value();
}

// The world's rule, the same but with a hold-out; published once, after the runs without it.
constexpr const char* kRulesWithHoldout =
    R"({"rules": [{"id": "base", "name": "Club points", "points": 1, "per_amount": 10000,)"
    R"( "holdout": {"percent": 10}}]})";
std::once_flag holdout_published;

void commit_purchases(benchmark::State& state) {
    // Wait for the set-up: every thread starts only once thread 0 has enrolled the members.
    while (static_cast<int>(members.size()) < state.threads()) std::this_thread::yield();
    const std::string card = members[static_cast<std::size_t>(state.thread_index())].card_number;
    long failures = 0;
    for (auto _ : state) {
        if (!commit_one(card)) ++failures;
    }
    state.counters["failures"] = static_cast<double>(failures);
    state.SetItemsProcessed(state.iterations());
}

void BM_CommitPurchase(benchmark::State& state) {
    if (state.thread_index() == 0) set_up(state.threads());
    commit_purchases(state);
}
BENCHMARK(BM_CommitPurchase)->ThreadRange(1, 32)->UseRealTime()->MinTime(2.0);

void BM_CommitPurchaseWithHoldout(benchmark::State& state) {
    if (state.thread_index() == 0) {
        set_up(state.threads());
        std::call_once(holdout_published, [] {
            const auto document = core::RuleDocument::parse(kRulesWithHoldout);
            if (!document || !world->admin.publish_rules(world->program_id, *document, core::Timestamp{})) {
                throw std::runtime_error("could not publish the rules with a hold-out");
            }
        });
    }
    commit_purchases(state);
    if (state.thread_index() == 0) {
        // Members recorded (each once, whatever their purchases): shows the hold-out path ran.
        long long recorded = 0;
        world->db.raw() << "SELECT COUNT(*) FROM campaign_exposures", soci::into(recorded);
        state.counters["members_recorded"] = static_cast<double>(recorded);
    }
}
BENCHMARK(BM_CommitPurchaseWithHoldout)->ThreadRange(1, 32)->UseRealTime()->MinTime(2.0);

// The reports' indexes (migrations 0028 and 0032) dropped, as the schema was before them, or put
// back. Before 0028 the foreign keys on program_id had an index of their own, which InnoDB drops
// once a wider index serves them: it is put back with them dropped.
void set_report_indexes(bool in_place) {
    soci::session& sql = world->db.raw();
    if (in_place) {
        sql << "ALTER TABLE purchases"
               " ADD KEY ix_purchases_program_received (program_id, received_at, member_id, kind, voided_at, store_id,"
               " total), DROP KEY ix_purchases_member, ADD KEY ix_purchases_member (member_id, received_at, kind,"
               " voided_at), DROP KEY ix_bench_purchases_program";
        sql << "ALTER TABLE members ADD KEY ix_members_program_created (program_id, created_at, status),"
               " DROP KEY ix_bench_members_program";
        sql << "ALTER TABLE tier_history ADD KEY ix_tier_history_time (created_at)";
        sql << "ALTER TABLE member_accounts ADD KEY ix_member_accounts_first_purchase (first_purchase_at)";
    } else {
        sql << "ALTER TABLE purchases DROP KEY ix_purchases_program_received, DROP KEY ix_purchases_member,"
               " ADD KEY ix_purchases_member (member_id, received_at), ADD KEY ix_bench_purchases_program (program_id)";
        sql << "ALTER TABLE members DROP KEY ix_members_program_created,"
               " ADD KEY ix_bench_members_program (program_id)";
        sql << "ALTER TABLE tier_history DROP KEY ix_tier_history_time";
        sql << "ALTER TABLE member_accounts DROP KEY ix_member_accounts_first_purchase";
    }
}

using bench::TillRate;

// Commits from `threads` threads, each its own member, for `seconds`.
TillRate till_rate(int threads, double seconds) {
    return bench::till_rate(
        threads, seconds, [](int thread) { return commit_one(members[static_cast<std::size_t>(thread)].card_number); });
}

// The Rewards report's indexes on stamps (migration 0037) dropped, or put back: a stamp card's
// take-up (every stamp event writes an entry) and its completions (every card completed).
void set_stamp_indexes(bool in_place) {
    soci::session& sql = world->db.raw();
    if (in_place) {
        sql << "ALTER TABLE stamp_events ADD KEY ix_stamp_events_take_up (program_id, kind, card_id, member_id,"
               " created_at)";
        sql << "ALTER TABLE stamp_rewards ADD KEY ix_stamp_rewards_take_up (program_id, card_id, member_id,"
               " created_at, revoked_at)";
    } else {
        sql << "ALTER TABLE stamp_events DROP KEY ix_stamp_events_take_up";
        sql << "ALTER TABLE stamp_rewards DROP KEY ix_stamp_rewards_take_up";
    }
}

// Commits from 8 threads with the indexes `set_indexes` puts in place dropped and in place,
// alternated twice, printed per round and as ratios.
void compare_indexes(const char* which, void (*set_indexes)(bool)) {
    constexpr int kThreads = 8;
    constexpr double kSeconds = 5;
    set_up(kThreads);
    till_rate(kThreads, 1);  // Warm-up.
    TillRate before, after;
    for (int round = 0; round < 2; ++round) {
        set_indexes(false);
        const TillRate without = till_rate(kThreads, kSeconds);
        set_indexes(true);
        const TillRate with = till_rate(kThreads, kSeconds);
        std::printf("  round %d: before %.0f commits/s (p99 %.1f ms), after %.0f commits/s (p99 %.1f ms)\n", round + 1,
                    without.per_second, without.p99_ms, with.per_second, with.p99_ms);
        before.per_second += without.per_second / 2;
        before.p99_ms += without.p99_ms / 2;
        after.per_second += with.per_second / 2;
        after.p99_ms += with.p99_ms / 2;
    }
    std::printf(
        "till, %d threads, without and with %s: %.0f -> %.0f commits/s (ratio %.3f), p99 %.1f -> %.1f ms (ratio "
        "%.3f)\n",
        kThreads, which, before.per_second, after.per_second, after.per_second / before.per_second, before.p99_ms,
        after.p99_ms, after.p99_ms / before.p99_ms);
    std::fflush(stdout);
}

}  // namespace

// Every purchase of the world's members gives a stamp of a visit card (a card of 10 completes
// with 100 points): what the stamp indexes of migration 0037 cost a purchase that writes them.
constexpr const char* kRulesWithStampCard =
    R"({"rules": [{"id": "base", "name": "Club points", "points": 1, "per_amount": 10000}],)"
    R"( "stamp_cards": [{"id": "visits", "name": "Visits", "goal": 10, "basis": "visit", "reward": {"points": 100}}]})";
constexpr const char* kRulesWithoutStampCard =
    R"({"rules": [{"id": "base", "name": "Club points", "points": 1, "per_amount": 10000}]})";

void publish(const char* rules) {
    const auto document = core::RuleDocument::parse(rules);
    if (!document || !world->admin.publish_rules(world->program_id, *document, core::Timestamp{})) {
        throw std::runtime_error("could not publish the bench's rules");
    }
}

void compare_report_indexes() {
    compare_indexes("the reports' indexes (0028, 0032)", set_report_indexes);
    publish(kRulesWithStampCard);
    compare_indexes("the stamp indexes (0037), a stamp a purchase", set_stamp_indexes);
    long long stamps = 0;
    world->db.raw() << "SELECT COUNT(*) FROM stamp_events", soci::into(stamps);
    std::printf("  stamp events written: %lld\n", stamps);
    publish(kRulesWithoutStampCard);
}

int main(int argc, char** argv) {
    if (std::getenv("PATRON_BENCH_SKIP_INDEX_COMPARISON") == nullptr) compare_report_indexes();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
