// What ties a quote to its commit: the hold a quote places on the points it would spend (so the
// commit cannot fail for lack of balance), and the check of the commit against what the quote
// said, with the reasons a result can differ (another basket, newer rules, a new tier, a hold
// that ran out). Used inside PurchaseService's transactions.
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/purchase_result.h"
#include "loyalty/store/pos/quote_hold_store.h"

namespace patron::service {

// The SHA-256 of what a quote is about: card, lines, total and points to spend (not the receipt
// number or the time, which a till may only fix at commit).
crypto::Bytes basket_digest(const core::Purchase& purchase);

// A quote's named hold, as the commit can use it: the hold, or why it cannot.
struct NamedHold {
    std::optional<store::QuoteHold> hold;  // Present when it is this member's, at this store.
    bool live = false;                     // Not expired and not used: its points are reserved for this commit.
    std::vector<std::string> reasons;      // Why the commit may differ from the quote.
};
NamedHold named_hold(const std::optional<store::QuoteHold>& found, long long store_id, long long member_id,
                     core::Timestamp now);

// The commit's result measured against the quote.
core::QuoteCheck check_against_quote(const std::string& quote_id, const NamedHold& named,
                                     const core::Purchase& purchase, const core::PurchaseResult& result,
                                     int rule_set_version, const std::string& tier_before);

}  // namespace patron::service
