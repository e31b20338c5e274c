// Idempotency-Key on staff and member writes, over HTTP (issue 20): every kind of write sent
// again with its key (a till or console retrying after a lost answer) gets the first answer byte
// for byte, marked Idempotent-Replayed, and writes nothing more; the key with another request is
// refused, 409 IDEMPOTENCY_CONFLICT; twenty identical requests racing with one key do the write
// once and all get its answer (a racer arriving while the first runs is told to retry); a write
// refused (4xx) keeps nothing but what the refusal itself records (a failed claim), so it runs
// again; a member's own answer is kept sealed, and a member's erasure removes the ones about her;
// a master key rotation re-wraps the kept answers.
#include <soci/soci.h>

#include <chrono>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class WritesOnce : public PatrondTest {
  protected:
    HttpReply keyed(const std::string& method, const std::string& path, const json& body, const std::string& key,
                    const std::string& token = {}) {
        const std::string text = body.is_null() ? "" : body.dump();
        record_personal_data(method, path, text);
        return http({method,
                     server.url(path),
                     text,
                     {"Authorization: Bearer " + (token.empty() ? setup.demo["staff_token"].get<std::string>() : token),
                      "Content-Type: application/json", "Idempotency-Key: " + key}});
    }

    // The rows of every table a staff write may add to or change: nothing may move on a replay.
    std::map<std::string, long long> rows() {
        std::map<std::string, long long> counts;
        for (const char* table :
             {"members", "member_lookups", "cards", "ledger_transfers", "ledger_entries", "audit_log", "stores",
              "terminals", "terminal_keys", "coupon_campaigns", "coupon_codes", "rule_sets", "rule_set_drafts",
              "purchases", "member_consent_history", "outbox_events"}) {
            counts[table] = db.count(table);
        }
        return counts;
    }

    std::string member_path(long long id) const { return "/v1/members/" + std::to_string(id); }
};

TEST_F(WritesOnce, EveryKindOfStaffWriteSentAgainWithItsKeyIsAnsweredTheSameAndDoneOnce) {
    // An anonymous sale for a claim, before anything is counted.
    const json receipt = purchase_now("WO-1", "", 300000);
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", receipt.dump()).status, 201);

    struct Write {
        std::string name, method, path;
        json body;
    };
    long long nima = 0;
    long long campaign = 0;
    const auto writes = [&]() -> std::vector<Write> {
        return {
            {"enrol", "POST", "/v1/members", {{"full_name", "Nima Rahimi"}, {"phone", "09127778899"}}},
            {"adjust points",
             "POST",
             member_path(member_id(0)) + "/points/adjustments",
             {{"points", 70}, {"reason", "goodwill"}}},
            {"change a profile", "PATCH", member_path(nima), {{"city", "Shiraz"}}},
            {"block a card", "POST", "/v1/cards/" + card(2) + "/state", {{"state", "blocked"}, {"reason", "lost"}}},
            {"claim a purchase",
             "POST",
             member_path(member_id(1)) + "/claims",
             {{"store", "S001"},
              {"terminal", "T01"},
              {"business_day", receipt["business_day"]},
              {"receipt", "WO-1"},
              {"total", 300000}}},
            {"open a store",
             "POST",
             "/v1/stores",
             {{"code", "S777"}, {"name", "Isfahan"}, {"time_zone", "Asia/Tehran"}}},
            {"register a terminal", "POST", "/v1/stores/S777/terminals", {{"code", "T77"}}},
            {"make a campaign",
             "POST",
             "/v1/coupon-campaigns",
             {{"name", "Once"}, {"type", "percent_off_basket"}, {"percent", 10}}},
            {"draw codes", "POST", "/v1/coupon-campaigns/" + std::to_string(campaign) + "/codes", {{"count", 3}}},
            {"draft a cashback rule",
             "PUT",
             "/v1/program/rules/draft/cashback/cb5",
             {{"name", "Cashback 5%"}, {"percent", 5}}},
            {"publish the rules", "POST", "/v1/program/rules/publish", nullptr},
            {"merge", "POST", member_path(member_id(0)) + "/merge", {{"from", nima}}},
        };
    };
    for (std::size_t i = 0; i < writes().size(); ++i) {
        const Write write = writes()[i];  // Made again each time: the ids of the writes before.
        const std::string key = "console-" + std::to_string(i);
        const auto first = keyed(write.method, write.path, write.body, key);
        ASSERT_GE(first.status, 200) << write.name << ": " << first.body;
        ASSERT_LT(first.status, 300) << write.name << ": " << first.body;
        EXPECT_FALSE(first.headers.contains("idempotent-replayed")) << write.name;
        const auto written = rows();
        const auto again = keyed(write.method, write.path, write.body, key);
        EXPECT_EQ(again.status, first.status) << write.name;
        EXPECT_EQ(again.body, first.body) << write.name;
        EXPECT_EQ(again.headers.count("idempotent-replayed"), 1U) << write.name;
        EXPECT_EQ(rows(), written) << write.name << ": the replay wrote nothing";
        // The same key with another request is someone's mistake, never a second write.
        json other = write.body.is_null() ? json::object() : write.body;
        other["note"] = "another request";
        const auto conflict = keyed(write.method, write.path, other, key);
        EXPECT_EQ(conflict.status, 409) << write.name << ": " << conflict.body;
        EXPECT_EQ(code_of(conflict), "IDEMPOTENCY_CONFLICT") << write.name;
        EXPECT_EQ(json::parse(conflict.body)["error"]["field"], "Idempotency-Key") << write.name;
        EXPECT_EQ(rows(), written) << write.name;
        if (write.name == "enrol") nima = json::parse(first.body)["id"].get<long long>();
        if (write.name == "make a campaign") campaign = json::parse(first.body)["id"].get<long long>();
    }
    // Keys belong to their caller: another staff account's same key is its own.
    const std::string support = staff_user("support");
    const auto theirs = keyed("POST", member_path(member_id(0)) + "/points/adjustments",
                              {{"points", 5}, {"reason", "theirs"}}, "console-1", support);
    EXPECT_EQ(theirs.status, 201) << theirs.body;
    EXPECT_FALSE(theirs.headers.contains("idempotent-replayed"));

    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;

    // A master key rotation re-wraps the kept answers' keys too: mk1 can go, and they still open.
    const auto first_enrolment = keyed("POST", "/v1/members", writes()[0].body, "console-0");
    const auto rotated = run_command({patronctl_path(), "keys", "rotate"}, setup.environment());
    ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
    EXPECT_NE(rotated.output.find("keys of answers kept for Idempotency-Keys"), std::string::npos) << rotated.output;
    const auto retired = run_command({patronctl_path(), "keys", "retire", "mk1"}, setup.environment());
    ASSERT_EQ(retired.exit_code, 0) << retired.output;
    const auto after_rotation = keyed("POST", "/v1/members", writes()[0].body, "console-0");
    EXPECT_EQ(after_rotation.status, 201);
    EXPECT_EQ(after_rotation.body, first_enrolment.body);
    EXPECT_EQ(after_rotation.headers.count("idempotent-replayed"), 1U);
}

TEST_F(WritesOnce, TwentyRacingRequestsWithOneKeyWriteOnceAndAllGetItsAnswer) {
    const std::string path = "/v1/members/" + std::to_string(member_id(0)) + "/points/adjustments";
    const long long transfers = db.count("ledger_transfers");
    std::vector<std::future<HttpReply>> racers;
    for (int i = 0; i < 20; ++i) {
        racers.push_back(std::async(std::launch::async, [&] {
            // A retry while the first is still being answered is told to come back (503).
            for (int attempt = 0;; ++attempt) {
                HttpReply reply = keyed("POST", path, {{"points", 40}, {"reason", "one goodwill"}}, "race-1");
                if (reply.status != 503 || attempt >= 50) return reply;
                EXPECT_EQ(reply.headers.count("retry-after"), 1U);
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }));
    }
    std::vector<HttpReply> replies;
    for (auto& racer : racers) replies.push_back(racer.get());
    int replayed = 0;
    for (const HttpReply& reply : replies) {
        EXPECT_EQ(reply.status, 201) << reply.body;
        EXPECT_EQ(reply.body, replies.front().body);
        replayed += reply.headers.contains("idempotent-replayed") ? 1 : 0;
    }
    EXPECT_EQ(replayed, 19);
    EXPECT_EQ(db.count("ledger_transfers"), transfers + 1);
}

TEST_F(WritesOnce, ARefusedWriteKeepsOnlyWhatTheRefusalRecordsAndAMembersOwnAnswerIsSealed) {
    // Refused (points that are not a number): nothing kept, so the same request with its key is run
    // again, and refused again rather than replayed.
    const std::string path = "/v1/members/" + std::to_string(member_id(0)) + "/points/adjustments";
    const auto refused = keyed("POST", path, {{"points", "ten"}}, "fix-1");
    ASSERT_EQ(refused.status, 422) << refused.body;
    const auto again = keyed("POST", path, {{"points", "ten"}}, "fix-1");
    EXPECT_EQ(again.status, 422);
    EXPECT_FALSE(again.headers.contains("idempotent-replayed"));
    EXPECT_EQ(db.count("write_answers"), 0);

    // A member's own write: kept under her, sealed.
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    // A claim refused still counts against her day's tries, key or not.
    const long long failures = db.count("member_claim_failures");
    const json claim = {{"store", "S001"}, {"terminal", "T01"}, {"business_day", "2026-11-22"},
                        {"receipt", "NO-SUCH"}, {"total", 1000}};
    const auto unclaimed = http({"POST",
                                 server.url("/v1/me/claims"),
                                 claim.dump(),
                                 {"Authorization: Bearer " + token, "Content-Type: application/json",
                                  "Idempotency-Key: claim-1"}});
    EXPECT_GE(unclaimed.status, 400) << unclaimed.body;
    EXPECT_LT(unclaimed.status, 500) << unclaimed.body;
    EXPECT_EQ(db.count("member_claim_failures"), failures + 1) << "the refusal's own record is kept";
    EXPECT_EQ(db.count("write_answers"), 0);
    // Her own claim of an anonymous sale: kept under her, sealed.
    const json sold = purchase_now("WO-2", "", 300000);
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", sold.dump()).status, 201);
    const json mine = {{"store", "S001"},
                       {"terminal", "T01"},
                       {"business_day", sold["business_day"]},
                       {"receipt", "WO-2"},
                       {"total", 300000}};
    const auto claim_it = [&] {
        return http(
            {"POST",
             server.url("/v1/me/claims"),
             mine.dump(),
             {"Authorization: Bearer " + token, "Content-Type: application/json", "Idempotency-Key: portal-1"}});
    };
    const auto claimed = claim_it();
    ASSERT_GE(claimed.status, 200) << claimed.body;
    ASSERT_LT(claimed.status, 300) << claimed.body;
    const auto replay = claim_it();
    EXPECT_EQ(replay.body, claimed.body);
    EXPECT_EQ(replay.headers.count("idempotent-replayed"), 1U);
    long long in_clear = -1;
    const std::string start = claimed.body.substr(0, 24);
    db.raw() << "SELECT COUNT(*) FROM write_answers WHERE LOCATE(:text, answer_sealed) > 0", soci::use(start),
        soci::into(in_clear);
    EXPECT_EQ(in_clear, 0) << "kept answers are sealed";
    EXPECT_EQ(db.count("write_answers"), 1);

    // Her erasure removes what was kept about her and for her; the erasure's own answer stays.
    const auto enrolled =
        keyed("POST", "/v1/members", {{"full_name", "Leila Karimi"}, {"phone", "09125556677"}}, "k-2");
    ASSERT_EQ(enrolled.status, 201) << enrolled.body;
    const long long leila = json::parse(enrolled.body)["id"].get<long long>();
    ASSERT_EQ(keyed("DELETE", "/v1/members/" + std::to_string(leila), nullptr, "k-3").status, 204);
    ASSERT_EQ(keyed("DELETE", "/v1/members/" + std::to_string(member_id(0)), nullptr, "k-4").status, 204);
    long long left = -1;
    db.raw() << "SELECT COUNT(*) FROM write_answers WHERE idempotency_key IN ('portal-1', 'k-2')", soci::into(left);
    EXPECT_EQ(left, 0);
    EXPECT_EQ(db.count("write_answers"), 2) << "the two erasures' answers";
}

}  // namespace
}  // namespace patron::testing
