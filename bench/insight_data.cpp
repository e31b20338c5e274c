// Generates a programme at the scale of issue 17 for the report benchmark (insight_bench): 20
// stores, PATRON_BENCH_MEMBERS members (1,000,000 by default), about ten ledger entries per member
// (10,000,000: earnings of purchases under five earn rules, redemptions, returns' take-backs,
// expiries, adjustments), cashback earned (under one cashback rule) and spent, stamps on one card
// (every 3rd purchase; every 30th fills it) and coupon redemptions of one campaign (every 20th
// purchase, a single-use code issued the day before), spread over the 365 days before now;
// members' accounts hold the sums of their entries as the books require, and their first and last
// purchases. Rows are made by the server from its sequence tables (INSERT ... SELECT FROM
// seq_1_to_N, a few hundred thousand rows a statement), then the daily totals and what each rule
// gave per day, store and member are rolled up as patrond would and the time each took printed.
//   PATRON_TEST_DB_URL  the server; the database is PATRON_BENCH_INSIGHT_DB (patron_insight),
//                       dropped and made anew.
//   PATRON_BENCH_INSIGHT_KEEP=1  keeps the database generated before: its new migrations are
//                       applied and the roll-ups brought up to date, nothing generated.
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/seq_insert.h"
#include "loyalty/service/insight/ledger_day_rollup.h"
#include "loyalty/store/db/migrations.h"
#include "tests/support/test_database.h"

namespace {

using namespace patron;
using Stopwatch = std::chrono::steady_clock;
using bench::run_chunked;
using bench::run_timed;

constexpr int kStores = 20;

long long environment_number(const char* name, long long fallback) {
    const char* text = std::getenv(name);
    return text != nullptr && *text != '\0' ? std::atoll(text) : fallback;
}

// The shape of the data, from the number of members: per member about 4.1 purchases earning points
// (1 in 10 also redeeming, 1 in 41 returned), 0.3 expiries and 0.1 adjustments: ~5 transfers of
// two entries each; and 1 cashback earning and 0.2 spendings.
struct Shape {
    long long members;
    long long purchases;
    long long redemptions;
    long long returns;
    long long expiries;
    long long adjustments;
    long long cashback_earnings;
    long long cashback_spendings;
};

Shape shape_of(long long members) {
    return {members,          members * 41 / 10, members * 4 / 10, members / 10,
            members * 3 / 10, members / 10,      members,          members / 5};
}

// The instant of purchase n: spread over the 365 days before `now` by a multiplicative hash.
std::string purchase_time(const std::string& n) {
    return "(@now - INTERVAL ((" + n + " * 2654435761) MOD 31536000) SECOND)";
}
std::string member_of_purchase(const std::string& n) { return "(1 + (" + n + " * 7919) MOD @members)"; }
std::string member_of_other(const std::string& n) { return "(1 + (" + n + " * 104729) MOD @members)"; }
// The earn rule purchase n earned under (one of five), for the Rewards report; its return reverses the same.
std::string earn_rule(const std::string& n) { return "CONCAT('rule-', 1 + (" + n + ") MOD 5)"; }

void generate(soci::session& sql, const Shape& shape) {
    sql << "SET SESSION foreign_key_checks = 0, unique_checks = 0, time_zone = '+00:00'";
    sql << "SET @now = UTC_TIMESTAMP(6), @members = " + std::to_string(shape.members);
    run_timed(sql, "programme and stores",
              "INSERT INTO programs (id, code, name, currency, country_calling_code, language, card_prefix, created_at,"
              " point_value_minor, time_zone) VALUES (1, 'BENCH', 'Bench', 'IRR', '98', 'fa', '7001', @now, 1000,"
              " 'Asia/Tehran')");
    sql << "INSERT INTO stores (id, program_id, code, name, currency, time_zone, created_at) SELECT seq, 1,"
           " CONCAT('S', LPAD(seq, 3, '0')), CONCAT('Store ', seq), 'IRR', 'Asia/Tehran', @now FROM seq_1_to_" +
               std::to_string(kStores);
    run_chunked(sql, "members", shape.members,
                "INSERT INTO members (id, program_id, status, created_at, updated_at)"
                " SELECT seq, 1, 'active', @now, @now FROM {seq}");
    const std::string purchase_columns =
        "INSERT INTO purchases (id, program_id, store_id, terminal, business_day, receipt, member_id, currency, total,"
        " pos_time, pos_offset_minutes, received_at, rule_set_version, points_earned, request_sha256,"
        " response_status, response_body, kind, original_id) ";
    run_chunked(sql, "purchases", shape.purchases,
                purchase_columns + "SELECT seq, 1, 1 + seq MOD " + std::to_string(kStores) + ", 'T01', DATE(" +
                    purchase_time("seq") + "), seq, " + member_of_purchase("seq") +
                    ", 'IRR', 10000 * (1 + seq MOD 100), " + purchase_time("seq") + ", 210, " + purchase_time("seq") +
                    ", 1, 1 + seq MOD 100, REPEAT(CHAR(0), 32), 201, '{}', 'purchase', NULL FROM {seq}");
    // Every 41st purchase is returned at its store a day later (or at once, if that is still to come).
    const std::string returned = "(seq * 41)";
    const std::string return_time = "LEAST(@now, " + purchase_time(returned) + " + INTERVAL 1 DAY)";
    run_chunked(sql, "returns", shape.returns,
                purchase_columns + "SELECT @purchases + seq, 1, 1 + " + returned + " MOD " + std::to_string(kStores) +
                    ", 'T01', DATE(" + return_time + "), CONCAT('R', seq), " + member_of_purchase(returned) +
                    ", 'IRR', 0, " + return_time + ", 210, " + return_time +
                    ", 1, 0, REPEAT(CHAR(0), 32), 201, '{}', 'return', " + returned + " FROM {seq}");
    // Transfers: earnings 1..P, redemptions, take-backs, expiries, adjustments after them.
    const auto transfers = [&](const std::string& what, long long count, long long first_id, const std::string& kind,
                               const std::string& purchase, const std::string& time, const std::string& rule = "NULL") {
        run_chunked(
            sql, what, count,
            "INSERT INTO ledger_transfers (id, program_id, kind, purchase_id, rule_id, rule_version, created_at)"
            " SELECT " +
                std::to_string(first_id) + " + seq, 1, '" + kind + "', " + purchase + ", " + rule + ", 1, " + time +
                " FROM {seq}");
    };
    // Each transfer's two entries: the programme's side and the member's.
    const auto entries = [&](const std::string& what, long long count, long long first_id,
                             const std::string& program_account, const std::string& member_account,
                             const std::string& member, const std::string& points) {
        run_chunked(sql, what, count,
                    "INSERT INTO ledger_entries (transfer_id, account, member_id, amount) SELECT " +
                        std::to_string(first_id) + " + seq, '" + program_account + "', NULL, -(" + points +
                        ") FROM {seq} UNION ALL SELECT " + std::to_string(first_id) + " + seq, '" + member_account +
                        "', " + member + ", " + points + " FROM {seq}");
    };
    sql << "SET @purchases = " + std::to_string(shape.purchases);
    long long next_id = 0;
    transfers("earnings", shape.purchases, next_id, "earn", "seq", purchase_time("seq"), earn_rule("seq"));
    entries("earnings' entries", shape.purchases, next_id, "program_issued", "member_available",
            member_of_purchase("seq"), "1 + seq MOD 100");
    next_id += shape.purchases;
    const std::string redeeming = "(seq * 10)";
    transfers("redemptions", shape.redemptions, next_id, "redeem", redeeming, purchase_time(redeeming));
    entries("redemptions' entries", shape.redemptions, next_id, "program_redeemed", "member_available",
            member_of_purchase(redeeming), "-(1 + seq MOD 50)");
    next_id += shape.redemptions;
    transfers("take-backs of returns", shape.returns, next_id, "reverse", "@purchases + seq", return_time,
              earn_rule(returned));
    entries("take-backs' entries", shape.returns, next_id, "program_issued", "member_available",
            member_of_purchase(returned), "-(1 + seq MOD 30)");
    next_id += shape.returns;
    transfers("expiries", shape.expiries, next_id, "expire", "NULL", purchase_time("(seq + 7)"));
    entries("expiries' entries", shape.expiries, next_id, "program_expired", "member_available", member_of_other("seq"),
            "-(1 + seq MOD 40)");
    next_id += shape.expiries;
    transfers("adjustments", shape.adjustments, next_id, "adjust", "NULL", purchase_time("(seq + 13)"));
    entries("adjustments' entries", shape.adjustments, next_id, "program_adjusted", "member_available",
            member_of_other("(seq + 1)"), "IF(seq MOD 3 = 0, -1, 1) * CAST(1 + seq MOD 20 AS SIGNED)");
    // Cashback: every 4th purchase earns some, every 20th pays with some.
    const auto cashback = [&](const std::string& what, long long count, long long first_id, const std::string& kind,
                              const std::string& purchase, const std::string& program_account,
                              const std::string& amount) {
        run_chunked(sql, what, count,
                    "INSERT INTO cashback_transfers (id, program_id, kind, purchase_id, rule_id, rule_version,"
                    " created_at) SELECT " +
                        std::to_string(first_id) + " + seq, 1, '" + kind + "', " + purchase + ", " +
                        (kind == "earn" ? "'cb5'" : "NULL") + ", 1, " + purchase_time(purchase) + " FROM {seq}");
        run_chunked(sql, what + "' entries", count,
                    "INSERT INTO cashback_entries (transfer_id, account, member_id, amount) SELECT " +
                        std::to_string(first_id) + " + seq, '" + program_account + "', NULL, -(" + amount +
                        ") FROM {seq} UNION ALL SELECT " + std::to_string(first_id) + " + seq, 'member_cashback', " +
                        member_of_purchase(purchase) + ", " + amount + " FROM {seq}");
    };
    cashback("cashback earned", shape.cashback_earnings, 0, "earn", "(seq * 4)", "program_cashback_issued",
             "500 * (1 + seq MOD 40)");
    cashback("cashback spent", shape.cashback_spendings, shape.cashback_earnings, "spend", "(seq * 20)",
             "program_cashback_spent", "-(100 * (1 + seq MOD 10))");
    // Stamps: every 3rd purchase stamps the coffee card, every 30th fills it; every 20th redeems a
    // single-use code of the one coupon campaign, issued to its buyer the day before.
    run_chunked(sql, "stamps", shape.purchases / 3,
                "INSERT INTO stamp_events (program_id, member_id, card_id, kind, purchase_id, line, stamps, threshold,"
                " rule_version, created_at) SELECT 1, " +
                    member_of_purchase("(seq * 3)") + ", 'coffee', 'earn', seq * 3, 1, 1, 0, 1, " +
                    purchase_time("(seq * 3)") + " FROM {seq}");
    run_chunked(sql, "stamp cards filled", shape.purchases / 30,
                "INSERT INTO stamp_rewards (program_id, member_id, card_id, purchase_id, goal, rule_version, points,"
                " created_at) SELECT 1, " +
                    member_of_purchase("(seq * 30)") + ", 'coffee', seq * 30, 10, 1, 50, " +
                    purchase_time("(seq * 30)") + " FROM {seq}");
    sql << "INSERT INTO coupon_campaigns (id, program_id, name, status, document, created_at, updated_at,"
           " published_at) VALUES (1, 1, 'Bench', 'published', '{}', @now - INTERVAL 400 DAY,"
           " @now - INTERVAL 400 DAY, @now - INTERVAL 400 DAY)";
    run_chunked(sql, "coupon codes", shape.purchases / 20,
                "INSERT INTO coupon_codes (id, program_id, campaign_id, code, single_use, member_id, redemptions,"
                " created_at) SELECT seq, 1, 1, CONCAT('B', seq), 1, " +
                    member_of_purchase("(seq * 20)") + ", 1, " + purchase_time("(seq * 20)") +
                    " - INTERVAL 1 DAY FROM {seq}");
    run_chunked(sql, "coupon redemptions", shape.purchases / 20,
                "INSERT INTO coupon_redemptions (code_id, campaign_id, campaign_version, member_id, purchase_id,"
                " discount, bonus_points, created_at) SELECT seq, 1, 1, " +
                    member_of_purchase("(seq * 20)") + ", seq * 20, 5000, 0, " + purchase_time("(seq * 20)") +
                    " FROM {seq}");
    run_chunked(
        sql, "member accounts", shape.members,
        "INSERT INTO member_accounts (member_id, program_id, tier, updated_at) SELECT seq, 1, '', @now FROM {seq}");
    run_timed(
        sql, "accounts: first and last purchases not voided",
        "UPDATE member_accounts a JOIN (SELECT member_id, MIN(received_at) AS first_at, MAX(received_at) AS last_at"
        " FROM purchases WHERE kind = 'purchase' AND voided_at IS NULL GROUP BY member_id) p"
        " ON p.member_id = a.member_id SET a.first_purchase_at = p.first_at, a.last_purchase_at = p.last_at");
    run_timed(sql, "accounts: points as the ledger sums them",
              "UPDATE member_accounts a JOIN (SELECT member_id, SUM(amount) AS points FROM ledger_entries"
              " WHERE account = 'member_available' GROUP BY member_id) e ON e.member_id = a.member_id"
              " SET a.points_available = e.points");
    run_timed(sql, "accounts: cashback as the wallet's ledger sums it",
              "UPDATE member_accounts a JOIN (SELECT member_id, SUM(amount) AS money FROM cashback_entries"
              " WHERE account = 'member_cashback' GROUP BY member_id) e ON e.member_id = a.member_id"
              " SET a.cashback_balance = e.money");
}

// Rolls the ledger up as patrond would (at full pace) and prints what it did.
bool roll_up(store::Database& pool, soci::session& sql, store::DaySums sums, const char* table, const char* what) {
    service::SystemClock clock;
    const auto started = Stopwatch::now();
    const auto added = service::LedgerDayRollup(pool, clock, sums).roll_up();
    if (!added) {
        std::fprintf(stderr, "roll-up failed: %s\n", added.error().message.c_str());
        return false;
    }
    long long rows = 0;
    sql << std::string("SELECT COUNT(*) FROM ") + table, soci::into(rows);
    std::printf(
        "rolled %lld transfers up into %lld %s in %.1f s (a first catch-up; patrond then adds a minute's"
        " transfers a minute)\n",
        *added, rows, what, std::chrono::duration<double>(Stopwatch::now() - started).count());
    std::fflush(stdout);
    return true;
}

}  // namespace

int main() {
    const std::string database =
        std::getenv("PATRON_BENCH_INSIGHT_DB") ? std::getenv("PATRON_BENCH_INSIGHT_DB") : "patron_insight";
    const Shape shape = shape_of(environment_number("PATRON_BENCH_MEMBERS", 1'000'000));
    const bool keep = environment_number("PATRON_BENCH_INSIGHT_KEEP", 0) != 0;
    if (!keep) {
        soci::session admin(soci::mysql, store::soci_connection_string(testing::database_url("mysql")).value());
        admin << "DROP DATABASE IF EXISTS " + database;
        admin << "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
    }
    const std::string url = testing::database_url(database);
    soci::session sql(soci::mysql, store::soci_connection_string(url).value());
    const auto migrations = store::prepare_migrations(store::embedded_migrations()).value();
    if (const auto applied = store::apply_migrations(sql, migrations); !applied) {
        std::fprintf(stderr, "migrations failed: %s\n", applied.error().message.c_str());
        return 1;
    }
    if (!keep) {
        std::printf("generating %lld members, %lld purchases and %lld returns in %s:\n", shape.members, shape.purchases,
                    shape.returns, database.c_str());
        const auto started = Stopwatch::now();
        generate(sql, shape);
        long long entries = 0;
        sql << "SELECT COUNT(*) FROM ledger_entries", soci::into(entries);
        std::printf("generated %lld ledger entries in %.0f s\n", entries,
                    std::chrono::duration<double>(Stopwatch::now() - started).count());
    }
    store::Database pool(store::DatabaseSettings{url, 2});
    if (!roll_up(pool, sql, store::DaySums::kLedgerDays, "ledger_days", "daily totals")) return 1;
    const bool rewards =
        roll_up(pool, sql, store::DaySums::kRewardDays, "reward_days", "rules' sums per day, store and member");
    return rewards ? 0 : 1;
}
