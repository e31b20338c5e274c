// patronctl at the server's console, against a real database and patrond: program add (a new
// installation's first programme, each value checked; its first admin from patronctl staff add
// signs in over HTTP and reads the settings the command wrote) and coupons codes (codes drawn for
// a campaign through the API's checks, the console's export lists them, a progress line on a
// terminal).
#include <set>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class OperatorCommands : public PatrondTest {
  protected:
    CommandResult patronctl(std::vector<std::string> args) {
        args.insert(args.begin(), patronctl_path());
        return run_command(args, setup.environment());
    }
};

TEST_F(OperatorCommands, ProgramAddCreatesTheFirstProgrammeAndItsAdminSignsIn) {
    const auto added = patronctl(
        {"program", "add", "CAFE", "Café Roya", "EUR", "+49", "en", "Europe/Berlin", "--card-prefix", "7002"});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    EXPECT_NE(added.output.find("created programme CAFE"), std::string::npos) << added.output;
    EXPECT_NE(added.output.find("patronctl staff add CAFE EMAIL admin NAME"), std::string::npos) << added.output;

    const auto admin = run_command(
        {"/bin/sh", "-c",
         "echo 'a long cafe password' | " + patronctl_path() + " staff add CAFE owner@cafe.example admin 'Roya Owner'"},
        setup.environment());
    ASSERT_EQ(admin.exit_code, 0) << admin.output;
    const auto signed_in = http({"POST",
                                 server.url("/v1/staff/sessions"),
                                 json{{"email", "owner@cafe.example"}, {"password", "a long cafe password"}}.dump(),
                                 {"Content-Type: application/json"}});
    ASSERT_EQ(signed_in.status, 201) << signed_in.body;
    const std::string token = json::parse(signed_in.body)["token"];
    const auto settings = staff("GET", "/v1/program/settings", "", token);
    ASSERT_EQ(settings.status, 200) << settings.body;
    const json program = json::parse(settings.body);
    EXPECT_EQ(program["name"], "Café Roya");
    EXPECT_EQ(program["currency"], "EUR");
    EXPECT_EQ(program["currency_exponent"], 2);
    EXPECT_EQ(program["language"], "en");
    EXPECT_EQ(program["time_zone"], "Europe/Berlin");
}

TEST_F(OperatorCommands, ProgramAddChecksEachValueAndNamesTheOneRefused) {
    const long long programs = db.count("programs");
    for (const auto& [args, words] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"DEMO", "Again", "IRR", "98", "fa", "Asia/Tehran"}, "code: a programme with this code exists"},
             {{"NO SPACES", "Club", "IRR", "98", "fa", "Asia/Tehran"}, "code: a code is 1 to 32 letters"},
             {{"CLUB", " ", "IRR", "98", "fa", "Asia/Tehran"}, "name: a name is 1 to 200 bytes"},
             {{"CLUB", "Club", "XYZ", "98", "fa", "Asia/Tehran"}, "currency: not a currency Patron knows"},
             {{"CLUB", "Club", "IRR", "0098", "fa", "Asia/Tehran"}, "country_calling_code: a country calling code"},
             {{"CLUB", "Club", "IRR", "98", "de", "Asia/Tehran"}, "language: language must be fa or en"},
             {{"CLUB", "Club", "IRR", "98", "fa", "Asia/Atlantis"}, "time_zone: not a time zone"},
             {{"CLUB", "Club", "IRR", "98", "fa", "Asia/Tehran", "--card-prefix", "70A1"},
              "card_prefix: a card prefix"},
         }) {
        std::vector<std::string> argv = {"program", "add"};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto run = patronctl(argv);
        EXPECT_EQ(run.exit_code, 1) << words << "\n" << run.output;
        EXPECT_EQ(run.output.rfind("patronctl: " + words, 0), 0u) << "one line, naming the value\n" << run.output;
    }
    EXPECT_EQ(patronctl({"program", "add", "CLUB", "Club"}).exit_code, 2) << "too few: the usage";
    EXPECT_EQ(db.count("programs"), programs);
}

TEST_F(OperatorCommands, CouponCodesAreDrawnForACampaignAsTheApiDrawsThem) {
    const auto made =
        staff("POST", "/v1/coupon-campaigns", R"({"name": "Spring", "type": "percent_off_basket", "percent": 10})");
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string id = std::to_string(json::parse(made.body)["id"].get<long long>());
    const auto drawn = run_command({"/usr/bin/script", "--quiet", "--return", "--command",
                                    "stty cols 120 rows 40 2>/dev/null; " + patronctl_path() + " coupons codes " + id +
                                        " 50000 --prefix SPR- --length 8",
                                    "/dev/null"},
                                   setup.environment());
    ASSERT_EQ(drawn.exit_code, 0) << drawn.output;
    EXPECT_NE(drawn.output.find("\rcoupon codes  ["), std::string::npos) << drawn.output;
    EXPECT_NE(drawn.output.find("50,000/50,000 codes"), std::string::npos) << drawn.output;
    EXPECT_NE(drawn.output.find("added 50000 codes to coupon campaign " + id), std::string::npos) << drawn.output;

    const auto exported = staff("GET", "/v1/coupon-campaigns/" + id + "/codes");
    ASSERT_EQ(exported.status, 200);
    std::set<std::string> codes;
    std::istringstream lines(exported.body);
    std::string line;
    std::getline(lines, line);  // The header.
    while (std::getline(lines, line)) {
        const std::string code = line.substr(0, line.find(','));
        EXPECT_EQ(code.size(), 12u) << code;
        EXPECT_EQ(code.rfind("SPR-", 0), 0u) << code;
        codes.insert(code);
    }
    EXPECT_EQ(codes.size(), 50000u) << "distinct";
    const auto audit = staff("GET", "/v1/audit-log?action=coupon_campaign.codes&actor=patronctl");
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_EQ(json::parse(audit.body)["entries"].size(), 1u) << audit.body;

    // The API's own refusals, named by field; nothing drawn.
    for (const auto& [args, words] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{id, "1000001"}, "patronctl: count: "},
             {{id, "10", "--length", "3"}, "patronctl: length: "},
             {{"999999", "10"}, "patronctl: "},
             {{id, "ten"}, "patronctl: COUNT must be a whole number"}}) {
        std::vector<std::string> argv = {patronctl_path(), "--quiet", "coupons", "codes"};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto refused = run_command(argv, setup.environment());
        EXPECT_EQ(refused.exit_code, 1) << refused.output;
        EXPECT_EQ(refused.output.rfind(words, 0), 0u) << refused.output;
    }
    EXPECT_EQ(db.count("coupon_codes"), 50000);
}

}  // namespace
}  // namespace patron::testing
