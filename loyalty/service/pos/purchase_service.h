// Commits a POS purchase exactly once: in one transaction it locks the member's account,
// checks the receipt key, rates the basket with the rule set in force at its POS time, and
// writes the purchase, its lines, the ledger transfers, the new balance and the answer the
// POS gets. A replay of the same receipt returns that stored answer; a different purchase
// under the same receipt key is refused with IDEMPOTENCY_CONFLICT.
#pragma once

#include <functional>
#include <string>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/purchase_result.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/insight/feedback_links.h"
#include "loyalty/service/posting/pos_operations.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/rule_set_cache.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/pos/purchase_store.h"

namespace patron::service {

// Renders the answer body; stored with the purchase so replays return it byte for byte.
using AnswerEncoder = std::function<std::string(const core::PurchaseResult&)>;

// What releasing a quote's hold came to.
struct ReleasedQuote {
    std::string quote_id;
    long long points = 0;  // The points the hold had set aside.
    bool used = false;     // A purchase carried the quote out before: nothing was released.
};

inline constexpr int kMemberClaimFailuresMax = 5;  // In 24 hours.

class PurchaseService {
  public:
    // `links` signs the link to rate each committed purchase (within the programme's feedback window).
    PurchaseService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                    crypto::RandomSource& random, const FeedbackLinks& links);

    // `idempotency_key`: the POS's Idempotency-Key header; the same key again answers as before.
    // A purchase naming a quote_id spends the points its live hold set aside, and its answer says
    // whether it gave what the quote said (quote_check), and if not why. `nonce`: the signed
    // request's nonce, recorded first in the commit's own transaction (absent: recorded already);
    // when the commit fails, its caller records it by itself (AccessService::use_nonce).
    core::Result<CommitOutcome> commit(const TerminalIdentity& terminal, const core::Purchase& purchase,
                                       const crypto::Bytes& request_sha256, const AnswerEncoder& encode,
                                       const std::optional<std::string>& idempotency_key = std::nullopt,
                                       const TerminalNonce* nonce = nullptr);

    // What the purchase would earn and spend, and the balances after it, with its receipt lines:
    // rated exactly as a commit would rate it now, with nothing written; unless it asks for a
    // hold, which sets the points it would spend aside for the program's quote hold time and
    // records what it promised (the commit naming its quote_id reports any difference).
    core::Result<core::PurchaseResult> quote(const TerminalIdentity& terminal, const core::Purchase& purchase);

    // The till abandoned the sale: the quote's hold ends at once and its points are spendable at
    // the next till. Idempotent: a hold already released or run out answers alike, and a hold a
    // purchase used stays used. NOT_FOUND (quote_id) when the quote is unknown at this store.
    core::Result<ReleasedQuote> release_quote(const TerminalIdentity& terminal, const std::string& quote_id);

    // The answer a purchase, return or void of this terminal's store was given (as a replay gives
    // it), for a till that lost it: RECEIPT_NOT_FOUND when Patron has no such receipt (then it is
    // safe to send again).
    core::Result<CommitOutcome> status(const TerminalIdentity& terminal, const core::ReceiptKey& key);

    // Late identification: an anonymous purchase credited to a member (admin and support staff),
    // rated by the rules in force at its POS time, within the program's claim window, once.
    // A `total` given must be the purchase's (else RECEIPT_NOT_FOUND).
    core::Result<CommitOutcome> claim(const StaffIdentity& staff, long long member_id, const core::ReceiptKey& receipt,
                                      std::optional<std::int64_t> total, const AnswerEncoder& encode);

    // The same claim by the member (the portal), who must also know the receipt's total. So that
    // nobody harvests other shoppers' receipts by guessing numbers, a wrong total answers like an
    // unknown receipt, ALREADY_CLAIMED does not say whose the purchase is, and after
    // kMemberClaimFailuresMax failed claims in a day the member is refused (TOO_MANY_ATTEMPTS)
    // before anything is looked up. `address`: the network address the claim came from, which
    // only the fraud policy's claim_harvesting counts (by a blind index of it; empty: unknown).
    // Every claim, credited or failed, is watched in the transaction that records it.
    core::Result<CommitOutcome> claim(const MemberIdentity& member, const core::ReceiptKey& receipt, std::int64_t total,
                                      std::string_view address, const AnswerEncoder& encode);

  private:
    // A claim by staff, or (no staff) by the member from the address with that blind index (hex),
    // in one transaction; `total` is checked when given.
    core::Result<CommitOutcome> claim_for(long long program_id, long long member_id, const StaffIdentity* staff,
                                          const std::optional<std::string>& address_key,
                                          const core::ReceiptKey& receipt, std::optional<std::int64_t> total,
                                          const AnswerEncoder& encode);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
    const FeedbackLinks& links_;
    RuleSetCache rule_sets_;
};

}  // namespace patron::service
