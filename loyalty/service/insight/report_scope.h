// What every report settles before it reads (issue 17), inside its snapshot: the query's dates
// against today in the programme's time zone, the programme's currency and stores, and the store
// the query names looked up in the programme, so that every report defaults and refuses alike.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "loyalty/core/error.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/service/access/access_service.h"

namespace soci {
class session;
}

namespace patron::service {

// Who may read reports: they show the programme's money and its customers' mood, not members.
inline constexpr core::StaffRoles kReportReaders{core::StaffRole::kAdmin, core::StaffRole::kMarketer,
                                                 core::StaffRole::kAnalyst};

// FORBIDDEN for a caller outside kReportReaders: the one refusal of every report.
core::Result<void> check_report_reader(const StaffIdentity& staff);

struct ReportScope {
    core::ReportQuery query;
    std::shared_ptr<const core::TimeZone> zone;
    std::string currency;
    std::map<std::int64_t, std::string> store_codes;  // Every store of the programme, by id.
    std::optional<long long> store_id;                // The named store's.

    // The first instant of `from` and the end of `to` in the programme's zone.
    core::Timestamp starts() const;
    core::Timestamp ends() const;
};

// NOT_FOUND for a programme that does not exist; VALIDATION_FAILED naming from or to
// (core::settle_report_dates), or store when the programme has no store of that code.
core::Result<ReportScope> settle_report_scope(soci::session& sql, long long program_id,
                                              const core::ReportRequest& request, core::Timestamp now);

}  // namespace patron::service
