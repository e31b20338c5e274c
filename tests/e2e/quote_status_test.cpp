// Quotes and receipt status through a real patrond: a quote rates like a commit and writes
// nothing; a till that lost an answer gets it back by the receipt key.
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class QuotesOverHttp : public PatrondTest {
  protected:
    // Card 0 earns 90 points (P-1); `basket` (P-2, 600,000 IRR) is quoted redeeming `points` of them
    // with a hold. The hold's quote_id, `basket` left as the quote was sent.
    std::string held_quote(json& basket, long long points) {
        EXPECT_EQ(pos("POST", "/v1/pos/purchases", purchase("P-1", card(0), 900000).dump()).status, 201);
        basket = purchase("P-2", card(0), 600000);
        basket["redeem_points"] = points;
        basket["hold"] = true;
        const auto quoted = pos("POST", "/v1/pos/quotes", basket.dump());
        EXPECT_EQ(quoted.status, 200) << quoted.body;
        const json hold = json::parse(quoted.body)["hold"];
        EXPECT_EQ(hold["points"], points);
        return hold["quote_id"].get<std::string>();
    }
};

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
    EXPECT_TRUE(refused(pos("GET", "/v1/pos/receipts/S001/T01/yesterday/P-1"), 422, "business_day"));
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

TEST_F(QuotesOverHttp, AnAbandonedSaleReleasesItsHoldAtOnceAndTheNextTillSpendsThePoints) {
    json basket;
    const std::string quote_id = held_quote(basket, 80);
    json next_till = purchase("P-3", card(0), 100000);
    next_till["redeem_points"] = 20;
    ASSERT_EQ(json::parse(pos("POST", "/v1/pos/quotes", next_till.dump()).body)["error"]["code"], "POINTS_INSUFFICIENT")
        << "80 of the 90 are held";

    const auto released = pos("DELETE", "/v1/pos/quotes/" + quote_id, "");
    ASSERT_EQ(released.status, 200) << released.body;
    EXPECT_EQ(json::parse(released.body), json({{"quote_id", quote_id}, {"status", "released"}, {"points", 80}}));
    const auto again = pos("DELETE", "/v1/pos/quotes/" + quote_id, "");
    EXPECT_EQ(again.status, 200) << "releasing twice is harmless";
    EXPECT_EQ(again.body, released.body);

    const auto spent = pos("POST", "/v1/pos/purchases", next_till.dump());
    ASSERT_EQ(spent.status, 201) << "the released points are spendable at once: " << spent.body;
    EXPECT_EQ(json::parse(spent.body)["points"]["redeemed"], 20);

    // The abandoned basket comes back after all, naming its released quote: rated as without a hold.
    basket.erase("hold");
    basket["quote_id"] = quote_id;
    const auto late = pos("POST", "/v1/pos/purchases", basket.dump());
    EXPECT_EQ(late.status, 422) << "70 points left, 80 asked, nothing held any more: " << late.body;
    EXPECT_EQ(json::parse(late.body)["error"]["code"], "POINTS_INSUFFICIENT");
    basket["redeem_points"] = 60;
    const auto committed = pos("POST", "/v1/pos/purchases", basket.dump());
    ASSERT_EQ(committed.status, 201) << committed.body;
    const json check = json::parse(committed.body)["quote_check"];
    EXPECT_EQ(check["matches"], false) << check.dump();
    EXPECT_EQ(pos("DELETE", "/v1/pos/quotes/" + quote_id, "").body,
              json({{"quote_id", quote_id}, {"status", "released"}, {"points", 80}}).dump())
        << "a released hold stays released";
}

TEST_F(QuotesOverHttp, AnUnknownQuoteIsNotFoundAndAUsedHoldStaysUsed) {
    EXPECT_EQ(pos("DELETE", "/v1/pos/quotes/q_unknown", "").status, 404);
    EXPECT_EQ(json::parse(pos("DELETE", "/v1/pos/quotes/q_unknown", "").body)["error"]["field"], "quote_id");
    json basket;
    const std::string quote_id = held_quote(basket, 30);
    basket.erase("hold");
    basket["quote_id"] = quote_id;
    ASSERT_EQ(pos("POST", "/v1/pos/purchases", basket.dump()).status, 201);
    const auto used = pos("DELETE", "/v1/pos/quotes/" + quote_id, "");
    ASSERT_EQ(used.status, 200) << used.body;
    EXPECT_EQ(json::parse(used.body)["status"], "used");
    const auto balance = json::parse(
        staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/balance").body)["points"]["available"];
    EXPECT_EQ(balance, 90 - 30 + 57) << "releasing a used hold gives nothing back";
}

}  // namespace
}  // namespace patron::testing
