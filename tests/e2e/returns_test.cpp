// Returns and voids through a real patrond: signed like purchases, answered like purchases,
// replayed byte for byte, each refusal with its code and field, and the books verified.
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using ReturnsOverHttp = PatrondTest;

TEST_F(ReturnsOverHttp, AReturnAndAVoidTakeBackThePointsOnceAndTheBooksAgree) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump()).status, 201);  // 90 points.
    json half = purchase("P-2", card(0), 0);
    half["lines"] = json::array({{{"line", 1},
                                  {"sku", "COF-1"},
                                  {"category", "coffee"},
                                  {"quantity", 2},
                                  {"unit_price", 300000},
                                  {"amount", 600000}},
                                 {{"line", 2},
                                  {"sku", "CAKE"},
                                  {"category", "bakery"},
                                  {"quantity", 1},
                                  {"unit_price", 400000},
                                  {"amount", 400000}}});
    half["total"] = 1000000;
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", half.dump()).status, 201);  // 100 more.

    const std::string body = return_of("R-1", "P-2", {{{"line", 1}, {"quantity", 1}}}).dump();
    const auto returned = pos("POST", "/v1/pos/returns", body);
    ASSERT_EQ(returned.status, 201) << returned.body;
    const json answer = json::parse(returned.body);
    EXPECT_EQ(answer["points"]["earned"], -30);
    EXPECT_EQ(answer["points"]["available"], 160);
    EXPECT_EQ(answer["effects"][0]["kind"], "reverse_points");
    EXPECT_EQ(answer["receipt_lines"][0], "امتیاز مرجوعی: -۳۰ امتیاز");
    const auto replay = pos("POST", "/v1/pos/returns", body);
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(replay.body, returned.body) << "a retry gets the same bytes back";

    const auto voided = pos("POST", "/v1/pos/voids", return_of("V-1", "P-2", nullptr).dump());
    ASSERT_EQ(voided.status, 201) << voided.body;
    EXPECT_EQ(json::parse(voided.body)["points"]["earned"], -70);
    EXPECT_EQ(json::parse(voided.body)["points"]["available"], 90);
    const auto again = pos("POST", "/v1/pos/voids", return_of("V-2", "P-2", nullptr).dump());
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(json::parse(again.body)["error"]["code"], "ALREADY_VOIDED");

    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

TEST_F(ReturnsOverHttp, RefusalsCarryTheirCodeAndField) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump()).status, 201);
    struct Case {
        json document;
        const char* path;
        int status;
        const char* code;
        const char* field;
    };
    json own_key = return_of("P-1", "P-1", {{{"line", 1}, {"quantity", 1}}});
    json no_original = return_of("R-9", "P-1", {{{"line", 1}, {"quantity", 1}}});
    no_original.erase("original");
    json void_with_lines = return_of("V-9", "P-1", {{{"line", 1}, {"quantity", 1}}});
    const Case cases[] = {
        {return_of("R-1", "NOPE", {{{"line", 1}, {"quantity", 1}}}), "/v1/pos/returns", 404, "RECEIPT_NOT_FOUND",
         "original"},
        {return_of("R-2", "P-1", {{{"line", 7}, {"quantity", 1}}}), "/v1/pos/returns", 422, "LINE_NOT_IN_RECEIPT",
         "lines[0].line"},
        {return_of("R-3", "P-1", {{{"line", 1}, {"quantity", 2}}}), "/v1/pos/returns", 422, "RETURN_EXCEEDS_PURCHASE",
         "lines[0].quantity"},
        {return_of("R-4", "P-1", {{{"line", 1}, {"quantity", 0}}}), "/v1/pos/returns", 422, "VALIDATION_FAILED",
         "lines[0].quantity"},
        {return_of("R-5", "P-1", json::array()), "/v1/pos/returns", 422, "VALIDATION_FAILED", "lines"},
        {own_key, "/v1/pos/returns", 422, "VALIDATION_FAILED", "receipt"},
        {no_original, "/v1/pos/returns", 422, "VALIDATION_FAILED", "original"},
        {void_with_lines, "/v1/pos/voids", 422, "VALIDATION_FAILED", "lines"},
    };
    for (const Case& c : cases) {
        const auto reply = pos("POST", c.path, c.document.dump());
        EXPECT_EQ(reply.status, c.status) << c.document.dump() << " -> " << reply.body;
        const json error = json::parse(reply.body)["error"];
        EXPECT_EQ(error["code"], c.code) << reply.body;
        EXPECT_EQ(error["field"], c.field) << reply.body;
    }
    const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance");
    EXPECT_EQ(json::parse(balance.body)["points"]["available"], 90) << "no refusal took anything";
}

TEST_F(ReturnsOverHttp, AReturnWithoutItsReceiptNeedsTheProgramsConsentAndTheCard) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump()).status, 201);  // 90 points.
    json blind = return_of("R-1", "P-1", nullptr);
    blind.erase("original");
    blind["card"] = card(0);
    blind["lines"] = purchase("x", "", 200000)["lines"];
    const auto refused = pos("POST", "/v1/pos/returns", blind.dump());
    EXPECT_EQ(refused.status, 404);
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "RECEIPT_NOT_FOUND");

    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"points": {"blind_returns": true}})").status, 200);
    const auto taken = pos("POST", "/v1/pos/returns", blind.dump());
    ASSERT_EQ(taken.status, 201) << taken.body;
    EXPECT_EQ(json::parse(taken.body)["points"]["earned"], -20) << "what 200,000 IRR of coffee earns today";
    EXPECT_EQ(pos("POST", "/v1/pos/returns", blind.dump()).body, taken.body) << "replays byte for byte";
    blind.erase("card");
    blind["receipt"] = "R-2";
    const auto cardless = pos("POST", "/v1/pos/returns", blind.dump());
    EXPECT_EQ(cardless.status, 422);
    EXPECT_EQ(json::parse(cardless.body)["error"]["field"], "original");
    const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance");
    EXPECT_EQ(json::parse(balance.body)["points"]["available"], 70);
}

}  // namespace
}  // namespace patron::testing
