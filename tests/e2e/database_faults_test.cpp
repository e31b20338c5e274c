// The database slow or silent (issue 20): patrond reaches MariaDB through a TCP proxy of the
// test's that delays every chunk, or drops everything both ways with the connections left open.
// Slow, sales are still answered; silent, every request is answered 503 with Retry-After within a
// bounded time (the read and connect time-outs, PATRON_DB_READ_TIMEOUT), /healthz still answers at
// once, /readyz says the database is away, and no worker stays stuck: once the network is back,
// patrond serves again by itself. A sale answered 503 may have committed (its COMMIT reached
// MariaDB, the answer did not come back): sent again it is answered as stored, so every sale is
// there exactly once, and patronctl verify finds nothing half-applied.
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <chrono>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "loyalty/store/db/database.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/own_mariadb.h"
#include "tests/support/tcp_proxy.h"

namespace patron::testing {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Timed {
    HttpReply reply;
    double seconds = 0;
};

Timed timed(const HttpCall& call) {
    const auto started = Clock::now();
    Timed result;
    try {
        result.reply = http(call);
    } catch (const std::exception&) {
        result.reply.status = 0;  // No answer at all within the client's time-out.
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
}

// A signed sale of 500,000 IRR at the demo terminal to the first demo member.
HttpCall signed_sale(const DemoSetup& setup, const PatrondProcess& server, const std::string& receipt, long timeout_s) {
    const PosSigner signer{setup.demo["terminal"]["key_id"].get<std::string>(),
                           setup.demo["terminal"]["secret"].get<std::string>()};
    const std::string body =
        PatrondTest::purchase(receipt, setup.demo["members"][0]["card"].get<std::string>(), 500000).dump();
    std::vector<std::string> headers = signer.headers("POST", "/v1/pos/purchases", body);
    headers.push_back("Content-Type: application/json");
    return {"POST", server.url("/v1/pos/purchases"), body, headers, timeout_s};
}

TEST(DatabaseFaults, SlowOrSilentDatabaseAnswers503WithinBoundsReadinessSaysSoAndNothingIsHalfApplied) {
    const int port = free_port();
    OwnMariaDb mariadb(port);
    DemoSetup setup(mariadb.url());
    TcpProxy proxy(port);
    auto environment = setup.environment();
    environment["PATRON_DB_URL"] = mariadb.url_at("127.0.0.1:" + std::to_string(proxy.port()));
    environment["PATRON_DB_READ_TIMEOUT"] = "2";
    PatrondProcess server(environment, setup.dir.path());
    const auto sale = [&](const std::string& receipt) { return timed(signed_sale(setup, server, receipt, 120)); };
    const auto get = [&](const std::string& path) { return timed({"GET", server.url(path), "", {}, 120}); };

    ASSERT_EQ(sale("1").reply.status, 201);

    // Slow: 50 ms on every chunk each way; the sale takes longer and is answered.
    proxy.delay(std::chrono::milliseconds(50));
    const Timed slow = sale("2");
    EXPECT_EQ(slow.reply.status, 201) << slow.reply.body;
    std::cout << "[faults] a sale through a 50 ms-per-chunk network: " << slow.seconds << " s\n";

    // Silent: sixteen tills at once, twice the pool and the workers.
    proxy.drop();
    std::vector<std::future<Timed>> tills;
    for (int i = 0; i < 16; ++i) {
        tills.push_back(std::async(std::launch::async, [&, i] { return sale("S-" + std::to_string(i)); }));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const Timed alive = get("/healthz");
    const Timed ready = get("/readyz");
    std::map<std::string, int> answers;
    double slowest = 0;
    for (auto& till : tills) {
        const Timed answered = till.get();
        const json body = json::parse(answered.reply.body, nullptr, false);
        const std::string code = body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
        answers[std::to_string(answered.reply.status) + " " + code] += 1;
        slowest = std::max(slowest, answered.seconds);
        EXPECT_EQ(answered.reply.status, 503) << answered.reply.body;
        EXPECT_TRUE(answered.reply.headers.contains("retry-after")) << answered.reply.body;
    }
    std::cout << "[faults] silent database: answers " << json(answers).dump() << ", the slowest after " << slowest
              << " s; /healthz " << alive.reply.status << " after " << alive.seconds << " s, /readyz "
              << ready.reply.status << " after " << ready.seconds << " s\n";
    // Bounded: one read time-out (2 s) and one connection time-out (2 s) at most, then the others
    // are answered at once until the database is tried again.
    EXPECT_LT(slowest, 10.0) << "a request waited on the silent database without bound";
    EXPECT_EQ(alive.reply.status, 200);
    EXPECT_LT(alive.seconds, 1.0) << "the process answers while its database is silent";
    EXPECT_EQ(ready.reply.status, 503) << ready.reply.body;
    EXPECT_LT(ready.seconds, 10.0);

    // Back: patrond serves again by itself, no worker stuck.
    proxy.pass();
    long readiness = 0;
    const auto healed = Clock::now();
    while (readiness != 200 && Clock::now() - healed < std::chrono::seconds(30)) {
        readiness = get("/readyz").reply.status;
        if (readiness != 200) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(readiness, 200);
    std::cout << "[faults] ready again " << std::chrono::duration<double>(Clock::now() - healed).count()
              << " s after the network came back\n";
    int replayed = 0;
    for (int i = 0; i < 16; ++i) {
        const Timed again = sale("S-" + std::to_string(i));
        EXPECT_EQ(again.reply.status, 201) << again.reply.body;
        replayed += again.reply.headers.contains("idempotent-replayed") ? 1 : 0;
    }
    std::cout << "[faults] the 16 sales sent again: " << replayed << " had committed before their 503\n";

    soci::session sql(soci::mysql, store::soci_connection_string(mariadb.url()).value());
    long long sales = 0, distinct = 0;
    sql << "SELECT COUNT(*), COUNT(DISTINCT receipt) FROM purchases WHERE receipt LIKE 'S-%'", soci::into(sales),
        soci::into(distinct);
    EXPECT_EQ(sales, 16);
    EXPECT_EQ(distinct, 16);
    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

// The server closes connections that idle past its wait_timeout (2 s here): after a quiet spell
// every pooled connection of patrond is gone. The first sales after it are answered as usual,
// each run again on a connection made for it, and the pooled connections lost that way never
// make patrond take the database as away.
TEST(DatabaseFaults, ConnectionsTheServerClosedWhileIdleAreMadeAgainWithoutA503) {
    OwnMariaDb mariadb;
    {
        soci::session admin(soci::mysql, store::soci_connection_string(mariadb.url()).value());
        admin << "SET GLOBAL wait_timeout = 2";
    }
    DemoSetup setup(mariadb.url());
    PatrondProcess server(setup.environment(), setup.dir.path());
    const auto sale = [&](const std::string& receipt) { return http(signed_sale(setup, server, receipt, 60)); };
    // Four tills at once fill the pool (PATRON_DB_POOL 4) with connections, which then idle out.
    std::map<long, int> answers;
    for (int round = 0; round < 3; ++round) {
        std::vector<std::future<HttpReply>> tills;
        for (int i = 0; i < 4; ++i) {
            tills.push_back(std::async(std::launch::async, [&, round, i] {
                return sale("IDLE-" + std::to_string(round) + "-" + std::to_string(i));
            }));
        }
        for (auto& till : tills) answers[till.get().status] += 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    }
    EXPECT_EQ(answers, (std::map<long, int>{{201, 12}})) << json(answers).dump();
}

}  // namespace
}  // namespace patron::testing
