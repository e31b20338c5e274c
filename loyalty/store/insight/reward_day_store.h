// What each rule gave per day, store and member (migration 0036, core/reward_days.h). Its mark
// (store/insight/ledger_day_store.h, DaySums::kRewardDays) says how far it goes: every transfer of
// a book up to it is summed in, none after it. The Rewards report adds the transfers after the
// mark from the ledger itself (store/insight/reward_store.h), so it is never stale; the roll-up
// that moves the mark is the only writer (service/insight/ledger_day_rollup.h).
#pragma once

#include <string>
#include <vector>

#include "loyalty/core/member_history.h"
#include "loyalty/core/reward_days.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// The book's tables of transfers and of their entries (constants).
std::string reward_transfers_table(core::HistoryBook book);
std::string reward_entries_table(core::HistoryBook book);
// An SQL condition on a transfer `t` of the book: it is the first transfer of its purchase with its
// rule and kind (a purchase's transfers of one rule are written together, at one instant).
std::string first_of_its_purchase(core::HistoryBook book);

// The members' entries of the programme's earn and reverse transfers with ids in
// (after_id, through_id], per transfer and member, their store found.
std::vector<core::RewardMovement> reward_movements(soci::session& sql, long long program_id, core::HistoryBook book,
                                                   long long after_id, long long through_id);

// Adds `days` into the stored sums (one multi-row statement per few thousand rows).
void add_reward_days(soci::session& sql, long long program_id, core::HistoryBook book, const core::RewardDays& days);
void clear_reward_days(soci::session& sql, long long program_id, core::HistoryBook book);

}  // namespace patron::store
