// patronctl import members FILE.csv against a real database and patrond: a retailer's customer list
// (a spreadsheet's byte order mark, headers in any case, a quoted comma, Persian names) checked in
// a dry run that writes nothing, then enrolled through the API's checks with each refused row named
// by its number, column and code; the members it enrolled are staff's to find over HTTP, audited
// as the import's; run again it enrols no one twice. Its progress line is drawn on a terminal (a
// pseudo-terminal made by script(1)) and never into a pipe or with --quiet.
#include <fstream>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class MemberImport : public PatrondTest {
  protected:
    std::string write_list(const std::string& name, const std::string& text) {
        const std::string path = files.path() + "/" + name;
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    CommandResult import(const std::vector<std::string>& extra) {
        std::vector<std::string> argv = {patronctl_path(), "import", "members"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_command(argv, setup.environment());
    }
    std::map<std::string, long long> counts() {
        return {{"members", db.count("members")},
                {"cards", db.count("cards")},
                {"audit_log", db.count("audit_log")},
                {"outbox_events", db.count("outbox_events")}};
    }
    // `command` run on a terminal of 120 columns (a pseudo-terminal made by script(1)).
    CommandResult on_terminal(const std::string& command) {
        return run_command({"/usr/bin/script", "--quiet", "--return", "--command",
                            "stty cols 120 rows 40 2>/dev/null; " + command, "/dev/null"},
                           setup.environment());
    }
    json find(const std::string& query) {
        const auto found = staff("GET", "/v1/members?" + query);
        EXPECT_EQ(found.status, 200) << query << ": " << found.body;
        return json::parse(found.body, nullptr, false)["members"][0];
    }
    TempDir files;
};

// A console's progress line is the import's: the other long commands draw theirs as it does.
class ConsoleProgress : public MemberImport {};

bool says(const CommandResult& run, const std::string& words) { return run.output.find(words) != std::string::npos; }

// Rows 2, 3 and 4 are members; 5 to 8 are refused, each for its own reason; row 9 is row 2 again,
// its phone written the international way; row 10 is her again, her name typed otherwise, with an
// email no one has (refused: the member has the phone, not the email); row 11's city is Windows-1256,
// not UTF-8. The blank line is no record, so the rows are numbered as records.
const std::string kList =
    "\xEF\xBB\xBF"
    "Full_Name, Phone ,email,language,marketing_sms,city\r\n"
    "Shirin Farahani,0912 700 0001,Shirin@Example.ir,fa,yes,Tehran\r\n"
    "\"Bahram, Jr.\",+98 912 700 0002,,en,no,\r\n"
    "مریم رضایی,09127000003,,fa,,شیراز\r\n"
    "Omid Karimi,12345,,en,,\r\n"
    "Lale Azadi,09127000005,lale@example.ir,de,,\r\n"
    "Too Few,09127000006\r\n"
    "Someone Else,0912 700 0001,,en,,\r\n"
    "\r\n"
    "Shirin Farahani,+989127000001,,fa,,\r\n"
    "shirin  FARAHANI,09127000001,other@example.ir,fa,,\r\n"
    "Kamran Ghasemi,09127000010,,fa,,\xE3\xC7\xD1\xED\r\n";

// What the list holds of people, for the suite's scan of patrond's logs.
void record_the_lists_people() {
    for (const char* value :
         {"Shirin Farahani", "0912 700 0001", "+989127000001", "Shirin@Example.ir", "shirin@example.ir", "Bahram, Jr.",
          "+98 912 700 0002", "+989127000002", "مریم رضایی", "09127000003", "+989127000003", "شیراز", "Omid Karimi",
          "Lale Azadi", "lale@example.ir", "other@example.ir", "Kamran Ghasemi"}) {
        record_personal_value(value);
    }
}

void expect_refusals(const CommandResult& run) {
    EXPECT_TRUE(says(run, "row 5: phone: VALIDATION_FAILED")) << run.output;
    EXPECT_TRUE(says(run, "row 6: language: VALIDATION_FAILED: language must be fa or en")) << run.output;
    EXPECT_TRUE(says(run, "row 7: VALIDATION_FAILED: the row has 2 cells where the header names 6 columns"))
        << run.output;
    EXPECT_TRUE(says(run, "row 8: phone: MEMBER_EXISTS")) << run.output;
    EXPECT_TRUE(says(run, "under another name")) << run.output;
    EXPECT_TRUE(says(run, "row 10: email: MEMBER_EXISTS: a member has this row's phone, but not its email"))
        << run.output;
    EXPECT_TRUE(says(run, "row 11: city: VALIDATION_FAILED: city is not UTF-8 text")) << run.output;
    EXPECT_FALSE(says(run, "row 2:") || says(run, "row 3:") || says(run, "row 4:") || says(run, "row 9:"))
        << run.output;
    EXPECT_FALSE(says(run, "Omid") || says(run, "12345")) << "a refusal names the column, never the value\n"
                                                          << run.output;
}

TEST_F(MemberImport, ADryRunWritesNothingThenTheListIsEnrolledOnceWithEachRefusedRowNamed) {
    record_the_lists_people();
    const std::string list = write_list("customers.csv", kList);
    const auto before = counts();

    const auto dry = import({list, "--dry-run"});
    EXPECT_EQ(dry.exit_code, 1) << dry.output;
    expect_refusals(dry);
    EXPECT_TRUE(says(dry,
                     "dry run: would enrol 3 members, 1 already enrolled, 6 rows refused, of 10 rows; "
                     "nothing was written"))
        << dry.output;
    EXPECT_TRUE(says(dry, "patronctl: 6 of 10 rows refused (listed above)")) << dry.output;
    EXPECT_EQ(counts(), before) << "a dry run writes nothing";

    const auto real = import({list});
    EXPECT_EQ(real.exit_code, 1) << real.output;
    expect_refusals(real);
    EXPECT_TRUE(says(real, "enrolled 3 members, 1 already enrolled, 6 rows refused, of 10 rows\n")) << real.output;
    EXPECT_TRUE(says(real, "the import run again enrols no one twice")) << real.output;
    auto after = counts();
    EXPECT_EQ(after["members"], before.at("members") + 3);
    EXPECT_EQ(after["cards"], before.at("cards") + 3) << "each with a card";
    EXPECT_EQ(after["audit_log"], before.at("audit_log") + 3) << "each enrolment audited";

    // Staff find them as the API enrolled them: the phone normalised, the email lower-cased, the
    // consent given, the Persian name and city as written.
    const json shirin = find("email=shirin%40example.ir");
    EXPECT_EQ(shirin["full_name"], "Shirin Farahani") << shirin.dump();
    EXPECT_EQ(shirin["phone"], "+989127000001");
    EXPECT_EQ(shirin["email"], "shirin@example.ir");
    EXPECT_EQ(shirin["city"], "Tehran");
    EXPECT_EQ(shirin["consents"]["marketing_sms"]["granted"], true) << shirin.dump();
    const json bahram = find("phone=%2B989127000002");
    EXPECT_EQ(bahram["full_name"], "Bahram, Jr.");
    EXPECT_EQ(bahram["language"], "en");
    const json maryam = find("phone=09127000003");
    EXPECT_EQ(maryam["full_name"], "مریم رضایی");
    EXPECT_EQ(maryam["city"], "شیراز");
    EXPECT_EQ(maryam["cards"].size(), 1u);
    const auto audit = staff("GET", "/v1/audit-log?action=member.enrol&actor=patronctl%20import%20customers.csv");
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_EQ(json::parse(audit.body)["entries"].size(), 3u) << audit.body;

    // Run again (after a run that stopped half-way, or by mistake): no one is enrolled twice.
    const auto again = import({list});
    EXPECT_EQ(again.exit_code, 1) << again.output;
    EXPECT_TRUE(says(again, "enrolled 0 members, 4 already enrolled, 6 rows refused, of 10 rows\n")) << again.output;
    EXPECT_EQ(counts(), after);

    // The refused rows mended, the list goes through.
    const std::string mended = write_list("mended.csv",
                                          "full_name,phone,language\n"
                                          "Omid Karimi,0912 700 0004,en\n"
                                          "Lale Azadi,09127000005,fa\n");
    const auto last = import({mended, "--program", "DEMO"});
    EXPECT_EQ(last.exit_code, 0) << last.output;
    EXPECT_TRUE(says(last, "enrolled 2 members, 0 already enrolled, 0 rows refused, of 2 rows\n")) << last.output;
    EXPECT_EQ(db.count("members"), after["members"] + 2);
}

TEST_F(MemberImport, AFileThatIsNoListOfMembersIsRefusedBeforeAnyoneIsEnrolled) {
    const auto before = counts();
    const std::vector<std::pair<std::string, std::string>> files_and_words = {
        {"full_name,phone,loyalty_number\nA B,09127000011,77\n",
         "row 1 (the header): the header names a column \"loyalty_number\" that an import does not take"},
        {"full_name,city\nA B,Tehran\n", "row 1 (the header): the header names neither a phone nor an email column"},
        {"phone,phone,full_name\n", "the header names the column phone twice"},
        {"full_name,phone\nA B,09127000011\n\"C D,09127000012\n", "not valid CSV"},
        {"", "is empty: its first row names the columns"},
        // A list without its header row: its first customer is no column, and is not printed.
        {"Shirin Farahani,09127000001\n",
         "row 1 (the header): column 1 of the header names a column that an import does not take (is the first "
         "row the header?)"},
        {"\xEF\xBB\xBF\"full_name\",\"phone\"\nA B,09127000011,extra\n",
         "row 2: VALIDATION_FAILED: the row has 3 cells"},
    };
    for (const auto& [text, words] : files_and_words) {
        const auto run = import({write_list("list.csv", text)});
        EXPECT_EQ(run.exit_code, 1) << text << run.output;
        EXPECT_TRUE(says(run, words)) << text << "\n" << run.output;
        EXPECT_FALSE(says(run, "Shirin")) << run.output;
        if (!text.starts_with("\xEF")) {
            EXPECT_FALSE(says(run, " rows refused, of ")) << "before any row" << run.output;
        }
    }
    const auto missing = import({files.path() + "/absent.csv"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(says(missing, "absent.csv: cannot be read")) << missing.output;
    EXPECT_EQ(import({}).exit_code, 2) << "no file: the usage";
    const auto program = import({write_list("list.csv", "full_name,phone\nA B,09127000011\n"), "--program", "NONE"});
    EXPECT_EQ(program.exit_code, 1);
    EXPECT_TRUE(says(program, "no program with code NONE")) << program.output;
    EXPECT_EQ(counts(), before);
}

// On a terminal the import draws its progress line (a bar, the counts, the rate), ended by a new
// line before the summary; into a pipe, or told --quiet, nothing but its own output.
TEST_F(MemberImport, ItsProgressIsDrawnOnATerminalOnly) {
    std::string text = "full_name,phone\n";
    for (int i = 0; i < 40; ++i) text += "Member " + std::to_string(i) + ",0912800" + std::to_string(1000 + i) + "\n";
    const std::string list = write_list("forty.csv", text);
    const std::string command = patronctl_path() + " import members " + list;
    const auto drawn = on_terminal(command + " --dry-run");
    ASSERT_EQ(drawn.exit_code, 0) << drawn.output;
    EXPECT_TRUE(says(drawn, "\rimport (dry run)  [")) << drawn.output;
    EXPECT_TRUE(says(drawn, "40/40 rows")) << drawn.output;
    EXPECT_TRUE(says(drawn, "/s")) << drawn.output;
    EXPECT_TRUE(says(drawn, "dry run: would enrol 40 members")) << drawn.output;

    const auto quiet = on_terminal(command + " --quiet");
    ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
    EXPECT_FALSE(says(quiet, "\033[K") || says(quiet, "[")) << "no line drawn\n" << quiet.output;
    EXPECT_TRUE(says(quiet, "enrolled 40 members")) << quiet.output;

    const auto piped = import({list});
    ASSERT_EQ(piped.exit_code, 0) << piped.output;
    EXPECT_EQ(piped.output, "enrolled 0 members, 40 already enrolled, 0 rows refused, of 40 rows\n");
}

// The console's other long work draws its line too, on a terminal: each names itself, and the
// summary starts a line of its own after it.
TEST_F(ConsoleProgress, LongHousekeepingDrawsItsLineOnATerminalAndNoneWhenQuiet) {
    struct Drawn {
        std::vector<std::string> words;
        std::vector<std::string> seen;
    };
    for (const auto& [words, seen] :
         std::vector<Drawn>{{{"verify"}, {"\rverify  [", "]  6/6 checks  "}},
                            {{"expire"}, {"\rexpire  "}},
                            {{"keys", "rewrap"}, {"\rkeys rewrap  "}},
                            {{"insight", "refresh"}, {"\rinsight refresh  [", "]  3/3 members  "}}}) {
        std::string command;
        for (const std::string& word : words) command += (command.empty() ? "" : " ") + word;
        const auto run = on_terminal(patronctl_path() + " " + command);
        EXPECT_EQ(run.exit_code, 0) << command << "\n" << run.output;
        for (const std::string& part : seen) EXPECT_TRUE(says(run, part)) << command << "\n" << run.output;
        EXPECT_TRUE(says(run, "\033[K\r\n")) << "the line ended before the summary\n" << run.output;
        const auto quiet = on_terminal(patronctl_path() + " --quiet " + command);
        EXPECT_EQ(quiet.exit_code, 0) << command << "\n" << quiet.output;
        EXPECT_FALSE(says(quiet, "\033[K")) << "no line drawn\n" << quiet.output;
        std::vector<std::string> argv = {patronctl_path()};
        argv.insert(argv.end(), words.begin(), words.end());
        const auto piped = run_command(argv, setup.environment());
        EXPECT_EQ(piped.exit_code, 0) << command << "\n" << piped.output;
        EXPECT_FALSE(says(piped, "\r")) << "none into a pipe\n" << piped.output;
    }
}

}  // namespace
}  // namespace patron::testing
