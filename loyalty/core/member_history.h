// A member's history as the member reads it: each ledger movement of their points, with the
// purchase it belongs to and one sentence in the member's language saying what happened
// ("Earned +330 points on receipt 1532 at S001"; Persian with Persian digits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "loyalty/core/time.h"
#include "loyalty/core/wording.h"

namespace patron::core {

struct HistoryPurchase {
    std::string kind;  // "purchase" or "return".
    std::string store;
    std::string receipt;
    std::string business_day;
    std::int64_t total = 0;
    std::string currency;
};

struct HistoryItem {
    std::int64_t transfer_id = 0;
    std::string kind;  // The ledger transfer's kind: earn, release, redeem, refund, reverse, expire, adjust, merge.
    std::string rule_id;
    int rule_version = 0;
    Timestamp at{};
    std::int64_t available = 0;  // What the movement did to the member's available points.
    std::int64_t pending = 0;    // ... and to their points on hold.
    std::optional<HistoryPurchase> purchase;
    std::string note;  // A support adjustment's reason.
};

std::string describe(const HistoryItem& item, Language language);

}  // namespace patron::core
