// What the Members report (core/members_report.h) reads from the purchases, members, tier changes,
// accounts and consents of a programme. Spans of time are given by their bounds, instants in
// order: span i is [bounds[i], bounds[i + 1]) (a period's local days as instants).
#pragma once

#include <vector>

#include "loyalty/core/members_report.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// Members' purchases, returns and voids received in [from, until), read from the index of the
// programme's purchases by instant alone (migration 0028) for core::count_buyers.
std::vector<core::MemberPurchaseFact> member_purchases_between(soci::session& sql, long long program_id,
                                                               core::Timestamp from, core::Timestamp until);

// The programme's members whose first purchase (not voided, as their account keeps it) is in
// [from, until), read from the accounts' index of it.
core::FirstPurchases first_purchases_between(soci::session& sql, long long program_id, core::Timestamp from,
                                             core::Timestamp until);

// Members enrolled and tier moves (upgrades, downgrades) per span, into counts[i].
void count_enrolments_and_tier_moves(soci::session& sql, long long program_id,
                                     const std::vector<core::Timestamp>& bounds,
                                     std::vector<core::MembersPeriodCounts>& counts);

// The members active at `end` (enrolled before it, neither erased nor merged), those of them with
// a purchase in the 30, 90 and 365 days before it, their tiers and marketing consents now.
core::MembersSnapshotCounts count_member_snapshot(soci::session& sql, long long program_id, core::Timestamp end);

}  // namespace patron::store
