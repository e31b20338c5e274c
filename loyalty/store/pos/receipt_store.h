// The receipt numbers a terminal used on one business day: those of the operations Patron
// committed (purchases, returns, voids) and those it was told were canceled at the till.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "loyalty/core/purchase.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct DayReceipts {
    std::vector<std::string> committed;  // Purchases, returns and voids.
    std::vector<std::string> skipped;    // Canceled at the till: numbers used for nothing.
};

// At most `limit` of each kind, lowest receipt first (a terminal's day is bounded in practice).
DayReceipts find_day_receipts(soci::session& sql, long long store_id, const std::string& terminal,
                              std::chrono::year_month_day business_day, int limit);

// Remembers that the till used this receipt number for something that earns nothing; a number
// already recorded (or committed) is left as it is.
void insert_skipped_receipt(soci::session& sql, long long store_id, const core::ReceiptKey& key,
                            const std::string& reason, core::Timestamp now);

}  // namespace patron::store
