// POSLog XML and end-of-day CSV, as specifications of how each maps onto the native documents:
// the sample files in tests/data decode to exactly the purchases, returns and voids a till would
// have sent as JSON, the no-ops stay no-ops, hostile XML is refused, and every problem names the
// element or the row and column it came from.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "pos-adapter/csv_document.h"
#include "pos-adapter/decimal_text.h"
#include "pos-adapter/poslog_document.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using nlohmann::json;

std::string sample(const std::string& name) {
    std::ifstream file(std::string(PATRON_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
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

}  // namespace
}  // namespace patron::pos
