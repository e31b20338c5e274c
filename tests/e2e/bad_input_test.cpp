#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

struct BadRequest {
    const char* name;
    bool from_terminal;  // Signed as the demo terminal; otherwise sent as staff.
    std::string method;
    std::string path;
    std::string body;
    std::string content_type;
    long status;
    std::string code;
    std::string field;  // "" means the field must be null.
    std::string extra_header = {};
};

std::string spoiled_purchase(const std::string& card, const std::function<void(json&)>& spoil) {
    json document = {{"store", "S001"},
                     {"terminal", "T01"},
                     {"receipt", "B-1"},
                     {"business_day", "2026-11-22"},
                     {"pos_time", "2026-11-22T18:03:40+03:30"},
                     {"card", card},
                     {"currency", "IRR"},
                     {"lines",
                      {{{"line", 1},
                        {"sku", "COF-1"},
                        {"category", "coffee"},
                        {"quantity", 2},
                        {"unit_price", 450000},
                        {"amount", 900000},
                        {"discount", 0}}}},
                     {"total", 900000}};
    spoil(document);
    return document.dump();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

std::string with_line(const std::string& card, const char* key, json value) {
    return spoiled_purchase(card, [&](json& d) { d["lines"][0][key] = value; });
}

std::vector<BadRequest> bad_requests(const std::string& card) {
    const std::string json_type = "application/json";
    const std::string members = "/v1/members";
    const std::string purchases = "/v1/pos/purchases";
    const std::string big(2 * 1024 * 1024, 'x');
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    return {
        {"broken JSON", false, "POST", members, R"({"full_name": )", json_type, 400, "MALFORMED_JSON", ""},
        {"empty body", false, "POST", members, "", json_type, 400, "MALFORMED_JSON", ""},
        {"non-UTF-8", false, "POST", members, "{\"full_name\": \"\xff\xfe\", \"phone\": \"09120000000\"}", json_type,
         400, "MALFORMED_JSON", ""},
        {"array instead of object", false, "POST", members, "[]", json_type, 422, "VALIDATION_FAILED", "$"},
        {"deeply nested", false, "POST", members, deep, json_type, 400, "JSON_TOO_DEEP", ""},
        {"name is a number", false, "POST", members, R"({"full_name": 7, "phone": "09120000000"})", json_type, 422,
         "VALIDATION_FAILED", "full_name"},
        {"name missing", false, "POST", members, R"({"phone": "09120000000"})", json_type, 422, "VALIDATION_FAILED",
         "full_name"},
        {"name too long", false, "POST", members,
         json{{"full_name", std::string(300, 'a')}, {"phone", "09120000000"}}.dump(), json_type, 422,
         "VALIDATION_FAILED", "full_name"},
        {"no phone nor email", false, "POST", members, R"({"full_name": "A B"})", json_type, 422, "VALIDATION_FAILED",
         "phone"},
        {"phone of letters", false, "POST", members, R"({"full_name": "A B", "phone": "call me"})", json_type, 422,
         "VALIDATION_FAILED", "phone"},
        {"email without domain", false, "POST", members, R"({"full_name": "A B", "email": "a@b"})", json_type, 422,
         "VALIDATION_FAILED", "email"},
        {"impossible birth date", false, "POST", members,
         R"({"full_name": "A B", "phone": "09120000000", "birth_date": "1990-02-30"})", json_type, 422,
         "VALIDATION_FAILED", "birth_date"},
        {"unknown language", false, "POST", members,
         R"({"full_name": "A B", "phone": "09120000000", "language": "de"})", json_type, 422, "VALIDATION_FAILED",
         "language"},
        {"field not stored yet", false, "POST", members,
         R"({"full_name": "A B", "phone": "09120000000", "gender": "f"})", json_type, 422, "VALIDATION_FAILED",
         "gender"},
        {"form encoding", false, "POST", members, "full_name=A", "application/x-www-form-urlencoded", 415,
         "UNSUPPORTED_MEDIA_TYPE", "Content-Type"},
        {"2 MiB body", false, "POST", members, "{\"full_name\": \"" + big + "\"}", json_type, 413, "PAYLOAD_TOO_LARGE",
         "Content-Length"},
        {"idempotency key too long", false, "POST", members, R"({"full_name": "A B", "phone": "09120000000"})",
         json_type, 422, "VALIDATION_FAILED", "Idempotency-Key", "Idempotency-Key: " + std::string(129, 'k')},
        {"member id not a number", false, "GET", "/v1/members/abc", "", json_type, 404, "MEMBER_NOT_FOUND", "id"},
        {"member id negative", false, "GET", "/v1/members/-1", "", json_type, 404, "MEMBER_NOT_FOUND", "id"},
        {"member id unknown", false, "GET", "/v1/members/999999/balance", "", json_type, 404, "MEMBER_NOT_FOUND", "id"},
        {"purchase: broken JSON", true, "POST", purchases, R"({"store": "S001",)", json_type, 400, "MALFORMED_JSON",
         ""},
        {"purchase: store missing", true, "POST", purchases, spoiled_purchase(card, [](json& d) { d.erase("store"); }),
         json_type, 422, "VALIDATION_FAILED", "store"},
        {"purchase: receipt is a number", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["receipt"] = 1532; }), json_type, 422, "VALIDATION_FAILED", "receipt"},
        {"purchase: bad business day", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["business_day"] = "22/11/2026"; }), json_type, 422, "VALIDATION_FAILED",
         "business_day"},
        {"purchase: till clock in year 1", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["pos_time"] = "0001-01-01T00:00:00Z"; }), json_type, 422,
         "VALIDATION_FAILED", "pos_time"},
        {"purchase: time without offset", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["pos_time"] = "2026-11-22 18:03"; }), json_type, 422,
         "VALIDATION_FAILED", "pos_time"},
        {"purchase: unknown currency", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["currency"] = "XYZ"; }), json_type, 422, "UNKNOWN_CURRENCY",
         "currency"},
        {"purchase: another currency", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["currency"] = "USD"; }), json_type, 422, "CURRENCY_MISMATCH",
         "currency"},
        {"purchase: no lines", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["lines"] = json::array(); }), json_type, 422, "VALIDATION_FAILED",
         "lines"},
        {"purchase: lines not an array", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["lines"] = json::object(); }), json_type, 422, "VALIDATION_FAILED",
         "lines"},
        {"purchase: negative quantity", true, "POST", purchases, with_line(card, "quantity", -2), json_type, 422,
         "VALIDATION_FAILED", "lines[0].quantity"},
        {"purchase: quantity as text", true, "POST", purchases, with_line(card, "quantity", "2"), json_type, 422,
         "VALIDATION_FAILED", "lines[0].quantity"},
        {"purchase: price with decimals", true, "POST", purchases, with_line(card, "unit_price", 450000.5), json_type,
         422, "VALIDATION_FAILED", "lines[0].unit_price"},
        {"purchase: huge float amount", true, "POST", purchases, with_line(card, "amount", 1e30), json_type, 422,
         "VALIDATION_FAILED", "lines[0].amount"},
        {"purchase: amount beyond 64 bits", true, "POST", purchases,
         replaced(spoiled_purchase(card, [](json&) {}), "\"amount\":900000", "\"amount\":99999999999999999999"),
         json_type, 422, "VALIDATION_FAILED", "lines[0].amount"},
        {"purchase: discount above amount", true, "POST", purchases, with_line(card, "discount", 900001), json_type,
         422, "VALIDATION_FAILED", "lines[0].discount"},
        {"purchase: wrong total", true, "POST", purchases, spoiled_purchase(card, [](json& d) { d["total"] = 100; }),
         json_type, 422, "TOTAL_MISMATCH", "total"},
        {"purchase: mistyped card", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["card"] = "7001000000000001"; }), json_type, 422, "CARD_NUMBER_INVALID",
         "card"},
        {"purchase: unknown card", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["card"] = "7001000000000004"; }), json_type, 404, "CARD_NOT_FOUND",
         "card"},
        {"purchase: another store", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["store"] = "S999"; }), json_type, 403, "STORE_MISMATCH", "store"},
        {"purchase: more points than the member has", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["redeem_points"] = 100; }), json_type, 422, "POINTS_INSUFFICIENT",
         "redeem_points"},
        {"purchase: fewer points than the minimum", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["redeem_points"] = 5; }), json_type, 422, "REDEMPTION_BELOW_MINIMUM",
         "redeem_points"},
        {"purchase: negative points", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["redeem_points"] = -5; }), json_type, 422, "VALIDATION_FAILED",
         "redeem_points"},
        {"purchase: points without a card", true, "POST", purchases,
         spoiled_purchase(card,
                          [](json& d) {
                              d.erase("card");
                              d["redeem_points"] = 10;
                          }),
         json_type, 422, "VALIDATION_FAILED", "redeem_points"},
        {"purchase: more cashback than the wallet holds", true, "POST", purchases,
         spoiled_purchase(card, [](json& d) { d["spend_cashback"] = 1000; }), json_type, 422, "CASHBACK_INSUFFICIENT",
         "spend_cashback"},
        {"purchase: cashback without a card", true, "POST", purchases,
         spoiled_purchase(card,
                          [](json& d) {
                              d.erase("card");
                              d["spend_cashback"] = 1000;
                          }),
         json_type, 422, "VALIDATION_FAILED", "spend_cashback"},
        {"purchase: non-UTF-8 sku", true, "POST", purchases,
         replaced(with_line(card, "sku", "X"), "\"X\"", "\"\xc3\x28\""), json_type, 400, "MALFORMED_JSON", ""},
        {"purchase: 2 MiB body", true, "POST", purchases, std::string(2 * 1024 * 1024, ' ') + "{}", json_type, 413,
         "PAYLOAD_TOO_LARGE", "Content-Length"},
    };
}

long long count(soci::session& sql, const std::string& table) {
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM " + table, soci::into(rows);
    return rows;
}

using BadInput = PatrondTest;

TEST_F(BadInput, EachMistakeGetsItsCodeAndFieldAndChangesNothing) {
    const std::vector<std::string> tables = {"members",          "member_lookups", "cards",
                                             "member_accounts",  "purchases",      "purchase_lines",
                                             "ledger_transfers", "ledger_entries"};
    std::map<std::string, long long> before;
    for (const std::string& table : tables) before[table] = count(db.raw(), table);

    const auto cases = bad_requests(card(0));
    ASSERT_GE(cases.size(), 30U);
    for (const BadRequest& c : cases) {
        SCOPED_TRACE(c.name);
        std::vector<std::string> headers = {"Content-Type: " + c.content_type};
        if (!c.extra_header.empty()) headers.push_back(c.extra_header);
        if (c.from_terminal) {
            for (std::string& header : signer().headers(c.method, c.path, c.body)) headers.push_back(header);
        } else {
            headers.push_back("Authorization: Bearer " + setup.demo["staff_token"].get<std::string>());
        }
        const HttpReply reply = http({c.method, server.url(c.path), c.body, headers});
        EXPECT_EQ(reply.status, c.status) << reply.body.substr(0, 300);
        const json error = json::parse(reply.body, nullptr, false);
        ASSERT_FALSE(error.is_discarded()) << "not JSON: " << reply.body.substr(0, 300);
        EXPECT_EQ(error["error"]["code"], c.code);
        if (c.field.empty()) {
            EXPECT_TRUE(error["error"]["field"].is_null()) << error.dump();
        } else {
            EXPECT_EQ(error["error"]["field"], c.field);
        }
        EXPECT_FALSE(error["error"]["message"].get<std::string>().empty());
    }
    for (const std::string& table : tables) EXPECT_EQ(count(db.raw(), table), before[table]) << table;
    EXPECT_EQ(get("/healthz").status, 200);
    EXPECT_EQ(server.log().find(R"("status":500)"), std::string::npos) << "a client mistake became a 500";
}

}  // namespace
}  // namespace patron::testing
