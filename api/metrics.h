// Prometheus metrics kept in memory: requests by route template, method and status, a latency
// histogram per route, the housekeeping jobs' runs, and families read at scrape time (the worker
// pools, the database pool and its counters, what the monitor job last saw). Every family is
// declared from the start, so a scrape names all of them before the first request or job run.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace patron::api {

class Metrics {
  public:
    // One sample of a family: its labels as Prometheus text (`pool="requests"`, or empty) and value.
    struct Sample {
        std::string labels;
        double value = 0;
    };
    // A histogram read from elsewhere: how many at or under each bound (cumulative), all, their sum.
    struct HistogramReading {
        std::vector<double> bounds_s;
        std::vector<std::uint64_t> within;
        std::uint64_t count = 0;
        double sum_s = 0;
    };

    void record(const std::string& method, const std::string& route, int status, std::chrono::microseconds duration);
    // A gauge without labels.
    void add_gauge(std::string name, std::string help, std::function<double()> read);
    // A family of type "gauge" or "counter" whose samples are read at each scrape.
    void add_family(std::string name, std::string type, std::string help, std::function<std::vector<Sample>()> read);
    void add_histogram(std::string name, std::string help, std::function<HistogramReading()> read);

    // A housekeeping job: declared at start, then each run with its time and outcome.
    void declare_job(const std::string& job);
    void record_job(const std::string& job, std::chrono::steady_clock::duration took, bool ok,
                    std::chrono::system_clock::time_point finished);

    std::string render() const;

  private:
    static constexpr std::array<double, 12> kBuckets_s = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                          0.1,   0.25,   0.5,   1,    2.5,   5};
    struct Histogram {
        std::array<std::uint64_t, kBuckets_s.size()> buckets{};
        std::uint64_t count = 0;
        double sum_s = 0;
    };
    struct Family {
        std::string name;
        std::string type;
        std::string help;
        std::function<std::vector<Sample>()> read;
    };
    struct ReadHistogram {
        std::string name;
        std::string help;
        std::function<HistogramReading()> read;
    };
    struct Job {
        std::uint64_t ok = 0;
        std::uint64_t failed = 0;
        double last_duration_s = 0;
        double last_success_s = 0;  // Unix time; 0 before the first success.
    };

    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::vector<Family> families_;
    std::vector<ReadHistogram> histograms_;
    std::map<std::string, Job> jobs_;
};

}  // namespace patron::api
