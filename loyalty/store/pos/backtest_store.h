// What a backtest reads: the window's purchases (planned once, then read a chunk at a time by id
// with their lines, coupons and what the published rules gave them, a few multi-row queries per
// chunk), and of the members in a chunk their tier history, current tier, sealed birth date and
// earlier purchases. Plain consistent reads: nothing is locked, nothing written.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/envelope.h"
#include "loyalty/core/backtest.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// The purchases to rate in commit order, and how many the window holds that are not rated.
struct BacktestPlan {
    std::vector<long long> ids;
    long long anonymous = 0;
    long long voided = 0;
};

// The programme's purchases (not returns or voids) whose POS time lies in [starts_at, ends_at).
// They are found through the index on received_at: a purchase counts only when it reached Patron
// at most a day before the window (a till clock running ahead) and before `received_until`. At
// most ids_max + 1 ids are read: more than ids_max means the window is refused, and then the
// anonymous and voided purchases are not counted either.
BacktestPlan plan_backtest(soci::session& sql, long long program_id, core::Timestamp starts_at, core::Timestamp ends_at,
                           core::Timestamp received_until, long long ids_max);

// The purchases with these ids, in the order given, with their lines, coupons, whether a return
// took anything of them, and what the published rules gave them. Member fields are left for
// read_backtest_members.
std::vector<core::PastPurchase> read_backtest_purchases(soci::session& sql, std::span<const long long> ids);

// What the backtest needs of each member: tier changes (oldest first) and current tier, and,
// when asked, their sealed profile (for the birth month) and purchases before `window_start`.
struct BacktestMember {
    std::vector<core::TierChange> tier_changes;
    std::string tier;
    crypto::WrappedKey data_key;
    crypto::Bytes birth_date_sealed;
    long long purchases_before = 0;
    std::optional<core::Timestamp> enrolled_at;  // When asked: when the member enrolled.
};

// What of the members a backtest reads besides their tiers: only what the draft's rules need.
struct BacktestMemberReads {
    bool birth_dates = false;
    bool purchases_before = false;  // Before the window's start.
    bool enrolments = false;
};

std::map<long long, BacktestMember> read_backtest_members(soci::session& sql, std::span<const long long> member_ids,
                                                          const BacktestMemberReads& reads,
                                                          core::Timestamp window_start);

}  // namespace patron::store
