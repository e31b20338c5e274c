// Purchases committed per second through the real service layer and MariaDB (the transaction
// the POS waits for: lock the account, check the receipt, rate, write purchase, lines, ledger,
// balance and answer), with 1 to 32 threads, each thread its own member so that the numbers
// show MariaDB's group commit rather than lock waits on one account row. Then the same with the
// earn rule holding 10% of its members out (issue 17): every purchase hashes the member into the
// rule's groups and records the exposure (INSERT IGNORE), so the two tables show what that costs.
// Needs PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it).
#include <benchmark/benchmark.h>
#include <soci/soci.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>

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
    while (static_cast<int>(members.size()) < threads) {
        const std::string n = std::to_string(members.size());
        members.push_back(world->enrol("Bench Member " + n, "0912" + std::string(7 - n.size(), '0') + n,
                                       "bench" + n + "@example.ir"));
    }
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
        const std::string receipt = "B" + std::to_string(receipt_counter++);
        const auto purchase = world->purchase(receipt, 900000, card);
        const auto outcome = world->purchases.commit(
            world->terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        if (!outcome) ++failures;
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

}  // namespace

BENCHMARK_MAIN();
