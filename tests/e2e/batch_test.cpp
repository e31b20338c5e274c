// Offline batches through a real patrond: each operation applied once and answered as if sent
// alone, bad items not stopping the others, a batch re-sent three times applying nothing more,
// clock flags and receipt gaps reported.
#include <soci/soci.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/time.h"
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
    // Patron holds receipts 1, 2, 5 and 7 of the day: 3-4 never came and 6 was refused.
    const json gaps = json::parse(sent.body)["gaps"];
    EXPECT_EQ(gaps, json::parse(R"([{"terminal": "T01", "business_day": "2026-11-22", "from": 3, "to": 4},
                                    {"terminal": "T01", "business_day": "2026-11-22", "from": 6, "to": 6}])"));

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

// A till that was offline for weeks uploads at last: operations older than the program's lateness
// limit (30 days unless set) are flagged "late" but applied like any other, rated by the rules in force at their POS
// time; their points are dated by their arrival, so their hold and expiry run from the upload, not from the sale.
TEST_F(BatchesOverHttp, ALateOperationIsFlaggedAndEarnsLikeAnyOtherWithExpiryFromItsArrival) {
    const auto now = std::chrono::system_clock::now();
    const auto dated = [&](const std::string& receipt, std::chrono::hours age) {
        const core::Timestamp when = std::chrono::time_point_cast<core::Timestamp::duration>(now - age);
        json document = purchase(receipt, card(0), 200000);
        document["pos_time"] = core::format_utc(when, core::TimeFormat::kRfc3339);
        document["business_day"] =
            core::format_date(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(when)});
        return document;
    };
    const json batch = {{"operations",
                         {{{"type", "purchase"}, {"document", dated("L-1", std::chrono::hours(24 * 45))}},
                          {{"type", "purchase"}, {"document", dated("L-2", std::chrono::hours(24 * 29))}}}}};
    const auto sent = pos("POST", "/v1/pos/batches", batch.dump());
    ASSERT_EQ(sent.status, 200) << sent.body;
    const json results = json::parse(sent.body)["results"];
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0]["flags"], json::array({"late"})) << "45 days old";
    EXPECT_EQ(results[1]["flags"], json::array()) << "29 days old is within the 30 days";
    for (const json& result : results) {
        EXPECT_EQ(result["status"], 201) << result.dump();
        EXPECT_EQ(result["body"]["points"]["earned"], 20) << "200,000 IRR at 1 point per 10,000, late or not";
    }
    // The late sale's lot is dated by its arrival: it expires a full 12 months after the upload.
    std::string earned_at;
    std::string expires_at;
    db.raw() << "SELECT DATE_FORMAT(l.earned_at, '%Y-%m-%d'), DATE_FORMAT(l.expires_at, '%Y-%m-%d') FROM point_lots l"
                " JOIN purchases p ON p.id = l.purchase_id WHERE p.receipt = 'L-1'",
        soci::into(earned_at), soci::into(expires_at);
    const auto today = core::format_date(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now)});
    EXPECT_EQ(earned_at, today) << "earned when it arrived, not 45 days ago";
    EXPECT_GT(expires_at, today) << "not already expired on arrival";

    // The limit is the program's: at 60 days, 45 days old is not late.
    const auto patched = staff("PATCH", "/v1/program/settings", R"({"points": {"late_after_days": 60}})");
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(json::parse(patched.body)["points"]["late_after_days"], 60);
    const json later = {
        {"operations", {{{"type", "purchase"}, {"document", dated("L-3", std::chrono::hours(24 * 45))}}}}};
    const json relaxed = json::parse(pos("POST", "/v1/pos/batches", later.dump()).body)["results"];
    EXPECT_EQ(relaxed[0]["status"], 201) << relaxed.dump();
    EXPECT_EQ(relaxed[0]["flags"], json::array());
    EXPECT_TRUE(refused(staff("PATCH", "/v1/program/settings", R"({"points": {"late_after_days": 0}})"), 422,
                        "points.late_after_days"));
}

// A sample file from tests/data, with the sample card number replaced by a demo member's card.
std::string sample(const std::string& name, const std::string& card) {
    std::ifstream file(patron::testing::source_dir() + "/tests/data/" + name, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    std::string body = text.str();
    for (std::size_t at = body.find("7001000000000009"); at != std::string::npos; at = body.find("7001000000000009")) {
        body.replace(at, 16, card);
    }
    return body;
}

TEST_F(BatchesOverHttp, PosLogSamplesEarnReturnAndVoidLikeTheirJsonTwins) {
    const auto balance = [&] {
        return json::parse(
                   staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body)["points"]["available"]
            .get<long long>();
    };
    const auto send = [&](const std::string& name) {
        const auto reply = pos("POST", "/v1/pos/batches", sample("poslog/" + name, card(0)), "application/xml");
        EXPECT_EQ(reply.status, 200) << name << ": " << reply.body;
        return json::parse(reply.body)["results"];
    };
    const long long before = balance();
    const json sale = send("sale_irr.xml");
    ASSERT_EQ(sale[0]["status"], 201) << sale.dump();
    const long long earned = sale[0]["body"]["points"]["earned"].get<long long>();
    EXPECT_GT(earned, 0);
    EXPECT_EQ(balance(), before + earned);
    EXPECT_TRUE(send("sale_irr.xml")[0]["replayed"].get<bool>()) << "a re-sent POSLog applies nothing again";
    EXPECT_EQ(balance(), before + earned);

    const json canceled = send("canceled.xml");
    EXPECT_EQ(canceled[0]["status"], 200);
    EXPECT_EQ(canceled[0]["skipped"], "transaction Canceled");
    EXPECT_EQ(send("line_void.xml")[0]["status"], 201);
    const json paid = send("multi_tender.xml");
    ASSERT_EQ(paid[0]["status"], 201) << paid.dump();
    const long long after_multi = balance();
    EXPECT_EQ(after_multi, before + earned + paid[0]["body"]["points"]["earned"].get<long long>());

    const json back = send("partial_return.xml");
    ASSERT_EQ(back[0]["status"], 201) << back.dump();
    EXPECT_LT(back[0]["body"]["points"]["earned"].get<long long>(), 0);
    EXPECT_GT(-back[0]["body"]["points"]["earned"].get<long long>(), earned / 4) << "a coffee and the cake";
    const json voided = send("post_void.xml");
    ASSERT_EQ(voided[0]["status"], 201) << voided.dump();
    EXPECT_EQ(voided[0]["body"]["points"]["earned"], -paid[0]["body"]["points"]["earned"].get<long long>());

    const auto hostile = pos("POST", "/v1/pos/batches", sample("poslog/hostile/xxe.xml", ""), "application/xml");
    EXPECT_EQ(hostile.status, 400);
    EXPECT_EQ(json::parse(hostile.body)["error"]["code"], "XML_DTD_FORBIDDEN");
    const auto broken = pos("POST", "/v1/pos/batches", "<POSLog><Transaction>", "application/xml");
    EXPECT_EQ(json::parse(broken.body)["error"]["code"], "MALFORMED_XML");
}

TEST_F(BatchesOverHttp, AnEndOfDayCsvAppliesEachReceiptOnceAndNamesBadRows) {
    const std::string file = sample("csv/end_of_day.csv", card(0));
    const auto sent = pos("POST", "/v1/pos/batches", file, "text/csv");
    ASSERT_EQ(sent.status, 200) << sent.body;
    const json results = json::parse(sent.body)["results"];
    ASSERT_EQ(results.size(), 4u);
    for (const json& result : results) EXPECT_EQ(result["status"], 201) << result.dump();
    EXPECT_EQ(results[0]["rows"], json::array({2, 3}));
    EXPECT_LT(results[2]["body"]["points"]["earned"].get<long long>(), 0) << "the returned coffee";
    const auto again = json::parse(pos("POST", "/v1/pos/batches", file, "text/csv").body)["results"];
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_TRUE(again[i]["replayed"].get<bool>()) << i;
        EXPECT_EQ(again[i]["body"], results[i]["body"]) << i;
    }

    const json bad = json::parse(pos("POST", "/v1/pos/batches", sample("csv/bad_rows.csv", ""), "text/csv").body);
    const json items = bad["results"];
    ASSERT_EQ(items.size(), 4u);
    EXPECT_EQ(items[0]["status"], 201);
    EXPECT_EQ(items[1]["status"], 422);
    EXPECT_EQ(items[1]["body"]["error"]["field"], "rows[3].quantity");
    EXPECT_EQ(items[2]["body"]["error"]["field"], "rows[4].amount");
    EXPECT_EQ(items[3]["status"], 201);
    const auto headless = pos("POST", "/v1/pos/batches", "store,till\nS001,T01\n", "text/csv");
    EXPECT_EQ(headless.status, 422);
}

// The <Transaction> elements of a POSLog sample, to put several samples into one document.
std::string transactions_of(const std::string& document) {
    const std::size_t from = document.find("<Transaction>");
    const std::size_t to = document.rfind("</Transaction>");
    return document.substr(from, to + std::string("</Transaction>").size() - from);
}

class OutOfOrderOverHttp : public PatrondTest {
  protected:
    long long balance() {
        return json::parse(
                   staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body)["points"]["available"]
            .get<long long>();
    }
    json send(const std::string& body, const std::string& type) {
        const auto reply = pos("POST", "/v1/pos/batches", body, type);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body)["results"];
    }
    // A return refused because its sale is not here yet: it wrote nothing and says to wait.
    static void expect_awaiting(const json& result) {
        EXPECT_EQ(result["status"], 404) << result.dump();
        EXPECT_EQ(result["body"]["error"]["code"], "RECEIPT_NOT_FOUND") << result.dump();
        EXPECT_EQ(result["flags"], json::array({"awaiting_original"})) << result.dump();
    }
};

TEST_F(OutOfOrderOverHttp, AJsonReturnBeforeItsSaleIsAppliedAfterItOrWaitsForALaterUpload) {
    const long long before = balance();
    const json lines = {{{"line", 1}, {"quantity", 1}}};
    // One batch, the return first: it is applied after its sale.
    const json same = send(json{{"operations",
                                 {{{"type", "return"}, {"document", return_of("O-2", "O-1", lines)}},
                                  {{"type", "purchase"}, {"document", purchase("O-1", card(0), 300000)}}}}}
                               .dump(),
                           "application/json");
    ASSERT_EQ(same.size(), 2u);
    EXPECT_EQ(same[0]["status"], 201) << same[0].dump();
    EXPECT_EQ(same[0]["flags"], json::array());
    EXPECT_EQ(same[0]["body"]["points"]["earned"], -30);
    EXPECT_EQ(same[1]["body"]["points"]["earned"], 30);
    EXPECT_EQ(balance(), before);

    // Its sale in a later upload: refused with a flag, then applied when sent again after it.
    const json early = json{{"operations", {{{"type", "void"}, {"document", return_of("O-4", "O-3", nullptr)}}}}};
    expect_awaiting(send(early.dump(), "application/json")[0]);
    EXPECT_EQ(balance(), before) << "nothing was taken while the sale is missing";
    const json sale =
        send(json{{"operations", {{{"type", "purchase"}, {"document", purchase("O-3", card(0), 500000)}}}}}.dump(),
             "application/json");
    EXPECT_EQ(sale[0]["body"]["points"]["earned"], 50);
    const json applied = send(early.dump(), "application/json");
    EXPECT_EQ(applied[0]["status"], 201) << applied[0].dump();
    EXPECT_FALSE(applied[0]["replayed"].get<bool>()) << "the refusal was not kept: this is its first commit";
    EXPECT_EQ(applied[0]["body"]["points"]["earned"], -50);
    EXPECT_EQ(balance(), before);
    EXPECT_TRUE(send(early.dump(), "application/json")[0]["replayed"].get<bool>());
}

TEST_F(OutOfOrderOverHttp, APosLogReturnOrVoidBeforeItsSaleIsAppliedAfterItOrWaitsForALaterUpload) {
    const long long before = balance();
    // One document, the partial return of 9001 first.
    const std::string sale = sample("poslog/sale_irr.xml", card(0));
    const std::string both = "<POSLog xmlns=\"http://www.nrf-arts.org/IXRetail/namespace/\">" +
                             transactions_of(sample("poslog/partial_return.xml", card(0))) + transactions_of(sale) +
                             "</POSLog>";
    const json same = send(both, "application/xml");
    ASSERT_EQ(same.size(), 2u);
    EXPECT_EQ(same[0]["status"], 201) << same[0].dump();
    EXPECT_LT(same[0]["body"]["points"]["earned"].get<long long>(), 0);
    EXPECT_EQ(same[1]["status"], 201) << same[1].dump();

    // The post-void of 9004 before 9004 itself arrives.
    const std::string post_void = sample("poslog/post_void.xml", card(0));
    expect_awaiting(send(post_void, "application/xml")[0]);
    const long long waiting = balance();
    const json paid = send(sample("poslog/multi_tender.xml", card(0)), "application/xml");
    ASSERT_EQ(paid[0]["status"], 201) << paid[0].dump();
    const json voided = send(post_void, "application/xml");
    EXPECT_EQ(voided[0]["status"], 201) << voided[0].dump();
    EXPECT_EQ(voided[0]["flags"], json::array());
    EXPECT_EQ(balance(), waiting) << "the void took back what 9004 earned";
    EXPECT_GT(balance(), before) << "9001 keeps what its unreturned line earned";
}

TEST_F(OutOfOrderOverHttp, ACsvReturnBeforeItsSaleIsAppliedAfterItOrWaitsForALaterUpload) {
    const std::string file = sample("csv/end_of_day.csv", card(0));
    std::vector<std::string> rows;
    std::istringstream lines(file);
    for (std::string row; std::getline(lines, row);) rows.push_back(row + "\n");
    ASSERT_EQ(rows.size(), 6u) << "header, two rows of 9101, 9102, the return 9103 and the void 9104";
    const long long before = balance();
    // The return of 9101 is the file's first receipt: it is applied after 9101.
    const json same = send(rows[0] + rows[4] + rows[1] + rows[2], "text/csv");
    ASSERT_EQ(same.size(), 2u);
    EXPECT_EQ(same[0]["status"], 201) << same[0].dump();
    EXPECT_LT(same[0]["body"]["points"]["earned"].get<long long>(), 0);
    EXPECT_EQ(same[0]["rows"], json::array({2}));
    EXPECT_EQ(same[1]["status"], 201) << same[1].dump();

    // The void of 9102 comes in a file before 9102's own.
    expect_awaiting(send(rows[0] + rows[5], "text/csv")[0]);
    const long long waiting = balance();
    EXPECT_EQ(send(rows[0] + rows[3], "text/csv")[0]["status"], 201);
    EXPECT_EQ(send(rows[0] + rows[5], "text/csv")[0]["status"], 201);
    EXPECT_EQ(balance(), waiting);
    EXPECT_GT(balance(), before);
}

// Receipt gaps are worked out from everything Patron holds for the terminal and day, whether it
// came alone or in batches; a gap closes when its receipt arrives; a number the till used for a
// canceled transaction is not a gap; staff read a day's gaps.
TEST_F(BatchesOverHttp, ReceiptGapsSpanBatchesAndSinglePostsAndStaffListThem) {
    for (const char* receipt : {"9000", "9002"}) {
        ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase(receipt, card(0), 100000).dump()).status, 201);
    }
    // 9001 (sample) arrives in a batch: the gap 9001 between the single posts closes; 9003 is the
    // canceled basket's number; 9004 never came.
    const auto day = [&](const std::string& token = {}) {
        return staff("GET", "/v1/stores/S001/terminals/T01/gaps?day=2026-11-22", "", token);
    };
    json listed = json::parse(day().body);
    EXPECT_EQ(listed["gaps"], json::parse(R"([{"from": 9001, "to": 9001, "count": 1}])")) << listed.dump();
    const auto sale = pos("POST", "/v1/pos/batches", sample("poslog/sale_irr.xml", card(0)), "application/xml");
    EXPECT_EQ(json::parse(sale.body)["gaps"], json::array()) << sale.body;
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("9005", card(0), 100000).dump()).status, 201);
    const auto canceled = pos("POST", "/v1/pos/batches", sample("poslog/canceled.xml", card(0)), "application/xml");
    EXPECT_EQ(json::parse(canceled.body)["gaps"],
              json::parse(R"([{"terminal": "T01", "business_day": "2026-11-22", "from": 9004, "to": 9004}])"))
        << canceled.body;

    listed = json::parse(day().body);
    EXPECT_EQ(listed, json::parse(R"({"store": "S001", "terminal": "T01", "business_day": "2026-11-22",
                                      "receipts": {"committed": 4, "skipped": 1, "not_numbered": 0,
                                                   "first": 9000, "last": 9005},
                                      "gaps": [{"from": 9004, "to": 9004, "count": 1}], "missing": 1,
                                      "truncated": false})"));
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("9004", card(0), 100000).dump()).status, 201);
    EXPECT_EQ(json::parse(day().body)["gaps"], json::array()) << "the missing receipt arrived";
    EXPECT_EQ(json::parse(staff("GET", "/v1/stores/S001/terminals/T01/gaps?day=2026-11-23").body)["receipts"]["first"],
              nullptr)
        << "a day without receipts";

    EXPECT_EQ(code_of(staff("GET", "/v1/stores/S001/terminals/T01/gaps")), "VALIDATION_FAILED");
    EXPECT_TRUE(refused(staff("GET", "/v1/stores/S001/terminals/T01/gaps?day=22.11.2026"), 422, "day"));
    EXPECT_TRUE(refused(staff("GET", "/v1/stores/S001/terminals/T99/gaps?day=2026-11-22"), 404, "terminal"));
    EXPECT_TRUE(refused(staff("GET", "/v1/stores/S404/terminals/T01/gaps?day=2026-11-22"), 404, "store"));
}

TEST_F(BatchesOverHttp, ABatchRetriedUnderItsIdempotencyKeyGetsTheSameBytes) {
    const auto send = [&](const std::string& body, const std::string& key) {
        std::vector<std::string> headers = signer().headers("POST", "/v1/pos/batches", body);
        headers.push_back("Content-Type: application/json");
        headers.push_back("Idempotency-Key: " + key);
        return http({"POST", server.url("/v1/pos/batches"), body, headers});
    };
    const std::string batch =
        json{{"operations", {{{"type", "purchase"}, {"document", purchase("1", card(0), 100000)}}}}}.dump();
    const auto first = send(batch, "batch-0001");
    ASSERT_EQ(first.status, 200) << first.body;
    const auto retry = send(batch, "batch-0001");
    EXPECT_EQ(retry.status, 200);
    EXPECT_EQ(retry.body, first.body) << "byte for byte, replayed flags included";
    EXPECT_EQ(retry.headers.count("idempotent-replayed"), 1u);
    const auto other =
        send(json{{"operations", {{{"type", "purchase"}, {"document", purchase("2", card(0), 100000)}}}}}.dump(),
             "batch-0001");
    EXPECT_EQ(other.status, 409);
    EXPECT_EQ(json::parse(other.body)["error"]["code"], "IDEMPOTENCY_CONFLICT");

    std::vector<std::string> headers =
        signer().headers("POST", "/v1/pos/purchases", purchase("3", card(0), 1000).dump());
    headers.push_back("Content-Type: application/json");
    headers.push_back("Idempotency-Key: single-0001");
    ASSERT_EQ(http({"POST", server.url("/v1/pos/purchases"), purchase("3", card(0), 1000).dump(), headers}).status,
              201);
    EXPECT_EQ(send(batch, "single-0001").status, 409) << "a key a single operation used is not a batch's";
}

// Bytes that are not UTF-8 in a CSV cell or POSLog text refuse only their own receipt, named by
// row and column or by element; the answer never echoes them (it is valid JSON, not a 500).
TEST_F(BatchesOverHttp, TextThatIsNotUtf8RefusesOnlyItsOwnItem) {
    const std::string card_number = card(0);
    const auto row = [&](const std::string& receipt, const std::string& sku) {
        return "S001,T01,2026-11-22," + receipt + ",2026-11-22T10:00:00+03:30," + card_number + "," + sku +
               ",coffee,1,450000,450000,0\n";
    };
    const std::string csv =
        "store,terminal,business_day,receipt,pos_time,card,sku,category,quantity,unit_price,"
        "amount,discount\n" +
        row("U1", "COF-1") + row("U2", "COF-\xE9") + row("U3", "COF-1");
    const auto from_csv = pos("POST", "/v1/pos/batches", csv, "text/csv");
    ASSERT_EQ(from_csv.status, 200) << from_csv.body;
    const json rows = json::parse(from_csv.body)["results"];
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]["status"], 201) << rows[0].dump();
    EXPECT_EQ(rows[1]["status"], 422);
    EXPECT_EQ(rows[1]["body"]["error"]["code"], "VALIDATION_FAILED");
    EXPECT_EQ(rows[1]["body"]["error"]["field"], "rows[3].sku");
    EXPECT_EQ(rows[2]["status"], 201) << rows[2].dump();

    const std::string one = sample("poslog/sale_irr.xml", card_number);
    const std::size_t from = one.find("<Transaction>"), to = one.find("</Transaction>") + 14;
    const auto numbered = [&](const std::string& number, const std::string& item) {
        std::string transaction = one.substr(from, to - from);
        transaction.replace(transaction.find("9001"), 4, number);
        transaction.replace(transaction.find("CAKE-3"), 6, item);
        return transaction;
    };
    const std::string poslog = one.substr(0, from) + numbered("9301", "CAKE-3") + numbered("9302", "CAKE-\xE9") +
                               numbered("9303", "CAKE-3") + one.substr(to);
    const auto from_poslog = pos("POST", "/v1/pos/batches", poslog, "application/xml");
    ASSERT_EQ(from_poslog.status, 200) << from_poslog.body;
    const json transactions = json::parse(from_poslog.body)["results"];
    ASSERT_EQ(transactions.size(), 3u);
    EXPECT_EQ(transactions[0]["status"], 201) << transactions[0].dump();
    EXPECT_EQ(transactions[1]["status"], 422);
    EXPECT_EQ(transactions[1]["body"]["error"]["field"], "Transaction[2].RetailTransaction.LineItem[2].Sale.ItemID");
    EXPECT_EQ(transactions[2]["status"], 201) << transactions[2].dump();
    EXPECT_EQ(server.log().find(R"("status":500)"), std::string::npos);
}

}  // namespace
}  // namespace patron::testing
