// Triggers (issue 21): marketers (and admins) set what happens by itself when a member's recent
// activity meets a condition (core/triggers.h); the trigger job decides and acts, one patrond at a
// time (the job lease triggers):
//   - after a purchase, a claimed receipt or a return commits (the outbox's events not yet seen by
//     triggers), it counts the member's visits, spend or returns in each active counting trigger's
//     window as of the event and fires those whose condition holds;
//   - every no_purchase trigger scans the purchases received `days` ago (since it last looked) and
//     fires for their members who have bought nothing since, once per lapse.
// A trigger fires at most once per member per window (a calendar period, a rolling window of
// `days` after a firing, or a lapse), whoever decides it and however often, and only for an active
// member: its firing is written with its action, under her account's lock, in one transaction.
// Actions: a message in her language through the member messages (consent, weekly cap and quiet
// hours as for any message from a marketer); a single-use code of a published coupon campaign
// (its hold-out kept, recorded as an exposure; nothing once the campaign has ended); bonus points,
// a lot of their own (ledger kind "bonus"), told as points_adjusted with source "trigger"; an
// addition to a segment for `days` (the segment's condition added_by_trigger), in its membership
// at once when she meets its other conditions too.
#pragma once

#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/triggers.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/job_lease.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/events/trigger_store.h"

namespace patron::service {

inline constexpr const char* kTriggerLease = "triggers";
inline constexpr int kTriggersPerProgramMax = 100;
inline constexpr int kTriggerFiringsShown = 20;
inline constexpr int kTriggerFiringKeepDays = 400;  // Longer than any window (366 days).

struct TriggerView {
    store::TriggerRecord record;
    core::Trigger trigger;
    store::FiringCounts counts;
    std::vector<store::FiringRecord> recent;  // Newest first; only for one trigger.
};

struct TriggerRound {
    int events = 0;     // Outbox events decided.
    int fired = 0;      // Firings (each with its action done).
    int scanned = 0;    // Purchases a no_purchase scan looked at.
    bool more = false;  // A batch was full: more may be waiting.
    int failed = 0;     // Events given up, or no_purchase scans left for the next round.
    std::string failure;  // The last failure's words, for the log.
};

class TriggerService {
  public:
    TriggerService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                   crypto::RandomSource& random);

    // Admin and marketer staff write; analysts read too.
    core::Result<TriggerView> create(const StaffIdentity& staff, const core::TriggerDocument& document);
    // NOT_AVAILABLE for an ended trigger. The version rises; a firing keeps the version it ran.
    core::Result<TriggerView> replace(const StaffIdentity& staff, long long id, const core::TriggerDocument& document);
    // Pause, resume or end (for good). A resumed no_purchase trigger looks at lapses from now on.
    core::Result<TriggerView> set_state(const StaffIdentity& staff, long long id, core::TriggerState state);
    core::Result<TriggerView> get(const StaffIdentity& staff, long long id);
    core::Result<std::vector<TriggerView>> list(const StaffIdentity& staff);

    core::Result<bool> take_lease(const std::string& holder, int seconds);
    core::Result<void> give_up_lease(const std::string& holder);
    // Decides up to `limit` outbox events and, per no_purchase trigger, up to `limit` purchases.
    core::Result<TriggerRound> run_due(int limit);
    // Housekeeping: forgets firings older than kTriggerFiringKeepDays; how many.
    core::Result<long long> forget_old();
    // Housekeeping: forgets up to 1,000 segment additions whose days have run out; how many.
    core::Result<long long> forget_ended_additions();

  private:
    core::Result<void> check_action(soci::session& sql, long long program_id, const core::Trigger& trigger);
    core::Result<TriggerView> write(const StaffIdentity& staff, long long id, const core::TriggerDocument* document,
                                    std::optional<core::TriggerState> state);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
    JobLease lease_;
};

}  // namespace patron::service
