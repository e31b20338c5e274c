// A member's ledger movements, newest first, a page at a time (keyset: before a transfer id),
// each with what it did to the member's available and held points and the purchase it was for.
#pragma once

#include <vector>

#include "loyalty/core/member_history.h"

namespace soci {
class session;
}

namespace patron::store {

std::vector<core::HistoryItem> member_history(soci::session& sql, long long member_id, long long before_transfer_id,
                                              int limit);

}  // namespace patron::store
