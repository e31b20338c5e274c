// Claims of receipts by members that failed (unknown receipt, wrong total, already credited,
// too late): counted per member, so that guessing other shoppers' receipt numbers runs out fast.
#pragma once

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

void insert_failed_claim(soci::session& sql, long long member_id, core::Timestamp at);
long long count_failed_claims(soci::session& sql, long long member_id, core::Timestamp since);
// Forgets failures older than `before`, at most `limit`; how many.
long long forget_failed_claims(soci::session& sql, core::Timestamp before, int limit);

}  // namespace patron::store
