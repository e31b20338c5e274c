#include "api/metrics.h"

#include <sstream>

namespace patron::api {
namespace {

void write_header(std::ostringstream& out, const std::string& name, const std::string& type, const std::string& help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

std::string braced(const std::string& labels) { return labels.empty() ? "" : "{" + labels + "}"; }

std::string with_le(const std::string& labels, const std::string& le) {
    return "{" + (labels.empty() ? "" : labels + ",") + "le=\"" + le + "\"}";
}

}  // namespace

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
    add_family(std::move(name), "gauge", std::move(help), [read = std::move(read)] {
        return std::vector<Sample>{Sample{"", read()}};
    });
}

void Metrics::add_family(std::string name, std::string type, std::string help,
                         std::function<std::vector<Sample>()> read) {
    std::lock_guard lock(mutex_);
    families_.push_back(Family{std::move(name), std::move(type), std::move(help), std::move(read)});
}

void Metrics::add_histogram(std::string name, std::string help, std::function<HistogramReading()> read) {
    std::lock_guard lock(mutex_);
    histograms_.push_back(ReadHistogram{std::move(name), std::move(help), std::move(read)});
}

void Metrics::declare_job(const std::string& job) {
    std::lock_guard lock(mutex_);
    jobs_.try_emplace(job);
}

void Metrics::record_job(const std::string& job, std::chrono::steady_clock::duration took, bool ok,
                         std::chrono::system_clock::time_point finished) {
    std::lock_guard lock(mutex_);
    Job& stats = jobs_[job];
    ++(ok ? stats.ok : stats.failed);
    stats.last_duration_s = std::chrono::duration<double>(took).count();
    if (ok) stats.last_success_s = std::chrono::duration<double>(finished.time_since_epoch()).count();
}

std::string Metrics::render() const {
    std::ostringstream out;
    out.precision(15);
    std::lock_guard lock(mutex_);
    write_header(out, "patron_http_requests_total", "counter", "HTTP requests by method, route template and status.");
    for (const auto& [key, count] : requests_) {
        const auto& [method, route, status] = key;
        out << "patron_http_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\"" << status
            << "\"} " << count << "\n";
    }
    write_header(out, "patron_http_request_duration_seconds", "histogram",
                 "Time from request to response, by route template.");
    for (const auto& [route, histogram] : latency_) {
        const std::string labels = "route=\"" + route + "\"";
        for (std::size_t i = 0; i < kBuckets_s.size(); ++i) {
            std::ostringstream bound;
            bound << kBuckets_s[i];
            out << "patron_http_request_duration_seconds_bucket" << with_le(labels, bound.str()) << " "
                << histogram.buckets[i] << "\n";
        }
        out << "patron_http_request_duration_seconds_bucket" << with_le(labels, "+Inf") << " " << histogram.count
            << "\n";
        out << "patron_http_request_duration_seconds_sum{" << labels << "} " << histogram.sum_s << "\n";
        out << "patron_http_request_duration_seconds_count{" << labels << "} " << histogram.count << "\n";
    }
    for (const Family& family : families_) {
        write_header(out, family.name, family.type, family.help);
        for (const Sample& sample : family.read())
            out << family.name << braced(sample.labels) << " " << sample.value << "\n";
    }
    for (const ReadHistogram& histogram : histograms_) {
        write_header(out, histogram.name, "histogram", histogram.help);
        const HistogramReading reading = histogram.read();
        for (std::size_t i = 0; i < reading.bounds_s.size() && i < reading.within.size(); ++i) {
            std::ostringstream bound;
            bound << reading.bounds_s[i];
            out << histogram.name << "_bucket" << with_le("", bound.str()) << " " << reading.within[i] << "\n";
        }
        out << histogram.name << "_bucket" << with_le("", "+Inf") << " " << reading.count << "\n"
            << histogram.name << "_sum " << reading.sum_s << "\n"
            << histogram.name << "_count " << reading.count << "\n";
    }
    write_header(out, "patron_job_runs_total", "counter",
                 "Runs of each housekeeping task (label task, since Prometheus keeps job for its own), by outcome.");
    for (const auto& [job, stats] : jobs_) {
        out << "patron_job_runs_total{task=\"" << job << "\",outcome=\"ok\"} " << stats.ok << "\n"
            << "patron_job_runs_total{task=\"" << job << "\",outcome=\"failed\"} " << stats.failed << "\n";
    }
    write_header(out, "patron_job_last_duration_seconds", "gauge", "How long each job's last run took.");
    for (const auto& [job, stats] : jobs_) {
        out << "patron_job_last_duration_seconds{task=\"" << job << "\"} " << stats.last_duration_s << "\n";
    }
    write_header(out, "patron_job_last_success_timestamp_seconds", "gauge",
                 "When each job last ran without a failure (Unix time; 0: not yet since the start).");
    for (const auto& [job, stats] : jobs_) {
        out << "patron_job_last_success_timestamp_seconds{task=\"" << job << "\"} " << stats.last_success_s << "\n";
    }
    return out.str();
}

}  // namespace patron::api
