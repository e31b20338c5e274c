#include "loyalty/service/insight/ledger_day_rollup.h"

#include <algorithm>
#include <thread>

#include "loyalty/core/ledger_days.h"
#include "loyalty/core/reward_days.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/insight/reward_day_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::HistoryBook;

// Transfer ids one transaction adds at most (a few seconds of work at a large catch-up).
constexpr long long kIdsPerBatch = 50000;

struct Batch {
    long long added = 0;
    bool done = false;
};

// Adds the book's transfers (after_id, through_id] to the daily totals; how many it read.
long long add_to_ledger_days(soci::session& sql, long long program_id, HistoryBook book, long long after_id,
                             long long through_id, const core::TimeZone& zone) {
    const auto movements = store::transfer_movements(sql, program_id, book, after_id, through_id);
    core::LedgerDays days;
    core::add_movements(days, book, movements, zone);
    store::add_ledger_days(sql, program_id, days);
    return static_cast<long long>(movements.size());
}

// Adds them to what each rule gave per day, store and member; how many members' entries it read.
long long add_to_reward_days(soci::session& sql, long long program_id, HistoryBook book, long long after_id,
                             long long through_id, const core::TimeZone& zone) {
    const auto movements = store::reward_movements(sql, program_id, book, after_id, through_id);
    core::RewardDays days;
    core::add_reward_movements(days, movements, zone);
    store::add_reward_days(sql, program_id, book, days);
    return static_cast<long long>(movements.size());
}

// How each kind of sums adds a batch and starts over.
struct SumsWriter {
    long long (*add)(soci::session&, long long, HistoryBook, long long, long long, const core::TimeZone&);
    void (*clear)(soci::session&, long long, HistoryBook);
};

SumsWriter writer_of(store::DaySums sums) {
    if (sums == store::DaySums::kRewardDays) return {add_to_reward_days, store::clear_reward_days};
    return {add_to_ledger_days, store::clear_ledger_days};
}

// One transaction: the next ids up to `target` added, the mark moved past them.
Batch roll_up_batch(soci::session& sql, store::DaySums sums, long long program_id, HistoryBook book, long long target,
                    core::Timestamp now) {
    const SumsWriter writer = writer_of(sums);
    const auto zone = program_time_zone(sql, program_id);
    store::ensure_ledger_day_mark(sql, program_id, book, zone->name(), now, sums);
    store::LedgerDayMark mark = *store::find_ledger_day_mark(sql, program_id, book, true, sums);
    if (mark.time_zone != zone->name()) {
        writer.clear(sql, program_id, book);
        mark = {zone->name(), 0};
    }
    if (mark.through_transfer_id >= target) {
        store::save_ledger_day_mark(sql, program_id, book, mark, now, sums);
        return {0, true};
    }
    const long long through = std::min(target, mark.through_transfer_id + kIdsPerBatch);
    const long long added = writer.add(sql, program_id, book, mark.through_transfer_id, through, *zone);
    mark.through_transfer_id = through;
    store::save_ledger_day_mark(sql, program_id, book, mark, now, sums);
    return {added, through >= target};
}

}  // namespace

LedgerDayRollup::LedgerDayRollup(store::Database& database, const Clock& clock, store::DaySums sums)
    : database_(database), clock_(clock), sums_(sums) {}

core::Result<long long> LedgerDayRollup::roll_up(RefreshPace pace) {
    const auto programs = database_.run_for<std::vector<long long>>(
        [](soci::session& sql) -> core::Result<std::vector<long long>> { return store::program_ids(sql); });
    if (!programs) return std::unexpected(programs.error());
    long long added = 0;
    for (const long long program_id : *programs) {
        const auto program_added = roll_up_program(program_id, pace);
        if (!program_added) return program_added;
        added += *program_added;
    }
    return added;
}

core::Result<long long> LedgerDayRollup::roll_up_program(long long program_id, RefreshPace pace) {
    long long added = 0;
    for (const HistoryBook book : {HistoryBook::kPoints, HistoryBook::kCashback}) {
        const core::Timestamp now = clock_.now();
        // Found once, without the lock: scanning the tail of the ledger in every batch would cost more.
        const auto target = database_.run_for<long long>([&](soci::session& sql) -> core::Result<long long> {
            const auto mark = store::find_ledger_day_mark(sql, program_id, book, false, sums_);
            return store::last_transfer_before(sql, program_id, book, mark ? mark->through_transfer_id : 0,
                                               now - 2 * kLateCommitAllowance);
        });
        if (!target) return std::unexpected(target.error());
        for (Batch batch; !batch.done;) {
            const auto started = std::chrono::steady_clock::now();
            const auto done = database_.transact_for<Batch>([&](soci::session& sql) -> core::Result<Batch> {
                return roll_up_batch(sql, sums_, program_id, book, *target, now);
            });
            if (!done) return std::unexpected(done.error());
            batch = *done;
            added += batch.added;
            if (pace == RefreshPace::kShared && !batch.done) {
                std::this_thread::sleep_for(std::chrono::steady_clock::now() - started);
            }
        }
    }
    return added;
}

}  // namespace patron::service
