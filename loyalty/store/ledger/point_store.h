// Point lots: each earning's own balance with its hold and expiry, and the record of which
// lots each spending or expiry consumed. Callers hold the member's account lock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/dated_points.h"
#include "loyalty/core/points.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct NewLot {
    long long member_id = 0;
    std::optional<long long> purchase_id;
    long long transfer_id = 0;
    std::string rule_id;
    int rule_version = 0;
    long long points = 0;
    bool pending = false;
    core::Timestamp earned_at;
    core::LotDates dates;
};

long long insert_lot(soci::session& sql, const NewLot& lot);

// The member's spendable lots with points left, locked for the rest of the transaction.
std::vector<core::LotBalance> available_lots_for_update(soci::session& sql, long long member_id);

// Takes points out of lots (closing those that reach zero) and records the takes under the transfer.
void consume_lots(soci::session& sql, long long transfer_id, const std::vector<core::LotTake>& takes);

enum class LotEvent { kRelease, kExpiry };

// Members who have lots whose hold ended (kRelease) or whose expiry came (kExpiry) by `now`.
std::vector<long long> members_with_lots_due(soci::session& sql, LotEvent event, core::Timestamp now, int limit);

// That member's due lots, locked: ids and the points they hold.
std::vector<core::LotTake> lots_due_for_update(soci::session& sql, long long member_id, LotEvent event,
                                               core::Timestamp now);

// Marks released lots available.
void mark_released(soci::session& sql, const std::vector<core::LotTake>& lots);

// The member's pending points summed per instant they become available, soonest first; at most
// `limit` instants.
std::vector<core::PointsAt> pending_points_by_release(soci::session& sql, long long member_id, int limit);
// The member's available points summed per instant they expire, soonest first; at most `limit` instants.
std::vector<core::PointsAt> available_points_by_expiry(soci::session& sql, long long member_id, int limit);
// The member's available points that expire by `by`.
long long available_points_expiring_by(soci::session& sql, long long member_id, core::Timestamp by);

}  // namespace patron::store
