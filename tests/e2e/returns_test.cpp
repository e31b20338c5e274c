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

// The demo store's purchase P-1 (two coffees, 45 points each, for the demo's first member), and
// a second store of the program, S002, whose terminal T01 signs with a key of its own.
class ReturnsAcrossStores : public PatrondTest {
  protected:
    void SetUp() override {
        other_store = open_store("S002", "Karaj");
        ASSERT_FALSE(HasFailure());
        buy_two_coffees("P-1");
    }
    void buy_two_coffees(const std::string& receipt) {
        json document = purchase(receipt, card(0), 900000);
        document["lines"][0]["quantity"] = 2;
        document["lines"][0]["unit_price"] = 450000;
        ASSERT_EQ(pos("POST", "/v1/pos/purchases", document.dump()).status, 201);
    }
    HttpReply at_other_store(const std::string& method, const std::string& path, const std::string& body = "",
                             const std::string& content_type = "application/json") {
        std::vector<std::string> headers = other_store.headers(method, path, body);
        headers.push_back("Content-Type: " + content_type);
        return http({method, server.url(path), body, headers});
    }
    // A return of one coffee (or, without lines, a void) of the demo store's `original`, as the
    // other store's till sends it.
    static json from_other_store(const std::string& receipt, const std::string& original, bool is_void = false) {
        json document = return_of(receipt, original, is_void ? json() : json{{{"line", 1}, {"quantity", 1}}});
        document["store"] = "S002";
        return document;
    }
    HttpReply return_at_other_store(const std::string& receipt, const std::string& original) {
        return at_other_store("POST", "/v1/pos/returns", from_other_store(receipt, original).dump());
    }
    HttpReply void_at_other_store(const std::string& receipt, const std::string& original) {
        return at_other_store("POST", "/v1/pos/voids", from_other_store(receipt, original, true).dump());
    }
    long long available() {
        const auto balance = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance");
        return json::parse(balance.body)["points"]["available"].get<long long>();
    }
    // A return of one coffee of P-1 and a void of it in one batch, in each format a till may send:
    // native JSON, an end-of-day CSV file, and POSLog (a PostVoided transaction: the void only).
    std::vector<HttpReply> batches_from_other_store() {
        const json native = {{"operations",
                              {{{"type", "return"}, {"document", from_other_store("B-1", "P-1")}},
                               {{"type", "void"}, {"document", from_other_store("B-2", "P-1", true)}}}}};
        const std::string csv =
            "store,terminal,business_day,receipt,pos_time,type,sku,quantity,original_store,original_terminal,"
            "original_business_day,original_receipt,original_line\n"
            "S002,T01,2026-11-22,C-1,2026-11-22T19:20:00+03:30,return,COF-1,1,S001,T01,2026-11-22,P-1,1\n"
            "S002,T01,2026-11-22,C-2,2026-11-22T19:25:00+03:30,void,,,S001,T01,2026-11-22,P-1,\n";
        const std::string poslog = R"(<?xml version="1.0" encoding="UTF-8"?>
<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/"><Transaction>
  <BusinessUnit><UnitID>S002</UnitID></BusinessUnit><WorkstationID>T01</WorkstationID>
  <SequenceNumber>X-1</SequenceNumber><BusinessDayDate>2026-11-22</BusinessDayDate>
  <EndDateTime>2026-11-22T19:30:00+03:30</EndDateTime><CurrencyCode>IRR</CurrencyCode>
  <RetailTransaction TransactionStatus="PostVoided"><TransactionLink ReasonCode="Voided">
    <BusinessUnit><UnitID>S001</UnitID></BusinessUnit><WorkstationID>T01</WorkstationID>
    <SequenceNumber>P-1</SequenceNumber><BusinessDayDate>2026-11-22</BusinessDayDate>
  </TransactionLink></RetailTransaction>
</Transaction></POSLog>)";
        return {at_other_store("POST", "/v1/pos/batches", native.dump()),
                at_other_store("POST", "/v1/pos/batches", csv, "text/csv"),
                at_other_store("POST", "/v1/pos/batches", poslog, "application/xml")};
    }
    // Each batch's results' error codes ("" for a success), batch by batch.
    static std::vector<std::vector<std::string>> codes_of(const std::vector<HttpReply>& batches) {
        std::vector<std::vector<std::string>> codes;
        for (const HttpReply& batch : batches) {
            EXPECT_EQ(batch.status, 200) << batch.body;
            codes.emplace_back();
            const json answer = json::parse(batch.body);
            for (const json& result : answer["results"]) {
                codes.back().push_back(result["body"].contains("error") ? result["body"]["error"]["code"] : "");
            }
        }
        return codes;
    }
    void expect_books_balance() {
        const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
        EXPECT_EQ(verified.exit_code, 0) << verified.output;
    }

    PosSigner other_store;
};

TEST_F(ReturnsAcrossStores, AnotherStoresTillGetsReceiptNotFoundInEveryFormAndChangesNothing) {
    const auto unknown = return_at_other_store("R-0", "NOPE");
    ASSERT_EQ(unknown.status, 404) << unknown.body;
    const auto returned = return_at_other_store("R-1", "P-1");
    const auto voided = void_at_other_store("V-1", "P-1");
    for (const HttpReply* refused : {&returned, &voided}) {
        EXPECT_EQ(refused->status, 404) << refused->body;
        EXPECT_EQ(code_of(*refused), "RECEIPT_NOT_FOUND");
        EXPECT_EQ(refused->body, unknown.body) << "the same bytes as for a receipt that does not exist";
    }
    const std::vector<std::vector<std::string>> not_found = {
        {"RECEIPT_NOT_FOUND", "RECEIPT_NOT_FOUND"}, {"RECEIPT_NOT_FOUND", "RECEIPT_NOT_FOUND"}, {"RECEIPT_NOT_FOUND"}};
    EXPECT_EQ(codes_of(batches_from_other_store()), not_found);
    EXPECT_EQ(available(), 90) << "nothing was taken back";
    EXPECT_EQ(at_other_store("GET", "/v1/pos/receipts/S002/T01/2026-11-22/R-1").status, 404) << "nothing was kept";
    const auto at_home =
        pos("POST", "/v1/pos/returns", return_of("R-1", "P-1", {{{"line", 1}, {"quantity", 1}}}).dump());
    EXPECT_EQ(at_home.status, 201) << "the purchase's own store still can: " << at_home.body;
    EXPECT_EQ(available(), 45);
    expect_books_balance();
}

TEST_F(ReturnsAcrossStores, AProgramTakingReturnsInAnyStoreLetsAnotherStoreReturnAndVoid) {
    const auto wrong = staff("PATCH", "/v1/program/settings", R"({"points": {"returns_any_store": "yes"}})");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(json::parse(wrong.body)["error"]["field"], "points.returns_any_store");
    EXPECT_EQ(json::parse(staff("GET", "/v1/program/settings").body)["points"]["returns_any_store"], false)
        << "off by default";
    const auto allowed = staff("PATCH", "/v1/program/settings", R"({"points": {"returns_any_store": true}})");
    ASSERT_EQ(allowed.status, 200) << allowed.body;
    EXPECT_EQ(json::parse(allowed.body)["points"]["returns_any_store"], true);

    buy_two_coffees("P-2");
    const auto returned = return_at_other_store("R-1", "P-2");
    ASSERT_EQ(returned.status, 201) << returned.body;
    EXPECT_EQ(json::parse(returned.body)["points"]["earned"], -45);
    const auto voided = void_at_other_store("V-1", "P-2");
    ASSERT_EQ(voided.status, 201) << voided.body;
    EXPECT_EQ(json::parse(voided.body)["points"]["earned"], -45);
    // The native batch returns a coffee of P-1 and voids it; the CSV and POSLog batches then find
    // it (not RECEIPT_NOT_FOUND) but nothing is left to take back.
    const std::vector<std::vector<std::string>> found = {
        {"", ""}, {"RETURN_EXCEEDS_PURCHASE", "ALREADY_VOIDED"}, {"ALREADY_VOIDED"}};
    EXPECT_EQ(codes_of(batches_from_other_store()), found);
    EXPECT_EQ(available(), 0);
    expect_books_balance();
}

}  // namespace
}  // namespace patron::testing
