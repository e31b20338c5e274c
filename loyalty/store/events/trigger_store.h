// Triggers (migration 0053, issue 21): the marketers' triggers, their firings (one per trigger,
// member and window), what the trigger job reads of the outbox and of a member's purchases, and how
// far each no-purchase trigger has scanned.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loyalty/core/time.h"
#include "loyalty/core/triggers.h"

namespace soci {
class session;
}

namespace patron::store {

struct TriggerRecord {
    long long id = 0;
    long long program_id = 0;
    std::string name;
    core::TriggerState state = core::TriggerState::kActive;
    std::string rule;  // {"condition", "action"} as written (JSON).
    int version = 1;
    std::optional<core::Timestamp> scanned_at;  // no_purchase: the scan's cursor.
    long long scanned_id = 0;
    core::Timestamp created_at{};
    core::Timestamp changed_at{};
    std::string changed_by;
};

// A new trigger; its id. A no_purchase trigger scans from `scan_from` (purchases received since).
long long insert_trigger(soci::session& sql, long long program_id, const core::TriggerDocument& document,
                         core::TriggerState state, std::optional<core::Timestamp> scan_from, const std::string& by,
                         core::Timestamp now);
// Its name, rule and state written as `trigger` has them and its version raised; the scan starts
// again at `scan_from` when given (a no_purchase trigger changed or resumed), else stays.
void update_trigger(soci::session& sql, const TriggerRecord& trigger, const std::string& condition_kind,
                    std::optional<core::Timestamp> scan_from, const std::string& by, core::Timestamp now);
std::optional<TriggerRecord> find_trigger(soci::session& sql, long long program_id, long long id, bool for_update);
std::vector<TriggerRecord> list_triggers(soci::session& sql, long long program_id);
// The active triggers of the programme, or of every programme when none is named.
std::vector<TriggerRecord> active_triggers(soci::session& sql, std::optional<long long> program_id);
// How many triggers of the programme have not ended.
long long count_live_triggers(soci::session& sql, long long program_id);
// Whether the trigger is still active at `version` (a plain read: paused, ended or changed since a
// round read it, it fires no more in that round).
bool trigger_is_current(soci::session& sql, long long trigger_id, int version);

struct FiringRecord {
    long long member_id = 0;
    std::string window_key;
    int trigger_version = 0;
    std::string outcome;
    core::Timestamp fired_at{};
};
struct FiringCounts {
    long long firings = 0;
    long long last_30_days = 0;
    std::optional<core::Timestamp> last_fired_at;
};
std::map<long long, FiringCounts> firing_counts(soci::session& sql, std::span<const long long> trigger_ids,
                                                core::Timestamp now);
std::vector<FiringRecord> recent_firings(soci::session& sql, long long trigger_id, int limit);

// Records a firing, unless the trigger fired for the member in this window already: its id, or
// nullopt then. `outcome` says what the action did; set_firing_outcome corrects it afterwards.
std::optional<long long> insert_firing(soci::session& sql, long long trigger_id, int trigger_version,
                                       long long member_id, const std::string& window_key, core::Timestamp at);
void set_firing_outcome(soci::session& sql, long long firing_id, const std::string& outcome);
// Whether the trigger fired for the member at or after `since` (a rolling window's last firing).
bool fired_since(soci::session& sql, long long trigger_id, long long member_id, core::Timestamp since);
// A merge of `from` into `into`: the absorbed record's firings become the survivor's, so that a
// window fired for either is fired for her; where both were fired in a window, hers stays.
void move_trigger_firings(soci::session& sql, long long from, long long into);
// Forgets up to `limit` firings made before `before`, oldest first; how many.
long long forget_old_firings(soci::session& sql, core::Timestamp before, int limit);

// The outbox's events triggers have not seen yet, by id.
struct UnseenEvent {
    long long id = 0;
    long long program_id = 0;
    std::string type;
    std::optional<long long> member_id;
    core::Timestamp occurred_at{};
    // A purchase's, a claimed purchase's or a return's time at the till (its data's purchase_id):
    // the window it falls in is the one decided.
    std::optional<core::Timestamp> purchase_time;
};
std::vector<UnseenEvent> events_unseen_by_triggers(soci::session& sql, int limit);
// Marks the events seen (1), or given up (2: their decision failed for a reason a retry will not mend).
void mark_seen_by_triggers(soci::session& sql, std::span<const long long> event_ids, int seen = 1);

// Visits, net spend and returns of the member's purchases the till timed in [from, until).
core::TriggerCounts member_counts(soci::session& sql, long long member_id, core::Timestamp from, core::Timestamp until);

// Purchases received after (at, id) and up to `until`, not voided, that are still their members'
// last (member_accounts.last_purchase_at), by (received_at, id): their members have bought nothing
// since. At most `limit`.
struct ReceivedPurchase {
    long long id = 0;
    long long member_id = 0;
    core::Timestamp received_at{};
};
std::vector<ReceivedPurchase> purchases_received(soci::session& sql, long long program_id, core::Timestamp after_at,
                                                 long long after_id, core::Timestamp until, int limit);
// Active members of the programme who enrolled within one of `days` (each [start, end), instants),
// with ids above `after_id`, in id order: an anniversary scan's next batch. At most `limit`.
struct Enrolment {
    long long member_id = 0;
    core::Timestamp enrolled_at{};
};
std::vector<Enrolment> members_enrolled_within(soci::session& sql, long long program_id,
                                               const std::vector<std::pair<core::Timestamp, core::Timestamp>>& days,
                                               long long after_id, int limit);
// Moves the scan's cursor forward, unless the trigger changed since `version` (its scan may start
// again) or another instance moved it further already.
void set_scan_cursor(soci::session& sql, long long trigger_id, int version, core::Timestamp at, long long id);
// When Patron last received a purchase of the member that is not voided; none when never.
std::optional<core::Timestamp> last_purchase_at(soci::session& sql, long long member_id);

}  // namespace patron::store
