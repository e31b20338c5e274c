// POSLog XML and end-of-day CSV, as specifications of how each maps onto the native documents:
// the sample files in tests/data decode to exactly the purchases, returns and voids a till would
// have sent as JSON, the no-ops stay no-ops, hostile XML is refused, and every problem names the
// element or the row and column it came from.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "loyalty/core/json_fields.h"
#include "loyalty/core/utf8.h"
#include "pos-adapter/csv_document.h"
#include "pos-adapter/decimal_text.h"
#include "pos-adapter/poslog_document.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"
#include "tests/support/build_paths.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using nlohmann::json;

std::string sample(const std::string& name) {
    std::ifstream file(patron::testing::source_dir() + "/tests/data/" + name, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    EXPECT_FALSE(text.str().empty()) << name;
    return text.str();
}

const core::Currency kIrr = *core::find_currency("IRR");

std::vector<BatchOperation> poslog(const std::string& name) {
    auto operations = decode_poslog(sample("poslog/" + name), kIrr);
    EXPECT_TRUE(operations.has_value()) << name << ": " << operations.error().message;
    return operations.value_or(std::vector<BatchOperation>{});
}

TEST(DecimalText, ReadsMoneyAndQuantitiesExactlyInTheirScale) {
    EXPECT_EQ(parse_decimal("12.50", 2), 1250);
    EXPECT_EQ(parse_decimal("12.5", 2), 1250);
    EXPECT_EQ(parse_decimal("450000", 0), 450000);
    EXPECT_EQ(parse_decimal("1.235", 3), 1235);
    EXPECT_EQ(parse_decimal("-3.5", 2, true), -350);
    EXPECT_EQ(parse_decimal("450000.5", 0), std::nullopt) << "IRR has no minor unit";
    EXPECT_EQ(parse_decimal("1.2345", 3), std::nullopt);
    for (const char* bad : {"", ".5", "5.", "1e3", "+1", "-1", "1,5", " 1", "0x10", "99999999999999999999"}) {
        EXPECT_EQ(parse_decimal(bad, 2), std::nullopt) << bad;
    }
}

TEST(PosLog, ASaleInRialsMapsOntoTheNativePurchase) {
    const auto operations = poslog("sale_irr.xml");
    ASSERT_EQ(operations.size(), 1u);
    const BatchOperation& sale = operations[0];
    ASSERT_FALSE(sale.problem) << sale.problem->message;
    EXPECT_EQ(sale.type, "purchase");
    const json expected = json::parse(R"({
        "store": "S001", "terminal": "T01", "receipt": "9001", "business_day": "2026-11-22",
        "pos_time": "2026-11-22T18:03:40+03:30", "currency": "IRR", "card": "7001000000000009",
        "lines": [
          {"line": 1, "sku": "COF-1", "category": "coffee", "quantity": 2, "unit_price": 450000, "amount": 900000, "discount": 100000},
          {"line": 2, "sku": "CAKE-3", "category": "bakery", "quantity": 1, "unit_price": 200000, "amount": 200000, "discount": 0}],
        "total": 1000000})");
    EXPECT_EQ(sale.document, expected) << sale.document.dump(2);
    auto purchase = decode_purchase(sale.document);
    ASSERT_TRUE(purchase.has_value()) << purchase.error().message;
    EXPECT_EQ(purchase->total, 1'000'000);
}

TEST(PosLog, VersionTwoWithPrefixesAndAWeighedItemInDollarsKeepsCentsAndThousandths) {
    auto operations = decode_poslog(sample("poslog/weighed_item_usd.xml"), kIrr);
    ASSERT_TRUE(operations.has_value());
    const json& document = (*operations)[0].document;
    EXPECT_EQ(document["store"], "S900");
    EXPECT_EQ(document["currency"], "USD");
    EXPECT_EQ(document["lines"][0]["unit_price"], 1200);
    EXPECT_EQ(document["lines"][0]["amount"], 1482);
    EXPECT_EQ(document["total"], 1482);
    auto purchase = decode_purchase(document);
    ASSERT_TRUE(purchase.has_value()) << purchase.error().message;
    EXPECT_EQ(purchase->lines[0].quantity_milli, 1235);
}

TEST(LineCost, TheJsonLineCarriesAnOptionalNonNegativeCostNamedByItsPath) {
    json document = json::parse(sample("json/purchase.json"));
    auto purchase = decode_purchase(document);
    ASSERT_TRUE(purchase.has_value()) << purchase.error().message;
    EXPECT_EQ(purchase->lines[0].cost, 600000);
    EXPECT_EQ(purchase->lines[1].cost, std::nullopt) << "absent: no cost sent";
    document["lines"][1]["cost"] = nullptr;
    EXPECT_EQ(decode_purchase(document)->lines[1].cost, std::nullopt);
    for (const json& bad : {json(-1), json("600000"), json(1.5), json(1'000'000'000'000'000'001LL)}) {
        document["lines"][1]["cost"] = bad;
        const auto refused = decode_purchase(document);
        ASSERT_FALSE(refused.has_value()) << bad.dump();
        EXPECT_EQ(refused.error().code, ErrorCode::kValidationFailed);
        EXPECT_EQ(refused.error().field, "lines[1].cost") << bad.dump();
    }
}

TEST(LineCost, PosLogUnitCostTimesTheQuantityIsTheLineCost) {
    auto operations = decode_poslog(sample("poslog/weighed_item_usd.xml"), kIrr);
    ASSERT_TRUE(operations.has_value());
    EXPECT_EQ((*operations)[0].document["lines"][0]["cost"], 1000) << "8.10 USD x 1.235 kg = 10.0035";
    EXPECT_EQ(decode_purchase((*operations)[0].document)->lines[0].cost, 1000);
    for (const char* bad : {"-8.10", "8.105", "eight"}) {
        std::string text = sample("poslog/weighed_item_usd.xml");
        text.replace(text.find("8.10<"), 4, bad);
        operations = decode_poslog(text, kIrr);
        ASSERT_TRUE(operations.has_value());
        ASSERT_TRUE(operations->at(0).problem) << bad;
        EXPECT_EQ(operations->at(0).problem->field, "Transaction[1].LineItem[1].Sale.UnitCostPrice") << bad;
    }
    EXPECT_FALSE(decode_purchase(poslog("sale_irr.xml")[0].document)->lines[0].cost.has_value());
}

TEST(LineCost, TheCsvCostColumnIsOptionalPerRowAndABadCellNamesItsRow) {
    auto operations = decode_csv(sample("csv/line_costs.csv"), kIrr);
    ASSERT_TRUE(operations.has_value()) << operations.error().message;
    ASSERT_EQ(operations->size(), 3u);
    ASSERT_FALSE((*operations)[0].problem);
    auto purchase = decode_purchase((*operations)[0].document);
    ASSERT_TRUE(purchase.has_value()) << purchase.error().message;
    EXPECT_EQ(purchase->lines[0].cost, 600000);
    EXPECT_EQ(purchase->lines[1].cost, std::nullopt);
    ASSERT_TRUE((*operations)[1].problem);
    EXPECT_EQ((*operations)[1].problem->field, "rows[4].cost");
    ASSERT_TRUE((*operations)[2].problem);
    EXPECT_EQ((*operations)[2].problem->field, "rows[5].cost") << "IRR has no decimals";
}

TEST(PosLog, AVoidedLineIsLeftOutAndACanceledBasketIsANoOp) {
    const auto line_void = poslog("line_void.xml");
    ASSERT_EQ(line_void[0].document["lines"].size(), 1u);
    EXPECT_EQ(line_void[0].document["lines"][0]["sku"], "COF-1");
    EXPECT_FALSE(line_void[0].document.contains("card"));
    EXPECT_EQ(line_void[0].line_origins, std::vector<std::string>{"Transaction[1].LineItem[2].Sale"});

    const auto canceled = poslog("canceled.xml");
    ASSERT_EQ(canceled.size(), 1u);
    EXPECT_EQ(canceled[0].skipped, "transaction Canceled");
}

TEST(PosLog, MultiTenderIsReadAndMustCoverTheTotal) {
    auto operations = poslog("multi_tender.xml");
    EXPECT_FALSE(operations[0].problem);
    std::string short_paid = sample("poslog/multi_tender.xml");
    short_paid.replace(short_paid.find("<Amount>1500000"), 15, "<Amount>1400000");
    auto refused = decode_poslog(short_paid, kIrr);
    ASSERT_TRUE(refused->at(0).problem);
    EXPECT_EQ(refused->at(0).problem->field, "Transaction[1].LineItem.Tender");
}

TEST(PosLog, ALinkedPartialReturnNamesLinesByNumberOrItem) {
    const auto operations = poslog("partial_return.xml");
    const BatchOperation& back = operations[0];
    ASSERT_FALSE(back.problem) << back.problem->message;
    EXPECT_EQ(back.type, "return");
    EXPECT_EQ(back.document["original"], json::parse(R"({"store": "S001", "terminal": "T01",
                                                         "receipt": "9001", "business_day": "2026-11-22"})"));
    EXPECT_EQ(back.document["lines"], json::parse(R"([{"line": 1, "quantity": 1}, {"sku": "CAKE-3", "quantity": 1}])"));
    auto request = decode_return(back.document);
    ASSERT_TRUE(request.has_value()) << request.error().message;
    EXPECT_EQ(request->lines[1].sku, "CAKE-3");
}

TEST(PosLog, APostVoidedTransactionVoidsTheLinkedOne) {
    const auto operations = poslog("post_void.xml");
    EXPECT_EQ(operations[0].type, "void");
    EXPECT_EQ(operations[0].document["receipt"], "9011");
    EXPECT_EQ(operations[0].document["original"]["receipt"], "9004");
    EXPECT_TRUE(decode_void(operations[0].document).has_value());
}

TEST(PosLog, HostileAndMalformedDocumentsAreRefusedWhole) {
    for (const char* name : {"hostile/billion_laughs.xml", "hostile/xxe.xml"}) {
        auto refused = decode_poslog(sample(std::string("poslog/") + name), kIrr);
        ASSERT_FALSE(refused.has_value()) << name;
        EXPECT_EQ(refused.error().code, ErrorCode::kXmlDtdForbidden) << name;
    }
    EXPECT_EQ(decode_poslog("<POSLog><Transaction>", kIrr).error().code, ErrorCode::kMalformedXml);
    EXPECT_EQ(decode_poslog("<Receipt/>", kIrr).error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(decode_poslog("<POSLog/>", kIrr).error().code, ErrorCode::kValidationFailed);
}

TEST(PosLog, ProblemsNameTheElementTheyCameFrom) {
    std::string bad = sample("poslog/sale_irr.xml");
    bad.replace(bad.find("<ExtendedAmount>200000"), 22, "<ExtendedAmount>200000.5");
    auto operations = decode_poslog(bad, kIrr);
    ASSERT_TRUE(operations.has_value());
    ASSERT_TRUE(operations->at(0).problem);
    EXPECT_EQ(operations->at(0).problem->field, "Transaction[1].LineItem[2].Sale.ExtendedAmount");

    std::string mismatch = sample("poslog/sale_irr.xml");
    const std::string two = "<Quantity UnitOfMeasureCode=\"EA\">2";
    mismatch.replace(mismatch.find(two), two.size(), "<Quantity UnitOfMeasureCode=\"EA\">3");
    operations = decode_poslog(mismatch, kIrr);
    ASSERT_TRUE(operations.has_value());
    auto purchase = decode_purchase(operations->at(0).document);
    ASSERT_FALSE(purchase.has_value());
    EXPECT_EQ(locate(operations->at(0), purchase.error().field), "Transaction[1].LineItem[1].Sale.ExtendedAmount")
        << purchase.error().field;
}

TEST(EndOfDayCsv, RowsGroupIntoReceiptsOfEachKind) {
    auto operations = decode_csv(sample("csv/end_of_day.csv"), kIrr);
    ASSERT_TRUE(operations.has_value()) << operations.error().message;
    ASSERT_EQ(operations->size(), 4u);
    const BatchOperation& sale = (*operations)[0];
    ASSERT_FALSE(sale.problem) << sale.problem->field << ": " << sale.problem->message;
    EXPECT_EQ(sale.type, "purchase");
    EXPECT_EQ(sale.rows, (std::vector<long long>{2, 3}));
    EXPECT_EQ(sale.document["card"], "7001000000000009");
    EXPECT_EQ(sale.document["total"], 900000 - 100000 + 1482000);
    auto purchase = decode_purchase(sale.document);
    ASSERT_TRUE(purchase.has_value()) << purchase.error().message;
    EXPECT_EQ(purchase->lines[1].quantity_milli, 1235);

    EXPECT_EQ((*operations)[1].document["lines"][0]["sku"], "TEA-2, green") << "a quoted field keeps its comma";
    EXPECT_EQ((*operations)[1].document["lines"][0]["discount"], 0);
    const BatchOperation& back = (*operations)[2];
    EXPECT_EQ(back.type, "return");
    EXPECT_EQ(back.document["lines"], json::parse(R"([{"line": 1, "quantity": 1}])"));
    EXPECT_TRUE(decode_return(back.document).has_value());
    const BatchOperation& voided = (*operations)[3];
    EXPECT_EQ(voided.type, "void");
    EXPECT_EQ(voided.document["original"]["receipt"], "9102");
    EXPECT_TRUE(decode_void(voided.document).has_value());
}

TEST(EndOfDayCsv, EachBadRowIsReportedWithItsRowAndColumnAndTheOthersStand) {
    auto operations = decode_csv(sample("csv/bad_rows.csv"), kIrr);
    ASSERT_TRUE(operations.has_value());
    ASSERT_EQ(operations->size(), 4u);
    EXPECT_FALSE((*operations)[0].problem);
    ASSERT_TRUE((*operations)[1].problem);
    EXPECT_EQ((*operations)[1].problem->field, "rows[3].quantity");
    ASSERT_TRUE((*operations)[2].problem);
    EXPECT_EQ((*operations)[2].problem->field, "rows[4].amount");
    EXPECT_FALSE((*operations)[3].problem);

    std::string missing_sku = sample("csv/bad_rows.csv");
    missing_sku.replace(missing_sku.find(",COF-1,"), 7, ",,");
    operations = decode_csv(missing_sku, kIrr);
    auto purchase = decode_purchase((*operations)[0].document);
    ASSERT_FALSE(purchase.has_value());
    EXPECT_EQ(locate((*operations)[0], purchase.error().field), "rows[2].sku");
}

TEST(EndOfDayCsv, TheFileItselfMustBeCsvWithKnownColumns) {
    EXPECT_EQ(decode_csv("", kIrr).error().field, "rows");
    EXPECT_EQ(decode_csv("store,terminal,business_day,receipt\nS001,T01,2026-11-22,1\n", kIrr).error().field,
              "rows[1].pos_time");
    EXPECT_EQ(decode_csv("store,till\n", kIrr).error().field, "rows[1].till");
    auto unbalanced = decode_csv("store,terminal,business_day,receipt,pos_time\n\"S001,T01\n", kIrr);
    ASSERT_FALSE(unbalanced.has_value());
    EXPECT_EQ(unbalanced.error().code, ErrorCode::kValidationFailed);
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
}

TEST(Utf8, OnlyWellFormedSequencesAreValid) {
    for (const char* good : {"", "COF-1", "caf\xC3\xA9", "\xD9\x82\xD9\x87\xD9\x88\xD9\x87", "\xE2\x82\xAC",
                             "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"}) {
        EXPECT_TRUE(core::is_valid_utf8(good)) << good;
    }
    for (const char* bad : {"\xFF", "\xC3", "\xC3\x28", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                            "\xF8\x88\x80\x80\x80", "ok\x80", "\xE2\x82"}) {
        EXPECT_FALSE(core::is_valid_utf8(bad)) << json(core::replace_invalid_utf8(bad)).dump();
    }
    EXPECT_EQ(core::replace_invalid_utf8("a\xFF"
                                         "b\xC3\xA9"),
              "a\xEF\xBF\xBD"
              "b\xC3\xA9");
    EXPECT_EQ(core::json_text(json{{"sku", "\xC3\x28"}}), "{\"sku\":\"\xEF\xBF\xBD(\"}")
        << "serialised with U+FFFD, never type_error.316";
}

TEST(EndOfDayCsv, ACellThatIsNotUtf8RefusesItsReceiptByRowAndColumnAndTheOthersStand) {
    std::string file = sample("csv/bad_rows.csv");
    replace_once(file, "9204,2026-11-22T10:07:00+03:30,,COF-1,coffee",
                 "9204,2026-11-22T10:07:00+03:30,,COF-1,caf\xE9");  // Latin-1, not UTF-8.
    replace_once(file, "9201,2026-11-22T10:00:00+03:30,,COF-1",
                 "9201,2026-11-22T10:00:00+03:30,,C\xC3\x28"
                 "F-1");
    auto operations = decode_csv(file, kIrr);
    ASSERT_TRUE(operations.has_value()) << operations.error().message;
    ASSERT_EQ(operations->size(), 4u);
    ASSERT_TRUE((*operations)[0].problem);
    EXPECT_EQ((*operations)[0].problem->field, "rows[2].sku");
    EXPECT_EQ((*operations)[1].problem->field, "rows[3].quantity") << "the other rows' own problems stand";
    ASSERT_TRUE((*operations)[3].problem);
    EXPECT_EQ((*operations)[3].problem->field, "rows[5].category");
    for (const BatchOperation& operation : *operations) {
        EXPECT_TRUE(core::is_valid_utf8(operation.document.dump())) << "nothing of the bytes is kept";
        if (operation.problem) {
            EXPECT_TRUE(core::is_valid_utf8(operation.problem->message));
        }
    }

    EXPECT_EQ(decode_csv("store,terminal,business_day,receipt,pos_time,sk\xFF\n", kIrr).error().field, "rows[1]")
        << "a column name that is not UTF-8 refuses the file without echoing it";
}

TEST(PosLog, TextThatIsNotUtf8RefusesItsTransactionByElementAndTheOthersStand) {
    const std::string one = sample("poslog/sale_irr.xml");
    const std::size_t from = one.find("<Transaction>"), to = one.find("</Transaction>") + 14;
    const std::string transaction = one.substr(from, to - from);
    std::string bad_item = transaction;
    replace_once(bad_item, "CAKE-3", "CAKE-\xE9");
    std::string bad_attribute = transaction;
    replace_once(bad_attribute, "\"Stock\"",
                 "\"St\xFF"
                 "ck\"");
    std::string bad_name = transaction;
    replace_once(bad_name, "<ReasonCode>Promotion</ReasonCode>", "<Reason\xC3>Promotion</Reason\xC3>");
    const std::string document =
        one.substr(0, from) + transaction + bad_item + bad_attribute + bad_name + transaction + one.substr(to);
    auto operations = decode_poslog(document, kIrr);
    ASSERT_TRUE(operations.has_value()) << operations.error().message;
    ASSERT_EQ(operations->size(), 5u);
    EXPECT_FALSE((*operations)[0].problem);
    ASSERT_TRUE((*operations)[1].problem);
    EXPECT_EQ((*operations)[1].problem->field, "Transaction[2].RetailTransaction.LineItem[2].Sale.ItemID");
    ASSERT_TRUE((*operations)[2].problem);
    EXPECT_EQ((*operations)[2].problem->field, "Transaction[3].RetailTransaction.LineItem[1].Sale");
    ASSERT_TRUE((*operations)[3].problem);
    EXPECT_TRUE((*operations)[3].problem->field.starts_with("Transaction[4].RetailTransaction.LineItem[1].Sale."))
        << (*operations)[3].problem->field;
    EXPECT_TRUE(core::is_valid_utf8((*operations)[3].problem->field)) << "an element's name is not echoed as it came";
    EXPECT_FALSE((*operations)[4].problem);
    for (const BatchOperation& operation : *operations) EXPECT_TRUE(core::is_valid_utf8(operation.document.dump()));
}

}  // namespace
}  // namespace patron::pos
