// The Rewards report as a use case (core/rewards_report.h says what it shows): the query every
// report shares settled in the programme's time zone, its days made a window of instants, and
// what each rule, campaign, card and cashback rule gave read in one snapshot, named from the
// published rules and the campaigns. Read-only; patronctl runs it as patrond does. The ledgers are
// read from what the roll-up summed (service/insight/reward_day_rollup.h) and the transfers after
// it, unless the service is made to read them from the ledger alone (the recount of the tests).
#pragma once

#include "loyalty/core/error.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/rewards_report.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/insight/reward_store.h"

namespace patron::service {

class RewardsReportService {
  public:
    RewardsReportService(store::Database& database, const Clock& clock,
                         store::LedgerReading reading = store::LedgerReading::kRolledUp);

    // FORBIDDEN for roles outside kReportReaders; VALIDATION_FAILED naming from, to or store.
    core::Result<core::RewardsReport> report(const StaffIdentity& staff, const core::ReportRequest& request);
    // The same without a caller (patronctl).
    core::Result<core::RewardsReport> report_of_program(long long program_id, const core::ReportRequest& request);

  private:
    store::Database& database_;
    const Clock& clock_;
    const store::LedgerReading reading_;
};

}  // namespace patron::service
