#include "pos-adapter/purchase_document.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pos-adapter/document_fields.h"

namespace patron::pos {
namespace {

using nlohmann::json;

json good_purchase() {
    return json::parse(R"({
        "store": "S042", "terminal": "T07", "receipt": "1532", "business_day": "2026-11-22",
        "pos_time": "2026-11-22T18:03:40+03:30", "card": "7001234567890128", "currency": "IRR",
        "lines": [
            {"line": 1, "sku": "COF-1", "category": "coffee", "quantity": 2, "unit_price": 450000, "amount": 900000, "discount": 0},
            {"line": 2, "sku": "SAFFRON", "category": "spice", "quantity": 1.234, "unit_price": 1000000, "amount": 1234000, "discount": 34000}
        ],
        "total": 2100000, "coupons": [], "redeem_points": 0, "spend_cashback": 0
    })");
}

TEST(PurchaseDocument, DecodesTheDocumentOfTheContract) {
    const auto purchase = decode_purchase(good_purchase());
    ASSERT_TRUE(purchase.has_value()) << purchase.error().field << ": " << purchase.error().message;
    EXPECT_EQ(purchase->key.store, "S042");
    EXPECT_EQ(purchase->currency.code, "IRR");
    ASSERT_EQ(purchase->lines.size(), 2U);
    EXPECT_EQ(purchase->lines[0].quantity_milli, 2000);
    EXPECT_EQ(purchase->lines[1].quantity_milli, 1234);
    EXPECT_EQ(purchase->lines[1].net_amount(), 1200000);
    EXPECT_EQ(purchase->pos_time.offset_minutes, 210);
    // 18:03:40 at +03:30 is 14:33:40 UTC.
    const auto utc = parse_rfc3339("2026-11-22T14:33:40Z");
    ASSERT_TRUE(utc.has_value());
    EXPECT_EQ(purchase->pos_time.utc, utc->utc);
}

struct BadCase {
    const char* name;
    std::function<void(json&)> spoil;
    const char* code;
    const char* field;
};

TEST(PurchaseDocument, NamesTheOffendingField) {
    const BadCase cases[] = {
        {"missing store", [](json& d) { d.erase("store"); }, "VALIDATION_FAILED", "store"},
        {"numeric receipt", [](json& d) { d["receipt"] = 1532; }, "VALIDATION_FAILED", "receipt"},
        {"bad day", [](json& d) { d["business_day"] = "2026-02-30"; }, "VALIDATION_FAILED", "business_day"},
        {"no offset", [](json& d) { d["pos_time"] = "2026-11-22T18:03:40"; }, "VALIDATION_FAILED", "pos_time"},
        {"till clock in 1970", [](json& d) { d["pos_time"] = "1970-01-01T00:00:05Z"; }, "VALIDATION_FAILED",
         "pos_time"},
        {"year zero", [](json& d) { d["business_day"] = "0000-01-01"; }, "VALIDATION_FAILED", "business_day"},
        {"unknown currency", [](json& d) { d["currency"] = "ABC"; }, "UNKNOWN_CURRENCY", "currency"},
        {"no lines", [](json& d) { d["lines"] = json::array(); }, "VALIDATION_FAILED", "lines"},
        {"negative quantity", [](json& d) { d["lines"][1]["quantity"] = -1; }, "VALIDATION_FAILED",
         "lines[1].quantity"},
        {"four decimals", [](json& d) { d["lines"][1]["quantity"] = 1.2345; }, "VALIDATION_FAILED",
         "lines[1].quantity"},
        {"string price", [](json& d) { d["lines"][0]["unit_price"] = "450000"; }, "VALIDATION_FAILED",
         "lines[0].unit_price"},
        {"float amount", [](json& d) { d["lines"][0]["amount"] = 900000.5; }, "VALIDATION_FAILED", "lines[0].amount"},
        {"huge amount", [](json& d) { d["lines"][0]["amount"] = 18446744073709551615ULL; }, "VALIDATION_FAILED",
         "lines[0].amount"},
        {"wrong amount", [](json& d) { d["lines"][0]["amount"] = 800000; }, "VALIDATION_FAILED", "lines[0].amount"},
        {"discount too big", [](json& d) { d["lines"][0]["discount"] = 900001; }, "VALIDATION_FAILED",
         "lines[0].discount"},
        {"wrong total", [](json& d) { d["total"] = 1; }, "TOTAL_MISMATCH", "total"},
        {"duplicate line", [](json& d) { d["lines"][1]["line"] = 1; }, "VALIDATION_FAILED", "lines[1].line"},
        {"coupon not string", [](json& d) { d["coupons"] = json::array({7}); }, "VALIDATION_FAILED", "coupons[0]"},
        {"eleven coupons", [](json& d) { d["coupons"] = json(std::vector<std::string>(11, "A")); }, "VALIDATION_FAILED",
         "coupons"},
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.name);
        json document = good_purchase();
        c.spoil(document);
        const auto purchase = decode_purchase(document);
        ASSERT_FALSE(purchase.has_value());
        EXPECT_EQ(core::code_name(purchase.error().code), c.code);
        EXPECT_EQ(purchase.error().field, c.field);
    }
}

TEST(PurchaseDocument, AnonymousPurchasesHaveNoCard) {
    json document = good_purchase();
    document.erase("card");
    const auto purchase = decode_purchase(document);
    ASSERT_TRUE(purchase.has_value());
    EXPECT_FALSE(purchase->card.has_value());
}

}  // namespace
}  // namespace patron::pos
