// The Points & cashback report through a real patrond (issue 17): purchases at two stores, a
// redemption, cashback earned and spent, a return, adjustments up and down and an expiry, dated
// across two months in Tehran with two purchases ten minutes apart around local midnight; every
// figure against its known answer and the closing balances against the members' accounts (the
// books `patronctl verify` checks), before and after the daily totals are rolled up; the CSV form,
// patronctl's copy of it, and the refusals.
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "loyalty/store/db/database.h"
#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

constexpr const char* kReports[] = {"/v1/reports/points", "/v1/reports/members", "/v1/reports/rewards"};

class Reports : public PatrondTest {
  protected:
    void SetUp() override {
        ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"time_zone": "Asia/Tehran"})").status, 200);
        other_store = open_store("S002", "Karaj");
        ASSERT_FALSE(HasFailure());
        ASSERT_EQ(
            staff("PUT", "/v1/program/rules/draft/cashback/cb5", R"({"name": "Cashback 5%", "percent": 5})").status,
            200);
        ASSERT_EQ(staff("POST", "/v1/program/rules/publish").status, 201);
    }
    json at(const std::string& method, const std::string& path, const json& body, const PosSigner& signer) {
        std::vector<std::string> headers = signer.headers(method, path, body.dump());
        headers.push_back("Content-Type: application/json");
        const auto reply = http({method, server.url(path), body.dump(), headers});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    json report(const std::string& query) {
        const auto reply = staff("GET", "/v1/reports/points?" + query);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    // Moves every transfer to the instant its story needs, in one transaction so that the
    // roll-up sees all of them moved or none.
    void date_the_transfers() {
        soci::session& sql = db.raw();
        sql << "START TRANSACTION";
        const std::pair<const char*, const char*> receipts[] = {
            {"A", "2026-10-31 20:25:00"},  // 23:55 on 31 October in Tehran.
            {"B", "2026-10-31 20:35:00"},  // 00:05 on 1 November in Tehran, still 31 October in UTC.
            {"C", "2026-11-10 10:00:00"},
            {"R", "2026-11-12 10:00:00"},
        };
        for (const auto& [receipt, instant] : receipts) {
            const std::string at = instant;
            const std::string number = receipt;
            for (const char* table : {"ledger_transfers", "cashback_transfers"}) {
                sql << std::string("UPDATE ") + table +
                           " t JOIN purchases p ON p.id = t.purchase_id SET t.created_at = :at WHERE p.receipt = :r",
                    soci::use(at), soci::use(number);
            }
        }
        sql << "UPDATE ledger_transfers SET created_at = '2026-11-15 10:00:00' WHERE kind = 'adjust'";
        sql << "UPDATE ledger_transfers SET created_at = '2026-11-20 10:00:00' WHERE kind = 'expire'";
        sql << "COMMIT";
    }
    long long sum_of(const std::string& column) {
        long long sum = 0;
        db.raw() << "SELECT CAST(SUM(" + column + ") AS SIGNED) FROM member_accounts", soci::into(sum);
        return sum;
    }

    PosSigner other_store;
};

TEST_F(Reports, PointsAndCashbackAgreeWithTheLedgerInEveryPeriodStoreAndFormat) {
    // A: two coffees at S001 for member 0; B: one purchase at S002 for member 1; C: member 0 pays
    // with 10 points and 5,000 IRR of cashback; R: one coffee of A returned.
    json two_coffees = purchase_now("A", card(0), 400000);
    two_coffees["lines"][0]["quantity"] = 2;
    two_coffees["lines"][0]["unit_price"] = 200000;
    const json a = at("POST", "/v1/pos/purchases", two_coffees, signer());
    EXPECT_EQ(a["points"]["earned"], 40);
    EXPECT_EQ(a["cashback"]["earned"], 20000);
    json at_karaj = purchase_now("B", card(1), 300000);
    at_karaj["store"] = "S002";
    const json b = at("POST", "/v1/pos/purchases", at_karaj, other_store);
    EXPECT_EQ(b["points"]["earned"], 30);
    EXPECT_EQ(b["cashback"]["earned"], 15000);
    json paying = purchase_now("C", card(0), 200000);
    paying["redeem_points"] = 10;
    paying["spend_cashback"] = 5000;
    const json c = at("POST", "/v1/pos/purchases", paying, signer());
    EXPECT_EQ(c["points"]["redeemed"], 10);
    EXPECT_EQ(c["cashback"]["spent"], 5000);
    const long long c_points = c["points"]["earned"];
    const long long c_cashback = c["cashback"]["earned"];
    EXPECT_GT(c_points, 0);
    EXPECT_GT(c_cashback, 0);
    json taken_back = return_of("R", "A", {{{"line", 1}, {"quantity", 1}}});
    taken_back["pos_time"] = two_coffees["pos_time"];
    taken_back["business_day"] = two_coffees["business_day"];
    taken_back["original"]["business_day"] = two_coffees["business_day"];
    const json r = at("POST", "/v1/pos/returns", taken_back, signer());
    EXPECT_EQ(r["points"]["earned"], -20);
    const std::string members = "/v1/members/";
    ASSERT_EQ(staff("POST", members + std::to_string(member_id(1)) + "/points/adjustments",
                    R"({"points": 25, "reason": "goodwill"})")
                  .status,
              201);
    ASSERT_EQ(staff("POST", members + std::to_string(member_id(0)) + "/points/adjustments",
                    R"({"points": -5, "reason": "correction"})")
                  .status,
              201);
    // B's points reach their expiry.
    db.raw() << "UPDATE point_lots l JOIN purchases p ON p.id = l.purchase_id SET l.expires_at = '2001-01-01'"
                " WHERE p.receipt = 'B'";
    const auto expired = run_command({patronctl_path(), "expire"}, setup.environment());
    ASSERT_EQ(expired.exit_code, 0) << expired.output;
    date_the_transfers();
    const long long cashback_returned = 20000 + 15000 + c_cashback - 5000 - sum_of("cashback_balance");
    EXPECT_EQ(cashback_returned, 10000) << "half of A's cashback";

    const std::string range = "from=2026-10-01&to=2026-11-30";
    const json months = report(range + "&by=month&by_store=true");
    EXPECT_EQ(months["time_zone"], "Asia/Tehran");
    EXPECT_EQ(months["currency"], "IRR");
    EXPECT_EQ(months["opening"]["points"]["outstanding"], 0);
    ASSERT_EQ(months["periods"].size(), 2U) << months;
    const json& october = months["periods"][0];
    EXPECT_EQ(october["period"], "2026-10");
    EXPECT_EQ(october["points"], json({{"issued", 40},
                                       {"redeemed", 0},
                                       {"expired", 0},
                                       {"adjusted_plus", 0},
                                       {"adjusted_minus", 0},
                                       {"returned", 0},
                                       {"refunded", 0},
                                       {"available", 40},
                                       {"pending", 0},
                                       {"outstanding", 40}}));
    EXPECT_EQ(october["cashback"],
              json({{"issued", 20000}, {"spent", 0}, {"returned", 0}, {"refunded", 0}, {"outstanding", 20000}}));
    EXPECT_EQ(october["stores"][0]["store"], "S001");
    EXPECT_EQ(october["stores"][0]["points"]["issued"], 40);
    EXPECT_EQ(october["stores"][1]["store"], "S002");
    EXPECT_EQ(october["stores"][1]["points"]["issued"], 0) << "B was bought after midnight in Tehran";
    const json& november = months["periods"][1];
    const long long outstanding = 40 + 30 + c_points - 10 - 20 + 25 - 5 - 30;
    EXPECT_EQ(november["points"], json({{"issued", 30 + c_points},
                                        {"redeemed", 10},
                                        {"expired", 30},
                                        {"adjusted_plus", 25},
                                        {"adjusted_minus", 5},
                                        {"returned", 20},
                                        {"refunded", 0},
                                        {"available", outstanding},
                                        {"pending", 0},
                                        {"outstanding", outstanding}}));
    EXPECT_EQ(november["cashback"]["issued"], 15000 + c_cashback);
    EXPECT_EQ(november["cashback"]["spent"], 5000);
    EXPECT_EQ(november["cashback"]["returned"], 10000);
    const json& stores = november["stores"];
    ASSERT_EQ(stores.size(), 3U) << stores;
    EXPECT_EQ(stores[0]["points"]["issued"], c_points);
    EXPECT_EQ(stores[0]["points"]["redeemed"], 10);
    EXPECT_EQ(stores[0]["points"]["returned"], 20);
    EXPECT_EQ(stores[1]["store"], "S002");
    EXPECT_EQ(stores[1]["points"]["issued"], 30);
    EXPECT_EQ(stores[1]["cashback"]["issued"], 15000);
    EXPECT_EQ(stores[2]["store"], nullptr);
    EXPECT_EQ(stores[2]["points"]["expired"], 30);
    EXPECT_EQ(stores[2]["points"]["adjusted_plus"], 25);
    // The books: what the report says members hold is what their accounts hold.
    EXPECT_EQ(november["points"]["available"], sum_of("points_available"));
    EXPECT_EQ(november["points"]["pending"], sum_of("points_pending"));
    EXPECT_EQ(november["cashback"]["outstanding"], sum_of("cashback_balance"));
    const json& liability = november["liability"];
    const long long point_value = months["point_value_minor"];
    EXPECT_EQ(point_value, 1000);
    EXPECT_EQ(liability["points_value"], outstanding * point_value);
    EXPECT_EQ(liability["total"], outstanding * point_value + sum_of("cashback_balance"));
    EXPECT_EQ(liability["breakage"]["expired"], 30);
    EXPECT_EQ(liability["breakage"]["redeemed"], 10);
    EXPECT_EQ(liability["breakage"]["ppm"], 750000) << "30 expired for 10 redeemed";
    EXPECT_EQ(liability["breakage"]["expected"], outstanding * point_value * 3 / 4);
    EXPECT_EQ(liability["net"], liability["total"].get<long long>() - outstanding * point_value * 3 / 4);
    EXPECT_EQ(months["total"]["liability"], liability);
    EXPECT_EQ(months["total"]["points"]["issued"], 70 + c_points);
    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    // verify sums the ledger's entries itself: the report's figure is the ledger's.
    EXPECT_NE(verified.output.find(": " + std::to_string(outstanding) + " points outstanding (" +
                                   std::to_string(outstanding) + " available, 0 pending)"),
              std::string::npos)
        << verified.output;

    // Days: the two purchases around midnight fall on two local days.
    const json days = report("from=2026-10-31&to=2026-11-01&by=day");
    ASSERT_EQ(days["periods"].size(), 2U);
    EXPECT_EQ(days["periods"][0]["points"]["issued"], 40);
    EXPECT_EQ(days["periods"][1]["points"]["issued"], 30);
    const json later = report("from=2026-11-21&to=2026-11-30&by=jalali_month&store=S002");
    EXPECT_EQ(later["opening"]["points"]["outstanding"], outstanding) << "everything happened before";
    ASSERT_EQ(later["periods"].size(), 2U);
    EXPECT_EQ(later["periods"][0]["period"], "1405-08");
    EXPECT_EQ(later["periods"][1]["period"], "1405-09");
    EXPECT_EQ(later["periods"][1]["from"], "2026-11-22");
    EXPECT_EQ(later["periods"][1]["stores"].size(), 1U);

    // CSV, asked either way, and patronctl's copy (which rolls the daily totals up first: the same
    // figures must come from them as from the ledger).
    const auto csv = staff("GET", "/v1/reports/points?" + range + "&by=month&by_store=true&format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(csv.body.starts_with("period,from,to,scope,store,currency,points_issued,")) << csv.body;
    EXPECT_NE(csv.body.find("\r\n2026-10,2026-10-01,2026-10-31,all,,IRR,40,0,0,0,0,0,0,40,0,40,20000,0,0,0,20000,"),
              std::string::npos)
        << csv.body;
    EXPECT_NE(csv.body.find("\r\n2026-11,2026-11-01,2026-11-30,store,S002,IRR,30,0,0,0,0,0,0,,,,15000,0,0,0,,"),
              std::string::npos)
        << csv.body;
    const auto accepted =
        http({"GET",
              server.url("/v1/reports/points?" + range + "&by=month&by_store=true"),
              "",
              {"Authorization: Bearer " + setup.demo["staff_token"].get<std::string>(), "Accept: text/csv"}});
    EXPECT_EQ(accepted.body, csv.body);
    const auto printed = run_command({patronctl_path(), "report", "points", "--from", "2026-10-01", "--to",
                                      "2026-11-30", "--by", "month", "--by-store", "--csv"},
                                     setup.environment());
    ASSERT_EQ(printed.exit_code, 0) << printed.output;
    EXPECT_EQ(printed.output, csv.body);
    long long rolled_through = 0;
    db.raw() << "SELECT CAST(MAX(through_transfer_id) AS SIGNED) FROM ledger_day_marks WHERE book = 'points'",
        soci::into(rolled_through);
    EXPECT_GT(rolled_through, 0) << "patronctl rolled the daily totals up";
    EXPECT_EQ(report(range + "&by=month&by_store=true"), months) << "the daily totals agree with the ledger";
}

// Members: 0 and 1 enrol in October, 2 in November. Member 0 buys at S001 at 23:55 on 31 October
// (Tehran), again on 10 November, which lifts them to Silver, and returns one of the first
// purchase's coffees; member 1 buys at S002 five minutes after midnight, on 1 November; an
// anonymous basket is no member's. A review takes member 2 down a tier in November. The first
// purchase of members 0 and 1 lifts each from the tier new members have to Bronze.
TEST_F(Reports, MembersReportCountsBuyersNewAndReturningTierMovesAndConsents) {
    ASSERT_EQ(staff("PUT", "/v1/program/tiers", R"({"measure": "points", "tiers": [{"name": "Bronze", "threshold": 0},
                                                    {"name": "Silver", "threshold": 80}]})")
                  .status,
              200);
    for (const auto& [member, consents] : {std::pair{0, R"({"marketing_sms": true, "marketing_email": false})"},
                                           std::pair{1, R"({"marketing_sms": true, "marketing_email": true})"}}) {
        const auto changed = staff("PATCH", "/v1/members/" + std::to_string(member_id(member)),
                                   std::string(R"({"consents": )") + consents + "}");
        ASSERT_EQ(changed.status, 200) << changed.body;
    }
    json two_coffees = purchase_now("A", card(0), 400000);
    two_coffees["lines"][0]["quantity"] = 2;
    two_coffees["lines"][0]["unit_price"] = 200000;
    at("POST", "/v1/pos/purchases", two_coffees, signer());
    json at_karaj = purchase_now("B", card(1), 300000);
    at_karaj["store"] = "S002";
    at("POST", "/v1/pos/purchases", at_karaj, other_store);
    const json c = at("POST", "/v1/pos/purchases", purchase_now("C", card(0), 600000), signer());
    EXPECT_EQ(c["member"]["tier"], "Silver") << c;
    at("POST", "/v1/pos/purchases", purchase_now("D", "", 100000), signer());
    json taken_back = return_of("R", "A", {{{"line", 1}, {"quantity", 1}}});
    taken_back["pos_time"] = two_coffees["pos_time"];
    taken_back["business_day"] = two_coffees["business_day"];
    taken_back["original"]["business_day"] = two_coffees["business_day"];
    at("POST", "/v1/pos/returns", taken_back, signer());
    soci::session& sql = db.raw();
    const std::pair<const char*, const char*> receipts[] = {
        {"A", "2026-10-31 20:25:00"}, {"B", "2026-10-31 20:35:00"}, {"C", "2026-11-10 10:00:00"},
        {"D", "2026-11-11 10:00:00"}, {"R", "2026-11-12 10:00:00"},
    };
    for (const auto& [receipt, instant] : receipts) {
        const std::string at_time = instant;
        const std::string number = receipt;
        sql << "UPDATE purchases SET received_at = :at WHERE receipt = :r", soci::use(at_time), soci::use(number);
        sql << "UPDATE tier_history t JOIN purchases p ON p.id = t.purchase_id SET t.created_at = :at"
               " WHERE p.receipt = :r",
            soci::use(at_time), soci::use(number);
    }
    // The accounts keep each member's first and last purchase: moved in time, they are counted
    // again as migration 0032 counts them.
    sql << "UPDATE member_accounts a JOIN (SELECT member_id, MIN(received_at) AS first_at, MAX(received_at) AS last_at"
           " FROM purchases WHERE member_id IS NOT NULL AND kind = 'purchase' AND voided_at IS NULL GROUP BY member_id)"
           " p ON p.member_id = a.member_id SET a.first_purchase_at = p.first_at, a.last_purchase_at = p.last_at";
    const long long first = member_id(0);
    const long long second = member_id(1);
    const long long third = member_id(2);
    sql << "UPDATE members SET created_at = '2026-10-05 09:00:00' WHERE id IN (:a, :b)", soci::use(first),
        soci::use(second);
    sql << "UPDATE members SET created_at = '2026-11-20 09:00:00' WHERE id = :c", soci::use(third);
    sql << "INSERT INTO tier_history (member_id, from_tier, to_tier, reason, progress, secured_until, policy_version,"
           " created_at) VALUES (:c, 'Silver', 'Bronze', 'downgrade', 0, '2027-11-20', 1, '2026-11-20 10:00:00')",
        soci::use(third);

    const std::string range = "from=2026-10-01&to=2026-11-30";
    const auto members_report = [&](const std::string& query) {
        const auto reply = staff("GET", "/v1/reports/members?" + query);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body, nullptr, false);
    };
    const json months = members_report(range + "&by=month&by_store=true");
    EXPECT_EQ(months["report"], "members");
    EXPECT_EQ(months["currency"], "IRR");
    ASSERT_EQ(months["periods"].size(), 2U) << months;
    const json& october = months["periods"][0];
    EXPECT_EQ(october["enrolled"], 2);
    EXPECT_EQ(october["tier_moves"], json({{"up", 1}, {"down", 0}}));
    EXPECT_EQ(october["buyers"], json({{"buyers", 1},
                                       {"new", 1},
                                       {"returning", 0},
                                       {"visits", 1},
                                       {"spend", 400000},
                                       {"spend_per_buyer", 400000},
                                       {"visits_per_buyer_x100", 100}}));
    EXPECT_EQ(october["stores"][1], json({{"store", "S002"},
                                          {"buyers",
                                           {{"buyers", 0},
                                            {"new", 0},
                                            {"returning", 0},
                                            {"visits", 0},
                                            {"spend", 0},
                                            {"spend_per_buyer", 0},
                                            {"visits_per_buyer_x100", 0}}}}))
        << "B was bought after midnight in Tehran";
    const json& november = months["periods"][1];
    EXPECT_EQ(november["enrolled"], 1);
    EXPECT_EQ(november["tier_moves"], json({{"up", 2}, {"down", 1}})) << "B to Bronze, C to Silver";
    EXPECT_EQ(november["buyers"], json({{"buyers", 2},
                                        {"new", 1},
                                        {"returning", 1},
                                        {"visits", 2},
                                        {"spend", 300000 + 600000 - 200000},
                                        {"spend_per_buyer", 350000},
                                        {"visits_per_buyer_x100", 100}}))
        << "the anonymous basket D is no member's";
    ASSERT_EQ(november["stores"].size(), 2U);
    EXPECT_EQ(november["stores"][0]["store"], "S001");
    EXPECT_EQ(november["stores"][0]["buyers"]["buyers"], 1);
    EXPECT_EQ(november["stores"][0]["buyers"]["new"], 0) << "member 0 first bought in October";
    EXPECT_EQ(november["stores"][0]["buyers"]["spend"], 600000 - 200000);
    EXPECT_EQ(november["stores"][1]["buyers"]["new"], 1);
    EXPECT_EQ(november["stores"][1]["buyers"]["spend"], 300000);
    const json& total = months["total"];
    EXPECT_EQ(total["enrolled"], 3);
    EXPECT_EQ(total["tier_moves"], json({{"up", 3}, {"down", 1}}));
    EXPECT_EQ(total["buyers"], json({{"buyers", 2},
                                     {"new", 2},
                                     {"returning", 0},
                                     {"visits", 3},
                                     {"spend", 1100000},
                                     {"spend_per_buyer", 550000},
                                     {"visits_per_buyer_x100", 150}}));
    // Spend is what the purchases table holds for members: purchases less returns.
    long long spend = 0;
    sql << "SELECT CAST(SUM(IF(kind = 'purchase', total, -total)) AS SIGNED) FROM purchases"
           " WHERE member_id IS NOT NULL",
        soci::into(spend);
    EXPECT_EQ(total["buyers"]["spend"], spend);
    const json& snapshot = months["snapshot"];
    EXPECT_EQ(snapshot["at"], "2026-11-30");
    EXPECT_EQ(snapshot["members"], 3);
    EXPECT_EQ(snapshot["active"], json({{"days_30", 2}, {"days_90", 2}, {"days_365", 2}}))
        << "B at 00:05 on 1 November is within the 30 days ending with 30 November";
    EXPECT_EQ(snapshot["consents"], json({{"marketing_sms", {{"granted", 2}, {"share_permille", 667}}},
                                          {"marketing_email", {{"granted", 1}, {"share_permille", 333}}}}));
    json tiers = json::array();
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT tier, CAST(COUNT(*) AS SIGNED) FROM member_accounts GROUP BY tier ORDER BY tier");
    for (const soci::row& row : rows) {
        tiers.push_back({{"tier", row.get<std::string>(0)}, {"members", row.get<long long>(1)}});
    }
    EXPECT_EQ(snapshot["by_tier"], tiers);
    EXPECT_NE(std::find(tiers.begin(), tiers.end(), json({{"tier", "Silver"}, {"members", 1}})), tiers.end()) << tiers;

    // A snapshot at the end of October: member 1's purchase was after it.
    const json early = members_report("from=2026-10-01&to=2026-10-31&by=total");
    EXPECT_EQ(early["snapshot"]["members"], 2);
    EXPECT_EQ(early["snapshot"]["active"]["days_30"], 1);
    // Days around Tehran's midnight, and one store named: the programme's figures stay.
    const json days = members_report("from=2026-10-31&to=2026-11-01&by=day&store=S002");
    ASSERT_EQ(days["periods"].size(), 2U);
    EXPECT_EQ(days["periods"][0]["buyers"]["buyers"], 1);
    EXPECT_EQ(days["periods"][1]["buyers"]["new"], 1);
    ASSERT_EQ(days["periods"][1]["stores"].size(), 1U);
    EXPECT_EQ(days["periods"][1]["stores"][0]["store"], "S002");
    EXPECT_EQ(days["periods"][1]["stores"][0]["buyers"]["buyers"], 1);
    EXPECT_EQ(days["periods"][0]["stores"][0]["buyers"]["buyers"], 0);

    const auto csv = staff("GET", "/v1/reports/members?" + range + "&by=month&by_store=true&format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(csv.body.starts_with("period,from,to,scope,store,tier,currency,enrolled,")) << csv.body;
    EXPECT_NE(csv.body.find("\r\n2026-11,2026-11-01,2026-11-30,all,,,IRR,1,2,1,2,1,1,2,700000,350000,100,"),
              std::string::npos)
        << csv.body;
    EXPECT_NE(csv.body.find("\r\nsnapshot,2026-11-30,2026-11-30,snapshot,,,IRR,,,,,,,,,,,3,2,2,2,2,667,1,333\r\n"),
              std::string::npos)
        << csv.body;
    const auto printed = run_command({patronctl_path(), "report", "members", "--from", "2026-10-01", "--to",
                                      "2026-11-30", "--by", "month", "--by-store", "--csv"},
                                     setup.environment());
    ASSERT_EQ(printed.exit_code, 0) << printed.output;
    EXPECT_EQ(printed.output, csv.body);
}

TEST_F(Reports, RefuseBadQueriesAndCallersOutsideTheReadingRoles) {
    const std::pair<const char*, const char*> bad_queries[] = {
        {"from=2026-13-01", "from"},
        {"from=2026-11-02&to=2026-11-01", "from"},
        {"from=2025-01-01&to=2026-01-02", "to"},
        {"to=someday", "to"},
        {"by=year", "by"},
        {"store=S999", "store"},
        {"format=pdf", "format"},
    };
    for (const std::string report : kReports) {
        for (const auto& [query, field] : bad_queries) {
            SCOPED_TRACE(report + "?" + query);
            const auto reply = staff("GET", report + "?" + query);
            EXPECT_TRUE(refused(reply, 422, field));
            EXPECT_EQ(code_of(reply), "VALIDATION_FAILED");
        }
        EXPECT_EQ(get(report).status, 401);
    }
    for (const char* role : {"support", "analyst"}) {
        const std::string token = staff_user(role);
        for (const std::string report : kReports) {
            const auto reply = staff("GET", report + "?by=total", "", token);
            EXPECT_EQ(reply.status, std::string(role) == "analyst" ? 200 : 403)
                << role << " " << report << ": " << reply.body;
        }
    }
}

// Reports run on a pool of their own (PATRON_REPORT_WORKERS, PATRON_REPORT_QUEUE_MAX): while a
// report holds the only report thread (its first read waits for a table lock taken here) and
// another waits in the queue of one, a third is refused at once with 503 OVERLOADED and
// Retry-After, and the till's purchases and other staff routes are served all the while; once the
// lock goes, the two admitted reports answer.
TEST_F(Reports, ReportsRunOnAPoolOfTheirOwnAndBeyondItsQueueAreRefusedWhileTheTillIsServed) {
    auto environment = setup.environment();
    environment["PATRON_REPORT_WORKERS"] = "1";
    environment["PATRON_REPORT_QUEUE_MAX"] = "1";
    PatrondProcess limited(environment, setup.dir.path());
    const std::string token = setup.demo["staff_token"].get<std::string>();
    const auto report = [&] {
        return http({"GET",
                     limited.url("/v1/reports/points?from=2026-11-01&to=2026-11-30"),
                     "",
                     {"Authorization: Bearer " + token}});
    };
    soci::session holder(soci::mysql, store::soci_connection_string(db.url()).value());
    holder << "LOCK TABLES ledger_day_marks WRITE";
    const auto waiting_for_lock = [&] {
        long long waiting = 0;
        db.raw() << "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    " WHERE STATE = 'Waiting for table metadata lock'",
            soci::into(waiting);
        return waiting;
    };
    auto first = std::async(std::launch::async, report);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (waiting_for_lock() < 1 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(waiting_for_lock(), 1) << "the first report holds the report thread";
    auto second = std::async(std::launch::async, report);
    auto third = std::async(std::launch::async, report);
    // Whichever of the two came second to the pool is refused; the other waits in its queue.
    std::optional<HttpReply> refused;
    while (!refused && std::chrono::steady_clock::now() < deadline) {
        for (auto* reply : {&second, &third}) {
            if (!refused && reply->valid() &&
                reply->wait_for(std::chrono::milliseconds(20)) == std::future_status::ready) {
                refused = reply->get();
            }
        }
    }
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->status, 503) << refused->body;
    EXPECT_EQ(code_of(*refused), "OVERLOADED");
    EXPECT_TRUE(refused->headers.contains("retry-after"));

    std::vector<std::string> headers =
        signer().headers("POST", "/v1/pos/purchases", purchase("Q1", card(0), 80000).dump());
    headers.push_back("Content-Type: application/json");
    const auto bought =
        http({"POST", limited.url("/v1/pos/purchases"), purchase("Q1", card(0), 80000).dump(), headers});
    EXPECT_EQ(bought.status, 201) << "the till is served while reports wait: " << bought.body;
    const auto program = http({"GET", limited.url("/v1/program/settings"), "", {"Authorization: Bearer " + token}});
    EXPECT_EQ(program.status, 200) << program.body;
    EXPECT_EQ(first.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout) << "still waiting";

    holder << "UNLOCK TABLES";
    EXPECT_EQ(first.get().status, 200);
    for (auto* reply : {&second, &third}) {
        if (reply->valid()) {
            EXPECT_EQ(reply->get().status, 200);
        }
    }
}

}  // namespace
}  // namespace patron::testing
