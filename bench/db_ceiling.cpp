// The database ceiling of this machine for issue 19's harness: a plain MariaDB C client committing
// the smallest transaction a points booking could be (a ledger row and a balance upsert, both by
// primary key, durable as the server is configured), from N connections for S seconds, so that
// Patron's commit rate is read against what the database alone does here in the same run.
// Prints one line: prepared (1 or 0), connections, transactions, transactions per second, p50 and
// p99 in ms.
// FORM `text` sends the inserts as SQL text, as SOCI's MySQL backend sends every statement (it puts
// the values into the text on the client); `prepared` prepares them on the server once per
// connection and executes them with bound values (the C API's mysql_stmt_*), which spares MariaDB
// parsing them again (issue 19 asks what that would give). BEGIN and COMMIT go as text in both.
//   db_ceiling SOCKET USER PASSWORD DATABASE [connections=16] [seconds=10] [form=text|prepared]
#include <mysql.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <latch>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/percentile.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Target {
    std::string socket, user, password, database;
};

MYSQL* connect(const Target& target) {
    MYSQL* connection = mysql_init(nullptr);
    if (mysql_real_connect(connection, nullptr, target.user.c_str(), target.password.c_str(), target.database.c_str(),
                           0, target.socket.c_str(), 0) == nullptr) {
        throw std::runtime_error(std::string("connect: ") + mysql_error(connection));
    }
    return connection;
}

void run(MYSQL* connection, const std::string& statement) {
    if (mysql_real_query(connection, statement.data(), statement.size()) != 0) {
        throw std::runtime_error(statement + ": " + mysql_error(connection));
    }
}

constexpr const char* kLedgerInsert =
    "INSERT INTO ceiling_ledger (member_id, amount, created_at) VALUES (?, 110, NOW(6))";
constexpr const char* kBalanceUpsert =
    "INSERT INTO ceiling_balances (member_id, points) VALUES (?, 110) ON DUPLICATE KEY UPDATE points = points + 110";

// The two inserts, their `?` the member's id, sent as the FORM says.
class Inserts {
  public:
    Inserts(MYSQL* connection, bool prepared) : connection_(connection) {
        if (!prepared) return;
        for (const char* text : {kLedgerInsert, kBalanceUpsert}) {
            MYSQL_STMT* statement = mysql_stmt_init(connection);
            if (statement == nullptr || mysql_stmt_prepare(statement, text, std::strlen(text)) != 0) {
                throw std::runtime_error(std::string("prepare: ") + mysql_error(connection));
            }
            MYSQL_BIND bind{};
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = &member_;
            if (mysql_stmt_bind_param(statement, &bind) != 0) {
                throw std::runtime_error(std::string("bind: ") + mysql_stmt_error(statement));
            }
            prepared_.push_back(statement);
        }
    }
    ~Inserts() {
        for (MYSQL_STMT* statement : prepared_) mysql_stmt_close(statement);
    }
    Inserts(const Inserts&) = delete;
    Inserts& operator=(const Inserts&) = delete;

    void run_for(long long member) {
        if (prepared_.empty()) {
            const std::string id = std::to_string(member);
            for (const char* text : {kLedgerInsert, kBalanceUpsert}) {
                std::string statement = text;
                statement.replace(statement.find('?'), 1, id);
                run(connection_, statement);
            }
            return;
        }
        member_ = member;
        for (MYSQL_STMT* statement : prepared_) {
            if (mysql_stmt_execute(statement) != 0) {
                throw std::runtime_error(std::string("execute: ") + mysql_stmt_error(statement));
            }
        }
    }

  private:
    MYSQL* connection_;
    long long member_ = 0;
    std::vector<MYSQL_STMT*> prepared_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr,
                     "usage: db_ceiling SOCKET USER PASSWORD DATABASE [connections] [seconds] [text|prepared]\n");
        return 2;
    }
    const std::string form = argc > 7 ? argv[7] : "text";
    if (form != "text" && form != "prepared") {
        std::fprintf(stderr, "db_ceiling: the form is text or prepared, not %s\n", form.c_str());
        return 2;
    }
    const Target target{argv[1], argv[2], argv[3], argv[4]};
    const int connections = argc > 5 ? std::max(1, std::atoi(argv[5])) : 16;
    const int seconds = argc > 6 ? std::max(1, std::atoi(argv[6])) : 10;
    mysql_library_init(0, nullptr, nullptr);
    {
        MYSQL* setup = connect(target);
        run(setup, "DROP TABLE IF EXISTS ceiling_ledger, ceiling_balances");
        run(setup,
            "CREATE TABLE ceiling_ledger (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, member_id BIGINT NOT NULL,"
            " amount BIGINT NOT NULL, created_at DATETIME(6) NOT NULL) ENGINE=InnoDB");
        run(setup,
            "CREATE TABLE ceiling_balances (member_id BIGINT PRIMARY KEY, points BIGINT NOT NULL) ENGINE=InnoDB");
        mysql_close(setup);
    }
    std::atomic<bool> measuring{false}, stopping{false};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
    std::latch ready(connections + 1);
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            mysql_thread_init();
            MYSQL* connection = connect(target);
            std::optional<Inserts> inserts(std::in_place, connection, form == "prepared");
            // Each connection books for members of its own, as tills of different members do.
            long long member = static_cast<long long>(c) * 1'000'000;
            ready.arrive_and_wait();
            while (!stopping.load()) {
                const long long id = member + (member % 200);
                ++member;
                const auto started = Clock::now();
                run(connection, "BEGIN");
                inserts->run_for(id);
                run(connection, "COMMIT");
                if (measuring.load()) {
                    latencies[static_cast<std::size_t>(c)].push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - started).count());
                }
            }
            inserts.reset();
            mysql_close(connection);
            mysql_thread_end();
        });
    }
    ready.arrive_and_wait();
    std::this_thread::sleep_for(std::chrono::seconds(1));  // Warm-up.
    measuring = true;
    const auto started = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    measuring = false;
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    stopping = true;
    for (std::thread& thread : threads) thread.join();
    std::vector<double> all;
    for (const auto& each : latencies) all.insert(all.end(), each.begin(), each.end());
    std::sort(all.begin(), all.end());
    std::printf("prepared %d  connections %d  transactions %zu  per_second %.0f  p50_ms %.2f  p99_ms %.2f\n",
                form == "prepared" ? 1 : 0, connections, all.size(), static_cast<double>(all.size()) / elapsed,
                patron::bench::percentile(all, 0.50), patron::bench::percentile(all, 0.99));
    {
        MYSQL* cleanup = connect(target);
        run(cleanup, "DROP TABLE IF EXISTS ceiling_ledger, ceiling_balances");
        mysql_close(cleanup);
    }
    mysql_library_end();
    return 0;
}
