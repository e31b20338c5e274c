// What every POS operation (purchase, return, void) does the same way: checking that the signing
// terminal owns the receipt, replaying a stored answer, and locking the card holder's account.
#pragma once

#include <soci/soci.h>

#include "crypto/bytes.h"
#include "loyalty/core/answer_kind.h"
#include "loyalty/core/error.h"
#include "loyalty/core/money.h"
#include "loyalty/core/purchase.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/rule_set_cache.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/pos/purchase_store.h"

namespace patron::service {

// What a POS operation came to and the answer its POS is given (the api chooses the status).
struct [[nodiscard]] CommitOutcome {
    core::AnswerKind kind = core::AnswerKind::kCreated;  // A replay's is the original's.
    std::string body;
    bool replayed = false;
};

struct Holder {
    store::MemberRecord member;
    store::AccountRecord account;
    // When asked (lock_holder's `policies_at`): the programme's policies as of the settings version
    // read with the card, and the rule set version in force.
    std::optional<store::ProgramPolicies> policies = {};
    // From lock_holder's card read: the latest close among the programme's published draws (none:
    // no draw published). Unread (draws_read false) when the holder was found another way.
    bool draws_read = false;
    std::optional<core::Timestamp> last_draw_close = {};
};

// STORE_MISMATCH unless the receipt is the terminal's own; CURRENCY_MISMATCH unless in its store's currency.
core::Result<void> check_terminal_owns(const TerminalIdentity& terminal, const core::ReceiptKey& key,
                                       const core::Currency& currency);

// The stored answer, replayed; UNAVAILABLE while its operation has not stored it yet.
core::Result<CommitOutcome> replayed(const store::StoredAnswer& stored);

// The stored answer when the request is the same (by hash); IDEMPOTENCY_CONFLICT otherwise.
core::Result<CommitOutcome> replay(const store::StoredAnswer& stored, const crypto::Bytes& request_sha256);

// The answer an earlier operation of this terminal was given, when this one repeats it: under the
// same Idempotency-Key (same request: a replay; another: IDEMPOTENCY_CONFLICT naming the header) or
// the same receipt key (likewise, naming receipt). None when the operation is new.
std::optional<core::Result<CommitOutcome>> earlier_answer(soci::session& sql, const TerminalIdentity& terminal,
                                                          const core::ReceiptKey& key,
                                                          const std::optional<std::string>& idempotency_key,
                                                          const crypto::Bytes& request_sha256);

// The card's member with their account row locked for the rest of the transaction (unless only
// reading), in one statement: CARD_NOT_FOUND, CARD_BLOCKED or CARD_CLOSED otherwise. With
// `policies`, also the programme's policies (from that cache while the programme's settings
// version read with the card stands) and the rule set version in force at `policies_at`.
core::Result<Holder> lock_holder(soci::session& sql, long long program_id, const std::string& number,
                                 bool for_update = true, std::optional<core::Timestamp> policies_at = std::nullopt,
                                 RuleSetCache* policies = nullptr);

}  // namespace patron::service
