// The effectiveness report of a rule or coupon campaign with a hold-out, as a use case
// (core/effectiveness.h says what it shows): the campaign found in the published rules or the
// campaigns, the range settled (the asked dates, or by default the campaign's window cut to today
// and to 366 days, in the programme's time zone), both groups and the targeted members' reward
// cost read. patronctl runs it as patrond does.
#pragma once

#include <string>

#include "loyalty/core/effectiveness.h"
#include "loyalty/core/error.h"
#include "loyalty/core/report_query.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

class EffectivenessReportService {
  public:
    EffectivenessReportService(store::Database& database, const Clock& clock);

    // FORBIDDEN for roles outside kReportReaders; NOT_FOUND when the programme has no such rule or
    // campaign (published, or with members recorded); VALIDATION_FAILED naming from, to, or by,
    // store or by_store (this report is one figure per group, for the whole programme).
    core::Result<core::EffectivenessReport> report(const StaffIdentity& staff, core::CampaignKind kind,
                                                   const std::string& id, const core::ReportRequest& request);
    // The same without a caller (patronctl).
    core::Result<core::EffectivenessReport> report_of_program(long long program_id, core::CampaignKind kind,
                                                              const std::string& id,
                                                              const core::ReportRequest& request);

  private:
    store::Database& database_;
    const Clock& clock_;
};

}  // namespace patron::service
