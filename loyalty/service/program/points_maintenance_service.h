// The points ledger's housekeeping: held points become spendable when their hold ends, lots
// expire at their time (one ledger transfer per member, hundreds of members a transaction, on a few
// connections, idempotently), and
// verify() recomputes every balance from the entries and the lots, and outstanding() sums what
// members hold by the entries alone.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/work_progress.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"

namespace patron::service {

// Members the expiry and release job moves in one transaction: few enough that a till waiting on
// one of their accounts waits some milliseconds (a batch takes about 25), many enough that each
// statement carries a batch (bench/scale_bench: 250 gave 17,000 lots a second, 500 gave 19,000;
// on 300,000 due lots 1,000 moved 8-15% more than 500 in three alternated pairs, on 1,000,000 no
// gain showed beyond the machine's noise).
inline constexpr int kMembersPerTransaction = 500;

// The checks verify() makes (the ledger, coupons, cashback, stamps, referrals, draws).
inline constexpr int kVerifyChecks = 6;

struct MaintenanceReport {
    long long members = 0;  // Members whose lots moved.
    long long points = 0;   // Points released or expired.
    long long announced = 0;  // points_expiring events raised (members told of lots expiring soon).
    bool more = false;        // announce_expiring: it took as many lots as it could; call again.
};

class PointsMaintenanceService {
  public:
    // `members_per_transaction`: a transaction's batch (tests make it small to see many batches).
    PointsMaintenanceService(store::Database& database, const Clock& clock,
                             int members_per_transaction = kMembersPerTransaction);

    // One round of at most `members_max` members, moved in transactions of a few hundred members
    // on up to three connections (never more than the pool has); call again while it reports
    // members.
    core::Result<MaintenanceReport> release_due(int members_max);
    core::Result<MaintenanceReport> expire_due(int members_max);
    // Raises points_expiring for at most `lots_max` lots within their programme's notice (with every
    // other lot of their members due an announcement), once each (lots of a member expiring at one
    // instant in one event); report.announced counts the events, report.more asks for another call.
    core::Result<MaintenanceReport> announce_expiring(int lots_max);
    // Releases and expires everything due now, and announces the lots about to expire. `progress`
    // (when given) counts the members moved, of the members due when the run started. Beside
    // another run it may stop once a round finds that the other moved every member it read; the
    // other goes on.
    core::Result<MaintenanceReport> run_all_due(WorkProgress* progress = nullptr);

    // Releases the members' lots whose hold has ended by `now` in the caller's transaction, which
    // holds (or may take) their account locks: what a fraud review that lets held points go runs.
    static MaintenanceReport release_due_now(soci::session& sql, std::span<const store::MemberDue> members,
                                             core::Timestamp now);

    // Every disagreement between ledger, balances and lots; empty when the books are right.
    // `progress` (when given) counts its kVerifyChecks checks as each ends.
    core::Result<std::vector<std::string>> verify(WorkProgress* progress = nullptr);
    // Each programme's points outstanding, summed from the ledger's entries alone.
    core::Result<std::vector<store::ProgramOutstanding>> outstanding();

  private:
    enum class Step { kRelease, kExpire };
    // At most `members_max` members with lots due, read at once, then moved a batch a transaction
    // on up to three connections; `progress` counts the members moved as each batch commits.
    core::Result<MaintenanceReport> run_due(Step step, int members_max, core::Timestamp now, WorkProgress* progress);
    // Moves one batch's due lots in the caller's transaction: a few statements for the batch.
    static MaintenanceReport move_due(soci::session& sql, Step step, std::span<const store::MemberDue> batch,
                                      core::Timestamp now);

    core::Result<MaintenanceReport> announce(int lots_max, core::Timestamp now);

    store::Database& database_;
    const Clock& clock_;
    int members_per_transaction_;
};

}  // namespace patron::service
