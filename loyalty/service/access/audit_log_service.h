// The audit log as staff read it (issue 18): admins and support search what was done in the
// programme by actor, member, action and the programme's local dates, newest first, a page at a
// time; read-only. What the log holds is described by store/access/audit_store.h, how it is
// sealed by store/access/audit_chain.h: this service also seals the entries from before the chains
// (patrond, at its start) and verifies the chains (patronctl verify).
#pragma once

#include <optional>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/audit_query.h"
#include "loyalty/core/error.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/store/access/audit_chain.h"
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
    AuditLogService(store::Database& database, const crypto::KeyRing& keys);

    // FORBIDDEN outside kAuditReaders. An actor that is the email of one of the programme's staff
    // users finds that user's entries; any other actor is compared with the entries' actor.
    core::Result<AuditPage> search(const StaffIdentity& staff, const core::AuditQuery& query);

    // Seals the entries written before the chains existed (migration 0042), a batch per
    // transaction; answers how many. Once they all are, one cheap read.
    core::Result<long long> seal_legacy_entries();

    // Walks every programme's chain, in one consistent read of the log.
    core::Result<store::AuditChainReport> verify_chains();

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
};

}  // namespace patron::service
