// The database ceiling of this machine for issue 19's harness: a plain MariaDB C client committing
// the smallest transaction a points booking could be (a ledger row and a balance upsert, both by
// primary key, durable as the server is configured), from N connections for S seconds, so that
// Patron's commit rate is read against what the database alone does here in the same run.
// Prints one line: connections, transactions, transactions per second, p50 and p99 in ms.
//   db_ceiling SOCKET USER PASSWORD DATABASE [connections=16] [seconds=10]
#include <mysql.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
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

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: db_ceiling SOCKET USER PASSWORD DATABASE [connections] [seconds]\n");
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
            // Each connection books for members of its own, as tills of different members do.
            long long member = static_cast<long long>(c) * 1'000'000;
            ready.arrive_and_wait();
            while (!stopping.load()) {
                const std::string id = std::to_string(member + (member % 200));
                ++member;
                const auto started = Clock::now();
                run(connection, "BEGIN");
                run(connection,
                    "INSERT INTO ceiling_ledger (member_id, amount, created_at) VALUES (" + id + ", 110, NOW(6))");
                run(connection, "INSERT INTO ceiling_balances (member_id, points) VALUES (" + id +
                                    ", 110) ON DUPLICATE KEY UPDATE points = points + 110");
                run(connection, "COMMIT");
                if (measuring.load()) {
                    latencies[static_cast<std::size_t>(c)].push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - started).count());
                }
            }
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
    std::printf("connections %d  transactions %zu  per_second %.0f  p50_ms %.2f  p99_ms %.2f\n", connections,
                all.size(), static_cast<double>(all.size()) / elapsed, patron::bench::percentile(all, 0.50),
                patron::bench::percentile(all, 0.99));
    {
        MYSQL* cleanup = connect(target);
        run(cleanup, "DROP TABLE IF EXISTS ceiling_ledger, ceiling_balances");
        mysql_close(cleanup);
    }
    mysql_library_end();
    return 0;
}
