// A member's ledger movements, newest first, a page at a time (keyset: before a transfer id),
// each with what it did to the member's available and held points (or wallet) and the purchase
// it was for; the changes of their stamp cards and the coupons they used, newest first. Every
// page is read through an index on the member, and a filtered one looks at a bounded number of
// the member's entries, so no page costs more with a longer history.
#pragma once

#include <span>
#include <vector>

#include "loyalty/core/member_history.h"

namespace soci {
class session;
}

namespace patron::store {

std::vector<core::HistoryItem> member_history(soci::session& sql, long long member_id, long long before_transfer_id,
                                              int limit, core::HistoryBook book = core::HistoryBook::kPoints);

// How many of the member's ledger entries one page of member_movements looks at, at most.
inline constexpr int kMovementEntriesScannedMax = 1000;

struct MovementPage {
    std::vector<core::HistoryItem> items;
    // Set when fewer than `limit` movements matched among the most entries a page looks at: the
    // oldest transfer looked at, where the next page goes on. 0 when nothing older is left.
    long long scanned_to = 0;
};

// Up to `limit` movements older than transfer `before` whose transfer kind is one of `kinds` (any
// when empty), newest first, from the member's newest kMovementEntriesScannedMax entries before it.
MovementPage member_movements(soci::session& sql, long long member_id, core::HistoryBook book,
                              std::span<const char* const> kinds, long long before, int limit);

// The newest `limit` stamp card changes older than the change whose list id (StampHistoryItem::id)
// is `before` (0: the newest); nothing when `before` is no change of this member. Card names are
// left for the caller.
std::vector<core::StampHistoryItem> stamp_history(soci::session& sql, long long member_id, int limit,
                                                  long long before = 0);

// The newest `limit` coupons the member used, older than redemption `before` (0: the newest).
std::vector<core::CouponHistoryItem> coupon_history(soci::session& sql, long long member_id, int limit,
                                                    long long before = 0);

// The newest `limit` draw entries the member was given, older than entry `before` (0: the newest),
// with the draw's name, the code as printed or the purchase.
std::vector<core::DrawHistoryItem> draw_history(soci::session& sql, long long member_id, int limit,
                                                long long before = 0);
}  // namespace patron::store
