#include "loyalty/service/pos/batch_answer_service.h"

#include "crypto/digest.h"
#include "loyalty/store/pos/purchase_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

std::optional<core::Result<CommitOutcome>> stored_answer(soci::session& sql, const TerminalIdentity& terminal,
                                                         const std::string& key, const crypto::Bytes& request_sha256) {
    const auto conflict = [] {
        return fail(ErrorCode::kIdempotencyConflict, "this Idempotency-Key was used for a different request",
                    "Idempotency-Key");
    };
    if (store::find_answer_by_idempotency_key(sql, terminal.store_id, terminal.terminal_code, key)) return conflict();
    const auto stored = store::find_batch_answer(sql, terminal.store_id, terminal.terminal_code, key);
    if (!stored) return std::nullopt;
    if (!crypto::constant_time_equal(stored->request_sha256, request_sha256)) return conflict();
    return replayed(*stored);
}

}  // namespace

BatchAnswerService::BatchAnswerService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

std::optional<core::Result<CommitOutcome>> BatchAnswerService::earlier(const TerminalIdentity& terminal,
                                                                       const std::string& key,
                                                                       const crypto::Bytes& request_sha256) {
    std::optional<core::Result<CommitOutcome>> found;
    auto looked = database_.run([&](soci::session& sql) -> core::Result<void> {
        found = stored_answer(sql, terminal, key, request_sha256);
        return {};
    });
    if (!looked) return std::unexpected(looked.error());
    return found;
}

core::Result<CommitOutcome> BatchAnswerService::remember(const TerminalIdentity& terminal, const std::string& key,
                                                         const crypto::Bytes& request_sha256,
                                                         const CommitOutcome& outcome) {
    return database_.transact_for<CommitOutcome>([&](soci::session& sql) -> core::Result<CommitOutcome> {
        if (store::insert_batch_answer(sql, terminal.store_id, terminal.terminal_code, key, request_sha256,
                                       outcome.kind, outcome.body, clock_.now())) {
            return outcome;
        }
        if (auto winner = stored_answer(sql, terminal, key, request_sha256)) return *winner;
        return fail(ErrorCode::kUnavailable, "the batch is being answered; try again");
    });
}

}  // namespace patron::service
