// Keeps the ledgers' daily totals (store/insight/ledger_day_store.h), or what each rule gave per
// day, store and member (store/insight/reward_day_store.h), up to date: patrond runs both every
// minute, `patronctl report` the one its report reads before it answers. Each adds transfers in
// id order up to the newest one older than twice kLateCommitAllowance, then moves its mark past
// them, in batches of one transaction each; only it locks its mark, so purchases never wait for it
// and never touch it.
//
// Why ids and twice the allowance: a transfer's id is drawn when it is written, at most one
// allowance after its instant (`created_at`, the start of its use case), and any transaction
// still open after another allowance is taken to be gone. So once a transfer older than two
// allowances is visible, every transfer with a lower id has committed or rolled back, and the
// mark may pass them all. That holds because every use case dates its transfers by its own clock
// when it starts (a till's own time is kept apart, in the purchase). A change of the programme's
// time zone starts the totals over in the new zone.
#pragma once

#include <chrono>

#include "loyalty/core/error.h"
#include "loyalty/service/insight/insight_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/insight/ledger_day_store.h"

namespace patron::service {

// The longest a use case may take from its instant to its commit, clock differences between
// servers included.
inline constexpr std::chrono::minutes kLateCommitAllowance{5};

class LedgerDayRollup {
  public:
    LedgerDayRollup(store::Database& database, const Clock& clock, store::DaySums sums = store::DaySums::kLedgerDays);

    // Brings every programme's sums up to date; the number of transfers (for the rules' sums:
    // members' shares of transfers) added. Under kShared it rests after each batch as long as the
    // batch took: a first catch-up after an upgrade reads the whole ledger, and patrond must leave
    // the tills their share of the database meanwhile.
    core::Result<long long> roll_up(RefreshPace pace = RefreshPace::kFull);
    core::Result<long long> roll_up_program(long long program_id, RefreshPace pace = RefreshPace::kFull);

  private:
    store::Database& database_;
    const Clock& clock_;
    const store::DaySums sums_;
};

}  // namespace patron::service
