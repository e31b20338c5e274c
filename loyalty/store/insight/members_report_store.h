// What the Members report (core/members_report.h) counts, read from the purchases, members, tier
// changes and consents of a programme for spans of time (each a period's local days as instants:
// [from, until)). Every count is done by the server; only a row per span (and store) comes back.
#pragma once

#include <optional>
#include <vector>

#include "loyalty/core/members_report.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct InstantSpan {
    core::Timestamp from;
    core::Timestamp until;  // Exclusive.
};

// Buyers, new buyers, visits and spend of members' purchases per span (into `buyers`), or per span
// and store (into `stores`) when `per_store`; only `store_id`'s purchases when given. A buyer is
// new in a span when none of their purchases (not voided) is older than the span.
void count_buyers(soci::session& sql, long long program_id, const std::vector<InstantSpan>& spans,
                  std::optional<long long> store_id, bool per_store, std::vector<core::MembersPeriodCounts>& counts);

// Members enrolled and tier moves (upgrades, downgrades) per span.
void count_enrolments_and_tier_moves(soci::session& sql, long long program_id, const std::vector<InstantSpan>& spans,
                                     std::vector<core::MembersPeriodCounts>& counts);

// The members active at `end` (enrolled before it, neither erased nor merged), those of them with
// a purchase in the 30, 90 and 365 days before it, their tiers and marketing consents now.
core::MembersSnapshotCounts count_member_snapshot(soci::session& sql, long long program_id, core::Timestamp end);

}  // namespace patron::store
