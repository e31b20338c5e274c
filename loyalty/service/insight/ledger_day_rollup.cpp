#include "loyalty/service/insight/ledger_day_rollup.h"

#include <algorithm>

#include "loyalty/core/ledger_days.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/insight/ledger_day_store.h"
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

// One transaction: the next ids up to `target` added, the mark moved past them.
Batch roll_up_batch(soci::session& sql, long long program_id, HistoryBook book, long long target, core::Timestamp now) {
    const auto zone = program_time_zone(sql, program_id);
    store::ensure_ledger_day_mark(sql, program_id, book, zone->name(), now);
    store::LedgerDayMark mark = *store::find_ledger_day_mark(sql, program_id, book, true);
    if (mark.time_zone != zone->name()) {
        store::clear_ledger_days(sql, program_id, book);
        mark = {zone->name(), 0};
    }
    if (mark.through_transfer_id >= target) {
        store::save_ledger_day_mark(sql, program_id, book, mark, now);
        return {0, true};
    }
    const long long through = std::min(target, mark.through_transfer_id + kIdsPerBatch);
    const auto movements = store::transfer_movements(sql, program_id, book, mark.through_transfer_id, through);
    core::LedgerDays days;
    core::add_movements(days, book, movements, *zone);
    store::add_ledger_days(sql, program_id, days);
    mark.through_transfer_id = through;
    store::save_ledger_day_mark(sql, program_id, book, mark, now);
    return {static_cast<long long>(movements.size()), through >= target};
}

}  // namespace

LedgerDayRollup::LedgerDayRollup(store::Database& database, const Clock& clock) : database_(database), clock_(clock) {}

core::Result<long long> LedgerDayRollup::roll_up() {
    const auto programs = database_.run_for<std::vector<long long>>(
        [](soci::session& sql) -> core::Result<std::vector<long long>> { return store::program_ids(sql); });
    if (!programs) return std::unexpected(programs.error());
    long long added = 0;
    for (const long long program_id : *programs) {
        const auto program_added = roll_up_program(program_id);
        if (!program_added) return program_added;
        added += *program_added;
    }
    return added;
}

core::Result<long long> LedgerDayRollup::roll_up_program(long long program_id) {
    long long added = 0;
    for (const HistoryBook book : {HistoryBook::kPoints, HistoryBook::kCashback}) {
        const core::Timestamp now = clock_.now();
        // Found once, without the lock: scanning the tail of the ledger in every batch would cost more.
        const auto target = database_.run_for<long long>([&](soci::session& sql) -> core::Result<long long> {
            const auto mark = store::find_ledger_day_mark(sql, program_id, book, false);
            return store::last_transfer_before(sql, program_id, book, mark ? mark->through_transfer_id : 0,
                                               now - 2 * kLateCommitAllowance);
        });
        if (!target) return std::unexpected(target.error());
        for (Batch batch; !batch.done;) {
            const auto done = database_.transact_for<Batch>([&](soci::session& sql) -> core::Result<Batch> {
                return roll_up_batch(sql, program_id, book, *target, now);
            });
            if (!done) return std::unexpected(done.error());
            batch = *done;
            added += batch.added;
        }
    }
    return added;
}

}  // namespace patron::service
