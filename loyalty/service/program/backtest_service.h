// Backtests of the draft rule set (core/backtest.h): the purchases of a past window rated with the
// draft, nothing written. The shell around the core: it validates the window in the programme's
// time zone, plans the purchases (at most 100,000), reads them 1,000 at a time (one short
// consistent read per chunk, nothing locked) and hands them to the core in commit order.
//
// Run synchronously (patronctl) or as a background job on a thread of its own, never on the
// HTTP workers: one running job per programme, a few at most in all, each cancellable between
// chunks; a job's result is kept in memory for an hour after it ends (and lost on a restart).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/backtest.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

// The window's local dates; either may be left out (core::backtest_window says the defaults).
struct BacktestRequest {
    std::optional<core::LocalDate> from;
    std::optional<core::LocalDate> to;
};

// What a running backtest shares with whoever watches it: how far it is, and a request to stop.
struct BacktestProgress {
    std::atomic<bool> cancel{false};
    std::atomic<long long> rated{0};
    std::atomic<long long> total{0};  // Known once the window is planned.
};

enum class BacktestState { kRunning, kDone, kCancelled, kFailed };
std::string_view backtest_state_name(BacktestState state);

// A job as its callers see it.
struct BacktestJobView {
    std::string id;
    BacktestState state = BacktestState::kRunning;
    long long rated = 0;
    long long total = 0;
    std::string started_by;
    core::Timestamp started_at;
    std::optional<core::Timestamp> finished_at;
    std::optional<core::BacktestReport> report;  // When done.
    std::optional<core::Error> error;            // When failed.
};

struct BacktestLimits {
    std::size_t running_max = 2;      // Jobs running at once, all programmes together.
    std::chrono::seconds kept{3600};  // How long a finished job's result is kept.
    std::size_t chunk = 1000;         // Purchases per read.
    long long purchases_max = core::kBacktestPurchasesMax;
};

class BacktestService {
  public:
    BacktestService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                    crypto::RandomSource& random, BacktestLimits limits = {});
    ~BacktestService();
    BacktestService(const BacktestService&) = delete;
    BacktestService& operator=(const BacktestService&) = delete;

    // The window the request names, validated in the programme's time zone.
    core::Result<core::BacktestWindow> window(long long program_id, const BacktestRequest& request);
    // Rates the window's purchases with the draft, on the calling thread; NOT_AVAILABLE once
    // `progress.cancel` is set (checked between chunks).
    core::Result<core::BacktestReport> run(long long program_id, const core::BacktestWindow& window,
                                           BacktestProgress& progress);

    // Starts a job for the caller's programme (admin and marketer) and waits up to `wait` for it
    // to end. ALREADY_RUNNING while another of the programme runs, OVERLOADED when `running_max`
    // jobs run, UNAVAILABLE once stopping.
    core::Result<BacktestJobView> start(const StaffIdentity& staff, const BacktestRequest& request,
                                        std::chrono::milliseconds wait);
    // A job of the caller's programme (every role but support); NOT_FOUND for any other id.
    core::Result<BacktestJobView> job(const StaffIdentity& staff, const std::string& id);
    // Asks a running job to stop (admin and marketer) and waits up to `wait` for it; an ended job is left as it is.
    core::Result<BacktestJobView> cancel(const StaffIdentity& staff, const std::string& id,
                                         std::chrono::milliseconds wait);
    // Cancels every job and waits for their threads (patrond's shutdown).
    void stop();

  private:
    struct Job;

    core::Result<std::shared_ptr<Job>> find(const StaffIdentity& staff, const std::string& id);
    void forget_expired();
    // run() for a job's thread: an exception becomes an INTERNAL failure of the job.
    core::Result<core::BacktestReport> guarded_run(Job& job, const core::BacktestWindow& window);
    void finish(Job& job, core::Result<core::BacktestReport> outcome);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
    const BacktestLimits limits_;
    std::mutex mutex_;  // Guards jobs_ and stopping_.
    std::map<std::string, std::shared_ptr<Job>> jobs_;
    bool stopping_ = false;
};

}  // namespace patron::service
