// The POS client examples (examples/: Python, Node, Java) run against a real patrond, so that what
// an integrator copies always signs, sends and resends as Patron expects.
#include <cstdlib>
#include <map>
#include <string>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using Examples = PatrondTest;

TEST_F(Examples, EachSignsAQuoteAPurchaseAResendAReturnAndABatch) {
    const nlohmann::json& terminal = setup.demo["terminal"];
    std::map<std::string, std::string> environment = {
        {"PATRON_URL", server.url("")},
        {"PATRON_KEY_ID", terminal["key_id"].get<std::string>()},
        {"PATRON_SECRET", terminal["secret"].get<std::string>()},
        {"PATRON_STORE", terminal["store"].get<std::string>()},
        {"PATRON_TERMINAL", terminal["terminal"].get<std::string>()},
        {"PATRON_CARD", card(0)},
        {"PATRON_CURRENCY", "IRR"},
    };
    const auto ran = run_command({"/bin/bash", source_dir() + "/examples/run-all"}, environment);
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
    for (const char* language : {"python", "node", "java"}) {
        EXPECT_NE(ran.output.find(std::string("=== ") + language + ": OK"), std::string::npos) << ran.output;
    }
    // Each resent its purchase and was answered with the same booking.
    std::size_t replays = 0;
    for (auto at = ran.output.find("Idempotent-Replayed: true"); at != std::string::npos;
         at = ran.output.find("Idempotent-Replayed: true", at + 1)) {
        ++replays;
    }
    EXPECT_EQ(replays, 3u) << ran.output;
}

}  // namespace
}  // namespace patron::testing
