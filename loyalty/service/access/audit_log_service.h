// The audit log as staff read it (issue 18): admins and support search what was done in the
// programme by actor, member, action and the programme's local dates, newest first, a page at a
// time; read-only. What the log holds is described by store/access/audit_store.h.
#pragma once

#include <optional>
#include <vector>

#include "loyalty/core/audit_query.h"
#include "loyalty/core/error.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

// Who may read the audit log: admins and support, the whole of the programme's log (support reads a
// member's entries on the member's page).
inline constexpr core::StaffRoles kAuditReaders{core::StaffRole::kAdmin, core::StaffRole::kSupport};

struct AuditPage {
    std::vector<store::AuditRecord> entries;
    std::optional<core::AuditPosition> next;  // Where the next page starts; none after the last.
};

class AuditLogService {
  public:
    explicit AuditLogService(store::Database& database);

    // FORBIDDEN outside kAuditReaders. An actor that is the email of one of the programme's staff
    // users finds that user's entries; any other actor is compared with the entries' actor.
    core::Result<AuditPage> search(const StaffIdentity& staff, const core::AuditQuery& query);

  private:
    store::Database& database_;
};

}  // namespace patron::service
