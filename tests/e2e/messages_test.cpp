// Messages to members through a real patrond (issue 21): a member enrolled over HTTP with her
// consent to marketing SMS is welcomed through the notifier (the file notifier here) by patrond's
// own sender, in Persian, and never in its log; one without that consent is not; and a programme
// that turns messages off (weekly cap 0) sends none.
#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class MessagesOverHttp : public PatrondTest {
  protected:
    // No quiet hours, so that the test reads the same at any hour in Tehran.
    void set_policy(int weekly_cap) {
        const auto patched = staff(
            "PATCH", "/v1/program/settings",
            json{{"messages", {{"weekly_cap", weekly_cap}, {"quiet_from_hour", 0}, {"quiet_until_hour", 0}}}}.dump());
        ASSERT_EQ(patched.status, 200) << patched.body;
    }
    long long enrol(const std::string& phone, bool sms) {
        const json application = {
            {"full_name", "نیما رحیمی"}, {"phone", phone}, {"language", "fa"}, {"consents", {{"marketing_sms", sms}}}};
        const auto enrolled = staff("POST", "/v1/members", application.dump());
        EXPECT_EQ(enrolled.status, 201) << enrolled.body;
        return json::parse(enrolled.body, nullptr, false).value("id", 0LL);
    }
    // The messages sent to `to`, waiting up to `wait` for `count` of them (the sender runs every 10 s).
    std::vector<json> messages_to(const std::string& to, std::size_t count, std::chrono::seconds wait) {
        std::vector<json> found;
        const auto until = std::chrono::steady_clock::now() + wait;
        do {
            found.clear();
            for (json& sent : notifications("member.message")) {
                if (sent.value("to", "") == to) found.push_back(std::move(sent));
            }
            if (found.size() >= count) break;
            std::this_thread::sleep_for(200ms);
        } while (std::chrono::steady_clock::now() < until);
        return found;
    }
    // The state and reason of the member's welcome once the sender has decided it (up to 30 s).
    std::string decided(long long member_id) {
        const auto until = std::chrono::steady_clock::now() + 30s;
        std::string state = "pending";
        while (std::chrono::steady_clock::now() < until) {
            std::string reason;
            soci::indicator present = soci::i_null;
            state = "pending";
            db.raw() << "SELECT state, COALESCE(reason, '') FROM member_messages WHERE member_id = :id AND kind ="
                        " 'welcome'",
                soci::use(member_id), soci::into(state, present), soci::into(reason);
            if (present == soci::i_ok && state != "pending") return state + " " + reason;
            std::this_thread::sleep_for(200ms);
        }
        return state;
    }
};

TEST_F(MessagesOverHttp, AMemberWhoAgreedIsWelcomedInHerLanguageAndOneWhoDidNotIsNot) {
    set_policy(3);
    enrol("09350001122", true);
    const long long without = enrol("09350003344", false);
    const auto welcomed = messages_to("+989350001122", 1, 40s);
    ASSERT_EQ(welcomed.size(), 1U) << server.log();
    EXPECT_EQ(welcomed[0]["kind"], "welcome");
    EXPECT_EQ(welcomed[0]["channel"], "sms");
    EXPECT_EQ(welcomed[0]["language"], "fa");
    EXPECT_EQ(welcomed[0]["program"], "DEMO");
    const std::string text = welcomed[0]["text"];
    EXPECT_TRUE(text.starts_with("\u200F")) << "a right-to-left mark first";
    EXPECT_NE(text.find("خوش آمدید"), std::string::npos) << text;
    // The one who did not agree is skipped by the sender, and nothing reaches her.
    EXPECT_EQ(decided(without), "skipped no_consent");
    EXPECT_TRUE(messages_to("+989350003344", 1, 0s).empty());
    EXPECT_EQ(messages_to("+989350001122", 2, 0s).size(), 1U) << "sent once";
    EXPECT_EQ(server.log().find("09350001122"), std::string::npos);
    EXPECT_EQ(server.log().find("350001122"), std::string::npos) << "no phone in the log";
    EXPECT_NE(server.log().find("\"event\":\"member_messages\""), std::string::npos) << "the round is logged";
}

TEST_F(MessagesOverHttp, AProgrammeWithAWeeklyCapOfNoneSendsNothing) {
    set_policy(0);
    const long long member = enrol("09350005566", true);
    EXPECT_EQ(decided(member), "skipped messages_off") << server.log();
    EXPECT_TRUE(messages_to("+989350005566", 1, 0s).empty());
}

}  // namespace
}  // namespace patron::testing
