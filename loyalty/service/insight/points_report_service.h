// The Points & cashback report as a use case (core/points_report.h says what it shows): the
// query's dates settled against today in the programme's time zone, the named store looked up,
// and the ledgers' daily totals read with the transfers after their mark, all in one snapshot so
// that the figures agree with each other and with the balances at that instant.
#pragma once

#include "loyalty/core/error.h"
#include "loyalty/core/points_report.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/insight/ledger_day_rollup.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

class PointsReportService {
  public:
    PointsReportService(store::Database& database, const Clock& clock);

    // FORBIDDEN for roles outside kReportReaders; VALIDATION_FAILED naming from, to or store.
    core::Result<core::PointsReport> report(const StaffIdentity& staff, const core::ReportRequest& request);
    // The same without a caller.
    core::Result<core::PointsReport> report_of_program(long long program_id, const core::ReportRequest& request);
    // The same after bringing the programme's daily totals up to date (patronctl: patrond, which
    // rolls them up every minute, may not be running). The figures are the same either way; the
    // report reads fewer of the ledger's transfers.
    core::Result<core::PointsReport> report_after_roll_up(long long program_id, const core::ReportRequest& request);

  private:
    store::Database& database_;
    const Clock& clock_;
    LedgerDayRollup roll_up_;
};

}  // namespace patron::service
