// The ledgers' daily totals (migration 0027, core/ledger_days.h) and the mark of how far they go:
// every transfer up to `through_transfer_id` of a book is summed in, none after it. Reports add
// the transfers after the mark from the ledger itself, so they are never stale; the roll-up that
// moves the mark is the only writer (service/insight/ledger_day_rollup.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/ledger_days.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// The roll-ups of the ledgers per local day, each with a mark of its own: the daily totals here
// (ledger_day_marks) and what each rule gave (reward_day_marks, store/insight/reward_day_store.h).
enum class DaySums { kLedgerDays, kRewardDays };

struct LedgerDayMark {
    std::string time_zone;  // The zone the days are local to; another zone means starting over.
    long long through_transfer_id = 0;
};

// The mark of a book, if it has one; `for_update` locks it (only roll-ups take this lock).
std::optional<LedgerDayMark> find_ledger_day_mark(soci::session& sql, long long program_id, core::HistoryBook book,
                                                  bool for_update, DaySums sums = DaySums::kLedgerDays);
// Creates the book's mark (through transfer 0) if it has none, so that a roll-up can lock it.
void ensure_ledger_day_mark(soci::session& sql, long long program_id, core::HistoryBook book,
                            const std::string& time_zone, core::Timestamp now, DaySums sums = DaySums::kLedgerDays);
void save_ledger_day_mark(soci::session& sql, long long program_id, core::HistoryBook book, const LedgerDayMark& mark,
                          core::Timestamp now, DaySums sums = DaySums::kLedgerDays);

// The highest transfer id of the programme's book above `after_id` whose instant is before
// `cutoff`; `after_id` when there is none.
long long last_transfer_before(soci::session& sql, long long program_id, core::HistoryBook book, long long after_id,
                               core::Timestamp cutoff);

// The programme's transfers with ids in (after_id, through_id], their member entries summed and
// their store found, in id order.
std::vector<core::TransferMovement> transfer_movements(soci::session& sql, long long program_id, core::HistoryBook book,
                                                       long long after_id, long long through_id);

// Adds `days` into the stored totals (one multi-row statement per few thousand rows).
void add_ledger_days(soci::session& sql, long long program_id, const core::LedgerDays& days);
void clear_ledger_days(soci::session& sql, long long program_id, core::HistoryBook book);

// The stored totals of the days first..last (inclusive).
core::LedgerDays ledger_days_between(soci::session& sql, long long program_id, core::LocalDate first,
                                     core::LocalDate last);
// The stored totals of every day before `day`, summed per book, store and kind (dated the day before).
core::LedgerDays ledger_days_before(soci::session& sql, long long program_id, core::LocalDate day);

}  // namespace patron::store
