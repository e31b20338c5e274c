// Runs last in a CTest run (the cleanup of the patrond_logs fixture every e2e test requires):
// every patrond log of the run is searched for every personal value the tests sent, and the
// demo members', in the encodings a log could hold them. Nothing may be found.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "loyalty/service/program/demo_program.h"
#include "tests/support/personal_data_log.h"

namespace patron::testing {
namespace {

std::string read_whole(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// "file: value (as form)" for each form of each value found in a log.
std::vector<std::string> findings(const std::map<std::string, std::string>& logs, const std::set<std::string>& values) {
    std::vector<std::string> found;
    for (const std::string& value : values) {
        for (const std::string& form : encodings_of(value)) {
            for (const auto& [name, text] : logs) {
                if (text.find(form) != std::string::npos) found.push_back(name + ": " + value + " (as " + form + ")");
            }
        }
    }
    return found;
}

TEST(LogScan, FindsAPersonalValueHiddenInAnyOfItsEncodings) {
    const std::set<std::string> values = {"سارا کریمی", "0912 345 6789", "Sara.Karimi@Example.ir"};
    EXPECT_EQ(findings({{"a", R"({"name":"\u0633\u0627\u0631\u0627 \u06a9\u0631\u06cc\u0645\u06cc"})"}}, values).size(),
              1U);
    EXPECT_EQ(findings({{"b", R"({"to":"+989123456789"})"}}, values).size(), 1U);
    EXPECT_EQ(findings({{"c", "user sara.karimi@example.ir"}}, values).size(), 1U);
    EXPECT_TRUE(findings({{"d", R"({"event":"request","route":"/v1/members/:id","status":200})"}}, values).empty());
}

TEST(LogScan, NoPatrondLogOfTheRunHoldsPersonalData) {
    const std::string dir = test_log_dir();
    ASSERT_FALSE(dir.empty()) << "run by CTest, which sets PATRON_TEST_LOG_DIR";
    ASSERT_TRUE(std::filesystem::exists(dir)) << "no e2e test kept a patrond log in " << dir;
    std::map<std::string, std::string> logs;
    std::size_t bytes = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".log") continue;
        logs[entry.path().filename()] = read_whole(entry.path());
        bytes += logs[entry.path().filename()].size();
    }
    std::set<std::string> values;
    std::ifstream people(dir + "/people.txt");
    for (std::string line; std::getline(people, line);) values.insert(nlohmann::json::parse(line).get<std::string>());
    for (const service::MemberApplication& member : service::demo_members()) {
        values.insert(member.full_name);
        for (const auto& field : {member.phone, member.email, member.birth_date}) {
            if (field) values.insert(*field);
        }
    }
    ASSERT_FALSE(logs.empty());
    const auto found = findings(logs, values);
    std::cout << "scanned " << logs.size() << " patrond logs (" << bytes << " bytes) for " << values.size()
              << " personal values\n";
    EXPECT_TRUE(found.empty()) << found.size() << " found, first: " << found.front();
}

}  // namespace
}  // namespace patron::testing
