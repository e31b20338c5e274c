#include "apps/patronctl/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <expected>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>

#include "apps/config/config.h"
#include "apps/patronctl/progress.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/service/access/key_rotation_service.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/db/server_facts.h"
#include "version.h"

extern char** environ;

namespace patron::apps {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kManifest = "patron-backup.json";
constexpr const char* kData = "data";  // The backup's copy of the data directory, inside DIR.

int fail(const std::string& message) {
    std::cerr << "patronctl: " << message << "\n";
    return 1;
}

// A file of client options holding the database password, readable by this user alone and
// removed when done: a password on a command line is visible to every user of the machine.
class OptionsFile {
  public:
    explicit OptionsFile(const store::DatabaseAddress& address) {
        const char* tmp = std::getenv("TMPDIR");
        std::string name = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/patronctl-options-XXXXXX";
        const int fd = mkstemp(name.data());  // Mode 0600.
        if (fd < 0) return;
        const auto quoted = [](const std::string& text) {
            std::string out = "\"";
            for (const char c : text) {
                if (c == '"' || c == '\\') out += '\\';
                out += c;
            }
            return out + "\"";
        };
        std::string text = "[client]\nuser=" + quoted(address.user) + "\n";
        if (!address.password.empty()) text += "password=" + quoted(address.password) + "\n";
        if (!address.host.empty()) text += "host=" + quoted(address.host) + "\n";
        if (!address.port.empty()) text += "port=" + quoted(address.port) + "\n";
        if (!address.socket.empty()) text += "socket=" + quoted(address.socket) + "\n";
        std::size_t written = 0;
        while (written < text.size()) {
            const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
            if (n <= 0 && errno != EINTR) break;
            if (n > 0) written += static_cast<std::size_t>(n);
        }
        const bool whole = written == text.size() && close(fd) == 0;
        if (!whole) {
            unlink(name.c_str());
            return;
        }
        path_ = name;
    }
    ~OptionsFile() {
        if (!path_.empty()) unlink(path_.c_str());
    }
    OptionsFile(const OptionsFile&) = delete;
    OptionsFile& operator=(const OptionsFile&) = delete;
    bool ok() const { return !path_.empty(); }
    // Must come first among a MariaDB tool's options; no other option file is read.
    std::string option() const { return "--defaults-file=" + path_; }

  private:
    std::string path_;
};

// Starts argv (looked up in PATH) with standard input, output and error on these descriptors and
// the environment of patronctl plus `extra`; the process id, or -1.
pid_t spawn(const std::vector<std::string>& argv, int in, int out, int err, const std::vector<std::string>& extra) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    // patronctl's environment without Patron's own settings (the database URL holds the password)
    // and without what `extra` sets, then `extra`: the first of two TZ would win.
    const auto set_by_extra = [&extra](std::string_view variable) {
        const std::string_view name = variable.substr(0, variable.find('='));
        for (const std::string& set : extra) {
            if (set.substr(0, set.find('=')) == name) return true;
        }
        return name.starts_with("PATRON_");
    };
    std::vector<char*> environment;
    for (char** variable = environ; *variable != nullptr; ++variable) {
        if (!set_by_extra(*variable)) environment.push_back(*variable);
    }
    for (const std::string& variable : extra) environment.push_back(const_cast<char*>(variable.c_str()));
    environment.push_back(nullptr);
    pid_t pid = -1;
    const int started = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environment.data());
    posix_spawn_file_actions_destroy(&actions);
    return started == 0 ? pid : -1;
}

// The exit status of a child (128 + signal when a signal ended it).
int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 127;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
}

// Runs a tool to its end with its output appended to `log`; true when it exited 0.
bool run_logged(const std::vector<std::string>& argv, const fs::path& log) {
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) {
        if (out >= 0) close(out);
        if (in >= 0) close(in);
        return false;
    }
    const pid_t pid = spawn(argv, in, out, out, {});
    close(out);
    close(in);
    return pid > 0 && wait_for(pid) == 0;
}

std::string last_lines(const fs::path& log, std::size_t count) {
    std::ifstream file(log);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) lines.push_back(line);
    std::string text;
    for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) {
        text += "  " + lines[i] + "\n";
    }
    return text;
}

// The bytes of the files under `dir` (what could not be read counted as none), in MiB.
long long mebibytes_under(const fs::path& dir) {
    std::error_code error;
    std::uintmax_t bytes = 0;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, error), end;
         !error && it != end; it.increment(error)) {
        std::error_code unreadable;
        if (it->is_regular_file(unreadable)) {
            const std::uintmax_t size = it->file_size(unreadable);
            if (!unreadable) bytes += size;
        }
    }
    return static_cast<long long>(bytes >> 20);
}

// What a copy into `target` has written of `total` MiB, walked at most once a second (a data
// directory holds many files; the line is drawn ten times a second).
ProgressReading copied_so_far(const fs::path& target, long long total) {
    struct Walked {
        std::chrono::steady_clock::time_point at{};
        long long mebibytes = 0;
    };
    return [target, total, walked = std::make_shared<Walked>()] {
        const auto now = std::chrono::steady_clock::now();
        if (now - walked->at >= std::chrono::seconds(1)) {
            walked->mebibytes = mebibytes_under(target);
            walked->at = now;
        }
        return std::pair{walked->mebibytes, total};
    };
}

bool empty_or_absent(const fs::path& dir) {
    std::error_code error;
    return !fs::exists(dir, error) || (fs::is_directory(dir, error) && fs::is_empty(dir, error));
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

// Where the binary log stood at the copy's consistent point: mariadb-backup's file of it
// (its name before MariaDB 11 and after), "FILE<TAB>POSITION<TAB>GTID".
std::optional<json> binlog_position(const fs::path& data) {
    for (const char* name : {"xtrabackup_binlog_info", "mariadb_backup_binlog_info"}) {
        std::ifstream file(data / name);
        std::string file_name, gtid;
        long long position = 0;
        if (file >> file_name >> position) {
            file >> gtid;
            return json{{"file", file_name}, {"position", position}, {"gtid", gtid}};
        }
    }
    return std::nullopt;
}

std::expected<json, std::string> read_manifest(const fs::path& dir) {
    std::ifstream file(dir / kManifest);
    if (!file) return std::unexpected((dir / kManifest).string() + " is missing: not a backup patronctl took");
    json manifest = json::parse(file, nullptr, false);
    if (!manifest.is_object() || manifest.value("format", 0) != 1) {
        return std::unexpected((dir / kManifest).string() + " is not a manifest this patronctl reads");
    }
    return manifest;
}

bool inside(const fs::path& file, const fs::path& dir) {
    std::error_code error;
    const fs::path a = fs::weakly_canonical(file, error);
    const fs::path b = fs::weakly_canonical(dir, error);
    const auto [end, _] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
    return end == b.end();
}

// "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SSZ" (UTC) as mariadb-binlog reads it.
std::optional<std::string> stop_moment(const std::string& text) {
    static const std::regex kMoment(R"(^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})Z?$)");
    std::smatch parts;
    if (!std::regex_match(text, parts, kMoment)) return std::nullopt;
    return parts[1].str() + " " + parts[2].str();
}

// The binary log files from the backup's one on, in order: BASENAME.NNNNNN in dir, numbered
// without a gap (a file missing in the middle would lose its transactions and exit 0); or why not.
std::expected<std::vector<fs::path>, std::string> binlogs_from(const fs::path& dir, const std::string& first) {
    const auto dot = first.rfind('.');
    if (dot == std::string::npos) return std::unexpected("the manifest's binary log file has no number: " + first);
    const std::string base = first.substr(0, dot + 1);
    const auto number_of = [&base](const std::string& name) -> std::optional<long long> {
        if (!name.starts_with(base) || name.size() <= base.size()) return std::nullopt;
        const std::string digits = name.substr(base.size());
        if (digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        return std::stoll(digits);
    };
    const auto first_number = number_of(first);
    if (!first_number) return std::unexpected("the manifest's binary log file has no number: " + first);
    std::map<long long, fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const auto number = number_of(entry.path().filename().string());
        if (number && *number >= *first_number) files[*number] = entry.path();
    }
    if (error) return std::unexpected("cannot read " + dir.string() + ": " + error.message());
    if (!files.contains(*first_number)) {
        return std::unexpected(dir.string() + " does not hold " + first + ", the binary log the backup stopped in");
    }
    std::vector<fs::path> ordered;
    long long expected = *first_number;
    for (const auto& [number, path] : files) {
        if (number != expected) {
            return std::unexpected("the binary log " + base + std::to_string(expected) + "… between " +
                                   ordered.back().filename().string() + " and " + path.filename().string() +
                                   " is missing from " + dir.string());
        }
        ordered.push_back(path);
        ++expected;
    }
    return ordered;
}

int take_backup(const fs::path& dir) {
    const auto config = parse_config({}, std::getenv, own_default_config_file());
    if (!config) return fail(config.error());
    if (inside(config->keys_file, dir)) {
        return fail("the keys file " + config->keys_file + " lies inside " + dir.string() +
                    "; keep backups and keys apart (see the README)");
    }
    if (!empty_or_absent(dir)) return fail(dir.string() + " is not empty; a backup goes into a new directory");
    const auto ring = crypto::KeyRing::load(config->keys_file);
    if (!ring) return fail("PATRON_KEYS_FILE: " + ring.error());
    const auto address = store::parse_database_url(config->db_url);
    if (!address) return fail(address.error().message);
    store::Database database(store::DatabaseSettings{config->db_url, 1});
    const auto facts = database.run_for<store::ServerFacts>(
        [](soci::session& sql) -> core::Result<store::ServerFacts> { return store::read_server_facts(sql); });
    if (!facts) return fail("the database: " + facts.error().message);

    // Which master keys the data needs: a restore is readable with a keys file that holds them.
    crypto::SystemRandom random;
    const auto usage = service::KeyRotationService(database, *ring, random).usage();
    if (!usage) return fail(usage.error().message);
    json master_keys = json::array();
    for (const auto& [id, count] : *usage) {
        if (count > 0) master_keys.push_back(id);
        if (count > 0 && ring->masters()->find(id) == nullptr) {
            std::cerr << "patronctl: warning: " << count << " keys are wrapped by " << id
                      << ", which the keys file does not hold\n";
        }
    }

    std::error_code error;
    fs::create_directories(dir, error);
    if (error) return fail("cannot create " + dir.string() + ": " + error.message());
    fs::permissions(dir, fs::perms::owner_all, error);  // 0700: the copy is everything Patron holds.
    if (error) return fail("cannot make " + dir.string() + " private: " + error.message());
    const fs::path log = dir / "mariadb-backup.log";
    const OptionsFile options(*address);
    if (!options.ok()) return fail("cannot write a temporary options file");
    std::cout << "copying the database in " << facts->data_dir << " while it serves\n";
    const std::string started = utc_now();
    // The copy's size against the data directory's (the binary log in it is not copied: the bar may
    // end short of full).
    const long long source = mebibytes_under(facts->data_dir);
    Progress copying("backup: copying", "MiB", copied_so_far(dir / kData, source), progress_shown());
    const bool copied = run_logged({"mariadb-backup", options.option(), "--backup",
                                    "--target-dir=" + (dir / kData).string(), "--datadir=" + facts->data_dir},
                                   log);
    copying.finish();
    if (!copied) {
        return fail("mariadb-backup --backup failed; its last words (" + log.string() + "):\n" + last_lines(log, 8));
    }
    // The copy's consistent point lies between these two moments.
    const std::string consistent_by = utc_now();
    // Prepared now, the copy is a consistent data directory a server can start on as it is.
    // Without --no-defaults: --prepare reads the copy's own backup-my.cnf (the server's InnoDB
    // layout: page size, data files, undo, encryption), and nothing else.
    Progress preparing("backup: preparing the copy", "", time_only(), progress_shown());
    const bool prepared = run_logged({"mariadb-backup", "--prepare", "--target-dir=" + (dir / kData).string()}, log);
    preparing.finish();
    if (!prepared) {
        return fail("mariadb-backup --prepare failed; its last words (" + log.string() + "):\n" + last_lines(log, 8));
    }

    json manifest = {{"format", 1},
                     {"taken_at", consistent_by},
                     {"copy_started_at", started},
                     {"patron_version", kPatronVersion},
                     {"server_version", facts->version},
                     {"schema_version", facts->schema_version},
                     {"database", address->database},
                     {"master_keys", master_keys},
                     {"keys_file_included", false}};
    const auto position = binlog_position(dir / kData);
    if (facts->binlog && !position) {
        return fail("the server keeps a binary log but mariadb-backup recorded no position in it (see " + log.string() +
                    ")");
    }
    if (position) {
        manifest["binlog"] = *position;
        manifest["binlog"]["directory"] = fs::path(facts->binlog_basename).parent_path().string();
    }
    {
        std::ofstream file(dir / kManifest);
        file << manifest.dump(2) << "\n";
        if (!file.flush()) return fail("cannot write " + (dir / kManifest).string());
    }

    std::cout << "backup of " << address->database << " in " << dir.string() << " ("
              << manifest["taken_at"].get<std::string>() << ", schema " << facts->schema_version << ")\n";
    std::cout << "the members' personal data in it opens only with the master keys " << master_keys.dump()
              << ": keep the keys file " << config->keys_file << " backed up too, but stored apart\n";
    if (manifest.contains("binlog")) {
        std::cout << "binary log from " << manifest["binlog"]["file"].get<std::string>() << ":"
                  << manifest["binlog"]["position"].get<long long>() << " (in "
                  << manifest["binlog"]["directory"].get<std::string>()
                  << "): keep those files for point-in-time recovery\n";
    } else {
        std::cout << "the server keeps no binary log (log_bin is off): this backup restores to the moment it was "
                     "taken, never later\n";
    }
    return 0;
}

int copy_back(const fs::path& dir, const fs::path& data_dir) {
    const auto manifest = read_manifest(dir);
    if (!manifest) return fail(manifest.error());
    if (!empty_or_absent(data_dir)) {
        return fail(data_dir.string() + " is not empty; restore into a new data directory, with no server on it");
    }
    std::error_code error;
    fs::create_directories(data_dir, error);
    if (error) return fail("cannot create " + data_dir.string() + ": " + error.message());
    // The log beside the new data directory: the backup may be on read-only media.
    const fs::path log = data_dir.parent_path() / (data_dir.filename().string() + ".restore.log");
    const long long source = mebibytes_under(dir / kData);
    Progress copying("restore: copying", "MiB", copied_so_far(data_dir, source), progress_shown());
    const bool copied = run_logged({"mariadb-backup", "--no-defaults", "--copy-back",
                                    "--target-dir=" + (dir / kData).string(), "--datadir=" + data_dir.string()},
                                   log);
    copying.finish();
    if (!copied) {
        return fail("mariadb-backup --copy-back failed; its last words (" + log.string() + "):\n" + last_lines(log, 8));
    }
    std::cout << "restored the backup of " << (*manifest)["taken_at"].get<std::string>() << " into "
              << data_dir.string() << "\n";
    // The copy is of no use without the master keys that open its personal data.
    int missing = 0;
    if (const char* keys_file = std::getenv("PATRON_KEYS_FILE")) {
        const auto ring = crypto::KeyRing::load(keys_file);
        if (!ring) return fail("PATRON_KEYS_FILE: " + ring.error());
        for (const json& id : (*manifest)["master_keys"]) {
            if (ring->masters()->find(id.get<std::string>()) != nullptr) continue;
            std::cerr << "patronctl: the keys file " << keys_file << " lacks master key " << id.get<std::string>()
                      << ": the personal data it guards cannot be read\n";
            ++missing;
        }
        if (missing == 0) std::cout << "the keys file " << keys_file << " holds every master key the data needs\n";
    } else {
        std::cout << "PATRON_KEYS_FILE is not set: make sure the keys file patrond will use holds "
                  << (*manifest)["master_keys"].dump() << "\n";
    }
    std::cout << "next: start MariaDB on " << data_dir.string()
              << " (the accounts and passwords are the backed-up server's), then, to go on to a later moment, "
                 "patronctl restore replay "
              << dir.string() << " BINLOG_DIR --until \"YYYY-MM-DD HH:MM:SS\"\n";
    return missing == 0 ? 0 : 1;
}

int replay(const fs::path& dir, const fs::path& binlog_dir, const std::optional<std::string>& until) {
    const auto manifest = read_manifest(dir);
    if (!manifest) return fail(manifest.error());
    if (!manifest->contains("binlog")) return fail("the backup was taken from a server without a binary log");
    const std::string first = (*manifest)["binlog"]["file"].get<std::string>();
    const auto found = binlogs_from(binlog_dir, first);
    if (!found) return fail(found.error());
    const std::vector<fs::path>& files = *found;
    // The backup holds the data as of some moment up to consistent_by: no earlier moment.
    const std::string consistent_by = manifest->value("taken_at", "");
    if (until && consistent_by.size() >= 19 &&
        *until <= consistent_by.substr(0, 10) + " " + consistent_by.substr(11, 8)) {
        return fail("the backup holds the data as of " + consistent_by +
                    "; for an earlier moment restore an older backup");
    }
    const auto config = parse_config({}, std::getenv, own_default_config_file());
    if (!config) return fail(config.error());
    const auto address = store::parse_database_url(config->db_url);
    if (!address) return fail(address.error().message);
    const std::string database = manifest->value("database", "");
    if (address->database != database) {
        return fail("PATRON_DB_URL names the database " + address->database + "; the backup is of " + database);
    }
    const OptionsFile options(*address);
    if (!options.ok()) return fail("cannot write a temporary options file");

    // Only the backed-up database's events: the binary log holds every database of its server.
    std::vector<std::string> reader = {
        "mariadb-binlog", "--no-defaults", "--database=" + database,
        "--start-position=" + std::to_string((*manifest)["binlog"]["position"].get<long long>())};
    if (until) reader.push_back("--stop-datetime=" + *until);
    for (const fs::path& file : files) reader.push_back(file.string());
    const std::vector<std::string> writer = {"mariadb", options.option(), "--binary-mode"};

    int pipe_ends[2];
    if (pipe2(pipe_ends, O_CLOEXEC) != 0) return fail("cannot make a pipe");
    const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    // mariadb-binlog reads --stop-datetime in the local time zone: UTC, as Patron's times are.
    const pid_t reading = spawn(reader, in, pipe_ends[1], STDERR_FILENO, {"TZ=UTC"});
    const pid_t writing = spawn(writer, pipe_ends[0], STDOUT_FILENO, STDERR_FILENO, {});
    close(pipe_ends[0]);
    close(pipe_ends[1]);
    close(in);
    const int read_status = reading > 0 ? wait_for(reading) : 127;
    const int write_status = writing > 0 ? wait_for(writing) : 127;
    if (read_status != 0) return fail("mariadb-binlog failed (exit " + std::to_string(read_status) + ")");
    if (write_status != 0)
        return fail("mariadb failed to apply the binary log (exit " + std::to_string(write_status) + ")");
    std::cout << "replayed " << files.size() << " binary log file" << (files.size() == 1 ? "" : "s") << " from "
              << first << ":" << (*manifest)["binlog"]["position"].get<long long>()
              << (until ? " up to " + *until + " UTC" : std::string(" to their end")) << " into " << address->database
              << "\nnext: patronctl migrate, then patronctl verify\n";
    return 0;
}

}  // namespace

int backup_command(const std::vector<std::string>& args) {
    if (args.size() != 1) {
        std::cerr << "usage: patronctl backup DIR\n";
        return 2;
    }
    return take_backup(args[0]);
}

int restore_command(const std::vector<std::string>& args) {
    if (args.size() == 2 && args[0] != "replay") return copy_back(args[0], args[1]);
    if (args.size() == 3 && args[0] == "replay") return replay(args[1], args[2], std::nullopt);
    if (args.size() == 5 && args[0] == "replay" && args[3] == "--until") {
        const auto until = stop_moment(args[4]);
        if (!until) return fail("--until must be a UTC moment, YYYY-MM-DD HH:MM:SS");
        return replay(args[1], args[2], until);
    }
    std::cerr << "usage: patronctl restore DIR DATADIR | restore replay DIR BINLOG_DIR [--until \"YYYY-MM-DD "
                 "HH:MM:SS\"]\n";
    return 2;
}

}  // namespace patron::apps
