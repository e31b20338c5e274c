// patrond's log through a real process: a database failure is logged by its class and MariaDB's
// error number, never with the values the request sent; and the log file, whether patrond opens
// it (PATRON_LOG_FILE) or a shell hands it over as standard error, is readable by its owner alone.
#include <fcntl.h>
#include <soci/soci.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using PatrondLog = PatrondTest;

mode_t mode_of(const std::string& path) {
    struct stat status {};
    EXPECT_EQ(stat(path.c_str(), &status), 0) << path;
    return status.st_mode & 0777;
}

std::string text_of(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// The log's line about an incident.
json incident_line(const std::string& log, const std::string& incident) {
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        const json fields = json::parse(line, nullptr, false);
        if (fields.is_object() && fields.value("incident", "") == incident) return fields;
    }
    return nullptr;
}

// Sets a permissive umask for one test (a file patrond left to it would be readable by all).
class Umask {
  public:
    explicit Umask(mode_t mask) : previous_(umask(mask)) {}
    ~Umask() { umask(previous_); }

  private:
    mode_t previous_;
};

TEST_F(PatrondLog, ADatabaseErrorIsLoggedByItsClassAndNumberNeverWithTheValuesSent) {
    // From now on MariaDB refuses every new staff user (error 1644) while SOCI holds the values bound.
    db.raw() << "CREATE TRIGGER refuse_staff_users BEFORE INSERT ON staff_users FOR EACH ROW"
                " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the log test'";
    const std::string name = "Planted Parvaneh Ghasemi";
    const std::string email = "planted.parvaneh@example.ir";
    const auto created =
        staff("POST", "/v1/staff/users",
              json{{"email", email}, {"name", name}, {"role", "support"}, {"password", "planted pass 12"}}.dump());
    ASSERT_EQ(created.status, 500) << created.body;
    const std::string incident = json::parse(created.body)["error"]["incident"];
    const std::string log = server.log();
    const json line = incident_line(log, incident);
    ASSERT_TRUE(line.is_object()) << log;
    EXPECT_EQ(line["detail"], "database error: soci_error unknown, MariaDB 1644");
    for (const std::string& value : {name, email, std::string("planted.parvaneh"), std::string("refused by the log"),
                                     std::string("INSERT INTO")}) {
        EXPECT_EQ(log.find(value), std::string::npos) << value << " is in the log:\n" << log;
        EXPECT_EQ(created.body.find(value), std::string::npos) << value << " is in the answer";
    }
}

TEST_F(PatrondLog, ALogFileNamedInTheSettingsIsCreatedReadableByItsOwnerOnly) {
    const Umask careless(0);
    TempDir dir;
    const std::string path = dir.path() + "/own.log";
    auto environment = setup.environment();
    environment["PATRON_LOG_FILE"] = path;
    PatrondProcess own(environment, dir.path());
    EXPECT_EQ(mode_of(path), 0600u);
    EXPECT_NE(text_of(path).find(R"("event":"listening")"), std::string::npos) << text_of(path);
    EXPECT_EQ(http({"GET", own.url("/healthz"), "", {}}).status, 200);
    own.stop();
    keep_log(path);
}

TEST_F(PatrondLog, AStandardErrorFileIsNarrowedToItsOwnerOnlyAtStart) {
    const Umask careless(0);
    TempDir dir;
    const std::string path = dir.path() + "/patrond.log";                  // Where PatrondProcess sends standard error.
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);  // As a shell's 2>> would make it.
    ASSERT_GE(fd, 0);
    close(fd);
    PatrondProcess own(setup.environment(), dir.path());
    EXPECT_EQ(mode_of(path), 0600u);
    EXPECT_NE(text_of(path).find(R"("event":"listening")"), std::string::npos);
}

}  // namespace
}  // namespace patron::testing
