// The rows that hold something wrapped by a master key: members' data keys, terminals' signing
// secrets, the data keys of feedback comments and of the answers kept for Idempotency-Keys,
// webhooks' signing secrets and prize draws' seeds. A master key rotation reads
// them in pages and swaps each wrapping only if the row still holds the wrapping it read (compare and set), so it never
// waits on the hot path and never overwrites a concurrent change such as an erasure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "crypto/bytes.h"

namespace soci {
class session;
}

namespace patron::store {

enum class WrappedKind {
    kMemberDataKey,
    kTerminalSecret,
    kFeedbackDataKey,
    kWriteAnswerKey,
    kWebhookSecret,
    kDrawSeed
};

struct WrappedRow {
    std::string row_key;  // The member id or purchase id as text, or the terminal key id.
    std::string master_key_id;
    crypto::Bytes sealed;
};

// Up to `limit` rows of this kind not wrapped by `master_key_id`, after `after_key` in key order.
std::vector<WrappedRow> rows_not_wrapped_by(soci::session& sql, WrappedKind kind, const std::string& master_key_id,
                                            const std::string& after_key, int limit);

// Swaps the row's wrapping when it still holds `before`; false when the row changed meanwhile.
bool replace_wrapping(soci::session& sql, WrappedKind kind, const WrappedRow& before, const std::string& master_key_id,
                      const crypto::Bytes& sealed);

// How many rows of each kind every master key id still wraps.
std::map<std::string, long long> wrapped_count_by_master(soci::session& sql);

}  // namespace patron::store
