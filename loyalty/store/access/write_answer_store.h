// The answers of staff and member writes sent with an Idempotency-Key (table write_answers): one
// row per caller and key, entered when the write begins and completed with its sealed answer in
// the write's own transaction, so that a row is either whole or was never there.
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct WriteAnswerRow {
    long long id = 0;
    crypto::Bytes request_digest;
    int status = 0;
    std::string master_key_id;
    crypto::Bytes data_key_sealed;
    crypto::Bytes answer_sealed;
};

// The caller's key entered: its row's id; none when it was entered already (committed); busy
// when a transaction that entered it first is still running after a second's wait (a request
// still being answered: its retry is told to come back, and holds no worker meanwhile).
struct EnteredKey {
    std::optional<long long> id;
    bool busy = false;
};
EnteredKey enter_write_key(soci::session& sql, const std::string& caller, const std::string& key,
                           const crypto::Bytes& request_digest, core::Timestamp now);

// Forgets a key entered in this transaction (its write was refused).
void forget_write_key(soci::session& sql, long long id);

// The row of the caller's key, read as last committed (a locking read).
std::optional<WriteAnswerRow> find_write_answer(soci::session& sql, const std::string& caller, const std::string& key);

// Completes the row entered by enter_write_key with the write's answer.
void complete_write_answer(soci::session& sql, long long id, int status, std::optional<long long> member_id,
                           const std::string& master_key_id, const crypto::Bytes& data_key_sealed,
                           const crypto::Bytes& answer_sealed);

// Forgets the answers kept since before `before`, at most `limit`; how many.
long long forget_write_answers(soci::session& sql, core::Timestamp before, int limit);

// Forgets the answers about a member and the ones given to her (her erasure).
void forget_member_write_answers(soci::session& sql, long long member_id);

}  // namespace patron::store
