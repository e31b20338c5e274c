#include "apps/config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

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

// A configuration file for one test, removed after it.
class ConfigFile {
  public:
    explicit ConfigFile(const std::string& text)
        : path_((std::filesystem::temp_directory_path() /
                 ("patron-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".conf"))
                    .string()) {
        std::ofstream(path_) << text;
    }
    ~ConfigFile() { std::filesystem::remove(path_); }
    const std::string& path() const { return path_; }

  private:
    static inline int counter_ = 0;
    std::string path_;
};

TEST(ConfigFile, IsReadFirstThenTheEnvironmentAndFlagsWin) {
    const ConfigFile file(
        "# Patron\n\nPATRON_DB_URL=mysql://file@h/db\n  PATRON_THREADS = 5\nPATRON_DB_POOL=\"24\"\r\n"
        "PATRON_WORKERS=7\nPATRON_KEYS_FILE='/var/lib/patron/keys.txt'\n#PATRON_QUEUE_MAX=9\nPATRON_LOG_FILE=\n");
    const auto config = apps::parse_config({"--workers", "9"}, environment({{"PATRON_DB_POOL", "32"}}), file.path());
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->db_url, "mysql://file@h/db");
    EXPECT_EQ(config->http_threads, 5U);
    EXPECT_EQ(config->db_pool, 32U) << "the environment wins over the file";
    EXPECT_EQ(config->workers, 9U) << "a flag wins over both";
    EXPECT_EQ(config->keys_file, "/var/lib/patron/keys.txt") << "quotes taken off";
    EXPECT_EQ(config->queue_max, 1024U) << "a commented line leaves the default";
    EXPECT_EQ(config->log_file, "") << "an empty value is the default";

    // PATRON_CONFIG or --config name another file, which must exist; the default one may not.
    const ConfigFile other("PATRON_DB_URL=mysql://other@h/db\n");
    EXPECT_EQ(apps::parse_config({}, environment({{"PATRON_CONFIG", other.path()}}), file.path())->db_url,
              "mysql://other@h/db");
    EXPECT_EQ(apps::parse_config({"--config", other.path()}, environment({}), file.path())->db_url,
              "mysql://other@h/db");
    EXPECT_EQ(apps::parse_config({"--config=" + other.path()}, environment({}))->db_url, "mysql://other@h/db");
    EXPECT_EQ(
        apps::parse_config({}, environment({{"PATRON_DB_URL", "mysql://u@h/db"}}), "/no/such/patron.conf")->db_url,
        "mysql://u@h/db");
    const auto missing = apps::parse_config({"--config", "/no/such/patron.conf"}, environment({}));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error(), "/no/such/patron.conf: no such configuration file");
}

TEST(ConfigFile, AFaultNamesTheFileAndLine) {
    const std::pair<std::string, std::string> cases[] = {
        {"PATRON_DB_URL=mysql://u@h/db\nPATRON_THREADS=abc\n", ":2: PATRON_THREADS: expected a whole number"},
        {"PATRON_DB_URL=mysql://u@h/db\nPATRON_BOGUS=1\n", ":2: PATRON_BOGUS: unknown setting"},
        {"# comment\nlisten 8080\n", ":2: expected NAME=value"},
        {"PATRON_CONFIG=/etc/other.conf\n", ":1: PATRON_CONFIG: unknown setting"},
    };
    for (const auto& [text, fault] : cases) {
        const ConfigFile file(text);
        const auto config = apps::parse_config({}, environment({}), file.path());
        ASSERT_FALSE(config.has_value()) << text;
        EXPECT_TRUE(config.error().starts_with(file.path() + fault)) << config.error();
        EXPECT_EQ(config.error().find('\n'), std::string::npos) << "one line";
    }
}

TEST(ConfigFile, OnlyTheInstalledProgramsReadEtcPatronByDefault) {
    EXPECT_EQ(apps::default_config_file("/usr/bin/patrond"), "/etc/patron/patron.conf");
    EXPECT_EQ(apps::default_config_file("/usr/bin/patronctl"), "/etc/patron/patron.conf");
    EXPECT_EQ(apps::default_config_file("/home/shop/patron/build/test/apps/patrond/patrond"), "");
    EXPECT_EQ(apps::own_default_config_file(), "") << "this test program is not installed";
}

TEST(ConfigFile, TheInstalledTemplateListsEverySettingAndParses) {
    const std::string text = apps::config_template();
    const std::string help = apps::config_help();
    // Every variable --help names is in the template (commented out, or set for an installed server).
    std::istringstream lines(help);
    int variables = 0;
    for (std::string line; std::getline(lines, line);) {
        const auto at = line.find("PATRON_");
        if (at == std::string::npos || !line.starts_with("  --") || line.find("PATRON_CONFIG") != std::string::npos) {
            continue;
        }
        const std::string variable = line.substr(at);
        EXPECT_NE(text.find("\n#" + variable + "=") == std::string::npos &&
                      text.find("\n" + variable + "=") == std::string::npos,
                  true)
            << variable;
        ++variables;
    }
    EXPECT_GE(variables, 25);
    const ConfigFile file(text + "PATRON_DB_URL=mysql://patron:pw@localhost/patron?socket=/run/mysqld/mysqld.sock\n");
    const auto config = apps::parse_config({}, environment({}), file.path());
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->keys_file, "/var/lib/patron/keys.txt");
    EXPECT_EQ(config->web_dir, "/usr/share/patron/web");
    EXPECT_EQ(config->listen_host, "127.0.0.1") << "patrond serves plain HTTP on loopback, behind TLS";
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
