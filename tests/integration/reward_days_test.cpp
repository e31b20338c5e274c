// What each rule gave per day, store and member (issue 17), that the Rewards report reads, against
// the report read from the ledger alone: the roll-up never passes a transfer still being written,
// the report reads what the roll-up has not reached from the ledger and counts each purchase and
// member once across both, days are the programme's local days, and a change of its time zone
// rebuilds the sums; the report says the same whatever the roll-up has done.
#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include "crypto/digest.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/rewards_report_document.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron::testing {
namespace {

using namespace std::chrono;
using nlohmann::json;

// 2026-11-18 20:30 UTC: midnight in Tehran (UTC+03:30), between the 18th and the 19th there.
const core::Timestamp kTehranMidnight = core::Timestamp{sys_days{2026y / 11 / 18} + 20h + 30min};

class RewardDays : public ::testing::Test {
  protected:
    RewardDays() {
        world.db.raw()
            << "UPDATE programs SET time_zone = 'Asia/Tehran', settings_version = settings_version + 1 WHERE id = :p",
            soci::use(world.program_id);
        const json document = {
            {"rules", json::array({{{"id", "base"}, {"name", "Club points"}, {"points", 1}, {"per_amount", 10000}}})},
            {"cashback", json::array({{{"id", "cb5"}, {"percent", 5}}})}};
        EXPECT_TRUE(
            world.admin.publish_rules(world.program_id, core::RuleDocument(document), world.clock.now()).has_value());
        second_store = world.admin.create_store({0, world.program_id, "S043", "Karaj", "IRR", "Asia/Tehran"}).value();
    }

    // A purchase of `member` at `at`, moved to the second store when `elsewhere`; its id.
    long long buy(const std::string& receipt, const service::EnrolledMember& buyer, core::Timestamp at,
                  bool elsewhere = false) {
        world.clock.set(at);
        const auto outcome =
            world.purchases.commit(world.terminal, world.purchase(receipt, 900000, buyer.card_number),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        EXPECT_TRUE(outcome.has_value()) << outcome.error().message;
        long long id = 0;
        world.db.raw() << "SELECT CAST(MAX(id) AS SIGNED) FROM purchases", soci::into(id);
        if (elsewhere)
            world.db.raw() << "UPDATE purchases SET store_id = :s WHERE id = :id", soci::use(second_store),
                soci::use(id);
        return id;
    }
    // A line returned from the purchase `original` (its receipt) at `at`.
    void give_back(const std::string& receipt, const std::string& original, core::Timestamp at) {
        world.clock.set(at);
        core::ReturnRequest request = world.return_request(receipt, original, {{1, 1000}});
        const auto outcome = world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes(receipt)),
                                                  pos::encode_purchase_answer);
        EXPECT_TRUE(outcome.has_value()) << outcome.error().message;
    }
    // One more earning of the purchase under its rule, written by hand at the purchase's instant
    // (a purchase earns once per rule today; the report counts it once all the same).
    void earn_again(long long purchase_id, long long member_id, long long points) {
        std::string at;
        world.db.raw() << "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') FROM ledger_transfers"
                          " WHERE purchase_id = :p AND kind = 'earn' LIMIT 1",
            soci::into(at), soci::use(purchase_id);
        world.db.raw() << "INSERT INTO ledger_transfers (program_id, kind, purchase_id, rule_id, rule_version, "
                          "created_at) VALUES (:p, 'earn', :purchase, 'base', 1, :at)",
            soci::use(world.program_id), soci::use(purchase_id), soci::use(at);
        long long id = 0;
        world.db.raw() << "SELECT LAST_INSERT_ID()", soci::into(id);
        const long long issued = -points;
        world.db.raw() << "INSERT INTO ledger_entries (transfer_id, account, member_id, amount) VALUES"
                          " (:t, 'program_issued', NULL, :issued), (:t2, 'member_available', :m, :points)",
            soci::use(id), soci::use(issued), soci::use(id), soci::use(member_id), soci::use(points);
    }

    json report(core::LocalDate from, core::LocalDate to, bool by_store, store::LedgerReading reading,
                std::optional<std::string> store_code = std::nullopt) {
        core::ReportRequest request;
        request.from = from;
        request.to = to;
        request.by_store = by_store;
        request.store = std::move(store_code);
        const auto built = service::RewardsReportService(world.db.database(), world.clock, reading)
                               .report_of_program(world.program_id, request);
        EXPECT_TRUE(built.has_value()) << built.error().message;
        return built ? core::rewards_report_json(*built) : json();
    }
    // Every range over the two days, per store and not, the rolled-up report against the ledger's.
    void expect_the_ledgers_figures(const std::string& when) {
        const core::LocalDate first = 2026y / 11 / 18;
        const core::LocalDate second = 2026y / 11 / 19;
        const std::pair<core::LocalDate, core::LocalDate> ranges[] = {
            {first, first}, {second, second}, {first, second}};
        for (const auto& [from, to] : ranges) {
            for (const bool by_store : {false, true}) {
                const json read = report(from, to, by_store, store::LedgerReading::kRolledUp);
                EXPECT_EQ(read, report(from, to, by_store, store::LedgerReading::kLedgerOnly))
                    << when << ", " << core::format_date(from) << ".." << core::format_date(to)
                    << (by_store ? " per store" : "");
                EXPECT_FALSE(read["rows"].empty());
            }
            EXPECT_EQ(report(from, to, false, store::LedgerReading::kRolledUp, "S043"),
                      report(from, to, false, store::LedgerReading::kLedgerOnly, "S043"))
                << when;
        }
    }
    long long rolled_through(const std::string& book) {
        long long through = 0;
        world.db.raw() << "SELECT CAST(through_transfer_id AS SIGNED) FROM reward_day_marks"
                          " WHERE program_id = :p AND book = :b",
            soci::into(through), soci::use(world.program_id), soci::use(book);
        return through;
    }
    long long roll_up() {
        const auto added = world.services.reward_days.roll_up();
        EXPECT_TRUE(added.has_value()) << added.error().message;
        return added.value_or(-1);
    }

    TestWorld world;
    long long second_store = 0;
    service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    service::EnrolledMember ali = world.enrol("Ali Rezaei", "09121111111", "ali@example.ir");
};

TEST_F(RewardDays, TheReportFromTheRollUpSaysWhatTheLedgerSaysAroundALocalMidnight) {
    // Both members buy on both sides of Tehran's midnight, at both stores; one purchase earns twice
    // under its rule, and a return takes points and cashback back after midnight.
    const long long first = buy("1", sara, kTehranMidnight - 20min);
    buy("2", ali, kTehranMidnight - 10min, true);
    earn_again(first, sara.id, 4);
    buy("3", sara, kTehranMidnight + 5min, true);
    buy("4", ali, kTehranMidnight + 10min);
    give_back("R1", "1", kTehranMidnight + 15min);
    expect_the_ledgers_figures("before any roll-up");

    // Half rolled up: what is older than twice the allowance. Another session is writing an earning
    // of no purchase dated now and has not committed; purchases after it commit at once with higher
    // ids.
    world.clock.set(kTehranMidnight + 21min);
    EXPECT_GT(roll_up(), 0);
    const long long half = rolled_through("points");
    EXPECT_GT(half, 0);
    soci::session writer(soci::mysql, store::soci_connection_string(world.db.url()).value());
    writer << "START TRANSACTION";
    const std::string now = core::format_utc(world.clock.now(), core::TimeFormat::kSql);
    writer << "INSERT INTO ledger_transfers (program_id, kind, rule_id, rule_version, created_at)"
              " VALUES (:p, 'earn', 'base', 1, :at)",
        soci::use(world.program_id), soci::use(now);
    long long open_id = 0;
    writer << "SELECT LAST_INSERT_ID()", soci::into(open_id);
    writer << "INSERT INTO ledger_entries (transfer_id, account, member_id, amount) VALUES (:t, 'program_issued',"
              " NULL, -7), (:t2, 'member_available', :m, 7)",
        soci::use(open_id), soci::use(open_id), soci::use(sara.id);
    buy("5", sara, kTehranMidnight + 22min, true);  // Sara again, at a store the roll-up has her at.
    buy("6", ali, kTehranMidnight + 23min);
    world.clock.set(kTehranMidnight + 30min);
    EXPECT_GT(roll_up(), 0) << "the return";
    EXPECT_LT(rolled_through("points"), open_id) << "the open transaction is younger than twice the allowance";
    EXPECT_GT(rolled_through("points"), half);
    writer << "COMMIT";
    expect_the_ledgers_figures("rolled up in part, the rest read from the ledger");

    world.clock.set(kTehranMidnight + 2h);
    EXPECT_GT(roll_up(), 0);
    EXPECT_GE(rolled_through("points"), open_id);
    EXPECT_GT(rolled_through("cashback"), 0);
    expect_the_ledgers_figures("all rolled up");
    EXPECT_EQ(roll_up(), 0);
}

TEST_F(RewardDays, AChangeOfTheProgrammesTimeZoneRebuildsThem) {
    buy("1", sara, kTehranMidnight - 20min);
    buy("2", ali, kTehranMidnight + 10min, true);
    world.clock.set(kTehranMidnight + 1h);
    EXPECT_GT(roll_up(), 0);
    world.db.raw() << "UPDATE programs SET time_zone = 'UTC', settings_version = settings_version + 1 WHERE id = :p",
        soci::use(world.program_id);
    const core::LocalDate day = 2026y / 11 / 18;  // Both purchases, in UTC.
    const json in_utc = report(day, day, true, store::LedgerReading::kRolledUp);
    EXPECT_EQ(in_utc, report(day, day, true, store::LedgerReading::kLedgerOnly)) << "read from the ledger meanwhile";
    EXPECT_GT(roll_up(), 0) << "the sums start over in UTC";
    std::string zone;
    world.db.raw() << "SELECT time_zone FROM reward_day_marks WHERE book = 'points'", soci::into(zone);
    EXPECT_EQ(zone, "UTC");
    EXPECT_EQ(report(day, day, true, store::LedgerReading::kRolledUp), in_utc);
}

}  // namespace
}  // namespace patron::testing
