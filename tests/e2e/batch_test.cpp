// Offline batches through a real patrond: each operation applied once and answered as if sent
// alone, bad items not stopping the others, a batch re-sent three times applying nothing more,
// clock flags and receipt gaps reported.
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using BatchesOverHttp = PatrondTest;

TEST_F(BatchesOverHttp, QueuedOperationsApplyOnceInOrderAndAReSendChangesNothing) {
    // Sent alone first (as if the till got no answer), then again inside the batch.
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("1", card(0), 100000).dump()).status, 201);
    json future = purchase("5", card(0), 300000);
    future["pos_time"] = "2099-01-01T10:00:00+03:30";
    future["business_day"] = "2026-11-22";
    json broken = purchase("6", card(0), 100000);
    broken["total"] = 5;
    const json back = return_of("7", "2", {{{"line", 1}, {"quantity", 1}}});
    const json batch = {{"operations",
                         {{{"type", "purchase"}, {"document", purchase("1", card(0), 100000)}},
                          {{"type", "purchase"}, {"document", purchase("2", card(0), 200000)}},
                          {{"type", "purchase"}, {"document", future}},
                          {{"type", "purchase"}, {"document", broken}},
                          {{"type", "refund"}, {"document", back}},
                          {{"type", "return"}, {"document", back}}}}};
    const auto sent = pos("POST", "/v1/pos/batches", batch.dump());
    ASSERT_EQ(sent.status, 200) << sent.body;
    const json results = json::parse(sent.body)["results"];
    ASSERT_EQ(results.size(), 6u);
    EXPECT_EQ(results[0]["status"], 201);
    EXPECT_TRUE(results[0]["replayed"].get<bool>()) << "already applied alone";
    EXPECT_EQ(results[1]["status"], 201);
    EXPECT_EQ(results[1]["body"]["points"]["earned"], 20);
    EXPECT_EQ(results[2]["status"], 201);
    EXPECT_EQ(results[2]["flags"], json::array({"pos_time_in_future"}));
    EXPECT_EQ(results[3]["status"], 422);
    EXPECT_EQ(results[3]["body"]["error"]["field"], "operations[3].document.total");
    EXPECT_EQ(results[4]["status"], 422);
    EXPECT_EQ(results[4]["body"]["error"]["field"], "operations[4].type");
    EXPECT_EQ(results[5]["status"], 201) << results[5].dump();
    EXPECT_EQ(results[5]["body"]["points"]["earned"], -20);
    const json gaps = json::parse(sent.body)["gaps"];
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps[0]["from"], 3);
    EXPECT_EQ(gaps[0]["to"], 4);

    const auto balance = [&] {
        return json::parse(
            staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body)["points"]["available"];
    };
    const json after_first = balance();
    EXPECT_EQ(after_first, 10 + 20 + 30 - 20);
    for (int again = 0; again < 3; ++again) {
        const json resent = json::parse(pos("POST", "/v1/pos/batches", batch.dump()).body)["results"];
        for (std::size_t i : {0u, 1u, 2u, 5u}) {
            EXPECT_TRUE(resent[i]["replayed"].get<bool>()) << i;
            EXPECT_EQ(resent[i]["body"], results[i]["body"]) << i;
        }
    }
    EXPECT_EQ(balance(), after_first) << "re-sending the batch applied nothing";
    EXPECT_EQ(pos("POST", "/v1/pos/batches", R"({"operations": []})").status, 422);
}

}  // namespace
}  // namespace patron::testing
