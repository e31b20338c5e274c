// Two member records that turn out to be one person become one: the survivor takes the other's
// cards (which keep working at the till), point lots (each with its own expiry), balances
// (through a ledger transfer member to member, so nothing is summed into an anonymous number),
// purchases, tier history, rule usage and the campaigns' hold-out records (the survivor's own
// record of a campaign wins), in one transaction, audited on both. The absorbed record is marked
// merged and its personal data shredded like an erasure; the survivor keeps its own profile and
// tier (the next review recomputes it from the merged history).
#pragma once

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

struct MergeReport {
    long long survivor = 0;
    long long absorbed = 0;
    long long points_available_moved = 0;
    long long points_pending_moved = 0;
};

class MemberMergeService {
  public:
    MemberMergeService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);
    // Admin and support.
    core::Result<MergeReport> merge(const StaffIdentity& staff, long long survivor_id, long long absorbed_id);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
