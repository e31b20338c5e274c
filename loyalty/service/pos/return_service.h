// Returns and voids at the POS, exactly once: in one transaction it finds the original purchase
// by its receipt key, locks the member's account and the purchase, and takes back what the
// returned lines earned (from the lots they went into, with the rule version that gave them),
// gives back the points they were paid with, records the returned quantities, and stores the
// answer under the return's own receipt key so a retry gets it back byte for byte.
//
// Only a terminal of the purchase's own store finds it, unless the program takes returns in any
// of its stores: to another store the purchase is RECEIPT_NOT_FOUND, exactly like a receipt that
// does not exist, so no store can learn by probing which receipts another holds.
//
// Points already spent follow the program's negative-balance policy: "allow" takes them from the
// balance anyway (it may go negative, which blocks redemption until new points repay it), "clamp"
// stops at what is left and records the shortfall. Points that expired are not taken twice.
#pragma once

#include "crypto/key_ring.h"
#include "loyalty/core/returns.h"
#include "loyalty/service/pos/purchase_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

class ReturnService {
  public:
    ReturnService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    core::Result<CommitOutcome> commit(const TerminalIdentity& terminal, const core::ReturnRequest& request,
                                       const crypto::Bytes& request_sha256, const AnswerEncoder& encode,
                                       const std::optional<std::string>& idempotency_key = std::nullopt);

  private:
    // A return without its original receipt (where the program allows it): takes back what the
    // goods earn for the member under the rules in force at the return's POS time.
    core::Result<CommitOutcome> commit_blind(const TerminalIdentity& terminal, const core::ReturnRequest& request,
                                             const crypto::Bytes& request_sha256, const AnswerEncoder& encode,
                                             const std::optional<std::string>& idempotency_key);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    RuleSetCache rule_sets_;
};

}  // namespace patron::service
