#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "loyalty/store/db/database.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/own_mariadb.h"

namespace patron::testing {
namespace {

using nlohmann::json;

TEST(Outage, RequestsFailWith503WhileMariaDbIsAwayAndSucceedWhenItIsBackWithoutARestart) {
    OwnMariaDb mariadb;
    DemoSetup setup(mariadb.url());
    PatrondProcess server(setup.environment(), setup.dir.path());
    const std::vector<std::string> staff = {"Authorization: Bearer " + setup.demo["staff_token"].get<std::string>(),
                                            "Content-Type: application/json"};
    const auto enrol = [&](const std::string& phone) {
        return http(
            {"POST", server.url("/v1/members"), json{{"full_name", "Outage Test"}, {"phone", phone}}.dump(), staff});
    };
    ASSERT_EQ(enrol("09120000001").status, 201);

    mariadb.stop();
    for (int i = 0; i < 3; ++i) {
        const auto refused = enrol("0912000001" + std::to_string(i + 2));
        EXPECT_EQ(refused.status, 503) << refused.body;
        EXPECT_EQ(json::parse(refused.body)["error"]["code"], "UNAVAILABLE");
        EXPECT_EQ(refused.headers.contains("retry-after") ? refused.headers.at("retry-after") : "", "1")
            << "a till may come back in a second";
    }
    const auto not_ready = http({"GET", server.url("/readyz"), "", {}});
    EXPECT_EQ(not_ready.status, 503);
    EXPECT_EQ(http({"GET", server.url("/healthz"), "", {}}).status, 200) << "the process itself is alive";

    mariadb.start();
    long status = 0;
    for (int attempt = 0; attempt < 100 && status != 201; ++attempt) {
        status = enrol("09120000009").status;
        if (status != 201) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 201);
    EXPECT_EQ(http({"GET", server.url("/readyz"), "", {}}).status, 200);
    EXPECT_EQ(server.stop(), 0);
}

class StartUp : public ::testing::Test {
  protected:
    CommandResult start_patrond(std::map<std::string, std::string> overrides, std::vector<std::string> args = {}) {
        std::map<std::string, std::string> environment = {
            {"PATRON_DB_URL", db.url()}, {"PATRON_KEYS_FILE", keys_file}, {"PATRON_STARTUP_WAIT", "1"}};
        for (const auto& [name, value] : overrides) environment[name] = value;
        args.insert(args.begin(), patrond_path());
        return run_command(args, environment);
    }
    void SetUp() override { ASSERT_EQ(run_command({patronctl_path(), "keys", "init", keys_file}, {}).exit_code, 0); }

    TestDatabase db;
    TempDir dir;
    std::string keys_file = dir.path() + "/keys.txt";
};

TEST_F(StartUp, NoKeysNoStart) {
    const auto missing = start_patrond({{"PATRON_KEYS_FILE", dir.path() + "/absent.txt"}});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.output.find("PATRON_KEYS_FILE"), std::string::npos) << missing.output;
    chmod(keys_file.c_str(), 0644);
    const auto readable = start_patrond({});
    EXPECT_EQ(readable.exit_code, 2);
    EXPECT_NE(readable.output.find("mode 0600"), std::string::npos) << readable.output;
}

TEST_F(StartUp, ABadSettingStopsStartUpWithOneLineNamingIt) {
    const auto bad = start_patrond({{"PATRON_THREADS", "many"}});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(bad.output, "patrond: PATRON_THREADS: expected a whole number from 1 to 64, got 'many'\n");
    const auto flag = start_patrond({}, {"--db-pool", "0"});
    EXPECT_EQ(flag.exit_code, 2);
    EXPECT_NE(flag.output.find("--db-pool"), std::string::npos);
}

TEST_F(StartUp, HelpListsEverySettingWithDefaults) {
    const auto help = start_patrond({}, {"--help"});
    EXPECT_EQ(help.exit_code, 0);
    for (const char* name : {"PATRON_DB_URL", "PATRON_LISTEN", "PATRON_THREADS", "PATRON_DB_POOL", "PATRON_KEYS_FILE",
                             "default 127.0.0.1:8080"}) {
        EXPECT_NE(help.output.find(name), std::string::npos) << name;
    }
}

TEST_F(StartUp, AChangedMigrationStopsStartUp) {
    db.raw() << "UPDATE schema_migrations SET checksum = REPEAT('0', 64) WHERE version = 1";
    const auto refused = start_patrond({});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.output.find("0001_foundation.sql was changed after it was applied"), std::string::npos)
        << refused.output;
}

}  // namespace
}  // namespace patron::testing
