// Issue 19's scale benchmark, in one run:
//   1. the till at two sizes of programme: the demo programme grown by the server itself
//      (bench/seeded_members.h) to PATRON_BENCH_SCALE_SMALL members (100,000), then to
//      PATRON_BENCH_SCALE_MEMBERS (1,000,000); at each size a Release patrond takes signed commits
//      closed-loop from PATRON_BENCH_CONNECTIONS connections (32) and signed card look-ups
//      open-loop at PATRON_BENCH_LOOKUP_RATE per second (1,000), for cards drawn at random from
//      all the members (bench/load_generator.cpp --cards); a table of both sizes and their ratio,
//      which should stay within 10%;
//   2. the expiry job on PATRON_BENCH_EXPIRY_LOTS due lots (1,000,000), PATRON_BENCH_EXPIRY_LOTS_PER_MEMBER
//      (1) a member, in a database of their own: PointsMaintenanceService::run_all_due, what
//      patrond's minute job runs, until nothing is due, with lots per second and the statements
//      and commits it took per member.
// A size of 0 leaves its part out. Before each measurement the ledger's daily sums are brought up
// to date (as patrond's minute jobs would have kept them while the members came), the tables'
// statistics refreshed and the buffer pool's dirty pages written, so that the seeding's own
// writes do not weigh on the larger size only; patrond refreshes no member scores
// (PATRON_INSIGHT_REFRESH=0), a daily job that would otherwise start in the first measurement. Needs PATRON_TEST_DB_URL
// (scripts/bench starts a durable MariaDB; PATRON_BENCH_DB_DIR names its directory for mariadbd's pid);
// PATRON_BENCH_SECONDS (15) and PATRON_BENCH_TERMINALS (50) change the load runs.
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_size.h"
#include "bench/load_run.h"
#include "bench/measures.h"
#include "bench/seeded_members.h"
#include "bench/seq_insert.h"
#include "loyalty/service/insight/ledger_day_rollup.h"
#include "loyalty/service/program/points_maintenance_service.h"
#include "loyalty/service/runtime/clock.h"
#include "tests/support/patrond_process.h"
#include "tests/support/test_database.h"

namespace {

using namespace patron;
using Stopwatch = std::chrono::steady_clock;

double seconds_since(Stopwatch::time_point started) {
    return std::chrono::duration<double>(Stopwatch::now() - started).count();
}

long long count_of(soci::session& sql, const std::string& query) {
    long long count = 0;
    sql << "SELECT CAST((" + query + ") AS SIGNED)", soci::into(count);
    return count;
}

// Fresh statistics for the tables a commit and a look-up read, and the buffer pool's dirty pages
// written (for at most three minutes), so that every measurement starts from a quiet server.
void settle(soci::session& sql) {
    const auto started = Stopwatch::now();
    soci::rowset<soci::row> analysed =
        (sql.prepare << "ANALYZE TABLE members, cards, member_accounts, point_lots, ledger_transfers, ledger_entries");
    for (const soci::row& row : analysed) (void)row;  // ANALYZE answers with a row per table.
    double dirty_pct_max = 90;
    sql << "SELECT @@GLOBAL.innodb_max_dirty_pages_pct", soci::into(dirty_pct_max);
    sql << "SET GLOBAL innodb_max_dirty_pages_pct = 0";
    long long dirty = 0;
    for (const auto deadline = Stopwatch::now() + std::chrono::minutes(3); Stopwatch::now() < deadline;) {
        dirty = count_of(sql,
                         "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                         " WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'");
        if (dirty < 200) break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    sql << "SET GLOBAL innodb_max_dirty_pages_pct = " + std::to_string(dirty_pct_max);
    std::printf("  %-48s %6.1f s (%lld dirty pages left)\n", "statistics and dirty pages written",
                seconds_since(started), dirty);
    std::fflush(stdout);
}

// The daily sums patrond's minute jobs keep, brought up to date with the seeded ledger at full pace.
void roll_up(store::Database& pool) {
    service::SystemClock clock;
    for (const store::DaySums sums : {store::DaySums::kLedgerDays, store::DaySums::kRewardDays}) {
        const auto started = Stopwatch::now();
        const auto added = service::LedgerDayRollup(pool, clock, sums).roll_up();
        if (!added) throw std::runtime_error("roll-up: " + added.error().message);
        std::printf(
            "  %-48s %6.1f s (%lld transfers)\n",
            sums == store::DaySums::kLedgerDays ? "ledger's daily sums rolled up" : "rules' daily sums rolled up",
            seconds_since(started), *added);
    }
    std::fflush(stdout);
}

// Every seeded member's card must be found: a sample of them, spread over 1..members.
void check_cards(soci::session& sql, const std::string& prefix, long long members) {
    const long long step = std::max(1LL, members / 1000);
    std::string list;
    long long sampled = 0;
    for (long long n = 1; n <= members; n += step, ++sampled) {
        list += (list.empty() ? "'" : ", '") + bench::seeded_card(prefix, n) + "'";
    }
    const long long found = count_of(sql, "SELECT COUNT(*) FROM cards WHERE number IN (" + list + ")");
    if (found != sampled) {
        throw std::runtime_error("seeded cards do not match seeded_card(): " + std::to_string(found) + " of " +
                                 std::to_string(sampled) + " found");
    }
}

void write_cards(const std::string& path, const std::string& prefix, long long members) {
    std::ofstream file(path);
    for (long long n = 1; n <= members; ++n) file << bench::seeded_card(prefix, n) << '\n';
    if (!file) throw std::runtime_error("cannot write " + path);
}

// What one size measured.
struct SizeRun {
    long long members = 0;
    bench::Run commits, lookups;
};

double figure(const bench::Run& run, const char* key) { return run.load.value(key, 0.0); }

void print_sizes(const std::vector<SizeRun>& sizes) {
    std::printf("\n%-10s %10s %10s %10s %12s %10s %10s %10s %10s %13s %10s %7s\n", "members", "commits/s", "commit p50",
                "commit p99", "stmts/commit", "db cpu", "look-ups/s", "look p50", "look p99", "stmts/look-up", "db cpu",
                "failed");
    for (const SizeRun& size : sizes) {
        std::printf("%-10lld %10.0f %8.2fms %8.2fms %12.1f %8.2fms %10.0f %8.2fms %8.2fms %13.1f %8.2fms %7lld\n",
                    size.members, figure(size.commits, "per_second"), figure(size.commits, "p50_ms"),
                    figure(size.commits, "p99_ms"), size.commits.statements.all, size.commits.mariadbd_cpu_ms,
                    figure(size.lookups, "per_second"), figure(size.lookups, "p50_ms"), figure(size.lookups, "p99_ms"),
                    size.lookups.statements.all, size.lookups.mariadbd_cpu_ms,
                    size.commits.load.value("failed", 0LL) + size.lookups.load.value("failed", 0LL));
    }
    for (const SizeRun& size : sizes) {
        for (const bench::Run* run : {&size.commits, &size.lookups}) {
            if (run->load.value("failed", 0LL) > 0) {
                std::printf("%s: not answered 2xx, by status (0: no answer): %s\n", run->name.c_str(),
                            run->load["errors"].dump().c_str());
            }
        }
    }
    if (sizes.size() < 2) return;
    const SizeRun &small = sizes.front(), &large = sizes.back();
    const auto ratio = [](const bench::Run& big, const bench::Run& little, const char* key) {
        const double base = figure(little, key);
        return base > 0 ? figure(big, key) / base : 0.0;
    };
    std::printf("%-10s %10.2f %10.2f %10.2f %12s %10s %10.2f %10.2f %10.2f\n",
                (std::to_string(large.members / 1000) + "k/" + std::to_string(small.members / 1000) + "k").c_str(),
                ratio(large.commits, small.commits, "per_second"), ratio(large.commits, small.commits, "p50_ms"),
                ratio(large.commits, small.commits, "p99_ms"), "", "",
                ratio(large.lookups, small.lookups, "per_second"), ratio(large.lookups, small.lookups, "p50_ms"),
                ratio(large.lookups, small.lookups, "p99_ms"));
    const double commit_ratio = ratio(large.commits, small.commits, "per_second");
    const double lookup_ratio = ratio(large.lookups, small.lookups, "p50_ms");
    std::printf("commit rate within 10%%: %s (%.2f); look-up p50 within 10%%: %s (%.2f)\n",
                commit_ratio >= 0.9 ? "yes" : "NO", commit_ratio, lookup_ratio <= 1.1 ? "yes" : "NO", lookup_ratio);
}

// Part 1: the demo programme at the small size and then the large one, a patrond serving it.
void till_at_sizes(long long small, long long large) {
    const int seconds = static_cast<int>(bench::size_from_environment("PATRON_BENCH_SECONDS", 1, 15));
    const int terminals = static_cast<int>(bench::size_from_environment("PATRON_BENCH_TERMINALS", 1, 50));
    const int connections = static_cast<int>(bench::size_from_environment("PATRON_BENCH_CONNECTIONS", 1, 32));
    const int lookup_rate = static_cast<int>(bench::size_from_environment("PATRON_BENCH_LOOKUP_RATE", 1, 1000));
    testing::TestDatabase database{false};
    testing::DemoSetup setup(database.url());
    soci::session& sql = database.raw();
    bench::SeededProgramme programme;
    sql << "SELECT CAST(id AS SIGNED), card_prefix FROM programs WHERE code = 'DEMO'", soci::into(programme.id),
        soci::into(programme.card_prefix);
    soci::indicator tier_indicator = soci::i_null;
    sql << "SELECT tier FROM member_accounts ORDER BY member_id LIMIT 1", soci::into(programme.tier, tier_indicator);
    if (tier_indicator != soci::i_ok) programme.tier.clear();
    const std::string cards_file = setup.dir.path() + "/cards.txt";

    auto environment = setup.environment();
    environment["PATRON_THREADS"] = std::to_string(bench::size_from_environment("PATRON_THREADS", 1, 2));
    environment["PATRON_DB_POOL"] = std::to_string(bench::size_from_environment("PATRON_DB_POOL", 1, 32));
    environment["PATRON_WORKERS"] = std::to_string(bench::size_from_environment("PATRON_WORKERS", 1, 32));
    environment["PATRON_INSIGHT_REFRESH"] = "0";
    std::optional<testing::PatrondProcess> server;
    const std::optional<pid_t> mariadbd = bench::mariadbd_pid();
    std::vector<SizeRun> runs;
    long long seeded = 0;
    for (const long long members : {small, large}) {
        if (members <= seeded) continue;
        std::printf("seeding members %lld..%lld of the demo programme:\n", seeded + 1, members);
        const auto started = Stopwatch::now();
        bench::seed_members(sql, programme, seeded + 1, members - seeded, bench::SeededLots{});
        check_cards(sql, programme.card_prefix, members);
        write_cards(cards_file, programme.card_prefix, members);
        std::printf("  %-48s %6.1f s\n", "seeded", seconds_since(started));
        seeded = members;
        roll_up(database.database());
        settle(sql);
        if (!server) server.emplace(environment, setup.dir.path());
        const std::string url = server->url("");
        const std::vector<std::string> common = {"--url=" + url.substr(0, url.size() - (url.ends_with("/") ? 1 : 0)),
                                                 "--token=" + setup.demo["staff_token"].get<std::string>(),
                                                 "--terminals=" + std::to_string(terminals),
                                                 "--seconds=" + std::to_string(seconds), "--cards=" + cards_file};
        const auto with = [&common](std::vector<std::string> more) {
            more.insert(more.begin(), common.begin(), common.end());
            return more;
        };
        SizeRun run;
        run.members = members;
        // Look-ups first: a closed-loop run leaves patrond's queue full for a while after it ends.
        run.lookups = bench::run_load("card look-ups at " + std::to_string(members) + " members, " +
                                          std::to_string(lookup_rate) + " per second offered",
                                      with({"--work=cards", "--mode=open", "--rate=" + std::to_string(lookup_rate)}),
                                      &sql, server->pid(), mariadbd);
        run.commits = bench::run_load(
            "commits at " + std::to_string(members) + " members, " + std::to_string(connections) + " connections",
            with({"--work=purchases", "--connections=" + std::to_string(connections)}), &sql, server->pid(), mariadbd);
        runs.push_back(std::move(run));
    }
    print_sizes(runs);
    std::printf(
        "commits: closed-loop, %d connections, %d s; look-ups: open-loop at %d per second offered, %d s;\n"
        "both for cards drawn at random from all the members; stmts: MariaDB statements per request;\n"
        "db cpu: mariadbd's CPU per request (with PATRON_BENCH_DB_DIR)\n",
        connections, seconds, lookup_rate, seconds);
    std::fflush(stdout);
}

// Part 2: `lots` due lots, `per_member` a member, expired as patrond's minute job does it.
void expiry(long long lots, int per_member) {
    const long long members = (lots + per_member - 1) / per_member;
    testing::TestDatabase database;
    soci::session& sql = database.raw();
    sql << "INSERT INTO programs (code, name, currency, country_calling_code, language, card_prefix, created_at,"
           " point_value_minor, time_zone) VALUES ('EXPIRY', 'Expiry', 'IRR', '98', 'fa', '7002', UTC_TIMESTAMP(6),"
           " 1000, 'Asia/Tehran')";
    bench::SeededProgramme programme{count_of(sql, "SELECT LAST_INSERT_ID()"), "7002", ""};
    std::printf("\nseeding %lld members with %d due lots each:\n", members, per_member);
    const auto seeding = Stopwatch::now();
    bench::seed_members(sql, programme, 1, members,
                        bench::SeededLots{per_member, 100, "@now - INTERVAL 366 DAY", "@now - INTERVAL 1 DAY"});
    std::printf("  %-48s %6.1f s\n", "seeded", seconds_since(seeding));
    settle(sql);
    const std::string due =
        "SELECT COUNT(*) FROM point_lots WHERE state = 'available' AND expires_at <= UTC_TIMESTAMP(6)";
    const long long due_before = count_of(sql, due);

    service::SystemClock clock;
    service::PointsMaintenanceService maintenance(database.database(), clock);
    const bench::StatementCounts before = bench::statement_counts(sql);
    const auto started = Stopwatch::now();
    const auto run = maintenance.run_all_due();  // As patrond's minute job calls it: no progress counted.
    if (!run) throw std::runtime_error("run_all_due: " + run.error().message);
    const service::MaintenanceReport& total = *run;
    const double elapsed = seconds_since(started);
    const bench::StatementCounts after = bench::statement_counts(sql);
    const long long due_after = count_of(sql, due);
    const long long expired = due_before - due_after;
    const auto per_member_statements =
        bench::statements_per_request(before, after, static_cast<double>(std::max(1LL, total.members)));
    std::printf("\n%-12s %10s %10s %10s %10s %14s %12s\n", "lots due", "expired", "seconds", "lots/s", "members/s",
                "stmts/member", "commits/s");
    std::printf("%-12lld %10lld %10.1f %10.0f %10.0f %14.3f %12.0f\n", due_before, expired, elapsed,
                static_cast<double>(expired) / elapsed, static_cast<double>(total.members) / elapsed,
                per_member_statements.all,
                per_member_statements.by_kind.contains("commit")
                    ? per_member_statements.by_kind.at("commit") * static_cast<double>(total.members) / elapsed
                    : 0.0);
    std::string kinds;
    for (const auto& [kind, count] : per_member_statements.by_kind) {
        char part[64];
        std::snprintf(part, sizeof part, "%s%s %.2f", kinds.empty() ? "" : ", ", kind.c_str(), count);
        kinds += part;
    }
    std::printf("statements per member (%d lot%s each), by kind: %s\n", per_member, per_member == 1 ? "" : "s",
                kinds.c_str());
    std::printf("%lld members' lots expired, %lld points; %s; under a minute: %s\n", total.members, total.points,
                due_after == 0 ? "nothing left due" : (std::to_string(due_after) + " lots still due").c_str(),
                due_after == 0 && elapsed < 60 ? "yes" : "NO");
    std::fflush(stdout);
    if (bench::size_from_environment("PATRON_BENCH_EXPIRY_VERIFY", 0, lots <= 200'000 ? 1 : 0) != 0) {
        const auto verifying = Stopwatch::now();
        const auto found = maintenance.verify();
        if (!found) {
            std::printf("verify: %s\n", found.error().message.c_str());
        } else {
            std::printf("verify: %zu disagreements between ledger, balances and lots (%.1f s)\n", found->size(),
                        seconds_since(verifying));
            for (std::size_t i = 0; i < found->size() && i < 5; ++i) std::printf("  %s\n", (*found)[i].c_str());
        }
    }
}

}  // namespace

int main() {
    try {
        const long long small = bench::size_from_environment("PATRON_BENCH_SCALE_SMALL", 0, 100'000);
        const long long large = bench::size_from_environment("PATRON_BENCH_SCALE_MEMBERS", 0, 1'000'000);
        const long long lots = bench::size_from_environment("PATRON_BENCH_EXPIRY_LOTS", 0, 1'000'000);
        const int per_member =
            static_cast<int>(bench::size_from_environment("PATRON_BENCH_EXPIRY_LOTS_PER_MEMBER", 1, 1));
        if (small > 0 || large > 0) till_at_sizes(small, large);
        if (lots > 0) expiry(lots, per_member);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "scale_bench: %s\n", error.what());
        return 1;
    }
    return 0;
}
