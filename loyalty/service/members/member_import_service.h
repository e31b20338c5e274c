// Enrols a customer list's members one at a time (patronctl import members): each through
// MemberService::enrol, audited under the import's name, or, for a dry run, through
// check_enrolment, which writes nothing. A row whose phone or email a member already has is that
// member already enrolled when every contact the row gives is that member's and the names agree
// (core::comparable_name), so a list imported again, or after a run that stopped half-way, enrols
// nobody twice; otherwise it is refused. (An erased member's contacts are forgotten with her: a
// list imported again after an erasure enrols her again.)
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
    core::Error error = {};  // Why it was refused.
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
    // A dry run's phones and emails (normalised, "phone:+98..."), each with the row that would
    // have enrolled it and that row's name.
    struct Seen {
        long long row = 0;
        std::string full_name;
    };
    std::map<std::string, Seen> seen_;
    long long rows_enrolled_ = 0;
};

}  // namespace patron::service
