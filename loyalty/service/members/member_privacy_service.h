// A member's rights over their data. Export (right of access): everything Patron holds about
// the member, in named sections. Erase (right to be forgotten): the member's data key and
// every sealed field are destroyed at once (crypto-shredding; backups of the sealed values can
// no longer be opened), the blind indexes removed, the cards closed; the ledger keeps its rows
// under the pseudonymous member id, so the books still balance. Erasing twice changes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/member_status.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/insight/feedback_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/members/member_records_store.h"

namespace patron::service {

// Everything Patron holds about one member: the member (the profile opened, absent once erased),
// the consents, their answers to the post-purchase survey with the comments opened (their own
// words), and the rest as stored rows, a section per table that names the member
// (store::MemberRecords: cards, account, both ledgers, stamps, coupons, purchases with their
// lines, quote holds, tier history, sign-in records, scores and segments, the audit entries).
struct MemberExport {
    long long member_id = 0;
    core::MemberStatus status = core::MemberStatus::kActive;
    core::Timestamp created_at{};
    std::optional<core::MemberProfile> profile;
    core::Consents consents = {};
    std::vector<FeedbackComment> feedback;  // Oldest purchase first; a comment absent without one.
    store::MemberRecords records;
    // What the records merged into the member (the same person enrolled more than once) still
    // hold, each by its id.
    std::vector<std::pair<long long, store::MemberRecords>> merged_records;
    core::Timestamp exported_at{};
};

class MemberPrivacyService {
  public:
    MemberPrivacyService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    // Admin and support; audited (the export itself, not its content).
    core::Result<MemberExport> export_member(const StaffIdentity& staff, long long member_id);
    // Admin only; audited the first time.
    core::Result<void> erase(const StaffIdentity& staff, long long member_id);
    // The signed-in member's own export, the same document; audited as by the member.
    core::Result<MemberExport> export_own(const MemberIdentity& member);
    // The signed-in member deleting their account, confirmed with their password
    // (member_password_check.h: a wrong one counts like a failed sign-in): erased as `erase` does,
    // audited as by the member.
    core::Result<void> erase_own(const MemberIdentity& member, const std::string& password);

  private:
    core::Result<MemberExport> export_of(long long program_id, const store::AuditActor& actor, long long member_id);
    core::Result<void> erase_member(long long program_id, const store::AuditActor& actor, long long member_id);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
