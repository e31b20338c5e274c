// Prometheus metrics kept in memory: requests by route template, method and status, a latency
// histogram per route, and gauges read at scrape time (database pool in use).
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace patron::api {

class Metrics {
  public:
    void record(const std::string& method, const std::string& route, int status, std::chrono::microseconds duration);
    void add_gauge(std::string name, std::string help, std::function<double()> read);
    std::string render() const;

  private:
    static constexpr std::array<double, 12> kBuckets_s = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                          0.1,   0.25,   0.5,   1,    2.5,   5};
    struct Histogram {
        std::array<std::uint64_t, kBuckets_s.size()> buckets{};
        std::uint64_t count = 0;
        double sum_s = 0;
    };
    struct Gauge {
        std::string name;
        std::string help;
        std::function<double()> read;
    };

    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::vector<Gauge> gauges_;
};

}  // namespace patron::api
