// Member scores at size: PATRON_BENCH_MEMBERS members (100,000 by default) with 5 purchases each
// over the last year (one line each, every other one with a cost) are written straight into a
// fresh database, then the refresh scores them; it prints members scored per second. While the
// refresh runs again, at full pace (patronctl) and then at the shared pace patrond uses, a till
// commits purchases through the service layer, and the commit rate and p99 latency are printed
// beside those of the same till with no refresh running. Before the refresh, a segment's count
// preview (spend, visits and stores in windows, as a marketer's editor asks) is timed on the same
// members: every member judged up to service::kSegmentCountMembersMax, evenly spread samples beyond.
// Needs PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it).
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_size.h"
#include "crypto/digest.h"
#include "loyalty/core/segments.h"
#include "loyalty/store/db/sql_time.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace {

using namespace patron;
using Clock = std::chrono::steady_clock;
constexpr int kPurchasesPerMember = 5;
constexpr long long kRowsPerStatement = 1000;

void generate(testing::TestWorld& world, long long members) {
    soci::session& sql = world.db.raw();
    const core::Timestamp now = world.clock.now();
    const std::string created = store::to_sql_time(now);
    long long first_id = 0;
    for (long long done = 0; done < members; done += kRowsPerStatement) {
        std::ostringstream rows;
        rows << "INSERT INTO members (program_id, status, created_at, updated_at) VALUES ";
        for (long long i = 0; i < std::min(kRowsPerStatement, members - done); ++i) {
            rows << (i == 0 ? "" : ",") << "(" << world.program_id << ",'active','" << created << "','" << created
                 << "')";
        }
        sql << rows.str();
        if (done == 0)
            sql << "SELECT MIN(id) FROM members WHERE program_id = :p", soci::into(first_id),
                soci::use(world.program_id);
    }
    long long receipt = 0;
    const long long purchases = members * kPurchasesPerMember;
    for (long long done = 0; done < purchases; done += kRowsPerStatement) {
        std::ostringstream rows;
        rows << "INSERT INTO purchases (program_id, store_id, terminal, business_day, receipt, member_id, currency,"
                " total, pos_time, pos_offset_minutes, received_at, rule_set_version, points_earned,"
                " request_sha256, response_status, response_body) VALUES ";
        const long long count = std::min(kRowsPerStatement, purchases - done);
        for (long long i = 0; i < count; ++i) {
            const long long n = done + i;
            const long long member = first_id + n / kPurchasesPerMember;
            // A rhythm per member: gaps of 5 to 74 days, the last visit 0 to 89 days ago.
            const long long gap = 5 + (member * 7) % 70, recency = (member * 13) % 90;
            const core::Timestamp at =
                now - std::chrono::days(recency + gap * (kPurchasesPerMember - 1 - n % kPurchasesPerMember));
            const std::string time = store::to_sql_time(at);
            rows << (i == 0 ? "" : ",") << "(" << world.program_id << "," << world.store_id << ",'T07','2026-11-22','G"
                 << ++receipt << "'," << member << ",'IRR'," << 100'000 * (1 + member % 20) << ",'" << time << "',0,'"
                 << time << "',1," << 10 * (1 + member % 20) << ",REPEAT('x', 32),201,'')";
        }
        sql << rows.str();
    }
    sql << "INSERT INTO purchase_lines (purchase_id, line, sku, category, quantity_milli, unit_price, amount, discount,"
           " cost) SELECT id, 1, 'SKU', 'cat', 1000, total, total, 0, IF(id % 2 = 0, total DIV 2, NULL)"
           " FROM purchases WHERE program_id = "
        << world.program_id;
}

struct TillRun {
    double commits_per_s = 0;
    double p99_ms = 0;
};

// One till committing purchases for one member until `stop`, its commit rate and p99.
TillRun till(testing::TestWorld& world, const std::string& card, std::atomic<bool>& stop, const std::string& prefix) {
    std::vector<double> latencies;
    const auto started = Clock::now();
    for (int i = 0; !stop; ++i) {
        const core::Purchase purchase = world.purchase(prefix + std::to_string(i), 100'000, card);
        const auto begin = Clock::now();
        const auto done =
            world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                   pos::encode_purchase_answer);
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
        if (!done) std::fprintf(stderr, "commit failed: %s\n", done.error().message.c_str());
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::sort(latencies.begin(), latencies.end());
    const double p99 = latencies.empty() ? 0 : latencies[latencies.size() * 99 / 100];
    return {static_cast<double>(latencies.size()) / seconds, p99};
}

// Times the count preview of a segment a marketer might draft (the median of three).
bool time_segment_preview(testing::TestWorld& world) {
    const service::StaffIdentity marketer{world.program_id, "bench", core::StaffRole::kMarketer};
    const auto conditions = core::decode_segment_preview(nlohmann::json::parse(R"({"conditions": {
        "spend": {"days": 90, "min": 500000}, "visits": {"days": 365, "min": 3},
        "stores_visited": {"stores": ["S042"], "days": 30}}})"));
    if (!conditions) return false;
    std::vector<double> seconds;
    service::SegmentCount last;
    for (int i = 0; i < 3; ++i) {
        const auto started = Clock::now();
        const auto counted = world.services.segments.count(marketer, *conditions);
        seconds.push_back(std::chrono::duration<double>(Clock::now() - started).count());
        if (!counted) {
            std::fprintf(stderr, "preview failed: %s\n", counted.error().message.c_str());
            return false;
        }
        last = *counted;
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("segment preview: %lld of %lld active members judged (%s), %lld hold: %.2f s\n", last.scanned,
                last.active_members, last.basis == service::CountBasis::kSample ? "samples" : "every member",
                last.members, seconds[1]);
    return true;
}

}  // namespace

int main() {
    const long long members = bench::size_from_environment("PATRON_BENCH_MEMBERS", 100, 100'000);
    testing::TestWorld world;
    const std::string card = world.enrol("Till Member", "09120000001", "till@example.ir").card_number;
    auto started = Clock::now();
    generate(world, members);
    std::printf("generated %lld members, %lld purchases in %.1f s\n", members, members * kPurchasesPerMember,
                std::chrono::duration<double>(Clock::now() - started).count());

    if (!time_segment_preview(world)) return 1;

    const auto first = world.services.insight.refresh(world.program_id, 365);
    if (!first) {
        std::fprintf(stderr, "refresh failed: %s\n", first.error().message.c_str());
        return 1;
    }
    std::printf("refresh: %lld members in %.2f s: %.0f members/s\n", first->members, first->took.count() / 1000.0,
                static_cast<double>(first->members) * 1000.0 /
                    static_cast<double>(std::max<long long>(1, first->took.count())));

    std::atomic<bool> stop = false;
    std::thread timer([&] {
        std::this_thread::sleep_for(std::chrono::seconds(5));
        stop = true;
    });
    const TillRun alone = till(world, card, stop, "TILL-A");
    timer.join();

    std::printf("till alone: %.0f commits/s, p99 %.1f ms\n", alone.commits_per_s, alone.p99_ms);
    // The refresh as an operator runs it (full pace), then as patrond runs it (sharing the database).
    int run = 0;
    for (const service::RefreshPace pace : {service::RefreshPace::kFull, service::RefreshPace::kShared}) {
        stop = false;
        TillRun beside;
        std::thread busy([&] { beside = till(world, card, stop, "TILL-" + std::to_string(++run)); });
        const auto again = world.services.insight.refresh(world.program_id, 365, pace);
        stop = true;
        busy.join();
        if (!again) return 1;
        std::printf("during a refresh at %s pace (%.2f s): %.0f commits/s (%.2f of alone), p99 %.1f ms\n",
                    pace == service::RefreshPace::kFull ? "full" : "shared", again->took.count() / 1000.0,
                    beside.commits_per_s, beside.commits_per_s / std::max(1.0, alone.commits_per_s), beside.p99_ms);
    }
    return 0;
}
