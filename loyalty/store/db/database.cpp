#include "loyalty/store/db/database.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <functional>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "loyalty/store/db/database_error.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/write_batch.h"

namespace patron::store {
namespace {

using core::ErrorCode;
using core::fail;

// Runs of a unit a deadlock or a certification failure may take. On a single server deadlocks are
// rare; on Galera every commit that loses a race for a row to another node's is one, and a hundred
// tills spending one balance through three nodes lose often: eight runs, each after a random pause
// that grows with the run (at most 4 ms, 16 ms, ... 196 ms), which spreads the racers out.
constexpr int kAttempts = 8;
constexpr unsigned kDeadlock = 1213;
constexpr unsigned kLockWaitTimeout = 1205;
// ER_UNKNOWN_COM_ERROR, what a Galera node answers while it is not part of the primary component
// or not yet synced ("WSREP has not yet prepared node for application use"): as unusable as a
// lost connection, and as uncertain when it answers a COMMIT.
constexpr unsigned kNodeNotReady = 1047;

void pause_before_run(int attempt) {
    thread_local std::minstd_rand random(
        static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id())));
    const int most = 4 * attempt * attempt;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(1 + static_cast<int>(random() % static_cast<unsigned>(most))));
}

bool must_run_again(const soci::mysql_soci_error& error) {
    return error.err_num_ == kDeadlock || error.err_num_ == kLockWaitTimeout;
}

thread_local bool t_causal_pending = false;

// What soci::transaction did, for a commit that may be sent by UnitWrites with its writes: a unit
// that leaves without committing (error, exception, a deferred write refused) is rolled back. A
// session whose ROLLBACK fails is not given out again: whatever state it is in, closing it ends
// its transaction.
class RollbackUnlessCommitted {
  public:
    RollbackUnlessCommitted(soci::session& sql, std::function<void()> on_failure)
        : sql_(sql), on_failure_(std::move(on_failure)) {}
    ~RollbackUnlessCommitted() {
        if (committed_) return;
        try {
            sql_.rollback();
        } catch (...) {  // The caller sees the first error.
            on_failure_();
        }
    }
    RollbackUnlessCommitted(const RollbackUnlessCommitted&) = delete;
    RollbackUnlessCommitted& operator=(const RollbackUnlessCommitted&) = delete;
    void committed() { committed_ = true; }

  private:
    soci::session& sql_;
    std::function<void()> on_failure_;
    bool committed_ = false;
};

// Why a unit inside an enclosing one could not go on: the enclosing transaction is lost with it.
enum class Doom { kNone, kDeadlock, kConnectionLost };

bool is_connection_loss(const soci::soci_error& error) {
    if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error); mysql != nullptr) {
        if (mysql->err_num_ == kNodeNotReady) return true;
    }
    return error.get_error_category() == soci::soci_error::connection_error;
}

}  // namespace

core::Result<DatabaseAddress> parse_database_url(std::string_view url) {
    constexpr std::string_view kScheme = "mysql://";
    if (!url.starts_with(kScheme)) {
        return fail(ErrorCode::kValidationFailed, "database URL must start with mysql://", "PATRON_DB_URL");
    }
    std::string_view rest = url.substr(kScheme.size());
    const auto question = rest.find('?');
    std::string_view query = question == std::string_view::npos ? "" : rest.substr(question + 1);
    rest = rest.substr(0, question);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 == rest.size()) {
        return fail(ErrorCode::kValidationFailed, "database URL must name a database: mysql://user@host/db",
                    "PATRON_DB_URL");
    }
    DatabaseAddress address;
    address.database = std::string(rest.substr(slash + 1));
    std::string_view authority = rest.substr(0, slash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view credentials = authority.substr(0, at);
        const auto colon = credentials.find(':');
        address.user = std::string(credentials.substr(0, colon));
        if (colon != std::string_view::npos) address.password = std::string(credentials.substr(colon + 1));
        authority = authority.substr(at + 1);
    }
    address.host = std::string(authority);
    if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        address.host = std::string(authority.substr(0, colon));
        address.port = std::string(authority.substr(colon + 1));
    }
    // Of "a=b&c=d", the one option Patron reads: socket.
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == "socket") {
            address.socket = std::string(pair.substr(eq + 1));
        }
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
    return address;
}

core::Result<std::string> soci_connection_string(std::string_view url) {
    const auto address = parse_database_url(url);
    if (!address) return std::unexpected(address.error());
    std::string text = "db=" + address->database + " user=" + address->user;
    if (!address->password.empty()) text += " password='" + address->password + "'";
    if (!address->host.empty()) text += " host=" + address->host;
    if (!address->port.empty()) text += " port=" + address->port;
    if (!address->socket.empty()) text += " unix_socket=" + address->socket;
    text += " charset=utf8mb4";
    return text;
}

CausalReads::CausalReads() : outer_(std::exchange(t_causal_pending, true)) {}
CausalReads::~CausalReads() { t_causal_pending = outer_; }

ClusterState read_cluster_state(soci::session& sql) {
    ClusterState state;
    // SHOW, which a node outside the primary component still answers (it refuses SELECT).
    std::string name, value;
    sql << "SHOW SESSION VARIABLES LIKE 'wsrep_on'", soci::into(name), soci::into(value);
    state.clustered = value == "ON";
    if (!state.clustered) return state;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_cluster_status', "
                        "'wsrep_local_state_comment')");
    for (const soci::row& row : rows) {
        name = row.get<std::string>(0);
        value = row.get<std::string>(1);
        if (name == "wsrep_ready") state.ready = value == "ON";
        if (name == "wsrep_cluster_status") state.status = value;
        if (name == "wsrep_local_state_comment") state.local_state = value;
    }
    return state;
}

struct Database::Slot {
    std::unique_ptr<soci::session> session;
    bool busy = false;
    bool galera = false;  // Its server is a Galera node (wsrep_on).
};

class Database::Lease {
  public:
    Lease(Database& database, std::size_t index) : database_(&database), index_(index) {}
    Lease(Lease&& other) noexcept
        : database_(std::exchange(other.database_, nullptr)),
          index_(other.index_),
          broken_(other.broken_),
          fresh_(other.fresh_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
        if (database_ != nullptr) database_->release(index_, broken_);
    }
    soci::session& session() { return *database_->slots_[index_]->session; }
    bool galera() const { return database_->slots_[index_]->galera; }
    void mark_broken() { broken_ = true; }
    // Its connection was made for it just now: a loss on it says the database is out of reach,
    // where a loss on a pooled one may only be a connection the server closed while it idled.
    void mark_fresh() { fresh_ = true; }
    bool fresh() const { return fresh_; }

  private:
    Database* database_;
    std::size_t index_;
    bool broken_ = false;
    bool fresh_ = false;
};

Database::Database(DatabaseSettings settings) : settings_(std::move(settings)) {
    auto text = soci_connection_string(settings_.url);
    connection_string_ = text ? *text : std::string{};
    connection_string_ += " connect_timeout=" + std::to_string(settings_.connect_timeout_s) +
                          " read_timeout=" + std::to_string(settings_.read_timeout_s) +
                          " write_timeout=" + std::to_string(settings_.read_timeout_s);
    for (std::size_t i = 0; i < std::max<std::size_t>(settings_.pool_size, 1); ++i) {
        slots_.push_back(std::make_unique<Slot>());
    }
}

Database::~Database() = default;

std::size_t Database::in_use() const {
    std::lock_guard lock(mutex_);
    std::size_t busy = 0;
    for (const auto& slot : slots_) busy += slot->busy ? 1 : 0;
    return busy;
}

void Database::mark_unreachable() {
    unreachable_until_ = (std::chrono::steady_clock::now() + settings_.unreachable_pause).time_since_epoch().count();
}

void Database::mark_reachable() {
    if (unreachable_until_.load() != 0) unreachable_until_ = 0;
}

core::Result<Database::Lease> Database::acquire(bool fresh) {
    if (auto until = unreachable_until_.load(); until != 0) {
        const auto now = std::chrono::steady_clock::now();
        // Within the pause every request is answered at once; after it, one request (the one
        // that moves the pause on) tries the database while the others are still answered at once.
        if (now.time_since_epoch().count() < until ||
            !unreachable_until_.compare_exchange_strong(
                until, (now + settings_.unreachable_pause).time_since_epoch().count())) {
            return fail(ErrorCode::kUnavailable, "the database is unavailable; try again shortly");
        }
    }
    std::unique_lock lock(mutex_);
    std::size_t index = slots_.size();
    const auto free_slot = [&] {
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (!slots_[i]->busy) {
                index = i;
                return true;
            }
        }
        return false;
    };
    if (!available_.wait_for(lock, settings_.acquire_timeout, free_slot)) {
        return fail(ErrorCode::kOverloaded, "all database connections are busy; try again");
    }
    slots_[index]->busy = true;
    lock.unlock();

    Lease lease(*this, index);
    Slot& slot = *slots_[index];
    if (fresh) slot.session.reset();  // Another pooled connection may have been closed the same way.
    if (!slot.session) {
        try {
            auto session = std::make_unique<soci::session>(soci::mysql, connection_string_);
            // group_concat_max_len held at MariaDB's default whatever the server's: it bounds the
            // JSON_ARRAYAGG lists a read takes as columns (json_rows.h), which stay far below it.
            *session << "SET SESSION time_zone = '+00:00', group_concat_max_len = 1048576";
            *session << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
            // Text written as escaped literals (sql_text) uses backslash escapes, which SOCI reads
            // past when it looks for placeholders: whatever mode the server's default has, not that.
            *session << "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')";
            // Several statements a query, for the writes a unit sends with its COMMIT (write_batch.h).
            // Texts from outside are bound by SOCI or escaped by sql_text; what is pasted is our own
            // (integers, enum names, instants we formatted).
            if (mysql_set_server_option(mysql_connection(*session), MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
                mark_unreachable();
                return fail(ErrorCode::kUnavailable, "the database is unavailable; try again shortly");
            }
            // SHOW, not SELECT @@wsrep_on: a server built without Galera has no such variable.
            std::string name, wsrep;
            *session << "SHOW SESSION VARIABLES LIKE 'wsrep_on'", soci::into(name), soci::into(wsrep);
            slot.galera = wsrep == "ON";
            slot.session = std::move(session);
            lease.mark_fresh();
            mark_reachable();
        } catch (const soci::soci_error&) {
            mark_unreachable();
            return fail(ErrorCode::kUnavailable, "the database is unavailable; try again shortly");
        }
    }
    return lease;
}

void Database::release(std::size_t index, bool broken) {
    std::unique_ptr<soci::session> dead;
    {
        std::lock_guard lock(mutex_);
        if (broken) dead = std::move(slots_[index]->session);
        slots_[index]->busy = false;
    }
    available_.notify_one();
    // `dead` closes its socket here, outside the lock.
}

// The enclosing unit this thread runs (Database::enclose), which its other units join.
struct Database::Enclosing {
    const Database* database;
    soci::session* sql;
    bool galera;
    int savepoints = 0;
    Doom doom = Doom::kNone;
};

namespace {

thread_local Database::Enclosing* t_enclosing = nullptr;

// Sets the thread's enclosing unit while it lives.
class EnclosingScope {
  public:
    explicit EnclosingScope(Database::Enclosing* unit) : outer_(std::exchange(t_enclosing, unit)) {}
    ~EnclosingScope() { t_enclosing = outer_; }
    EnclosingScope(const EnclosingScope&) = delete;
    EnclosingScope& operator=(const EnclosingScope&) = delete;

  private:
    Database::Enclosing* outer_;
};

}  // namespace

core::Result<void> Database::transact(const Work& work) { return execute(work, Mode::kTransaction); }

core::Result<void> Database::run(const Work& work) { return execute(work, Mode::kAutocommit); }

core::Result<void> Database::enclose(const Work& work) { return execute(work, Mode::kEnclosing); }

// Undoes a failed unit's statements inside the enclosing transaction (its savepoint, when it had
// one); a session that cannot is given up, and the enclosing unit with it.
void Database::roll_back_to(Enclosing& unit, const std::string& savepoint) {
    if (savepoint.empty()) return;
    try {
        *unit.sql << "ROLLBACK TO SAVEPOINT " + savepoint;
    } catch (...) {
        unit.doom = Doom::kConnectionLost;
    }
}

// A unit inside the enclosing one: its statements on the enclosing session, a transaction as a
// savepoint. A deadlock or a lost connection ends the enclosing transaction (InnoDB rolls a
// deadlock's victim back whole): the unit fails, and the enclosing one runs everything again.
core::Result<void> Database::execute_inside(Enclosing& unit, const Work& work, bool transactional) {
    soci::session& sql = *unit.sql;
    if (unit.doom != Doom::kNone) return fail(ErrorCode::kUnavailable, "the enclosing unit of work failed");
    const std::string savepoint = "unit_" + std::to_string(++unit.savepoints);
    bool saved = false;
    try {
        if (!transactional) return work(sql);
        sql << "SAVEPOINT " + savepoint;
        saved = true;
        UnitWrites writes(sql, !unit.galera);
        core::Result<void> result = work(sql);
        if (!result) {
            sql << "ROLLBACK TO SAVEPOINT " + savepoint;
            return result;
        }
        writes.release(savepoint);
        return {};
    } catch (const soci::mysql_soci_error& error) {
        if (is_connection_loss(error)) {
            unit.doom = Doom::kConnectionLost;
            return fail(ErrorCode::kUnavailable, "the database connection was lost; try again");
        }
        if (must_run_again(error)) {
            unit.doom = Doom::kDeadlock;
            return fail(ErrorCode::kUnavailable, "a deadlock ended the enclosing unit of work");
        }
        roll_back_to(unit, saved ? savepoint : std::string{});
        return fail(ErrorCode::kInternal, "database error: " + database_error_class(error));
    } catch (const soci::soci_error& error) {
        if (is_connection_loss(error)) {
            unit.doom = Doom::kConnectionLost;
            return fail(ErrorCode::kUnavailable, "the database connection was lost; try again");
        }
        roll_back_to(unit, saved ? savepoint : std::string{});
        return fail(ErrorCode::kInternal, "database error: " + database_error_class(error));
    } catch (const std::exception& error) {
        roll_back_to(unit, saved ? savepoint : std::string{});
        return fail(ErrorCode::kInternal, "unit of work failed: " + failure_class(error));
    }
}

DatabaseCounters Database::counters() const {
    DatabaseCounters counters;
    counters.runs_again = runs_again_.load(std::memory_order_relaxed);
    counters.deadlocks = deadlocks_.load(std::memory_order_relaxed);
    counters.unavailable = unavailable_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < kCommitBuckets_s.size(); ++i) {
        counters.commits_within[i] = commits_within_[i].load(std::memory_order_relaxed);
    }
    counters.commits = commits_.load(std::memory_order_relaxed);
    counters.commit_seconds = static_cast<double>(commit_microseconds_.load(std::memory_order_relaxed)) / 1e6;
    return counters;
}

void Database::count_commit(std::chrono::steady_clock::duration took) {
    const auto microseconds = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
    const double seconds = static_cast<double>(microseconds) / 1e6;
    for (std::size_t i = 0; i < kCommitBuckets_s.size(); ++i) {
        if (seconds <= kCommitBuckets_s[i]) commits_within_[i].fetch_add(1, std::memory_order_relaxed);
    }
    commit_microseconds_.fetch_add(static_cast<std::uint64_t>(microseconds), std::memory_order_relaxed);
    commits_.fetch_add(1, std::memory_order_relaxed);
}

core::Result<void> Database::execute(const Work& work, Mode mode) {
    if (t_enclosing != nullptr && t_enclosing->database == this) {
        return execute_inside(*t_enclosing, work, mode != Mode::kAutocommit);
    }
    // Counted once, by the outermost unit.
    core::Result<void> result = execute_unit(work, mode);
    if (!result && result.error().code == ErrorCode::kUnavailable) {
        unavailable_.fetch_add(1, std::memory_order_relaxed);
    }
    return result;
}

core::Result<void> Database::execute_unit(const Work& work, Mode mode) {
    const bool transactional = mode != Mode::kAutocommit;
    bool lost = false;  // The last attempt lost its connection.
    // On Galera, a unit that lost to another node's commit waits, when it runs again, until its
    // node has applied that commit: else it reads what it read before and loses again.
    bool catch_up = false;
    for (int attempt = 1;; ++attempt) {
        // Run again after a lost connection: on one made for it, not another pooled one that
        // the server may have closed the same way (idle ones all go at its wait_timeout).
        auto lease = acquire(lost);
        lost = false;
        if (!lease) return std::unexpected(lease.error());
        soci::session& sql = lease->session();
        bool commit_sent = false;
        try {
            // READ COMMITTED: every statement after the wait sees what it waited for. A node too far
            // behind to catch up within the provider's repl.causal_read_timeout says so with 1205:
            // answered at once, not run again.
            const auto caught_up = [&] {
                if (!lease->galera() || !(catch_up || (t_causal_pending && settings_.causal_reads))) return true;
                try {
                    sql << "SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1";
                } catch (const soci::mysql_soci_error& error) {
                    if (error.err_num_ != kLockWaitTimeout) throw;
                    return false;
                }
                t_causal_pending = false;
                catch_up = false;
                return true;
            };
            const auto behind = [] {
                return fail(ErrorCode::kUnavailable, "this database node is behind the cluster; try again");
            };
            if (!transactional) {
                if (!caught_up()) return behind();
                core::Result<void> result = work(sql);
                mark_reachable();
                return result;
            }
            // A unit that begins with its first statements owes its BEGIN until it sends them.
            const bool begin_later = mode == Mode::kTransactionBegunByWork && !lease->galera();
            if (!begin_later) sql.begin();
            RollbackUnlessCommitted open(sql, [&lease] { lease->mark_broken(); });
            if (!caught_up()) return behind();
            UnitWrites writes(sql, !lease->galera(), begin_later);
            Enclosing unit{this, &sql, lease->galera()};
            std::optional<EnclosingScope> enclosing;
            if (mode == Mode::kEnclosing) enclosing.emplace(&unit);
            core::Result<void> result = work(sql);
            enclosing.reset();
            // A unit inside lost the transaction: run everything again, or fail as it failed.
            if (unit.doom == Doom::kDeadlock) count_deadlock();
            if (unit.doom == Doom::kDeadlock && attempt < kAttempts) {
                runs_again_.fetch_add(1, std::memory_order_relaxed);
                catch_up = true;
                pause_before_run(attempt);
                continue;
            }
            if (unit.doom == Doom::kDeadlock) return fail(ErrorCode::kUnavailable, "deadlocked again; try again");
            if (unit.doom == Doom::kConnectionLost) {
                lease->mark_broken();
                return fail(ErrorCode::kUnavailable, "the database connection was lost; try again");
            }
            if (!result) return result;  // `open` rolls back; deferred writes were never sent.
            commit_sent = true;
            const auto commit_started = std::chrono::steady_clock::now();
            writes.commit();
            open.committed();
            count_commit(std::chrono::steady_clock::now() - commit_started);
            mark_reachable();
            return {};
        } catch (const soci::mysql_soci_error& error) {
            if (is_connection_loss(error)) {
                lease->mark_broken();
                if (lease->fresh()) mark_unreachable();
                if (commit_sent || attempt >= 2) {
                    return fail(ErrorCode::kUnavailable, "the database connection was lost; try again");
                }
                lost = true;
                continue;
            }
            // Also after the COMMIT was sent: a deadlock or a certification failure answering
            // it says the transaction was rolled back, where a lost connection says nothing.
            if (must_run_again(error)) count_deadlock();
            if (must_run_again(error) && attempt < kAttempts) {
                runs_again_.fetch_add(1, std::memory_order_relaxed);
                catch_up = true;
                pause_before_run(attempt);
                continue;
            }
            if (must_run_again(error)) return fail(ErrorCode::kUnavailable, "deadlocked again; try again");
            return fail(ErrorCode::kInternal, "database error: " + database_error_class(error));
        } catch (const soci::soci_error& error) {
            if (is_connection_loss(error)) {
                lease->mark_broken();
                if (lease->fresh()) mark_unreachable();
                return fail(ErrorCode::kUnavailable, "the database connection was lost; try again");
            }
            return fail(ErrorCode::kInternal, "database error: " + database_error_class(error));
        } catch (const std::exception& error) {
            // Nothing thrown inside a unit of work leaves the store: the transaction is rolled back
            // and the caller gets the failure by its class, never its text (see database_error.h).
            return fail(ErrorCode::kInternal, "unit of work failed: " + failure_class(error));
        }
    }
}

}  // namespace patron::store
