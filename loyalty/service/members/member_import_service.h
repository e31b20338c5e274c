// Enrols a customer list's members one at a time (patronctl import members): each through
// MemberService::enrol, audited under the import's name, or, for a dry run, through
// check_enrolment, which writes nothing. A row whose phone or email a member already has is that
// member already enrolled when the names agree (so a list imported again, or after a run that
// stopped half-way, enrols nobody twice), and refused when they do not.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "loyalty/core/error.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/members/member_service.h"

namespace patron::service {

enum class ImportOutcome {
    kEnrolled,         // Enrolled now (a dry run: would be).
    kAlreadyEnrolled,  // A member with this phone or email and this name is there (or an earlier row of a dry run).
    kRefused,
};

struct ImportedRow {
    ImportOutcome outcome = ImportOutcome::kRefused;
    long long member_id = 0;  // Enrolled or found; 0 for a refusal, and for a member a dry run would enrol.
    core::Error error = {};   // Why it was refused.
};

class MemberImportService {
  public:
    // `staff` is who the audit log names for each enrolment (patronctl's import, as an admin);
    // local phone numbers are of the programme's `country_calling_code`.
    MemberImportService(MemberService& members, StaffIdentity staff, std::string country_calling_code, bool dry_run);

    ImportedRow import(const core::MemberApplication& application);

  private:
    ImportedRow already_there(const core::MemberApplication& application, const core::Error& refusal);
    // A dry run writes nothing, so an earlier row's phone or email is looked for here too.
    std::optional<ImportedRow> earlier_row(const core::MemberApplication& application);

    MemberService& members_;
    StaffIdentity staff_;
    std::string country_calling_code_;
    bool dry_run_;
    // A dry run's phones and emails (normalised), each with the name that came with it.
    std::map<std::string, std::string> seen_;
};

}  // namespace patron::service
