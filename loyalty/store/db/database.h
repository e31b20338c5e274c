// The database: a bounded pool of SOCI sessions to MariaDB and the one way to use them, a
// unit of work run inside a transaction. Sessions are never shared between threads. A lost
// connection makes the session be rebuilt on next use, so Patron recovers by itself when
// MariaDB comes back; while it is away every call fails fast with UNAVAILABLE.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"

namespace soci {
class session;
}

namespace patron::store {

struct DatabaseSettings {
    // mysql://user:password@host:port/database, or with ?socket=/path/to/mysqld.sock
    std::string url;
    std::size_t pool_size = 16;
    std::chrono::milliseconds acquire_timeout{2000};
    int connect_timeout_s = 2;
    int read_timeout_s = 30;
    // After a connection could not be made, or one made just now was lost: how long every
    // request is answered UNAVAILABLE at once instead of waiting out its own time-outs, so that
    // a silent database does not fill the workers with stuck requests. After it one request
    // tries the database (the others still answered at once, one more each pause); the first
    // that works ends it. A pooled connection lost (the server closed it while it idled, or a
    // statement outlived the read time-out) does not start it.
    std::chrono::milliseconds unreachable_pause{1000};
    // On a Galera node, whether the first unit of work of a CausalReads scope (a request) waits
    // until the node has applied every write the cluster committed before it (wsrep_sync_wait), so
    // that a client sees what it wrote a moment ago through another node. Costs one round of the
    // cluster's group communication per request (docs/cluster.md); nothing on a single server.
    bool causal_reads = true;
};

// While one lives on this thread, the first unit of work this thread runs on a Galera node reads
// everything the cluster committed before that unit began (see DatabaseSettings::causal_reads);
// the units after it run on a node that has applied at least as much. The API opens one for each
// request.
class CausalReads {
  public:
    CausalReads();
    ~CausalReads();
    CausalReads(const CausalReads&) = delete;
    CausalReads& operator=(const CausalReads&) = delete;

  private:
    bool outer_;
};

// What a Galera node says of itself; a single server is `clustered` false and always ready.
struct ClusterState {
    bool clustered = false;              // wsrep_on
    bool ready = true;                   // wsrep_ready: it accepts queries
    std::string status = "Primary";      // wsrep_cluster_status: Primary, or non-Primary / Disconnected
    std::string local_state = "Synced";  // wsrep_local_state_comment: Synced, Donor/Desynced, Joining, ...
    // Whether a balancer may send it traffic: part of the primary component and Synced.
    bool serving() const { return !clustered || (ready && status == "Primary" && local_state == "Synced"); }
};
ClusterState read_cluster_state(soci::session& sql);

// The parts of a database URL (mysql://user:password@host:port/database?socket=/path).
struct DatabaseAddress {
    std::string user = "root";
    std::string password;
    std::string host;
    std::string port;
    std::string socket;
    std::string database;
};
core::Result<DatabaseAddress> parse_database_url(std::string_view url);

// The SOCI MySQL connection string for a database URL, or why the URL is unusable.
core::Result<std::string> soci_connection_string(std::string_view url);

using Work = std::function<core::Result<void>(soci::session&)>;

// The upper bounds, in seconds, of the COMMIT-time histogram a Database keeps.
inline constexpr std::array<double, 12> kCommitBuckets_s = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                            0.05,   0.1,   0.25,   0.5,   1,    2.5};

// What a Database counted since the start (patrond's /metrics).
struct DatabaseCounters {
    std::uint64_t runs_again = 0;   // units run again after a deadlock or a certification failure
    std::uint64_t deadlocks = 0;    // deadlocks, lock wait time-outs and certification failures met
    std::uint64_t unavailable = 0;  // units that failed UNAVAILABLE (unreachable, lost, deadlocked again)
    std::array<std::uint64_t, kCommitBuckets_s.size()> commits_within{};  // COMMITs within each bound
    std::uint64_t commits = 0;
    double commit_seconds = 0;  // Their time, summed.
};

// When a transaction's BEGIN is sent: at once, or with the first statements the unit sends through
// the store's runner (write_batch.h: run_each, send_pending_begin, a write() not deferred), one
// round trip fewer. Only for a unit whose very first statement goes that way: a SOCI statement
// ahead of it runs outside the transaction, committed by itself, and nothing can tell afterwards
// (a unit that sent nothing through the runner fails at its commit, which finds its BEGIN still
// owed; one that did later does not). On a Galera node, and inside an enclosing unit, at once.
enum class Begin { kAtOnce, kWithFirstStatements };

class Database {
  public:
    explicit Database(DatabaseSettings settings);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs work in one transaction: committed when it returns success, rolled back when it
    // returns an error or throws. A deadlock, or a connection lost before the commit was sent,
    // runs the whole unit again (a few times at most), so work must only touch the session. On
    // Galera a deadlock also comes as the answer to COMMIT (another node's commit of a write to
    // the same row was certified first): the transaction was rolled back, and runs again too,
    // where a connection lost after the COMMIT was sent leaves it unknown, and fails UNAVAILABLE.
    core::Result<void> transact(const Work& work);

    // Runs work on a pooled session in autocommit mode, with the same error translation.
    core::Result<void> run(const Work& work);

    // Runs work in one transaction that every unit this thread runs on this database meanwhile
    // joins: a transact() becomes a savepoint of it (rolled back to when that unit fails), a
    // run() runs inside it, and none takes another connection. Committed when work returns
    // success. A deadlock or a lost connection in any of them runs the whole of work again (a few
    // times at most), so work must be re-runnable and change nothing but the database. Keeps an
    // answer in the same transaction as the writes it answers (Idempotency-Key on staff writes).
    core::Result<void> enclose(const Work& work);

    // transact() and run() for work that returns a value.
    template <typename T, typename F>
    core::Result<T> transact_for(F&& work, Begin begin = Begin::kAtOnce) {
        return with_value<T>(work, begin == Begin::kAtOnce ? Mode::kTransaction : Mode::kTransactionBegunByWork);
    }
    template <typename T, typename F>
    core::Result<T> run_for(F&& work) {
        return with_value<T>(work, Mode::kAutocommit);
    }

    std::size_t pool_size() const { return slots_.size(); }
    std::size_t in_use() const;
    // Units run again after a deadlock or, on Galera, a certification failure, since the start.
    std::uint64_t runs_again() const { return runs_again_.load(std::memory_order_relaxed); }
    DatabaseCounters counters() const;

    struct Enclosing;  // The thread's enclosing unit: the store's own.

  private:
    struct Slot;
    class Lease;

    enum class Mode { kAutocommit, kTransaction, kTransactionBegunByWork, kEnclosing };

    template <typename T, typename F>
    core::Result<T> with_value(F& work, Mode mode) {
        std::optional<T> value;
        auto status = execute(
            [&](soci::session& sql) -> core::Result<void> {
                core::Result<T> result = work(sql);
                if (!result) return std::unexpected(result.error());
                value = std::move(*result);
                return {};
            },
            mode);
        if (!status) return std::unexpected(status.error());
        return std::move(*value);
    }

    core::Result<void> execute(const Work& work, Mode mode);
    core::Result<void> execute_unit(const Work& work, Mode mode);
    void count_deadlock() { deadlocks_.fetch_add(1, std::memory_order_relaxed); }
    void count_commit(std::chrono::steady_clock::duration took);
    core::Result<void> execute_inside(Enclosing& unit, const Work& work, bool transactional);
    static void roll_back_to(Enclosing& unit, const std::string& savepoint);
    core::Result<Lease> acquire(bool fresh);
    void release(std::size_t index, bool broken);
    void mark_unreachable();
    void mark_reachable();

    DatabaseSettings settings_;
    std::string connection_string_;
    std::vector<std::unique_ptr<Slot>> slots_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::atomic<std::chrono::steady_clock::rep> unreachable_until_{0};  // steady_clock ticks
    std::atomic<std::uint64_t> runs_again_{0};
    std::atomic<std::uint64_t> deadlocks_{0};
    std::atomic<std::uint64_t> unavailable_{0};
    std::array<std::atomic<std::uint64_t>, kCommitBuckets_s.size()> commits_within_{};
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> commit_microseconds_{0};
};

}  // namespace patron::store
