// Backups that restore (issue 20). While tills sell against a MariaDB with a binary log,
// `patronctl backup` takes a hot copy; the tills sell on and stop. `patronctl restore` puts the
// copy into a new server's empty data directory, which then holds the sales up to the backup
// and not the later ones; `patronctl restore replay` applies the binary log from the backup's
// position to the moment of the last acknowledged sale, after which the checker finds every
// acknowledged operation there exactly once with its points, patronctl verify finds nothing,
// and a patrond on the restored database reads the members (their personal data opened with the
// keys, kept apart from the backup) as the original does.
#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "loyalty/store/db/database.h"
#include "tests/e2e/till_load.h"
#include "tests/support/http_client.h"
#include "tests/support/own_mariadb.h"
#include "tests/support/patrond_process.h"

namespace patron::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// A moment as `patronctl restore replay --until` takes it: UTC, to the second.
std::string utc_seconds(std::chrono::system_clock::time_point at) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
    return text;
}

std::string file_text(const std::string& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// An instant "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD HH:MM:SS" (UTC).
std::chrono::system_clock::time_point from_utc(const std::string& text) {
    std::tm parts{};
    std::istringstream in(text.substr(0, 10) + " " + text.substr(11, 8));
    in >> std::get_time(&parts, "%Y-%m-%d %H:%M:%S");
    return std::chrono::system_clock::from_time_t(timegm(&parts));
}

// The tills' operations a database holds, by terminal and receipt.
std::set<std::pair<std::string, std::string>> receipts_in(const std::string& url,
                                                          const std::set<std::string>& terminals) {
    soci::session sql(soci::mysql, store::soci_connection_string(url).value());
    std::set<std::pair<std::string, std::string>> found;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT p.terminal, p.receipt FROM purchases p"
                                                   " JOIN stores s ON s.id = p.store_id AND s.code = 'S001'");
    for (const soci::row& row : rows) {
        if (terminals.contains(row.get<std::string>(0)))
            found.insert({row.get<std::string>(0), row.get<std::string>(1)});
    }
    return found;
}

long long lines_in(const std::string& path) {
    std::ifstream file(path);
    long long count = 0;
    for (std::string line; std::getline(file, line);) ++count;
    return count;
}

TEST(Backups, HotBackupUnderLoadRestoredAndReplayedToTheLastAcknowledgedSaleHoldsEveryOne) {
    OwnMariaDb mariadb(0, OwnMariaDb::kBinaryLog);
    TillLoad load(mariadb.url());
    const auto environment = load.setup.environment();
    TempDir backups;
    const std::string dir = backups.path() + "/monday";

    // The backup, while the tills sell; and they sell on after it.
    load.start();
    std::this_thread::sleep_for(1500ms);
    const auto backup = run_command({patronctl_path(), "backup", dir}, environment);
    const long long acknowledged_by_backup_end = lines_in(load.log_path);
    std::this_thread::sleep_for(3500ms);
    load.stop();
    ASSERT_EQ(backup.exit_code, 0) << backup.output;
    EXPECT_NE(backup.output.find("stored apart"), std::string::npos) << backup.output;
    // A moment after the last acknowledgement, to the second: every acknowledged sale is before it.
    const std::string until = utc_seconds(std::chrono::system_clock::now() + 1s);
    EXPECT_GT(lines_in(load.log_path), acknowledged_by_backup_end) << "no sale after the backup";

    // What the backup holds beside the copy: the master keys its data needs and where the binary
    // log stood, never the keys themselves.
    const json manifest = json::parse(file_text(dir + "/patron-backup.json"));
    EXPECT_EQ(manifest["master_keys"], json::array({"mk1"})) << manifest.dump();
    EXPECT_EQ(manifest["keys_file_included"], false);
    ASSERT_TRUE(manifest.contains("binlog")) << manifest.dump();
    EXPECT_TRUE(manifest["binlog"]["file"].get<std::string>().starts_with("binlog.")) << manifest.dump();
    EXPECT_GT(manifest["binlog"]["position"].get<long long>(), 0);
    const std::string keys = file_text(load.setup.keys_file);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        EXPECT_NE(entry.path().filename(), std::filesystem::path(load.setup.keys_file).filename());
    }
    EXPECT_EQ(file_text(dir + "/patron-backup.json").find(keys.substr(keys.size() / 2, 16)), std::string::npos);

    // Refused: a backup over another, a backup holding the keys file, a restore onto a server's data.
    EXPECT_EQ(run_command({patronctl_path(), "backup", dir}, environment).exit_code, 1);
    auto keys_inside = environment;
    keys_inside["PATRON_KEYS_FILE"] = backups.path() + "/with-keys/keys.txt";
    std::filesystem::create_directories(backups.path() + "/with-keys");
    std::filesystem::copy_file(load.setup.keys_file, keys_inside["PATRON_KEYS_FILE"]);
    const auto with_keys = run_command({patronctl_path(), "backup", backups.path() + "/with-keys"}, keys_inside);
    EXPECT_EQ(with_keys.exit_code, 1);
    const auto keys_within = run_command({patronctl_path(), "backup", backups.path()}, keys_inside);
    EXPECT_EQ(keys_within.exit_code, 1);
    EXPECT_NE(keys_within.output.find("apart"), std::string::npos) << keys_within.output;
    EXPECT_EQ(run_command({patronctl_path(), "restore", dir, mariadb.data_dir()}, {}).exit_code, 1);

    // Restored into a new server: the sales up to the backup, not the ones after it.
    std::string restored_output;
    OwnMariaDb restored(
        [&](const std::string& data_dir) {
            const auto copied =
                run_command({patronctl_path(), "restore", dir, data_dir}, {{"PATRON_KEYS_FILE", load.setup.keys_file}});
            restored_output = copied.output;
            if (copied.exit_code != 0) throw std::runtime_error("patronctl restore: " + copied.output);
        },
        mariadb.password(), OwnMariaDb::kBinaryLog);
    EXPECT_NE(restored_output.find("holds every master key"), std::string::npos) << restored_output;
    const Checked at_backup = load.check_database(restored.url());
    EXPECT_GT(at_backup.figures.at("lost"), 0) << "the sales after the backup are in the backup";
    EXPECT_EQ(at_backup.figures.at("doubled"), 0);
    EXPECT_EQ(at_backup.figures.at("points other than acknowledged"), 0);
    EXPECT_EQ(at_backup.figures.at("in the database, never acknowledged"), 0);

    // The binary log replayed to the moment of the last acknowledged sale.
    auto restored_environment = environment;
    restored_environment["PATRON_DB_URL"] = restored.url();
    const auto replayed = run_command(
        {patronctl_path(), "restore", "replay", dir, mariadb.data_dir(), "--until", until}, restored_environment);
    ASSERT_EQ(replayed.exit_code, 0) << replayed.output;
    const Checked after = load.check_database(restored.url());
    for (const std::string& problem : after.problems) ADD_FAILURE() << problem;
    EXPECT_GT(after.figures.at("acknowledged"), 0);
    EXPECT_EQ(after.figures.at("found"), after.figures.at("acknowledged"));
    EXPECT_EQ(after.figures.at("lost"), 0);
    EXPECT_EQ(after.figures.at("doubled"), 0);
    const auto verified = run_command({patronctl_path(), "verify"}, restored_environment);
    EXPECT_EQ(verified.exit_code, 0) << verified.output;

    // To a moment in between, with patronctl in another time zone (--until is UTC whatever TZ
    // says): what was acknowledged before it is there, what was sent after it is not.
    const std::string middle = utc_seconds(from_utc(manifest["taken_at"].get<std::string>()) + 2s);
    OwnMariaDb in_between(
        [&](const std::string& data_dir) {
            const auto copied = run_command({patronctl_path(), "restore", dir, data_dir}, {});
            if (copied.exit_code != 0) throw std::runtime_error("patronctl restore: " + copied.output);
        },
        mariadb.password());
    auto in_between_environment = environment;
    in_between_environment["PATRON_DB_URL"] = in_between.url();
    in_between_environment["TZ"] = "Asia/Tehran";
    const auto partly = run_command({patronctl_path(), "restore", "replay", dir, mariadb.data_dir(), "--until", middle},
                                    in_between_environment);
    ASSERT_EQ(partly.exit_code, 0) << partly.output;
    const long long middle_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(from_utc(middle).time_since_epoch()).count();
    const auto present = receipts_in(in_between.url(), load.terminals);
    long long acknowledged_before = 0, sent_after = 0;
    for (const Acknowledged& operation : read_acknowledged(load.log_path)) {
        const std::pair<std::string, std::string> receipt{operation.terminal, operation.receipt};
        if (operation.acknowledged_at_ms < middle_ms) {
            ++acknowledged_before;
            EXPECT_TRUE(present.contains(receipt))
                << operation.terminal << "/" << operation.receipt << " was acknowledged before " << middle;
        } else if (operation.sent_at_ms >= middle_ms) {
            ++sent_after;
            EXPECT_FALSE(present.contains(receipt))
                << operation.terminal << "/" << operation.receipt << " was sent after " << middle;
        }
    }
    EXPECT_GT(acknowledged_before, 0);
    EXPECT_GT(sent_after, 0);
    // Not before the backup's own moment: that needs an older backup.
    const auto too_early =
        run_command({patronctl_path(), "restore", "replay", dir, mariadb.data_dir(), "--until", "2020-01-01 00:00:00"},
                    in_between_environment);
    EXPECT_EQ(too_early.exit_code, 1) << too_early.output;

    // A patrond on the restored database reads each member as the original does: personal data
    // opened with the keys, the same balance.
    TempDir work;
    PatrondProcess again(restored_environment, work.path());
    const std::string token = "Authorization: Bearer " + load.setup.demo["staff_token"].get<std::string>();
    for (const json& member : load.setup.demo["members"]) {
        const std::string path = "/v1/members/" + std::to_string(member["id"].get<long long>());
        const HttpReply original = http({"GET", load.server.url(path), "", {token}});
        const HttpReply copy = http({"GET", again.url(path), "", {token}});
        ASSERT_EQ(copy.status, 200) << copy.body;
        EXPECT_EQ(copy.body, original.body);
        EXPECT_FALSE(json::parse(copy.body).value("full_name", "").empty()) << copy.body;
        EXPECT_EQ(http({"GET", again.url(path + "/balance"), "", {token}}).body,
                  http({"GET", load.server.url(path + "/balance"), "", {token}}).body);
    }
    std::cout << "[figures] "
              << json{{"operations acknowledged", after.figures.at("acknowledged")},
                      {"requests acknowledged when the backup ended", acknowledged_by_backup_end},
                      {"operations in the backup", at_backup.figures.at("found")},
                      {"operations after it, missing before the replay", at_backup.figures.at("lost")},
                      {"operations found after the replay", after.figures.at("found")}}
                     .dump()
              << "\n";
}

}  // namespace
}  // namespace patron::testing
