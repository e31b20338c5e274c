// Reports at the scale of issue 17, on the programme insight_data generated (1,000,000 members,
// 10,000,000 ledger entries over a year, 20 stores): the Points & cashback report of the last 30
// days by day, by day per store, and as one total (the liability with its breakage), and the
// Members report of the last 30 days by day per store, through the services as the API runs them;
// then the same Members report counted as it was before the accounts kept their first and last
// purchases (tests/support/members_recount.h: a look-up per buyer and per member), once; then the
// Rewards report of the same 30 days, in total and per store, from what the roll-up summed per
// day, store and member and the ledger after its mark, and once each as it was read before, from
// the ledger itself (per rule, with distinct purchases and members), with whether both say the
// same (same_figures 1). Each is printed beside a ceiling measured in the same
// run, a full scan of the ledger (SELECT COUNT(*) FROM ledger_entries), as a ratio to it. Issue 17
// asks each report to answer in under 2 seconds.
//   PATRON_TEST_DB_URL  the server; the database is PATRON_BENCH_INSIGHT_DB (patron_insight).
#include <benchmark/benchmark.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "loyalty/core/rewards_report_document.h"
#include "loyalty/service/insight/members_report_service.h"
#include "loyalty/service/insight/points_report_service.h"
#include "loyalty/service/insight/rewards_report_service.h"
#include "tests/support/members_recount.h"
#include "tests/support/test_database.h"

namespace {

using namespace patron;

std::unique_ptr<store::Database> database;
double full_scan_s = 0;

// The median of a few full scans of the ledger's entries.
double measure_full_scan(const std::string& url) {
    soci::session sql(soci::mysql, store::soci_connection_string(url).value());
    std::vector<double> seconds;
    for (int i = 0; i < 5; ++i) {
        long long rows = 0;
        const auto started = std::chrono::steady_clock::now();
        sql << "SELECT COUNT(*) FROM ledger_entries", soci::into(rows);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (i == 0) std::printf("ceiling: SELECT COUNT(*) FROM ledger_entries over %lld rows\n", rows);
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

// Times `make()` (a report's Result) per iteration; `rows_of` counts the rows of an answer.
template <typename Make, typename RowsOf>
void time_report(benchmark::State& state, Make&& make, RowsOf&& rows_of) {
    std::size_t rows = 0;
    std::chrono::duration<double> spent{0};
    for (auto _ : state) {
        const auto started = std::chrono::steady_clock::now();
        const auto answer = make();
        spent += std::chrono::steady_clock::now() - started;
        if (!answer) {
            state.SkipWithError(answer.error().message.c_str());
            return;
        }
        rows = rows_of(*answer);
        benchmark::DoNotOptimize(rows);
    }
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["full_scan_s"] = full_scan_s;
    state.counters["ratio_to_full_scan"] = spent.count() / static_cast<double>(state.iterations()) / full_scan_s;
}

// A Points or Members report (services alike) of the last 30 days.
template <typename Service>
void report(benchmark::State& state, core::PeriodSize by, bool by_store) {
    service::SystemClock clock;
    Service reports(*database, clock);
    core::ReportRequest request;
    request.by = by;
    request.by_store = by_store;
    time_report(
        state, [&] { return reports.report_of_program(1, request); },
        [](const auto& answer) { return answer.periods.size() * (1 + answer.periods.front().stores.size()); });
}

using service::MembersReportService;
using service::PointsReportService;

void BM_MonthByDay(benchmark::State& state) { report<PointsReportService>(state, core::PeriodSize::kDay, false); }
void BM_MonthByDayPerStore(benchmark::State& state) {
    report<PointsReportService>(state, core::PeriodSize::kDay, true);
}
void BM_MonthLiability(benchmark::State& state) { report<PointsReportService>(state, core::PeriodSize::kTotal, false); }
void BM_MembersMonthByDayPerStore(benchmark::State& state) {
    report<MembersReportService>(state, core::PeriodSize::kDay, true);
}

// The recount the Members report is tested against, as the report was counted before.
class MembersRecount {
  public:
    MembersRecount(store::Database& database, const service::Clock& clock) : database_(database), clock_(clock) {}
    core::Result<core::MembersReport> report_of_program(long long program_id, const core::ReportRequest& request) {
        return database_.transact_for<core::MembersReport>(
            [&](soci::session& sql) -> core::Result<core::MembersReport> {
                return testing::recount_members_report(sql, program_id, request, clock_.now());
            });
    }

  private:
    store::Database& database_;
    const service::Clock& clock_;
};

void BM_MembersMonthByDayPerStoreRecount(benchmark::State& state) {
    report<MembersRecount>(state, core::PeriodSize::kDay, true);
}

void rewards(benchmark::State& state, bool by_store, store::LedgerReading reading) {
    service::SystemClock clock;
    service::RewardsReportService reports(*database, clock, reading);
    core::ReportRequest request;
    request.by_store = by_store;
    std::optional<core::RewardsReport> last;
    time_report(
        state,
        [&] {
            auto answer = reports.report_of_program(1, request);
            if (answer) last = *answer;
            return answer;
        },
        [](const core::RewardsReport& answer) { return answer.rows.size(); });
    if (reading == store::LedgerReading::kRolledUp || !last) return;
    const auto rolled_up = service::RewardsReportService(*database, clock).report_of_program(1, request);
    state.counters["same_figures"] =
        rolled_up && core::rewards_report_json(*last) == core::rewards_report_json(*rolled_up) ? 1 : 0;
}

void BM_RewardsMonth(benchmark::State& state) { rewards(state, false, store::LedgerReading::kRolledUp); }
void BM_RewardsMonthPerStore(benchmark::State& state) { rewards(state, true, store::LedgerReading::kRolledUp); }
void BM_RewardsMonthFromLedger(benchmark::State& state) { rewards(state, false, store::LedgerReading::kLedgerOnly); }
void BM_RewardsMonthPerStoreFromLedger(benchmark::State& state) {
    rewards(state, true, store::LedgerReading::kLedgerOnly);
}

BENCHMARK(BM_MonthByDay)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_MonthByDayPerStore)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_MonthLiability)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_MembersMonthByDayPerStore)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_MembersMonthByDayPerStoreRecount)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_RewardsMonth)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_RewardsMonthPerStore)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_RewardsMonthFromLedger)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_RewardsMonthPerStoreFromLedger)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
    const char* name = std::getenv("PATRON_BENCH_INSIGHT_DB");
    const std::string url = testing::database_url(name != nullptr ? name : "patron_insight");
    database = std::make_unique<store::Database>(store::DatabaseSettings{url, 2});
    full_scan_s = measure_full_scan(url);
    std::printf("ceiling: %.3f s (median of 5)\n", full_scan_s);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
