#include "apps/patrond/monitoring.h"

#include "version.h"

namespace patron::apps {

bool Monitored::check(service::Services& services) {
    const auto ready = services.readiness.check();
    const bool up = ready.has_value() || ready.error().code != core::ErrorCode::kUnavailable;
    const auto backlog = up ? services.webhooks.backlog() : core::Result<store::WebhookBacklog>();
    std::lock_guard lock(mutex_);
    seen_.database_up = up;
    seen_.ready = ready.has_value();
    if (up && backlog) {
        seen_.backlog = backlog->waiting;
        seen_.oldest_s = 0;
        if (backlog->oldest) {
            const auto waited = std::chrono::system_clock::now() - *backlog->oldest;
            seen_.oldest_s = std::max(0.0, std::chrono::duration<double>(waited).count());
        }
    }
    return up && backlog.has_value();
}

void Monitored::keys_reloaded(bool ok) {
    std::lock_guard lock(mutex_);
    seen_.keys_reload_ok = ok;
    if (!ok) ++seen_.keys_reload_failures;
}

Monitored::Seen Monitored::seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
}

void describe_metrics(api::Metrics& metrics, const store::Database& database, const crypto::KeyRing& keys,
                      const Monitored& monitored) {
    using Sample = api::Metrics::Sample;
    const double started_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    metrics.add_family("patron_build_info", "gauge", "This patrond's version, as a label.", [] {
        return std::vector<Sample>{{std::string("version=\"") + kPatronVersion + "\"", 1}};
    });
    metrics.add_gauge("patron_start_time_seconds", "When this patrond started (Unix time).",
                      [started_s] { return started_s; });

    metrics.add_gauge("patron_db_pool_size", "Database connections in the pool.",
                      [&database] { return static_cast<double>(database.pool_size()); });
    metrics.add_gauge("patron_db_pool_in_use", "Database connections in use.",
                      [&database] { return static_cast<double>(database.in_use()); });
    const auto counter = [&](const char* name, const char* help, std::uint64_t store::DatabaseCounters::*field) {
        metrics.add_family(name, "counter", help, [&database, field] {
            return std::vector<Sample>{{"", static_cast<double>(database.counters().*field)}};
        });
    };
    counter("patron_db_units_run_again_total",
            "Units of work run again after a deadlock or a Galera certification failure, since the start.",
            &store::DatabaseCounters::runs_again);
    counter("patron_db_deadlocks_total",
            "Deadlocks, lock wait time-outs and certification failures met by units of work, since the start.",
            &store::DatabaseCounters::deadlocks);
    counter("patron_db_unavailable_total",
            "Units of work that failed because the database could not be reached, the connection was lost or "
            "they deadlocked on every run (answered 503), since the start.",
            &store::DatabaseCounters::unavailable);
    metrics.add_histogram("patron_db_commit_duration_seconds", "Time of each COMMIT, with the writes sent with it.",
                          [&database] {
                              const store::DatabaseCounters counters = database.counters();
                              api::Metrics::HistogramReading reading;
                              reading.bounds_s.assign(store::kCommitBuckets_s.begin(), store::kCommitBuckets_s.end());
                              reading.within.assign(counters.commits_within.begin(), counters.commits_within.end());
                              reading.count = counters.commits;
                              reading.sum_s = counters.commit_seconds;
                              return reading;
                          });

    struct Reading {
        const char* name;
        const char* type;
        const char* help;
        double (*read)(const Monitored::Seen&);
    };
    const Reading readings[] = {
        {"patron_db_up", "gauge", "1 when the database answered the last check (every 15 s), else 0.",
         [](const Monitored::Seen& seen) { return seen.database_up ? 1.0 : 0.0; }},
        {"patron_ready", "gauge", "1 when /readyz would have answered ready at the last check, else 0.",
         [](const Monitored::Seen& seen) { return seen.ready ? 1.0 : 0.0; }},
        {"patron_outbox_backlog", "gauge",
         "Events waiting to be sent to webhook receivers (not handed out, or pending for an active subscription) "
         "at the last check.",
         [](const Monitored::Seen& seen) { return static_cast<double>(seen.backlog); }},
        {"patron_outbox_oldest_seconds", "gauge",
         "How long the oldest event waiting for a webhook receiver had waited at the last check (0: none).",
         [](const Monitored::Seen& seen) { return seen.oldest_s; }},
        {"patron_key_ring_last_reload_ok", "gauge",
         "1 when the keys file was last read without a fault (or had not changed), else 0.",
         [](const Monitored::Seen& seen) { return seen.keys_reload_ok ? 1.0 : 0.0; }},
        {"patron_key_ring_reload_failures_total", "counter",
         "Readings of the changed keys file that were refused, since the start.",
         [](const Monitored::Seen& seen) { return static_cast<double>(seen.keys_reload_failures); }},
    };
    for (const Reading& reading : readings) {
        metrics.add_family(reading.name, reading.type, reading.help, [&monitored, read = reading.read] {
            return std::vector<Sample>{{"", read(monitored.seen())}};
        });
    }
    metrics.add_gauge("patron_key_ring_master_keys", "Master keys held (the active one and older ones still read).",
                      [&keys] { return static_cast<double>(keys.masters()->keys.size()); });
}

}  // namespace patron::apps
