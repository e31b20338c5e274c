// Master key rotation while patrond serves: `patronctl keys rotate` adds and activates a new
// master key and re-wraps every member data key and terminal secret, while other threads read
// members (unwrapping their data keys), enrol new ones (wrapping) and commit signed purchases
// (unwrapping the terminal's secret). Nothing may fail, nothing may be left under the old key,
// and once it is retired a fresh patrond with only the new key reads everything.
#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using KeyRotation = PatrondTest;

struct Traffic {
    std::atomic<bool> stop{false};
    std::atomic<int> requests{0};
    std::mutex mutex;
    std::vector<std::string> failures;
    std::vector<long long> enrolled;

    void failed(const std::string& what) {
        std::lock_guard lock(mutex);
        failures.push_back(what);
    }
};

std::string phone_of(int n) { return "0935" + std::to_string(1000000 + n); }

TEST_F(KeyRotation, RotatingUnderReadsAndWritesFailsNoRequestAndLeavesNothingUnderTheOldKey) {
    Traffic traffic;
    const auto enrol = [&](int n) {
        const auto reply =
            staff("POST", "/v1/members",
                  json{{"full_name", "Rotation Member " + std::to_string(n)}, {"phone", phone_of(n)}}.dump());
        if (reply.status != 201) {
            traffic.failed("enrol " + std::to_string(reply.status) + " " + reply.body);
            return;
        }
        std::lock_guard lock(traffic.mutex);
        traffic.enrolled.push_back(json::parse(reply.body)["id"].get<long long>());
    };
    for (int n = 0; n < 30; ++n) enrol(n);
    ASSERT_TRUE(traffic.failures.empty()) << traffic.failures[0];

    std::vector<std::thread> threads;
    for (int reader = 0; reader < 2; ++reader) {
        threads.emplace_back([&, reader] {
            for (std::size_t i = static_cast<std::size_t>(reader); !traffic.stop; ++i) {
                long long id = 0;
                {
                    std::lock_guard lock(traffic.mutex);
                    id = traffic.enrolled[i % traffic.enrolled.size()];
                }
                const auto reply = staff("GET", "/v1/members/" + std::to_string(id));
                ++traffic.requests;
                if (reply.status != 200 || !json::parse(reply.body).contains("full_name")) {
                    traffic.failed("read " + std::to_string(id) + ": " + std::to_string(reply.status) + reply.body);
                }
            }
        });
    }
    threads.emplace_back([&] {
        for (int n = 100; !traffic.stop; ++n) {
            enrol(n);
            ++traffic.requests;
        }
    });
    threads.emplace_back([&] {
        for (int n = 0; !traffic.stop; ++n) {
            const auto reply =
                pos("POST", "/v1/pos/purchases", purchase("rot-" + std::to_string(n), card(0), 50000).dump());
            ++traffic.requests;
            if (reply.status != 201) traffic.failed("purchase " + std::to_string(reply.status) + " " + reply.body);
        }
    });

    const auto rotated = run_command({patronctl_path(), "keys", "rotate"}, setup.environment());
    traffic.stop = true;
    for (auto& thread : threads) thread.join();

    ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
    EXPECT_NE(rotated.output.find("added master key mk2"), std::string::npos) << rotated.output;
    EXPECT_NE(rotated.output.find("mk1: 0 wrapped keys, can be retired"), std::string::npos) << rotated.output;
    EXPECT_TRUE(traffic.failures.empty()) << traffic.failures.size() << " failed, first: " << traffic.failures[0];
    EXPECT_GT(traffic.requests.load(), 100) << "the rotation ran under load";
    EXPECT_NE(server.log().find("\"active_master_key\":\"mk2\""), std::string::npos) << "patrond followed the file";

    const auto retired = run_command({patronctl_path(), "keys", "retire", "mk1"}, setup.environment());
    ASSERT_EQ(retired.exit_code, 0) << retired.output;
    EXPECT_NE(run_command({patronctl_path(), "keys", "retire", "mk2"}, setup.environment()).exit_code, 0)
        << "the active key cannot be retired";

    // A patrond started now knows mk2 alone: every member and the terminal still open.
    server.stop();
    PatrondProcess fresh(setup.environment(), setup.dir.path());
    const std::string token = "Authorization: Bearer " + setup.demo["staff_token"].get<std::string>();
    for (const long long id : traffic.enrolled) {
        const auto reply = http({"GET", fresh.url("/v1/members/" + std::to_string(id)), "", {token}});
        ASSERT_EQ(reply.status, 200) << id << ": " << reply.body;
        EXPECT_TRUE(json::parse(reply.body)["full_name"].get<std::string>().starts_with("Rotation Member "));
    }
    const std::string body = purchase("rot-after", card(0), 50000).dump();
    std::vector<std::string> headers = signer().headers("POST", "/v1/pos/purchases", body);
    headers.push_back("Content-Type: application/json");
    EXPECT_EQ(http({"POST", fresh.url("/v1/pos/purchases"), body, headers}).status, 201);
}

}  // namespace
}  // namespace patron::testing
