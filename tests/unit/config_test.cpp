#include "apps/config/config.h"

#include <gtest/gtest.h>

#include <map>

#include "loyalty/store/db/database.h"
#include "loyalty/store/db/migrations.h"

namespace patron {
namespace {

apps::Environment environment(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](const char* name) -> const char* {
        const auto it = variables.find(name);
        return it == variables.end() ? nullptr : it->second.c_str();
    };
}

TEST(Config, DefaultsApplyAndFlagsWinOverEnvironment) {
    const auto config = apps::parse_config(
        {"--threads", "4", "--listen=0.0.0.0:9000"},
        environment({{"PATRON_DB_URL", "mysql://u@h/db"}, {"PATRON_THREADS", "3"}, {"PATRON_DB_POOL", "32"}}));
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->http_threads, 4U);
    EXPECT_EQ(config->db_pool, 32U);
    EXPECT_EQ(config->listen_host, "0.0.0.0");
    EXPECT_EQ(config->listen_port, 9000);
    EXPECT_EQ(config->keys_file, "var/keys.txt");
    EXPECT_EQ(config->queue_max, 1024U);
}

TEST(Config, ABadValueIsRefusedNamingTheSetting) {
    const std::pair<std::map<std::string, std::string>, const char*> cases[] = {
        {{{"PATRON_THREADS", "abc"}}, "PATRON_THREADS: "},
        {{{"PATRON_DB_POOL", "0"}}, "PATRON_DB_POOL: "},
        {{{"PATRON_LISTEN", "8080"}}, "PATRON_LISTEN: "},
        {{{"PATRON_LISTEN", "127.0.0.1:70000"}}, "PATRON_LISTEN: "},
        {{{"PATRON_DB_URL", "postgres://x/y"}}, "PATRON_DB_URL: "},
        {{}, "PATRON_DB_URL: is required"},
    };
    for (const auto& [variables, prefix] : cases) {
        SCOPED_TRACE(prefix);
        auto all = variables;
        all.try_emplace("PATRON_DB_URL", "mysql://u@h/db");
        if (std::string(prefix).starts_with("PATRON_DB_URL: is required")) all.erase("PATRON_DB_URL");
        const auto config = apps::parse_config({}, environment(all));
        ASSERT_FALSE(config.has_value());
        EXPECT_TRUE(config.error().starts_with(prefix)) << config.error();
        EXPECT_EQ(config.error().find('\n'), std::string::npos) << "one line";
    }
    EXPECT_TRUE(apps::parse_config({"--bogus", "1"}, environment({{"PATRON_DB_URL", "mysql://u@h/db"}}))
                    .error()
                    .starts_with("--bogus"));
}

TEST(Config, HelpListsEverySettingWithItsVariable) {
    const std::string help = apps::config_help();
    for (const char* variable : {"PATRON_DB_URL", "PATRON_LISTEN", "PATRON_THREADS", "PATRON_DB_POOL",
                                 "PATRON_KEYS_FILE", "PATRON_WORKERS", "PATRON_QUEUE_MAX"}) {
        EXPECT_NE(help.find(variable), std::string::npos) << variable;
    }
}

TEST(DatabaseUrl, BecomesASociConnectionString) {
    EXPECT_EQ(store::soci_connection_string("mysql://patron:s3cret@127.0.0.1:3307/patron").value(),
              "db=patron user=patron password='s3cret' host=127.0.0.1 port=3307 charset=utf8mb4");
    EXPECT_EQ(store::soci_connection_string("mysql://patron:pw@localhost/patron?socket=/tmp/x.sock").value(),
              "db=patron user=patron password='pw' host=localhost unix_socket=/tmp/x.sock charset=utf8mb4");
    EXPECT_FALSE(store::soci_connection_string("mysql://patron@localhost").has_value());
    EXPECT_FALSE(store::soci_connection_string("http://x/y").has_value());
}

TEST(Migrations, ScriptsSplitAtSemicolonsOutsideQuotesAndComments) {
    const auto statements = store::split_sql_statements(
        "-- a comment; with a semicolon\nCREATE TABLE a (x INT);\nINSERT INTO a VALUES ('x;y');\n\n"
        "INSERT INTO a VALUES (\"it's; fine\")");
    ASSERT_EQ(statements.size(), 3U);
    EXPECT_NE(statements[1].find("'x;y'"), std::string::npos);
    EXPECT_NE(statements[2].find("it's; fine"), std::string::npos);
}

TEST(Migrations, EmbeddedFilesAreNumberedAndChecksummed) {
    const auto migrations = store::prepare_migrations(store::embedded_migrations());
    ASSERT_TRUE(migrations.has_value());
    ASSERT_FALSE(migrations->empty());
    EXPECT_EQ(migrations->front().version, 1);
    EXPECT_EQ(migrations->front().checksum.size(), 64U);
    EXPECT_FALSE(store::prepare_migrations({{"foundation.sql", "SELECT 1"}}).has_value());
    EXPECT_FALSE(store::prepare_migrations({{"0001_a.sql", "x"}, {"0001_b.sql", "y"}}).has_value());
}

}  // namespace
}  // namespace patron
