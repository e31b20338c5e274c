// Staff and member writes sent with an Idempotency-Key happen once (issue 20). The write runs
// inside one enclosing transaction (store::Database::enclose) that first enters the caller's key
// and, when the write succeeds, keeps its answer, sealed, in the same transaction: a retry after
// a lost answer finds the key and gets that answer byte for byte instead of writing again; a
// retry while the first is still running waits for it; the key with another request is refused
// (IDEMPOTENCY_CONFLICT, 409). A write that fails keeps nothing and leaves nothing written, so its
// retry runs again. Answers are kept 7 days.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

// An answer as it is kept and given again.
struct KeptAnswer {
    int status = 0;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::optional<long long> member_id;  // The member it is about, so that her erasure removes it.
};

struct WriteOutcome {
    KeptAnswer answer;
    bool replayed = false;  // Given again from what the first request kept.
};

inline constexpr int kWriteAnswerDays = 7;

class WriteOnceService {
  public:
    WriteOnceService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                     crypto::RandomSource& random);

    // `caller` is "staff:ID", "member:ID" or "program:ID:TOKEN"; `request` the request's method,
    // path, query and body (JSON in canonical form), kept only as a keyed digest (a body may hold
    // a password). `write` may run more than once (a deadlock runs the whole again), and only its
    // last run counts. A refused write (not 2xx) is answered as it was, its key forgotten, and
    // what it keeps when refused (a failed attempt counted) committed.
    core::Result<WriteOutcome> once(const std::string& caller, const std::string& key, const std::string& request,
                                    const std::function<KeptAnswer()>& write);

    // Forgets answers kept more than kWriteAnswerDays ago, a page at a time; how many.
    core::Result<long long> forget_old();

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

std::string write_answer_key_binding(long long id);

}  // namespace patron::service
