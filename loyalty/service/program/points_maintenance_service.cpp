#include "loyalty/service/program/points_maintenance_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "loyalty/core/ledger.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/ledger/cashback_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/ledger/stamp_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/members/referral_store.h"
#include "loyalty/store/program/coupon_store.h"
#include "loyalty/store/program/draw_store.h"

namespace patron::service {
namespace {

// Members read per round of run_all_due, then moved on up to kConnections connections (measured by
// bench/scale_bench on two cores: 1,000,000 lots of one member each expired at about 17,000 a second
// with 2 connections, 19,000 with 3, on 2026-12-01; at 10,000-13,800 on 2026-12-06, each member's
// expiry also an event and a write of its account's mark; MariaDB's CPU is the bound).
constexpr int kRoundMembers = 4000;
constexpr int kConnections = 3;
// Lots announced as expiring soon per transaction (with every other lot of their members).
constexpr int kAnnounceLots = 2000;

long long sum_points(const std::vector<core::LotTake>& lots) {
    long long total = 0;
    for (const core::LotTake& lot : lots) total += lot.points;
    return total;
}

}  // namespace

PointsMaintenanceService::PointsMaintenanceService(store::Database& database, const Clock& clock,
                                                   int members_per_transaction)
    : database_(database), clock_(clock), members_per_transaction_(std::max(1, members_per_transaction)) {}

core::Result<MaintenanceReport> PointsMaintenanceService::release_due(int members_max) {
    return run_due(Step::kRelease, members_max, clock_.now(), nullptr);
}

core::Result<MaintenanceReport> PointsMaintenanceService::expire_due(int members_max) {
    return run_due(Step::kExpire, members_max, clock_.now(), nullptr);
}

core::Result<MaintenanceReport> PointsMaintenanceService::announce_expiring(int lots_max) {
    return announce(lots_max, clock_.now());
}

core::Result<MaintenanceReport> PointsMaintenanceService::announce(int lots_max, core::Timestamp now) {
    return database_.transact_for<MaintenanceReport>([&](soci::session& sql) -> core::Result<MaintenanceReport> {
        MaintenanceReport report;
        std::vector<long long> members;
        std::chrono::seconds longest{0};
        int found = 0;
        for (const std::chrono::seconds notice : store::expiry_notices(sql)) {
            if (found >= lots_max) break;
            longest = std::max(longest, notice);
            for (const store::ExpiringLot& lot : store::lots_to_announce(sql, now, notice, lots_max - found)) {
                members.push_back(lot.member_id);
                ++found;
            }
        }
        // A round that found fewer lots than it could take leaves none due: the caller stops (lots
        // that come within their notice meanwhile wait for the next run).
        report.more = found >= lots_max;
        std::ranges::sort(members);
        members.erase(std::ranges::unique(members).begin(), members.end());
        if (members.empty()) return report;
        // Under the members' account locks, which every writer of their lots takes first (two
        // instances announcing at once: the second finds them announced); then each one's lots.
        store::find_accounts_for_update(sql, members);
        const std::vector<store::ExpiringLot> lots = store::lots_to_announce(sql, now, longest, members);
        std::vector<long long> announced;
        std::vector<core::Event> events;
        std::map<long long, std::shared_ptr<const core::TimeZone>> zones;
        for (std::size_t at = 0; at < lots.size();) {
            const store::ExpiringLot& first = lots[at];
            core::PointsExpiring expiring{first.program_id, first.member_id, 0, first.expires_at, {}, 0};
            for (; at < lots.size() && lots[at].member_id == first.member_id && lots[at].expires_at == first.expires_at;
                 ++at) {
                announced.push_back(lots[at].lot_id);
                expiring.points += lots[at].remaining;
                ++expiring.lots;
            }
            if (expiring.points <= 0) continue;  // Spent already: nothing to tell.
            auto& zone = zones[first.program_id];
            if (!zone) zone = program_time_zone(sql, first.program_id);
            expiring.last_day = core::last_local_date(*zone, first.expires_at);
            events.push_back(core::points_expiring_event(expiring, now));
        }
        store::mark_expiry_announced(sql, announced);
        store::add_events(sql, events);
        report.members = static_cast<long long>(members.size());
        report.announced = static_cast<long long>(events.size());
        return report;
    });
}

core::Result<MaintenanceReport> PointsMaintenanceService::run_all_due(WorkProgress* progress) {
    // What is due by the run's start, so that lots falling due meanwhile (at a busy hour there
    // always are some) cannot keep the run going: the next run takes them.
    const core::Timestamp now = clock_.now();
    if (progress != nullptr) {
        const auto due = database_.run_for<long long>([&](soci::session& sql) -> core::Result<long long> {
            return store::count_members_with_lots_due(sql, store::LotEvent::kRelease, now) +
                   store::count_members_with_lots_due(sql, store::LotEvent::kExpiry, now);
        });
        if (!due) return std::unexpected(due.error());
        add_total(progress, *due);
    }
    MaintenanceReport total;
    for (Step step : {Step::kRelease, Step::kExpire}) {
        for (;;) {
            auto round = run_due(step, kRoundMembers, now, progress);
            if (!round) return round;
            total.members += round->members;
            total.points += round->points;
            if (round->members == 0) break;
        }
    }
    for (bool more = true; more;) {
        auto round = announce(kAnnounceLots, now);
        if (!round) return round;
        total.announced += round->announced;
        more = round->more;
    }
    return total;
}

core::Result<MaintenanceReport> PointsMaintenanceService::run_due(Step step, int members_max, core::Timestamp now,
                                                                  WorkProgress* progress) {
    const store::LotEvent event = step == Step::kRelease ? store::LotEvent::kRelease : store::LotEvent::kExpiry;
    // The round's members in one read, without locks: each batch locks its members' accounts and
    // reads their due lots again under them, so a member another run moved meanwhile moves nothing.
    // (Each connection picked its own share, by member id, in each batch, reading the other shares'
    // due lots and each lot's row to find its own: on 300,000 due lots, 669 picks examined 2.2
    // million rows in 7% of the job's statement time; one pick a round, 73 picks, 1.4 million, 1%.)
    const auto picked = database_.run_for<std::vector<store::MemberDue>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::MemberDue>> {
            return store::members_with_lots_due(sql, event, now, members_max);
        });
    if (!picked) return std::unexpected(picked.error());
    const std::span<const store::MemberDue> members(*picked);
    // Then a few connections, each taking the next batch (a run of members in member order, the
    // order every batch locks them in) until none is left.
    const auto batch_size = static_cast<std::size_t>(members_per_transaction_);
    const std::size_t batches = (members.size() + batch_size - 1) / batch_size;
    const int workers =
        static_cast<int>(std::clamp<std::size_t>(std::min(batches, database_.pool_size()), 1, kConnections));
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    MaintenanceReport report;
    std::optional<core::Error> failed;
    const auto work = [&] {
        for (std::size_t at = next++; at < batches; at = next++) {
            const auto batch = members.subspan(at * batch_size, std::min(batch_size, members.size() - at * batch_size));
            auto moved = database_.transact_for<MaintenanceReport>(
                [&](soci::session& sql) -> core::Result<MaintenanceReport> { return move_due(sql, step, batch, now); });
            const std::scoped_lock lock(mutex);
            if (!moved) {
                if (!failed) failed = moved.error();
                return;
            }
            report.members += moved->members;
            report.points += moved->points;
            add_done(progress, moved->members);
            if (failed) return;
        }
    };
    {
        std::vector<std::jthread> helpers;
        for (int helper = 1; helper < workers; ++helper) helpers.emplace_back(work);
        work();
    }
    if (failed) return std::unexpected(*failed);
    return report;
}

MaintenanceReport PointsMaintenanceService::release_due_now(soci::session& sql,
                                                            std::span<const store::MemberDue> members,
                                                            core::Timestamp now) {
    return move_due(sql, Step::kRelease, members, now);
}

MaintenanceReport PointsMaintenanceService::move_due(soci::session& sql, Step step,
                                                     std::span<const store::MemberDue> batch, core::Timestamp now) {
    const store::LotEvent event = step == Step::kRelease ? store::LotEvent::kRelease : store::LotEvent::kExpiry;
    std::vector<long long> ids;
    ids.reserve(batch.size());
    for (const store::MemberDue& member : batch) ids.push_back(member.member_id);
    // Under the members' account locks like every other write, taken in member order so that two
    // runs never wait on each other in a circle; then their due lots, which those locks guard.
    const std::vector<store::AccountRecord> accounts = store::find_accounts_for_update(sql, ids);
    const std::vector<store::DueLot> lots = store::due_lots(sql, ids, event, now);
    // One transfer per member whose lots are still due (another run may have got here first).
    struct Moving {
        long long member_id = 0;
        long long program_id = 0;
        long long balance_before = 0;
        long long points = 0;
        std::vector<core::LotTake> lots;
    };
    std::vector<Moving> moving;
    std::vector<core::LotTake> empty;
    std::size_t at = 0;
    for (const store::MemberDue& member : batch) {
        Moving move{member.member_id, member.program_id, 0, 0, {}};
        while (at < lots.size() && lots[at].member_id < member.member_id) ++at;
        for (; at < lots.size() && lots[at].member_id == member.member_id; ++at) move.lots.push_back(lots[at].lot);
        move.points = sum_points(move.lots);
        const auto account = std::ranges::find(accounts, member.member_id, &store::AccountRecord::member_id);
        if (account == accounts.end()) continue;
        if (move.points == 0) {
            // Due lots with nothing left in them only close, or they would be due forever.
            empty.insert(empty.end(), move.lots.begin(), move.lots.end());
            continue;
        }
        move.balance_before = account->points_available;
        moving.push_back(std::move(move));
    }
    store::close_empty_lots(sql, empty);
    MaintenanceReport report;
    if (moving.empty()) return report;
    // The transfers go in by programme, since a transfer row names its programme.
    std::map<long long, std::vector<std::size_t>> by_program;
    for (std::size_t i = 0; i < moving.size(); ++i) by_program[moving[i].program_id].push_back(i);
    std::vector<long long> transfer_ids(moving.size());
    for (const auto& [program_id, members] : by_program) {
        std::vector<core::LedgerTransfer> transfers;
        transfers.reserve(members.size());
        for (const std::size_t i : members) {
            transfers.push_back(step == Step::kRelease ? core::release_transfer(moving[i].member_id, moving[i].points)
                                                       : core::expire_transfer(moving[i].member_id, moving[i].points));
        }
        const auto ids_given = store::insert_transfers(sql, program_id, std::nullopt, transfers, now);
        for (std::size_t k = 0; k < members.size(); ++k) transfer_ids[members[k]] = ids_given[k];
    }
    std::vector<store::PointsDelta> deltas;
    deltas.reserve(moving.size());
    if (step == Step::kRelease) {
        std::vector<core::LotTake> released;
        for (const Moving& move : moving) released.insert(released.end(), move.lots.begin(), move.lots.end());
        store::mark_released(sql, released);
        for (std::size_t i = 0; i < moving.size(); ++i) {
            // Rare: a member whose balance went below zero repays it from the points released.
            repay_negative_balance(sql, moving[i].member_id, transfer_ids[i], moving[i].balance_before,
                                   moving[i].points);
            deltas.push_back(store::PointsDelta{moving[i].member_id, moving[i].points, -moving[i].points});
        }
    } else {
        std::vector<store::LotUse> uses;
        std::vector<core::Event> events;
        for (std::size_t i = 0; i < moving.size(); ++i) {
            const Moving& move = moving[i];
            for (const core::LotTake& lot : move.lots) uses.push_back(store::LotUse{transfer_ids[i], lot});
            deltas.push_back(store::PointsDelta{move.member_id, -move.points, 0});
            events.push_back(core::points_expired_event(move.program_id, move.member_id, transfer_ids[i], move.points,
                                                        move.balance_before - move.points, now));
        }
        store::empty_lots(sql, uses);  // Each due lot expires whole.
        store::add_events(sql, events);
    }
    store::adjust_points(sql, deltas, now);
    for (const Moving& move : moving) {
        ++report.members;
        report.points += move.points;
    }
    return report;
}

core::Result<std::vector<std::string>> PointsMaintenanceService::verify(WorkProgress* progress) {
    return database_.run_for<std::vector<std::string>>(
        [&](soci::session& sql) -> core::Result<std::vector<std::string>> {
            using Check = std::vector<std::string> (*)(soci::session&);
            constexpr std::array<Check, kVerifyChecks> checks = {
                store::ledger_discrepancies, store::coupon_discrepancies,   store::cashback_discrepancies,
                store::stamp_discrepancies,  store::referral_discrepancies, store::draw_discrepancies};
            std::vector<std::string> found;
            // From none again when the database layer runs the work again after a lost connection.
            if (progress != nullptr) progress->done = 0;
            for (const Check check : checks) {
                for (std::string& line : check(sql)) found.push_back(std::move(line));
                add_done(progress, 1);
            }
            return found;
        });
}

core::Result<std::vector<store::ProgramOutstanding>> PointsMaintenanceService::outstanding() {
    return database_.run_for<std::vector<store::ProgramOutstanding>>(
        [](soci::session& sql) -> core::Result<std::vector<store::ProgramOutstanding>> {
            return store::ledger_outstanding(sql);
        });
}

}  // namespace patron::service
