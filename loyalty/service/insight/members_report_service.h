// The Members report as a use case (core/members_report.h says what it shows): the query settled
// as every report settles it (report_scope.h), each period's local days turned into instants of the
// programme's zone, and every count read in one snapshot.
#pragma once

#include "loyalty/core/error.h"
#include "loyalty/core/members_report.h"
#include "loyalty/core/report_query.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

class MembersReportService {
  public:
    MembersReportService(store::Database& database, const Clock& clock);

    // FORBIDDEN for roles outside kReportReaders; VALIDATION_FAILED naming from, to or store.
    core::Result<core::MembersReport> report(const StaffIdentity& staff, const core::ReportRequest& request);
    // The same without a caller (patronctl).
    core::Result<core::MembersReport> report_of_program(long long program_id, const core::ReportRequest& request);

  private:
    store::Database& database_;
    const Clock& clock_;
};

}  // namespace patron::service
