// The Members report counted the slow way, straight from the purchases, as it was counted before
// members' accounts kept their first and last purchases: per period and per buyer, whether any
// purchase not voided is older than the period (a look-up per buyer), and per member, their last
// purchase before the end (a look-up per member). The full recount the report is checked against,
// and the benchmark's "before".
#pragma once

#include "loyalty/core/members_report.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::testing {

// The report of `request` as MembersReportService answers it at `now`; the scope's refusals throw.
core::MembersReport recount_members_report(soci::session& sql, long long program_id, const core::ReportRequest& request,
                                           core::Timestamp now);

}  // namespace patron::testing
