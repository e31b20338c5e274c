// What every report settles before it reads (issue 17): the query's dates against today in the
// programme's time zone, and the store it names looked up in the programme, so that every report
// defaults and refuses alike.
#pragma once

#include <memory>
#include <optional>

#include "loyalty/core/error.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace soci {
class session;
}

namespace patron::service {

// Who may read reports: they show the programme's money and its customers' mood, not members.
inline constexpr core::StaffRoles kReportReaders{core::StaffRole::kAdmin, core::StaffRole::kMarketer,
                                                 core::StaffRole::kAnalyst};

struct ReportScope {
    core::ReportQuery query;
    std::shared_ptr<const core::TimeZone> zone;
    std::optional<long long> store_id;  // The named store's.
};

// VALIDATION_FAILED naming from or to (core::settle_report_dates), or store when the programme
// has no store of that code.
core::Result<ReportScope> settle_report_scope(soci::session& sql, long long program_id,
                                              const core::ReportRequest& request, core::Timestamp now);

}  // namespace patron::service
