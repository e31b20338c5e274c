// A member's ledger movements, newest first, a page at a time (keyset: before a transfer id),
// each with what it did to the member's available and held points (or wallet) and the purchase
// it was for; and the changes of their stamp cards, newest first.
#pragma once

#include <vector>

#include "loyalty/core/member_history.h"

namespace soci {
class session;
}

namespace patron::store {

std::vector<core::HistoryItem> member_history(soci::session& sql, long long member_id, long long before_transfer_id,
                                              int limit, core::HistoryBook book = core::HistoryBook::kPoints);

// The newest `limit` stamp card changes (card names are left for the caller).
std::vector<core::StampHistoryItem> stamp_history(soci::session& sql, long long member_id, int limit);

// The newest `limit` coupons the member used.
std::vector<core::CouponHistoryItem> coupon_history(soci::session& sql, long long member_id, int limit);

}  // namespace patron::store
