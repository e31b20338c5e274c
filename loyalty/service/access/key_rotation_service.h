// Master key rotation's database half: re-wraps every member data key, terminal secret and
// feedback comment data key that
// another master key than the active one guards (and webhook secrets and prize draw seeds), page by page in short
// transactions, while patrond keeps serving (each row swaps only if it still holds what was read). The data itself is
// never re-encrypted: its data keys stay the same. `patronctl keys rotate` and `keys retire` drive it; a master key may
// leave the keys file only once nothing is wrapped by it any more.
#pragma once

#include <map>
#include <string>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/service/runtime/work_progress.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

struct RewrapReport {
    long long member_keys = 0;
    long long terminal_secrets = 0;
    long long feedback_keys = 0;
    long long answer_keys = 0;        // Of answers kept for Idempotency-Keys.
    long long webhook_secrets = 0;
    long long draw_seeds = 0;
    long long changed_meanwhile = 0;  // Rows another writer changed first (an erasure): left alone.
    long long unreadable = 0;         // Rows whose master key the keys file no longer holds.
};

class KeyRotationService {
  public:
    KeyRotationService(store::Database& database, const crypto::KeyRing& keys, crypto::RandomSource& random);

    // Re-wraps everything not under the ring's active master key. `progress` (when given) counts
    // the wrapped keys gone through, of those the other master keys guarded when it started.
    core::Result<RewrapReport> rewrap_all(WorkProgress* progress = nullptr);

    // How many wrapped keys each master key id guards.
    core::Result<std::map<std::string, long long>> usage();

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
