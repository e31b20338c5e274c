// Point lots: each earning's own balance with its hold and expiry, and the record of which
// lots each spending or expiry consumed. Callers hold the member's account lock.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loyalty/core/dated_points.h"
#include "loyalty/core/ledger.h"
#include "loyalty/core/points.h"
#include "loyalty/core/time.h"
#include "loyalty/store/db/write_batch.h"

namespace soci {
class session;
}

namespace patron::store {

// A lot, of the purchase and under the transfer its writer names.
struct NewLot {
    long long member_id = 0;
    std::string rule_id;
    int rule_version = 0;
    long long points = 0;
    bool pending = false;
    core::Timestamp earned_at;
    core::LotDates dates;
    std::optional<long long> held_by = {};  // The fraud signal holding it (pending then) until staff review it.
};

// A credit of points: its ledger transfer and the lot it fills.
struct NewCredit {
    core::LedgerTransfer transfer;
    NewLot lot;
};
struct CreditIds {
    long long transfer_id = 0;
    long long lot_id = 0;
};
// Writes each credit's transfer and lot, of the purchase (if any), in one round trip where the
// unit allows it (run_each): each lot names its transfer by LAST_INSERT_ID(), so nothing is read
// back in between; the transfers' entries go with write(). The ids, in the credits' order.
std::vector<CreditIds> insert_credits(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                                      std::span<const NewCredit> credits, core::Timestamp now);

// What insert_credits sends, for credits sent right behind the INSERT of their purchase: two
// statements a credit, each row taking the purchase from the row the statement before it made,
// by LAST_INSERT_ID().
std::vector<std::string> credit_statements_after_purchase(soci::session& sql, long long program_id,
                                                          std::span<const NewCredit> credits, core::Timestamp now);
// The credits' ids from what their statements did (write_batch.h), and their entries written.
std::vector<CreditIds> credits_written(soci::session& sql, std::span<const NewCredit> credits,
                                       std::span<const StatementOutcome> outcomes);

// The member's spendable lots with points left, first to expire first, as many as hold `points`
// (all of them when they hold less), locked for the rest of the transaction. Read a few at a time:
// a member with years of lots spends from the oldest few, and reads and locks only those.
std::vector<core::LotBalance> available_lots_for_update(soci::session& sql, long long member_id, long long points);

// A take of points from a lot under a transfer.
struct LotUse {
    long long transfer_id = 0;
    core::LotTake take;
};
// Takes points out of lots (closing those that reach zero) and records the takes under the transfer.
void consume_lots(soci::session& sql, long long transfer_id, const std::vector<core::LotTake>& takes);
// consume_lots for takes of everything left in each lot (as expiry takes them): the lots close.
// Throws, for the transaction to roll back, when a lot no longer holds what its take says.
void empty_lots(soci::session& sql, const std::vector<LotUse>& uses);

enum class LotEvent { kRelease, kExpiry };

// A member who has lots whose hold ended (kRelease; a lot a fraud signal holds is not due until
// the signal is reviewed) or whose expiry came (kExpiry).
struct MemberDue {
    long long member_id = 0;
    long long program_id = 0;
};
// How many members have lots due for `event` by `now` (what a run of it has before it).
long long count_members_with_lots_due(soci::session& sql, LotEvent event, core::Timestamp now);
// Members with lots due by `now`, at most `limit`, in member order.
std::vector<MemberDue> members_with_lots_due(soci::session& sql, LotEvent event, core::Timestamp now, int limit);

// A due lot of a member: its id and the points it holds.
struct DueLot {
    long long member_id = 0;
    core::LotTake lot;
};
// These members' due lots, by member then lot id. The caller holds the members' account locks,
// which every writer of their lots takes first, so the lots are read without locks of their own
// (a locking read of these ranges waited on rows other connections' batches held); empty_lots
// checks that each still holds what was read.
std::vector<DueLot> due_lots(soci::session& sql, std::span<const long long> member_ids, LotEvent event,
                             core::Timestamp now);

// A spendable lot to announce before it expires (points_expiring): not yet announced, expiring
// after `now` and within its programme's notice (programs.expiry_notice_s).
struct ExpiringLot {
    long long lot_id = 0;
    long long member_id = 0;
    long long program_id = 0;
    long long remaining = 0;
    core::Timestamp expires_at{};
};
// The notices programmes give, each once (none of 0: those announce nothing).
std::vector<std::chrono::seconds> expiry_notices(soci::session& sql);
// Active members' lots to announce. Of the programmes whose notice is `notice`: at most `limit`,
// the soonest to expire first (the index's range ends at now + notice, so lots of programmes with
// other notices are not read). With `members`: every lot of theirs, whatever the notice, by member
// then expiry then id.
std::vector<ExpiringLot> lots_to_announce(soci::session& sql, core::Timestamp now, std::chrono::seconds notice,
                                          int limit);
std::vector<ExpiringLot> lots_to_announce(soci::session& sql, core::Timestamp now, std::chrono::seconds longest,
                                          std::span<const long long> members);
// The lots are announced: lots_to_announce no longer lists them.
void mark_expiry_announced(soci::session& sql, const std::vector<long long>& lot_ids);

// Closes lots that are due but hold nothing (their points all went another way).
void close_empty_lots(soci::session& sql, const std::vector<core::LotTake>& lots);

// Marks released lots available.
void mark_released(soci::session& sql, const std::vector<core::LotTake>& lots);

// The member's points in lots summed per instant, soonest first, at most `limit` instants each:
// pending points by the instant they become available, available points by the instant they
// expire.
struct LotInstants {
    std::vector<core::PointsAt> pending;  // Not those a fraud signal holds: they have no date.
    std::vector<core::PointsAt> expiring;
    long long held = 0;  // Points in lots a fraud signal holds until staff review it.
};
// Read as kLotInstantsColumns columns of another read (json_rows.h): their expressions, and what they gave.
inline constexpr std::size_t kLotInstantsColumns = 3;
std::array<std::string, kLotInstantsColumns> lot_instants_sql(long long member_id, int limit);
LotInstants lot_instants_of(std::span<const std::optional<std::string>, kLotInstantsColumns> values);
// The member's available points that expire by `by`.
long long available_points_expiring_by(soci::session& sql, long long member_id, core::Timestamp by);

}  // namespace patron::store
