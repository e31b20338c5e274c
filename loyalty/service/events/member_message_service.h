// Messages to members (issue 21): the sender that tells members what the outbox's events say about
// them, through the notifier, in their language. One patrond at a time sends (the job lease
// member_messages). A message is due when its event happened; messages about her own account go
// before a segment's. The sender then, for each:
//   - skips it when the member is no longer active, the programme's weekly cap is 0, her consents
//     allow no channel she can be reached by (marketing SMS to her phone first, else marketing
//     email), it is out of date (points whose last day has gone), it lacks what it tells, or a
//     tier is no news (her programme's first tier);
//   - in the programme's quiet hours (its time zone), puts it off to their end;
//   - when the weekly cap is reached (messages sent to her in the last 7 days), puts it off until
//     a place frees, and skips it when that is more than 14 days after it was made; points about
//     to expire go past the cap (and count towards it);
//   - otherwise renews its claim and sends it, and when the notifier cannot take it tries again
//     after 1, 2, 4, 8 and 16 minutes, then gives up (failed). After 3 failures in a row the round
//     stops and leaves the rest for a minute later; on stop() it stops between two messages.
// Every outcome is kept on the message (state, reason, channel), 90 days.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/member_messages.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/job_lease.h"
#include "loyalty/service/runtime/notifier.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/events/member_message_store.h"

namespace patron::service {

inline constexpr const char* kMessageLease = "member_messages";
inline constexpr int kMessageAttemptsMax = 6;
inline constexpr int kMessageKeepDays = 90;
inline constexpr int kMessageFailuresInARowMax = 3;

struct MessageRound {
    int sent = 0;
    int skipped = 0;
    int deferred = 0;    // Quiet hours, the weekly cap, or left for later (a gateway down, a stop).
    int retrying = 0;    // The notifier did not take it: tried again later.
    int failed = 0;      // Given up.
    int withdrawn = 0;   // Withdrawn (a void) or taken by another sender before it went.
    int unrecorded = 0;  // Sent, but its row had changed meanwhile: its outcome was not written.
    bool more = false;   // The round took as many as it could: more may be due.
};

class MemberMessageService {
  public:
    MemberMessageService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                         Notifier& notifier);

    core::Result<bool> take_lease(const std::string& holder, int seconds);
    core::Result<void> give_up_lease(const std::string& holder);
    // Sends (or skips, or puts off) up to `limit` messages due now.
    core::Result<MessageRound> send_due(int limit);
    // Makes a round under way stop before its next message (patrond stopping); for good.
    void stop() { stopping_ = true; }
    // Housekeeping: gives up messages still pending 15 days after they were made (no instance could
    // send them), then forgets those older than kMessageKeepDays, in batches; how many went.
    core::Result<long long> forget_old();

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    Notifier& notifier_;
    JobLease lease_;
    std::atomic<bool> stopping_ = false;
};

}  // namespace patron::service
