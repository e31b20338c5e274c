// Batches sent with an Idempotency-Key answer a retry with the original answer (kind and body), byte
// for byte: the answer is kept under the key (per store and terminal) for 7 days. The same key
// with another body, or a key already used by a single operation, is IDEMPOTENCY_CONFLICT.
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/posting/pos_operations.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

class BatchAnswerService {
  public:
    BatchAnswerService(store::Database& database, const Clock& clock);

    // The answer a batch under this key got before, or IDEMPOTENCY_CONFLICT; nullopt when new.
    std::optional<core::Result<CommitOutcome>> earlier(const TerminalIdentity& terminal, const std::string& key,
                                                       const crypto::Bytes& request_sha256);
    // Keeps the answer; when a racing retry kept one first, that one is the answer.
    core::Result<CommitOutcome> remember(const TerminalIdentity& terminal, const std::string& key,
                                         const crypto::Bytes& request_sha256, const CommitOutcome& outcome);

  private:
    store::Database& database_;
    const Clock& clock_;
};

}  // namespace patron::service
