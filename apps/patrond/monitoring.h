// What patrond's /metrics shows beyond requests: the database pool and its counters, the key ring,
// and what the monitor job last saw of the database and the webhook outbox (deploy/README.md).
// A scrape reads only memory: it never waits for the database.
#pragma once

#include <chrono>
#include <mutex>

#include "api/metrics.h"
#include "crypto/key_ring.h"
#include "loyalty/service/services.h"
#include "loyalty/store/db/database.h"

namespace patron::apps {

// The monitor job's findings and the keys file's last reload, kept for the next scrape.
class Monitored {
  public:
    // Checks readiness and reads the outbox's backlog; whether both answered.
    bool check(service::Services& services);
    void keys_reloaded(bool ok);

    struct Seen {
        bool database_up = false;  // The database answered the last check.
        bool ready = false;        // /readyz would have answered ready then.
        long long backlog = 0;     // Events waiting for webhook receivers.
        double oldest_s = 0;       // The oldest of them waited this long (0: none).
        bool keys_reload_ok = true;
        long long keys_reload_failures = 0;
    };
    Seen seen() const;

  private:
    mutable std::mutex mutex_;
    Seen seen_;
};

// Declares patrond's families beyond the requests' own (patron_build_info, patron_db_*,
// patron_ready, patron_outbox_*, patron_key_ring_*).
void describe_metrics(api::Metrics& metrics, const store::Database& database, const crypto::KeyRing& keys,
                      const Monitored& monitored);

}  // namespace patron::apps
