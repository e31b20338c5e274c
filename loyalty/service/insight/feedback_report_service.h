// The feedback report as a use case (core/feedback_report.h says what it shows): the query every
// report shares settled in the programme's time zone, the answers' per store and day tallies read,
// and rolled up into the query's periods, of every member or of one segment's (the memberships the
// last insight refresh materialised). No comments, so no keys: patronctl runs it as patrond does.
#pragma once

#include "loyalty/core/error.h"
#include "loyalty/core/feedback_report.h"
#include "loyalty/core/report_query.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

class FeedbackReportService {
  public:
    FeedbackReportService(store::Database& database, const Clock& clock);

    // FORBIDDEN for roles outside kReportReaders; VALIDATION_FAILED naming from, to or store, or
    // segment when the programme has no rule-based segment and there is no RFM segment of its code.
    core::Result<core::FeedbackReport> report(const StaffIdentity& staff, const core::ReportRequest& request,
                                              const core::FeedbackSegments& segments = {});
    // The same without a caller (patronctl).
    core::Result<core::FeedbackReport> report_of_program(long long program_id, const core::ReportRequest& request,
                                                         const core::FeedbackSegments& segments = {});

  private:
    store::Database& database_;
    const Clock& clock_;
};

}  // namespace patron::service
