// Quotes and receipt status through a real patrond: a quote rates like a commit and writes
// nothing; a till that lost an answer gets it back by the receipt key.
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using QuotesOverHttp = PatrondTest;

long long rows(soci::session& sql, const char* table) {
    long long count = 0;
    sql << std::string("SELECT COUNT(*) FROM ") + table, soci::into(count);
    return count;
}

TEST_F(QuotesOverHttp, AQuoteRatesLikeTheCommitAndWritesNothing) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump()).status, 201);  // 90 points.
    json basket = purchase("P-2", card(0), 600000);
    basket["redeem_points"] = 20;
    const long long purchases_before = rows(db.raw(), "purchases");
    const long long transfers_before = rows(db.raw(), "ledger_transfers");

    const auto quoted = pos("POST", "/v1/pos/quotes", basket.dump());
    ASSERT_EQ(quoted.status, 200) << quoted.body;
    json quote = json::parse(quoted.body);
    EXPECT_TRUE(quote["quote"].get<bool>());
    EXPECT_TRUE(quote["purchase_id"].is_null());
    EXPECT_EQ(quote["points"]["redeemed"], 20);
    EXPECT_EQ(quote["points"]["earned"], 58);  // (600,000 - 20,000) / 10,000
    EXPECT_EQ(quote["points"]["available"], 90 - 20 + 58);
    EXPECT_EQ(rows(db.raw(), "purchases"), purchases_before);
    EXPECT_EQ(rows(db.raw(), "ledger_transfers"), transfers_before);
    EXPECT_EQ(pos("POST", "/v1/pos/quotes", basket.dump()).body, quoted.body) << "a quote is repeatable";

    const auto committed = pos("POST", "/v1/pos/purchases", basket.dump());
    ASSERT_EQ(committed.status, 201) << committed.body;
    json answer = json::parse(committed.body);
    for (const char* field : {"points", "effects", "receipt_lines", "member"}) {
        EXPECT_EQ(answer[field], quote[field]) << field << ": the commit does what the quote said";
    }

    json too_much = purchase("P-3", card(0), 600000);
    too_much["redeem_points"] = 5000;
    const auto refused = pos("POST", "/v1/pos/quotes", too_much.dump());
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "POINTS_INSUFFICIENT");
    json unknown_card = purchase("P-4", "7001000000000000", 1000);
    EXPECT_NE(pos("POST", "/v1/pos/quotes", unknown_card.dump()).status, 200);
}

TEST_F(QuotesOverHttp, AHeldQuoteReservesItsPointsForTheCommitThatNamesIt) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump()).status, 201);  // 90 points.
    json basket = purchase("P-2", card(0), 600000);
    basket["redeem_points"] = 80;
    basket["hold"] = true;
    const auto quoted = pos("POST", "/v1/pos/quotes", basket.dump());
    ASSERT_EQ(quoted.status, 200) << quoted.body;
    const json hold = json::parse(quoted.body)["hold"];
    EXPECT_EQ(hold["points"], 80);
    EXPECT_TRUE(hold["quote_id"].get<std::string>().starts_with("q_"));
    EXPECT_EQ(rows(db.raw(), "quote_holds"), 1) << "a held quote records its hold";

    json elsewhere = purchase("P-3", card(0), 100000);
    elsewhere["redeem_points"] = 20;
    const auto refused = pos("POST", "/v1/pos/purchases", elsewhere.dump());
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "POINTS_INSUFFICIENT") << "80 of the 90 are held";

    basket.erase("hold");
    basket["quote_id"] = hold["quote_id"];
    const auto committed = pos("POST", "/v1/pos/purchases", basket.dump());
    ASSERT_EQ(committed.status, 201) << committed.body;
    const json answer = json::parse(committed.body);
    EXPECT_EQ(answer["points"]["redeemed"], 80);
    EXPECT_EQ(answer["quote_check"]["matches"], true);
    EXPECT_EQ(pos("POST", "/v1/pos/purchases", basket.dump()).body, committed.body) << "replays byte for byte";

    const auto settings = json::parse(staff("GET", "/v1/program/settings").body);
    EXPECT_EQ(settings["points"]["quote_hold_minutes"], 5);
    EXPECT_EQ(staff("PATCH", "/v1/program/settings", R"({"points": {"quote_hold_minutes": 0}})").status, 200);
    json no_holds = purchase("P-4", card(0), 100000);
    no_holds["hold"] = true;
    const auto off = pos("POST", "/v1/pos/quotes", no_holds.dump());
    EXPECT_EQ(json::parse(off.body)["error"]["field"], "hold");
}

TEST_F(QuotesOverHttp, ATillThatLostAnAnswerGetsItBackByTheReceiptKey) {
    const auto committed = pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump());
    ASSERT_EQ(committed.status, 201);
    const auto found = pos("GET", "/v1/pos/receipts/S001/T01/2026-11-22/P-1");
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(json::parse(found.body)["status"], 201);
    EXPECT_EQ(json::parse(found.body)["answer"], json::parse(committed.body));

    const auto missing = pos("GET", "/v1/pos/receipts/S001/T01/2026-11-22/P-9");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(json::parse(missing.body)["error"]["code"], "RECEIPT_NOT_FOUND");
    const auto other_store = pos("GET", "/v1/pos/receipts/S999/T01/2026-11-22/P-1");
    EXPECT_EQ(other_store.status, 403);
    EXPECT_EQ(json::parse(other_store.body)["error"]["code"], "STORE_MISMATCH");
    const auto bad_day = pos("GET", "/v1/pos/receipts/S001/T01/yesterday/P-1");
    EXPECT_EQ(bad_day.status, 422);
    EXPECT_EQ(json::parse(bad_day.body)["error"]["field"], "business_day");
}

TEST_F(QuotesOverHttp, StaffClaimAnAnonymousPurchaseForAMemberOnce) {
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", "", 900000).dump()).status, 201);
    const std::string path = "/v1/members/" + std::to_string(member_id(1)) + "/claims";
    const std::string receipt =
        R"({"store": "S001", "terminal": "T01", "business_day": "2026-11-22", "receipt": "P-1"})";
    const auto claimed = staff("POST", path, receipt);
    ASSERT_EQ(claimed.status, 201) << claimed.body;
    EXPECT_EQ(json::parse(claimed.body)["points"]["earned"], 90);
    EXPECT_EQ(json::parse(claimed.body)["member"]["id"], member_id(1));
    const auto again = staff("POST", path, receipt);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(json::parse(again.body)["error"]["code"], "ALREADY_CLAIMED");
    const auto missing = staff("POST", path, R"({"store": "S001", "terminal": "T01", "business_day": "2026-11-22"})");
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(json::parse(missing.body)["error"]["field"], "receipt");
}

}  // namespace
}  // namespace patron::testing
