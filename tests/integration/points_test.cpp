#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdio>
#include <latch>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "crypto/digest.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/posting/pos_operations.h"
#include "loyalty/service/program/points_maintenance_service.h"
#include "loyalty/service/runtime/work_progress.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/ledger/point_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using std::chrono::days;

class Points : public ::testing::Test {
  protected:
    core::Result<service::CommitOutcome> buy(const std::string& receipt, long long amount, long long redeem = 0) {
        core::Purchase purchase = world.purchase(receipt, amount, member.card_number);
        purchase.redeem_points = redeem;
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)),
                                      pos::encode_purchase_answer);
    }
    service::Balance balance() { return world.members.balance(world.program_id, member.id).value(); }
    std::vector<std::string> discrepancies() { return world.maintenance.verify().value(); }
    void set_hold(std::chrono::seconds hold) {
        core::PointsPolicy policy = testing::TestWorld::policy();
        policy.hold = hold;
        ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    }

    // `count` members granted 10, 11, ... points, the i-th of programme `program_of_index(i)`; by id.
    struct Granted {
        long long program_id = 0;
        long long points = 0;
    };
    template <typename ProgramOf>
    std::map<long long, Granted> members_with_points(int count, ProgramOf program_of_index) {
        std::map<long long, Granted> granted_to;
        for (int i = 0; i < count; ++i) {
            const long long program = program_of_index(i);
            char phone[16];
            std::snprintf(phone, sizeof phone, "0912%07d", 1000 + i);
            const auto enrolled = world.members.enrol_unattended(
                program,
                {"Member " + std::to_string(i), phone, "m" + std::to_string(i) + "@example.ir", "1990-04-12", "fa"});
            if (!enrolled) {
                ADD_FAILURE() << enrolled.error().message;
                return granted_to;
            }
            const long long points = 10 + i;
            const auto granted =
                world.adjustments.adjust(service::StaffIdentity{program, "support", core::StaffRole::kSupport},
                                         enrolled->id, {points, "welcome"});
            EXPECT_TRUE(granted.has_value());
            granted_to[enrolled->id] = Granted{program, points};
        }
        return granted_to;
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(Points, EachEarningIsALotAndTheBooksBalance) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    ASSERT_TRUE(buy("2", 500000).has_value());
    EXPECT_EQ(balance().points_available, 140);
    EXPECT_EQ(world.db.count("point_lots"), 2);
    EXPECT_TRUE(discrepancies().empty());
}

// A member with many lots spends from the first to expire: a redemption reads and locks a page of
// them, not every lot she ever earned; one that needs more pages reads on, in the same order.
TEST_F(Points, ARedemptionReadsTheLotsItSpendsFromNotAllOfThem) {
    for (int i = 0; i < 40; ++i) {
        ASSERT_TRUE(buy("E" + std::to_string(i), 100000).has_value());  // 10 points a lot.
        if (i % 8 == 7) world.clock.set(world.clock.now() + days(3));   // Five expiry days, 8 lots each.
    }
    soci::session& sql = world.db.raw();
    sql << "ANALYZE TABLE point_lots";
    const auto read_for = [&](long long points) {
        sql << "FLUSH STATUS";
        sql << "BEGIN";
        const auto lots = store::available_lots_for_update(sql, member.id, points);
        long long read = 0;
        soci::rowset<soci::row> rows = (sql.prepare << "SHOW SESSION STATUS LIKE 'Handler_read%'");
        for (const soci::row& row : rows) read += std::stoll(row.get<std::string>(1));
        sql << "ROLLBACK";
        return std::pair{lots, read};
    };
    const auto [few, few_read] = read_for(25);
    EXPECT_EQ(few.size(), 16u) << "one page";
    EXPECT_LT(few_read, 30) << "rows read for 25 points among " << world.db.count("point_lots") << " lots";
    const auto [most, most_read] = read_for(395);  // Takes from every lot but the last.
    ASSERT_EQ(most.size(), 40u) << "a page and the next";
    for (std::size_t i = 1; i < most.size(); ++i) {
        const bool ordered = most[i - 1].expires_at < most[i].expires_at ||
                             (most[i - 1].expires_at == most[i].expires_at && most[i - 1].lot_id < most[i].lot_id);
        EXPECT_TRUE(ordered) << "lot " << i << " out of order";
    }
    const auto paid = buy("P", 500000, 395);
    ASSERT_TRUE(paid.has_value()) << paid.error().message;
    long long open = 0;
    sql << "SELECT COUNT(*) FROM point_lots WHERE member_id = :member AND state = 'available' AND remaining > 0",
        soci::into(open), soci::use(member.id);
    EXPECT_EQ(open, 2) << "the last lot's 5 points, and the lot the payment earned";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, RedemptionSpendsTheLotsThatExpireFirst) {
    ASSERT_TRUE(buy("1", 900000).has_value());  // 90 points, expiring first.
    world.clock.set(world.clock.now() + days(30));
    ASSERT_TRUE(buy("2", 500000).has_value());  // 50 points.
    const auto paid = buy("3", 200000, 100);
    ASSERT_TRUE(paid.has_value()) << paid.error().message;
    const auto answer = nlohmann::json::parse(paid->body);
    EXPECT_EQ(answer["points"]["redeemed"], 100);
    EXPECT_EQ(answer["points"]["redeemed_value"], 100000);
    EXPECT_EQ(answer["points"]["earned"], 10) << "only the 100,000 IRR not paid with points earn";
    EXPECT_EQ(answer["points"]["available"], 50);
    long long first_lot = -1, second_lot = -1;
    world.db.raw() << "SELECT remaining FROM point_lots ORDER BY id LIMIT 1", soci::into(first_lot);
    world.db.raw() << "SELECT remaining FROM point_lots ORDER BY id LIMIT 1 OFFSET 1", soci::into(second_lot);
    EXPECT_EQ(first_lot, 0);
    EXPECT_EQ(second_lot, 40);
    EXPECT_EQ(balance().points_available, 50);
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, ARefusedRedemptionWritesNothing) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    const auto refused = buy("2", 900000, 91);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kPointsInsufficient);
    EXPECT_EQ(world.db.count("purchases"), 1);
    EXPECT_EQ(balance().points_available, 90);
}

TEST_F(Points, HundredConcurrentRedemptionsNeverOverspend) {
    ASSERT_TRUE(buy("earn", 1000000).has_value());  // 100 points: exactly 10 redemptions of 10.
    constexpr int kRacers = 100;
    std::latch start(kRacers);
    std::atomic<int> succeeded{0};
    std::atomic<int> insufficient{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
        racers.emplace_back([&, i] {
            start.arrive_and_wait();
            // The pool's 8 connections serve 100 racers that queue on one account: on a slow machine
            // some are turned away as busy, and try again as a till would.
            auto outcome = buy("spend-" + std::to_string(i), 10000, 10);
            for (int again = 0; again < 100 && !outcome && outcome.error().code == core::ErrorCode::kOverloaded;
                 ++again) {
                outcome = buy("spend-" + std::to_string(i), 10000, 10);
            }
            if (outcome)
                ++succeeded;
            else if (outcome.error().code == core::ErrorCode::kPointsInsufficient)
                ++insufficient;
        });
    }
    for (std::thread& racer : racers) racer.join();
    EXPECT_EQ(succeeded.load(), 10);
    EXPECT_EQ(insufficient.load(), 90);
    EXPECT_EQ(balance().points_available, 0);
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, HeldPointsBecomeSpendableWhenTheHoldEnds) {
    set_hold(std::chrono::hours(24 * 14));
    ASSERT_TRUE(buy("1", 900000).has_value());
    EXPECT_EQ(balance().points_pending, 90);
    EXPECT_EQ(balance().points_available, 0);
    EXPECT_EQ(buy("2", 100000, 10).error().code, core::ErrorCode::kPointsInsufficient);
    EXPECT_TRUE(discrepancies().empty());

    world.clock.set(world.clock.now() + days(13));
    EXPECT_EQ(world.maintenance.run_all_due().value().points, 0);
    world.clock.set(world.clock.now() + days(2));
    const auto released = world.maintenance.run_all_due();
    ASSERT_TRUE(released.has_value());
    EXPECT_EQ(released->points, 90);
    EXPECT_EQ(balance().points_pending, 0);
    EXPECT_EQ(balance().points_available, 90);
    EXPECT_EQ(world.maintenance.run_all_due().value().points, 0) << "idempotent";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, APolicyChangeTakesEffectOnTheNextPurchase) {
    ASSERT_TRUE(buy("1", 900000).has_value());  // The rule set is now parsed and cached.
    set_hold(std::chrono::hours(24));
    ASSERT_TRUE(buy("2", 500000).has_value());
    EXPECT_EQ(balance().points_available, 90);
    EXPECT_EQ(balance().points_pending, 50) << "the new hold applies at once, cache or not";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, LotsExpireAtTheirTimeOnceAndInTheLedger) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    world.clock.set(world.clock.now() + days(200));
    ASSERT_TRUE(buy("2", 500000).has_value());
    ASSERT_TRUE(buy("3", 100000, 20).has_value());   // Spends 20 of the first lot: 70 left in it.
    world.clock.set(world.clock.now() + days(170));  // The first lot (12 months) is due, the second not.
    const auto expired = world.maintenance.run_all_due();
    ASSERT_TRUE(expired.has_value());
    EXPECT_EQ(expired->points, 70);
    EXPECT_EQ(balance().points_available, 50 + 8);
    long long expired_in_ledger = 0;
    world.db.raw() << "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = 'program_expired'",
        soci::into(expired_in_ledger);
    EXPECT_EQ(expired_in_ledger, 70);
    EXPECT_EQ(world.maintenance.run_all_due().value().points, 0) << "a second run expires nothing";
    EXPECT_TRUE(discrepancies().empty());
}

// Members hear of points about to expire (points_expiring) within the programme's notice, once for
// each lot, and of points that expired (points_expired), each in the job's own transaction.
TEST_F(Points, LotsAreAnnouncedOnceWithinTheNoticeAndTheirExpiryIsAnEvent) {
    const auto events_of = [&](const std::string& type) {
        std::vector<nlohmann::json> found;
        for (const store::OutboxEvent& event : store::events_after(world.db.raw(), world.program_id, 0, 1000)) {
            if (event.type != type) continue;
            EXPECT_EQ(event.member_id, member.id);
            found.push_back(nlohmann::json::parse(event.data));
        }
        return found;
    };
    const auto set_notice = [&](int days_ahead) {
        core::PointsPolicy policy = testing::TestWorld::policy();
        policy.expiry_notice = days(days_ahead);
        ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    };
    ASSERT_TRUE(buy("1", 900000).has_value());   // 90 points, earned 18 November 2026 (UTC).
    ASSERT_TRUE(buy("1b", 100000).has_value());  // 10 more the same day: the same instant of expiry.
    world.clock.set(world.clock.now() + days(200));
    ASSERT_TRUE(buy("2", 500000).has_value());       // 50 points, expiring in June 2028.
    ASSERT_TRUE(buy("3", 100000, 20).has_value());   // Spends 20 of the first lot: 70 left in it.
    world.clock.set(world.clock.now() + days(160));  // The first lot expires in 5 days.
    set_notice(0);
    EXPECT_EQ(world.maintenance.run_all_due().value().announced, 0) << "a notice of 0 days tells nobody";
    set_notice(3);
    EXPECT_EQ(world.maintenance.run_all_due().value().announced, 0) << "5 days away: not within 3";
    set_notice(7);
    EXPECT_EQ(world.maintenance.run_all_due().value().announced, 1);
    EXPECT_EQ(world.maintenance.run_all_due().value().announced, 0) << "once for each lot";
    const auto expiring = events_of("points_expiring");
    ASSERT_EQ(expiring.size(), 1u);
    EXPECT_EQ(expiring[0]["points"], 70 + 10) << "what is left in the lots, not what they earned";
    EXPECT_EQ(expiring[0]["lots"], 2) << "lots expiring at one instant, told together";
    EXPECT_EQ(expiring[0]["last_day"], "2027-11-18");
    EXPECT_EQ(expiring[0]["expires_at"].get<std::string>().substr(0, 19), "2027-11-19T00:00:00");
    EXPECT_TRUE(events_of("points_expired").empty());

    world.clock.set(world.clock.now() + days(6));
    const auto expired = world.maintenance.run_all_due();
    ASSERT_TRUE(expired.has_value());
    EXPECT_EQ(expired->points, 80);
    const auto gone = events_of("points_expired");
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0]["points"], 80);
    EXPECT_EQ(gone[0]["points_available"], balance().points_available);
    EXPECT_GT(gone[0]["transfer_id"].get<long long>(), 0);
    EXPECT_EQ(world.maintenance.run_all_due().value().points, 0);
    EXPECT_EQ(events_of("points_expired").size(), 1u) << "a second run expires nothing and says nothing";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, TheExpiryJobMovesManyMembersOfTwoProgrammesInBatchesOneTransferEach) {
    const long long other = world.admin.create_program({0, "OTHER", "Other Club", "IRR", "98", "fa", "7002"}).value();
    ASSERT_TRUE(world.admin.set_points_policy(other, testing::TestWorld::policy()).has_value());
    // Members of two programmes, read at once and moved in batches of 40 (seven; of 500 in patrond,
    // as bench/scale_bench measures it) on up to three connections.
    constexpr int kMembers = 270;
    constexpr int kBatch = 40;
    const auto granted = members_with_points(kMembers, [&](int i) { return i % 9 == 4 ? other : world.program_id; });
    ASSERT_EQ(granted.size(), static_cast<std::size_t>(kMembers));
    long long total = 0;
    for (const auto& [id, grant] : granted) total += grant.points;

    world.clock.set(world.clock.now() + days(370));
    ASSERT_GE(world.db.database().pool_size(), 3u) << "three connections";
    service::PointsMaintenanceService maintenance(world.db.database(), world.clock, kBatch);
    service::WorkProgress progress;
    const auto expired = maintenance.run_all_due(&progress);
    ASSERT_TRUE(expired.has_value()) << expired.error().message;
    EXPECT_EQ(expired->members, kMembers);
    EXPECT_EQ(expired->points, total);
    EXPECT_EQ(progress.total.load(), kMembers) << "the members due when it began";
    EXPECT_EQ(progress.done.load(), kMembers) << "each member moved counted once";
    soci::rowset<soci::row> transfers =
        world.db.raw().prepare << "SELECT CAST(e.member_id AS SIGNED), CAST(t.program_id AS SIGNED),"
                                  " CAST(-e.amount AS SIGNED), CAST(COUNT(*) OVER (PARTITION BY e.member_id) AS SIGNED)"
                                  " FROM ledger_transfers t JOIN ledger_entries e ON e.transfer_id = t.id"
                                  " AND e.account = 'member_available' WHERE t.kind = 'expire'";
    int seen = 0;
    for (const soci::row& row : transfers) {
        const long long member_id = row.get<long long>(0);
        ++seen;
        EXPECT_EQ(row.get<long long>(1), granted.at(member_id).program_id) << "member " << member_id;
        EXPECT_EQ(row.get<long long>(2), granted.at(member_id).points) << "member " << member_id;
        EXPECT_EQ(row.get<long long>(3), 1) << "one expiry transfer for member " << member_id;
    }
    EXPECT_EQ(seen, kMembers);
    long long uses = -1, foreign = -1;
    world.db.raw() << "SELECT COUNT(*), CAST(COALESCE(SUM(e.member_id <> l.member_id), 0) AS SIGNED)"
                      " FROM point_lot_uses u JOIN point_lots l ON l.id = u.lot_id"
                      " JOIN ledger_transfers t ON t.id = u.transfer_id AND t.kind = 'expire'"
                      " JOIN ledger_entries e ON e.transfer_id = t.id AND e.account = 'member_available'",
        soci::into(uses), soci::into(foreign);
    EXPECT_EQ(uses, kMembers) << "one lot each";
    EXPECT_EQ(foreign, 0) << "each lot's take recorded under its own member's transfer";
    long long available = -1;
    world.db.raw() << "SELECT CAST(SUM(points_available) AS SIGNED) FROM member_accounts", soci::into(available);
    EXPECT_EQ(available, 0);
    EXPECT_EQ(maintenance.run_all_due().value().members, 0) << "a second run finds nothing due";
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, TwoExpiryRunsAtOnceMoveEachMemberOnce) {
    // As when `patronctl expire` runs beside patrond's minute job: both read the same members due,
    // and a batch moves only what is still due once it holds its members' locks.
    const auto granted = members_with_points(90, [&](int) { return world.program_id; });
    ASSERT_EQ(granted.size(), 90u);
    long long total = 0;
    for (const auto& [id, grant] : granted) total += grant.points;
    world.clock.set(world.clock.now() + days(370));
    service::PointsMaintenanceService first(world.db.database(), world.clock, 10);
    service::PointsMaintenanceService second(world.db.database(), world.clock, 10);
    std::optional<core::Result<service::MaintenanceReport>> other;
    core::Result<service::MaintenanceReport> mine = service::MaintenanceReport{};
    {
        std::jthread racer([&] { other = second.run_all_due(); });
        mine = first.run_all_due();
    }
    ASSERT_TRUE(mine.has_value()) << mine.error().message;
    ASSERT_TRUE(other.has_value() && other->has_value());
    EXPECT_EQ(mine->members + (*other)->members, 90) << "each member once, by one run or the other";
    EXPECT_EQ(mine->points + (*other)->points, total);
    EXPECT_EQ(world.db.count("ledger_transfers WHERE kind = 'expire'"), 90);
    EXPECT_EQ(world.db.count("outbox_events WHERE event_type = 'points_expired'"), 90);
    EXPECT_EQ(world.db.count("point_lots WHERE state = 'available'"), 0);
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, ADueLotWithNothingLeftClosesWithoutATransfer) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    world.db.raw() << "UPDATE point_lots SET remaining = 0";  // As if its points all went another way.
    world.clock.set(world.clock.now() + days(370));
    const auto expired = world.maintenance.run_all_due();
    ASSERT_TRUE(expired.has_value());
    EXPECT_EQ(expired->members, 0);
    std::string state;
    world.db.raw() << "SELECT state FROM point_lots", soci::into(state);
    EXPECT_EQ(state, "closed") << "or it would be due at every run";
    EXPECT_EQ(world.db.count("ledger_transfers WHERE kind = 'expire'"), 0);
}

TEST_F(Points, APurchaseKeepsTheSettingsInMemoryWhileTheirVersionStands) {
    ASSERT_TRUE(buy("1", 900000).has_value());  // The settings of version N are in memory now.
    // A change that does not raise the version (no writer of Patron's does this) goes unseen...
    world.db.raw() << "UPDATE programs SET points_hold_s = 86400 WHERE id = :id", soci::use(world.program_id);
    ASSERT_TRUE(buy("2", 100000).has_value());
    EXPECT_EQ(balance().points_pending, 0);
    // ...and one that raises it applies to the next purchase, whichever server made it.
    world.db.raw() << "UPDATE programs SET settings_version = settings_version + 1 WHERE id = :id",
        soci::use(world.program_id);
    ASSERT_TRUE(buy("3", 100000).has_value());
    EXPECT_EQ(balance().points_pending, 10);
}

TEST_F(Points, ATillLocksTheMembersAccountFirstAndNeverTheProgrammesRow) {
    service::RuleSetCache cache;
    // A published draw: its latest close comes with the card read, without locking the draw (every
    // sale would wait on every other otherwise).
    world.db.raw() << "INSERT INTO draws (program_id, terms, state, opens_at, closes_at, created_at, updated_at)"
                      " VALUES ("
                   << world.program_id
                   << ", '{}', 'published', '2026-01-01 00:00:00', '2031-06-30 12:00:00.250000',"
                      " '2026-01-01 00:00:00', '2026-01-01 00:00:00')";
    const auto locked = world.db.database().transact_for<std::vector<std::string>>(
        [&](soci::session& sql) -> core::Result<std::vector<std::string>> {
            const auto holder =
                service::lock_holder(sql, world.program_id, member.card_number, true, world.clock.now(), &cache);
            EXPECT_TRUE(holder.has_value());
            EXPECT_TRUE(holder->policies.has_value());
            EXPECT_TRUE(holder->policies->rule_set_version.has_value());
            EXPECT_TRUE(holder->draws_read);
            EXPECT_EQ(holder->last_draw_close, store::from_sql_time("2031-06-30 12:00:00.250000"));
            // Another connection meanwhile: which of the rows the till read are locked?
            soci::session& other = world.db.raw();
            std::vector<std::string> held;
            for (const auto& [table, where] : std::vector<std::pair<std::string, std::string>>{
                     {"programs", "id = " + std::to_string(world.program_id)},
                     {"cards", "number = '" + member.card_number + "'"},
                     {"members", "id = " + std::to_string(member.id)},
                     {"member_accounts", "member_id = " + std::to_string(member.id)},
                     {"draws", "program_id = " + std::to_string(world.program_id)}}) {
                other << "START TRANSACTION";
                try {
                    other << "SELECT 1 FROM " + table + " WHERE " + where + " FOR UPDATE NOWAIT";
                } catch (const soci::soci_error&) {
                    held.push_back(table);
                }
                other << "ROLLBACK";
            }
            return held;
        });
    ASSERT_TRUE(locked.has_value());
    // Card and member rows are changed under the account's lock elsewhere (a card issued, a merge):
    // a till that locked them before the account would wait on those the other way round.
    EXPECT_EQ(*locked, std::vector<std::string>{"member_accounts"});
}

// A sale's earnings are written with the purchase, each row naming the one before it
// (LAST_INSERT_ID()): every lot and transfer must still name this purchase and each other.
TEST_F(Points, EarningsUnderTwoRulesWrittenWithThePurchaseNameItAndEachOther) {
    ASSERT_TRUE(
        world.admin
            .publish_rules(world.program_id,
                           core::RuleDocument::parse(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000},
                                                  {"id": "extra", "points": 2, "per_amount": 10000}]})")
                               .value(),
                           world.clock.now() - days(1))
            .has_value());
    ASSERT_TRUE(buy("0", 100000).has_value());  // Another purchase's rows before this one's.
    ASSERT_TRUE(buy("1", 900000).has_value());
    long long purchase_id = 0;
    world.db.raw() << "SELECT id FROM purchases WHERE receipt = '1'", soci::into(purchase_id);
    soci::rowset<soci::row> rows =
        (world.db.raw().prepare << "SELECT l.rule_id, l.earned, CAST(l.purchase_id AS SIGNED), t.rule_id,"
                                   " CAST(t.purchase_id AS SIGNED), t.kind, (SELECT COUNT(*) FROM ledger_entries e"
                                   " WHERE e.transfer_id = t.id) FROM point_lots l JOIN ledger_transfers t"
                                   " ON t.id = l.transfer_id WHERE l.purchase_id = :purchase ORDER BY l.id",
         soci::use(purchase_id));
    std::vector<std::string> lots;
    for (const soci::row& row : rows) {
        EXPECT_EQ(row.get<long long>(2), purchase_id);
        EXPECT_EQ(row.get<long long>(4), purchase_id) << "the transfer's purchase";
        EXPECT_EQ(row.get<std::string>(3), row.get<std::string>(0)) << "the lot's own transfer";
        EXPECT_EQ(row.get<std::string>(5), "earn");
        EXPECT_EQ(row.get<long long>(6), 2) << "a balanced transfer of two entries";
        lots.push_back(row.get<std::string>(0) + " " + std::to_string(row.get<long long>(1)));
    }
    EXPECT_EQ(lots, (std::vector<std::string>{"base 90", "extra 180"}));
    EXPECT_EQ(world.db.count("ledger_transfers WHERE purchase_id = " + std::to_string(purchase_id)), 2);
    EXPECT_EQ(balance().points_available, 30 + 270);
    EXPECT_TRUE(discrepancies().empty());
}

TEST_F(Points, VerifyFindsBalancesThatDisagreeWithTheLedger) {
    ASSERT_TRUE(buy("1", 900000).has_value());
    ASSERT_TRUE(discrepancies().empty());
    world.db.raw() << "UPDATE member_accounts SET points_available = points_available + 5";
    const auto found = discrepancies();
    ASSERT_EQ(found.size(), 2U);
    EXPECT_NE(found[0].find("ledger vs balance"), std::string::npos) << found[0];
    EXPECT_NE(found[1].find("lots vs balance"), std::string::npos) << found[1];
}

}  // namespace
}  // namespace patron

namespace patron {
namespace {

class Adjustments : public ::testing::Test {
  protected:
    core::Result<service::AdjustedPoints> adjust(long long points, std::string reason,
                                                 core::StaffRole role = core::StaffRole::kSupport) {
        return world.adjustments.adjust(service::StaffIdentity{world.program_id, "Maryam at support", role}, member.id,
                                        {points, std::move(reason)});
    }

    testing::TestWorld world;
    service::EnrolledMember member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
};

TEST_F(Adjustments, AddAndRemovePointsWithAReasonAndAnAuditTrail) {
    const auto added = adjust(120, "Coffee machine was broken");
    ASSERT_TRUE(added.has_value()) << added.error().message;
    EXPECT_EQ(added->balance.points_available, 120);
    const auto removed = adjust(-20, "Duplicate goodwill credit");
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->balance.points_available, 100);
    EXPECT_EQ(world.members.balance(world.program_id, member.id)->points_available, 100);
    EXPECT_TRUE(world.maintenance.verify()->empty());

    std::string note;
    world.db.raw() << "SELECT note FROM ledger_transfers WHERE id = :id", soci::use(removed->transfer_id),
        soci::into(note);
    EXPECT_EQ(note, "Duplicate goodwill credit");
    long long audits = 0;
    std::string actor, fields;
    world.db.raw() << "SELECT COUNT(*), MAX(actor), MAX(fields) FROM audit_log WHERE action = 'points.adjust'"
                      " AND entity = 'member' AND entity_id = :id",
        soci::use(member.id), soci::into(audits), soci::into(actor), soci::into(fields);
    EXPECT_EQ(audits, 2);
    EXPECT_EQ(actor, "Maryam at support");
    EXPECT_EQ(fields, "points_available");
}

TEST_F(Adjustments, AreRefusedWithoutReasonRoleOrPoints) {
    ASSERT_TRUE(adjust(50, "welcome").has_value());
    EXPECT_EQ(adjust(-51, "too much").error().code, core::ErrorCode::kPointsInsufficient);
    EXPECT_EQ(adjust(10, "  ").error().field, "reason");
    EXPECT_EQ(adjust(0, "nothing").error().field, "points");
    EXPECT_EQ(adjust(10, "why not", core::StaffRole::kAnalyst).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(world.db.count("audit_log"), 1);
    EXPECT_EQ(world.members.balance(world.program_id, member.id)->points_available, 50);
}

}  // namespace
}  // namespace patron
