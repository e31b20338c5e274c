// Support adjustments: staff add or remove a member's points with a mandatory reason. A credit
// is a lot of its own; a debit takes from the lots that expire first and never below zero.
// The reason stays on the ledger transfer; the audit log records who changed what.
#pragma once

#include <string>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/members/member_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

using core::PointsAdjustment;  // Decoded by core::decode_points_adjustment.

struct AdjustedPoints {
    long long transfer_id = 0;
    Balance balance;
};

class PointsAdjustmentService {
  public:
    PointsAdjustmentService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    // FORBIDDEN for roles other than admin and support; VALIDATION_FAILED for a zero or huge
    // amount or a missing reason; POINTS_INSUFFICIENT when removing more than is available.
    core::Result<AdjustedPoints> adjust(const StaffIdentity& staff, long long member_id,
                                        const PointsAdjustment& adjustment);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
