// The daily totals reports read (issue 17) against the ledger itself: the roll-up never passes a
// transfer still being written (an open transaction with a lower id than a committed one), the
// report reads what the roll-up has not reached from the ledger, and a change of the programme's
// time zone rebuilds the totals; the report is the same whatever the roll-up has done.
#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include "crypto/digest.h"
#include "loyalty/core/points_report_document.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron::testing {
namespace {

using namespace std::chrono;

class LedgerDays : public ::testing::Test {
  protected:
    void buy(const std::string& receipt, long long amount) {
        const auto outcome =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, member.card_number),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    }
    nlohmann::json report() {
        core::ReportRequest request;
        request.by = core::PeriodSize::kDay;
        const auto built = world.services.reports.report_of_program(world.program_id, request);
        EXPECT_TRUE(built.has_value()) << built.error().message;
        return built ? core::points_report_json(*built) : nlohmann::json();
    }
    long long rolled_through() {
        long long through = 0;
        world.db.raw() << "SELECT CAST(through_transfer_id AS SIGNED) FROM ledger_day_marks"
                          " WHERE program_id = :p AND book = 'points'",
            soci::into(through), soci::use(world.program_id);
        return through;
    }
    long long roll_up() {
        const auto added = world.services.ledger_days.roll_up();
        EXPECT_TRUE(added.has_value());
        return added.value_or(-1);
    }

    TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(LedgerDays, TheRollUpNeverPassesATransferStillBeingWrittenAndTheReportNeverMissesOne) {
    const core::Timestamp start = world.clock.now();
    buy("1", 900000);  // 90 points.
    world.clock.set(start + hours(1));
    // Another session is writing a transfer dated now and has not committed; a purchase after it
    // commits at once with a higher id.
    soci::session writer(soci::mysql, store::soci_connection_string(world.db.url()).value());
    writer << "START TRANSACTION";
    const std::string now = core::format_utc(world.clock.now(), core::TimeFormat::kSql);
    writer << "INSERT INTO ledger_transfers (program_id, kind, created_at) VALUES (:p, 'adjust', :at)",
        soci::use(world.program_id), soci::use(now);
    long long open_id = 0;
    writer << "SELECT LAST_INSERT_ID()", soci::into(open_id);
    writer << "INSERT INTO ledger_entries (transfer_id, account, member_id, amount) VALUES (:t, 'program_adjusted',"
              " NULL, -7), (:t2, 'member_available', :m, 7)",
        soci::use(open_id), soci::use(open_id), soci::use(member.id);
    buy("2", 500000);  // 50 points, a higher transfer id than the open one.

    EXPECT_EQ(roll_up(), 1) << "the first purchase is older than twice the allowance";
    EXPECT_LT(rolled_through(), open_id);
    writer << "COMMIT";
    const nlohmann::json before = report();
    EXPECT_EQ(before["total"]["points"]["issued"], 140);
    EXPECT_EQ(before["total"]["points"]["adjusted_plus"], 7);
    EXPECT_EQ(before["total"]["points"]["outstanding"], 147);

    world.clock.set(start + hours(2));
    EXPECT_EQ(roll_up(), 2);
    EXPECT_GE(rolled_through(), open_id);
    EXPECT_EQ(report(), before) << "the daily totals say what the ledger says";
    EXPECT_EQ(roll_up(), 0);
}

TEST_F(LedgerDays, AChangeOfTheProgrammesTimeZoneRebuildsThem) {
    const core::Timestamp start = world.clock.now();
    buy("1", 900000);
    world.clock.set(start + hours(1));
    EXPECT_EQ(roll_up(), 1);
    const nlohmann::json in_utc = report();
    world.db.raw()
        << "UPDATE programs SET time_zone = 'Asia/Tehran', settings_version = settings_version + 1 WHERE id = :p",
        soci::use(world.program_id);
    const nlohmann::json in_tehran = report();
    EXPECT_EQ(in_tehran["time_zone"], "Asia/Tehran");
    EXPECT_EQ(in_tehran["total"]["points"], in_utc["total"]["points"]) << "read from the ledger meanwhile";
    EXPECT_EQ(roll_up(), 1) << "the totals start over in Tehran";
    std::string zone;
    world.db.raw() << "SELECT time_zone FROM ledger_day_marks WHERE book = 'points'", soci::into(zone);
    EXPECT_EQ(zone, "Asia/Tehran");
    EXPECT_EQ(report(), in_tehran);
}

}  // namespace
}  // namespace patron::testing
