// What patrond's /metrics writes: Prometheus text whose every family is declared with its type,
// histograms with cumulative buckets, jobs named from the start, and the worker pools' counts.
#include "api/metrics.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "api/worker_pool.h"

namespace patron::api {
namespace {

using namespace std::chrono_literals;

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream lines(text);
    for (std::string each; std::getline(lines, each);) {
        if (each == line) return true;
    }
    return false;
}

TEST(Metrics, EverySampleBelongsToAFamilyDeclaredBeforeIt) {
    Metrics metrics;
    metrics.record("POST", "/v1/pos/purchases", 200, 3ms);
    metrics.add_gauge("patron_db_pool_size", "Connections.", [] { return 16.0; });
    metrics.add_family("patron_worker_queue_depth", "gauge", "Waiting.", [] {
        return std::vector<Metrics::Sample>{{"pool=\"requests\"", 2}, {"pool=\"reports\"", 0}};
    });
    metrics.declare_job("lot_expiry");
    const std::string text = metrics.render();
    std::set<std::string> declared;
    const std::regex type_line(R"(# TYPE (patron_[a-z_]+) (counter|gauge|histogram))");
    const std::regex sample_line(R"((patron_[a-z_]+)(\{[^}]*\})? -?[0-9.e+-]+)");
    std::istringstream lines(text);
    int samples = 0;
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (std::regex_match(line, match, type_line)) {
            declared.insert(match[1]);
        } else if (!line.starts_with("# HELP ")) {
            ASSERT_TRUE(std::regex_match(line, match, sample_line)) << line;
            std::string family = match[1];
            for (const char* suffix : {"_bucket", "_sum", "_count"}) {
                if (family.ends_with(suffix) && declared.contains(family.substr(0, family.size() - strlen(suffix)))) {
                    family = family.substr(0, family.size() - strlen(suffix));
                }
            }
            EXPECT_TRUE(declared.contains(family)) << line;
            ++samples;
        }
    }
    EXPECT_GT(samples, 10);
    EXPECT_TRUE(has_line(text, R"(patron_worker_queue_depth{pool="requests"} 2)")) << text;
    EXPECT_TRUE(has_line(text, "patron_db_pool_size 16")) << text;
}

TEST(Metrics, JobsAreNamedFromTheStartAndTellTheirLastSuccess) {
    Metrics metrics;
    metrics.declare_job("ledger_days");
    std::string text = metrics.render();
    EXPECT_TRUE(has_line(text, R"(patron_job_runs_total{task="ledger_days",outcome="ok"} 0)")) << text;
    EXPECT_TRUE(has_line(text, R"(patron_job_last_success_timestamp_seconds{task="ledger_days"} 0)")) << text;

    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1'764'000'000));
    metrics.record_job("ledger_days", 250ms, true, at);
    metrics.record_job("ledger_days", 1500ms, false, at + 60s);
    text = metrics.render();
    EXPECT_TRUE(has_line(text, R"(patron_job_runs_total{task="ledger_days",outcome="ok"} 1)")) << text;
    EXPECT_TRUE(has_line(text, R"(patron_job_runs_total{task="ledger_days",outcome="failed"} 1)")) << text;
    EXPECT_TRUE(has_line(text, R"(patron_job_last_duration_seconds{task="ledger_days"} 1.5)")) << text;
    EXPECT_TRUE(has_line(text, R"(patron_job_last_success_timestamp_seconds{task="ledger_days"} 1764000000)"))
        << "a failed run leaves the last success where it was: " << text;
}

TEST(Metrics, AHistogramReadFromElsewhereIsWrittenWithCumulativeBuckets) {
    Metrics metrics;
    metrics.add_histogram("patron_db_commit_duration_seconds", "Commits.", [] {
        return Metrics::HistogramReading{{0.001, 0.01}, {3, 5}, 6, 0.75};
    });
    const std::string text = metrics.render();
    EXPECT_TRUE(has_line(text, "# TYPE patron_db_commit_duration_seconds histogram")) << text;
    EXPECT_TRUE(has_line(text, R"(patron_db_commit_duration_seconds_bucket{le="0.001"} 3)")) << text;
    EXPECT_TRUE(has_line(text, R"(patron_db_commit_duration_seconds_bucket{le="0.01"} 5)")) << text;
    EXPECT_TRUE(has_line(text, R"(patron_db_commit_duration_seconds_bucket{le="+Inf"} 6)")) << text;
    EXPECT_TRUE(has_line(text, "patron_db_commit_duration_seconds_sum 0.75")) << text;
    EXPECT_TRUE(has_line(text, "patron_db_commit_duration_seconds_count 6")) << text;
}

TEST(WorkerPool, CountsWhatWaitsWhatRunsAndWhatAFullQueueRefused) {
    WorkerPool pool(1, 1);
    std::mutex mutex;
    std::condition_variable changed;
    bool started = false;
    bool release = false;
    ASSERT_TRUE(pool.try_submit([&] {
        std::unique_lock lock(mutex);
        started = true;
        changed.notify_all();
        changed.wait(lock, [&] { return release; });
    }));
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return started; }));
    }
    EXPECT_TRUE(pool.try_submit([] {}));   // Waits in the queue.
    EXPECT_FALSE(pool.try_submit([] {}));  // The queue is full.
    EXPECT_FALSE(pool.try_submit([] {}));
    EXPECT_EQ(pool.threads(), 1u);
    EXPECT_EQ(pool.capacity(), 1u);
    EXPECT_EQ(pool.busy(), 1u);
    EXPECT_EQ(pool.queued(), 1u);
    EXPECT_EQ(pool.rejected(), 2u);
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    changed.notify_all();
    pool.stop();
    EXPECT_EQ(pool.busy(), 0u);
    EXPECT_EQ(pool.queued(), 0u);
    EXPECT_EQ(pool.rejected(), 2u) << "stopping refuses nothing more";
}

}  // namespace
}  // namespace patron::api
