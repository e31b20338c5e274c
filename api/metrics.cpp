#include "api/metrics.h"

#include <sstream>

namespace patron::api {

void Metrics::record(const std::string& method, const std::string& route, int status,
                     std::chrono::microseconds duration) {
    const double seconds = static_cast<double>(duration.count()) / 1e6;
    std::lock_guard lock(mutex_);
    ++requests_[{method, route, status}];
    Histogram& histogram = latency_[route];
    for (std::size_t i = 0; i < kBuckets_s.size(); ++i) {
        if (seconds <= kBuckets_s[i]) ++histogram.buckets[i];
    }
    ++histogram.count;
    histogram.sum_s += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP patron_http_requests_total HTTP requests by method, route template and status.\n"
        << "# TYPE patron_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        const auto& [method, route, status] = key;
        out << "patron_http_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\"" << status
            << "\"} " << count << "\n";
    }
    out << "# HELP patron_http_request_duration_seconds Time from request to response, by route template.\n"
        << "# TYPE patron_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
        for (std::size_t i = 0; i < kBuckets_s.size(); ++i) {
            out << "patron_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets_s[i]
                << "\"} " << histogram.buckets[i] << "\n";
        }
        out << "patron_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << histogram.count
            << "\n";
        out << "patron_http_request_duration_seconds_sum{route=\"" << route << "\"} " << histogram.sum_s << "\n";
        out << "patron_http_request_duration_seconds_count{route=\"" << route << "\"} " << histogram.count << "\n";
    }
    for (const Gauge& gauge : gauges_) {
        out << "# HELP " << gauge.name << " " << gauge.help << "\n# TYPE " << gauge.name << " gauge\n"
            << gauge.name << " " << gauge.read() << "\n";
    }
    return out.str();
}

}  // namespace patron::api
