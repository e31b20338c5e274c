#include "loyalty/service/posting/pos_operations.h"

#include "crypto/digest.h"

namespace patron::service {

using core::ErrorCode;
using core::fail;

core::Result<void> check_terminal_owns(const TerminalIdentity& terminal, const core::ReceiptKey& key,
                                       const core::Currency& currency) {
    if (key.store != terminal.store_code) {
        return fail(ErrorCode::kStoreMismatch, "this terminal belongs to store " + terminal.store_code, "store");
    }
    if (key.terminal != terminal.terminal_code) {
        return fail(ErrorCode::kStoreMismatch, "the signing key belongs to terminal " + terminal.terminal_code,
                    "terminal");
    }
    if (currency.code != terminal.currency) {
        return fail(ErrorCode::kCurrencyMismatch, "this store trades in " + terminal.currency, "currency");
    }
    return {};
}

core::Result<CommitOutcome> replayed(const store::StoredAnswer& stored) {
    // Only the operation's own transaction sees its row before the answer is stored: not met here.
    if (!stored.kind) return fail(ErrorCode::kUnavailable, "the answer is not ready yet; try again");
    return CommitOutcome{*stored.kind, stored.body, true};
}

core::Result<CommitOutcome> replay(const store::StoredAnswer& stored, const crypto::Bytes& request_sha256) {
    if (!crypto::constant_time_equal(stored.request_sha256, request_sha256)) {
        return fail(ErrorCode::kIdempotencyConflict, "this receipt was already committed with different contents",
                    "receipt");
    }
    return replayed(stored);
}

std::optional<core::Result<CommitOutcome>> earlier_answer(soci::session& sql, const TerminalIdentity& terminal,
                                                          const core::ReceiptKey& key,
                                                          const std::optional<std::string>& idempotency_key,
                                                          const crypto::Bytes& request_sha256) {
    if (idempotency_key) {
        if (auto stored = store::find_answer_by_idempotency_key(sql, terminal.store_id, terminal.terminal_code,
                                                                *idempotency_key)) {
            if (!crypto::constant_time_equal(stored->request_sha256, request_sha256)) {
                return fail(ErrorCode::kIdempotencyConflict, "this Idempotency-Key was used for a different request",
                            "Idempotency-Key");
            }
            return replayed(*stored);
        }
    }
    if (auto stored = store::find_answer_by_receipt(sql, terminal.store_id, key))
        return replay(*stored, request_sha256);
    return std::nullopt;
}

core::Result<Holder> lock_holder(soci::session& sql, long long program_id, const std::string& number, bool for_update,
                                 std::optional<core::Timestamp> policies_at, RuleSetCache* policies) {
    // A writer's account is locked by this read, and its row is read as locked.
    auto found = store::find_card_with_member(sql, number, for_update);
    if (!found) return fail(ErrorCode::kCardNotFound, "no card with this number", "card");
    if (auto active = core::check_card_active(found->card.state, "card"); !active) {
        return std::unexpected(active.error());
    }
    if (found->member.program_id != program_id)
        return fail(ErrorCode::kCardNotFound, "no card with this number", "card");
    std::optional<store::ProgramPolicies> read;
    if (policies_at && policies) {
        read = policies->policies(sql, program_id, found->settings_version);
        read->rule_set_version = core::rule_set_in_force(read->rule_sets, *policies_at);
    }
    return Holder{std::move(found->member), found->account, std::move(read), true, found->last_draw_close};
}

}  // namespace patron::service
