// Backtests at size: PATRON_BENCH_PURCHASES (100,000) member purchases of 3 lines each over 30 days
// by 2,000 members, with what the published rule gave each in the ledger, written straight into a
// fresh database (multi-row inserts); then a draft (points doubled on coffee with a daily cap, and
// 2% cashback) backtested over the window, and, as the ceiling measured in the same run, the same
// purchases only read (the plan and every chunk, nothing rated). Prints both rates. Needs
// PATRON_TEST_DB_URL (scripts/bench starts a MariaDB for it).
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench/bench_size.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/program/backtest_service.h"
#include "loyalty/service/program/rule_service.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/pos/backtest_store.h"
#include "tests/support/test_world.h"

namespace {

using namespace patron;
using Clock = std::chrono::steady_clock;

constexpr long long kMembers = 2000;
constexpr int kDays = 30;
constexpr int kRowsPerInsert = 1000;

double seconds_since(Clock::time_point started) {
    return std::chrono::duration<double>(Clock::now() - started).count();
}

// Runs the multi-row INSERT `head` VALUES rows(0..count-1), kRowsPerInsert rows a statement.
template <typename Row>
void insert_rows(soci::session& sql, const std::string& head, long long count, Row&& row) {
    for (long long from = 0; from < count; from += kRowsPerInsert) {
        std::ostringstream statement;
        statement << head << " VALUES ";
        for (long long i = from; i < std::min(count, from + kRowsPerInsert); ++i) {
            statement << (i == from ? "" : ", ");
            row(statement, i);
        }
        sql << statement.str();
    }
}

// Members 1..kMembers of the world's programme, and `count` purchases of theirs before the
// world's clock, each with 3 lines and the base rule's earning (1 point per 10,000) in the ledger.
void generate(testing::TestWorld& world, long long count) {
    soci::session& sql = world.db.raw();
    const std::string now = store::to_sql_time(world.clock.now());
    const long long program = world.program_id;
    sql << "SET SESSION foreign_key_checks = 0";
    sql << "START TRANSACTION";
    insert_rows(sql, "INSERT INTO members (id, program_id, status, created_at, updated_at)", kMembers,
                [&](std::ostream& out, long long i) {
                    out << "(" << i + 1000 << ", " << program << ", 'active', '" << now << "', '" << now << "')";
                });
    insert_rows(sql, "INSERT INTO member_accounts (member_id, program_id, tier, updated_at)", kMembers,
                [&](std::ostream& out, long long i) {
                    out << "(" << i + 1000 << ", " << program << ", 'Member', '" << now << "')";
                });
    const auto pos_time = [&](long long i) {
        const auto back = std::chrono::seconds((kDays * 86400LL) * (count - i) / (count + 1));
        return world.clock.now() - back;
    };
    const auto total = [](long long i) { return 900000 + 300000 + 100000 * (i % 5); };
    insert_rows(sql,
                "INSERT INTO purchases (id, program_id, store_id, terminal, business_day, receipt, member_id, currency,"
                " total, pos_time, pos_offset_minutes, received_at, rule_set_version, points_earned, request_sha256,"
                " response_status, response_body)",
                count, [&](std::ostream& out, long long i) {
                    const std::string at = store::to_sql_time(pos_time(i));
                    out << "(" << i + 1 << ", " << program << ", " << world.store_id << ", 'T07', '" << at.substr(0, 10)
                        << "', 'B" << i << "', " << 1000 + i % kMembers << ", 'IRR', " << total(i) << ", '" << at
                        << "', 210, '" << at << "', 1, " << (900000 + 100000 * (i % 5)) / 10000
                        << ", REPEAT(CHAR(0), 32), 201, '{}')";
                });
    insert_rows(sql,
                "INSERT INTO purchase_lines (purchase_id, line, sku, category, quantity_milli, unit_price, amount,"
                " discount)",
                count * 3, [&](std::ostream& out, long long k) {
                    const long long i = k / 3;
                    const long long line = k % 3;
                    if (line == 0) out << "(" << i + 1 << ", 1, 'COF-1', 'coffee', 2000, 450000, 900000, 0)";
                    if (line == 1) out << "(" << i + 1 << ", 2, 'GIFT', 'gift_card', 1000, 300000, 300000, 0)";
                    if (line == 2) {
                        const long long cake = 100000 * (i % 5);
                        out << "(" << i + 1 << ", 3, 'CAKE', 'bakery', 1000, " << cake << ", " << cake << ", 0)";
                    }
                });
    insert_rows(sql,
                "INSERT INTO ledger_transfers (id, program_id, kind, purchase_id, rule_id, rule_version, created_at)",
                count, [&](std::ostream& out, long long i) {
                    out << "(" << i + 1 << ", " << program << ", 'earn', " << i + 1 << ", 'base', 1, '" << now << "')";
                });
    insert_rows(sql, "INSERT INTO ledger_entries (transfer_id, account, member_id, amount)", count * 2,
                [&](std::ostream& out, long long k) {
                    const long long i = k / 2;
                    const long long points = (900000 + 100000 * (i % 5)) / 10000;
                    if (k % 2 == 0)
                        out << "(" << i + 1 << ", 'member_available', " << 1000 + i % kMembers << ", " << points << ")";
                    if (k % 2 == 1) out << "(" << i + 1 << ", 'program_issued', NULL, " << -points << ")";
                });
    sql << "COMMIT";
    sql << "SET SESSION foreign_key_checks = 1";
}

}  // namespace

int main() {
    const long long count = bench::size_from_environment("PATRON_BENCH_PURCHASES", 1000, 100'000);
    testing::TestWorld world;
    auto started = Clock::now();
    generate(world, count);
    std::printf("generating %lld purchases of 3 lines (multi-row inserts): %.2f s\n", count, seconds_since(started));

    service::RuleService rules(world.db.database(), world.keys, world.clock);
    const auto drafted = rules.replace_draft({world.program_id, "bench", core::StaffRole::kMarketer},
                                             core::RuleDocument(nlohmann::json::parse(R"({
            "rules": [
              {"id": "base", "name": "Club points", "points": 1, "per_amount": 10000,
               "conditions": {"exclude_categories": ["gift_card"]}},
              {"id": "coffee_double", "name": "Coffee double", "points": 1, "per_amount": 10000,
               "conditions": {"categories": ["coffee"]}, "limits": {"per_day": 100}}],
            "cashback": [{"id": "cb2", "name": "Two percent back", "percent": 2}]})")));
    if (!drafted) {
        std::fprintf(stderr, "draft: %s\n", drafted.error().message.c_str());
        return 1;
    }
    world.clock.set(world.clock.now() + std::chrono::hours(24));
    service::BacktestService backtests(world.db.database(), world.keys, world.clock, world.random);
    const auto window =
        backtests.window(world.program_id, {core::parse_date("2026-10-19"), core::parse_date("2026-11-18")});
    if (!window) return 1;

    // The ceiling: the same reads, nothing rated.
    started = Clock::now();
    long long read = 0;
    const auto plan = world.db.database().transact_for<store::BacktestPlan>([&](soci::session& sql) {
        return core::Result<store::BacktestPlan>(store::plan_backtest(
            sql, world.program_id, window->starts_at, window->ends_at, window->ends_at, core::kBacktestPurchasesMax));
    });
    for (std::size_t at = 0; plan && at < plan->ids.size(); at += 1000) {
        const std::span<const long long> chunk(plan->ids.data() + at,
                                               std::min<std::size_t>(1000, plan->ids.size() - at));
        const auto purchases = world.db.database().transact_for<long long>([&](soci::session& sql) {
            const auto rows = store::read_backtest_purchases(sql, chunk);
            std::vector<long long> members;
            for (const auto& past : rows) members.push_back(past.member_id);
            std::sort(members.begin(), members.end());
            members.erase(std::unique(members.begin(), members.end()), members.end());
            (void)store::read_backtest_members(sql, members, {}, window->starts_at);  // Only timed.
            return core::Result<long long>(static_cast<long long>(rows.size()));
        });
        read += purchases.value_or(0);
    }
    const double read_s = seconds_since(started);
    std::printf("reading only (plan and chunks of 1,000, nothing rated): %lld purchases in %.2f s, %.0f purchases/s\n",
                read, read_s, static_cast<double>(read) / read_s);

    started = Clock::now();
    service::BacktestProgress progress;
    const auto report = backtests.run(world.program_id, *window, progress);
    const double run_s = seconds_since(started);
    if (!report) {
        std::fprintf(stderr, "backtest: %s\n", report.error().message.c_str());
        return 1;
    }
    const auto whole = [](std::int64_t value) { return static_cast<long long>(value); };
    std::printf("backtest (read and rate): %lld purchases in %.2f s, %.0f purchases/s\n", whole(report->rated), run_s,
                static_cast<double>(report->rated) / run_s);
    std::printf("draft %lld points and %lld cashback to %lld members; published %lld points\n",
                whole(report->draft.points), whole(report->draft.cashback), whole(report->draft.members),
                whole(report->published.points));
    return 0;
}
