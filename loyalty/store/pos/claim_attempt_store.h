// Claims of receipts, counted over a day: those by members that failed (unknown receipt, wrong
// total, already credited, too late), so that guessing other shoppers' receipt numbers runs out
// fast, and those that credited a purchase, by the member or by staff. Both keep a portal claim's
// network address as a blind index (16 bytes, given here in hex), never the address, for the
// fraud policy's claim_harvesting (core/fraud.h).
#pragma once

#include <optional>
#include <string>

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

void insert_failed_claim(soci::session& sql, long long member_id, const std::optional<std::string>& address_key,
                         core::Timestamp at);
long long count_failed_claims(soci::session& sql, long long member_id, core::Timestamp since);
// Forgets failures older than `before`, at most `limit`; how many.
long long forget_failed_claims(soci::session& sql, core::Timestamp before, int limit);

struct PurchaseClaim {
    long long purchase_id = 0;
    long long member_id = 0;
    long long store_id = 0;
    std::string terminal;
    std::optional<std::string> address_key;  // Hex; staff claims have none.
};
void insert_purchase_claim(soci::session& sql, const PurchaseClaim& claim, core::Timestamp at);
// A purchase's till as the till wrote it (a claim may spell its codes in another case): its
// store's code and its terminal.
struct PurchaseTill {
    std::string store;
    std::string terminal;
};
PurchaseTill purchase_till(soci::session& sql, long long purchase_id);
// Forgets credited claims older than `before`, at most `limit`; how many.
long long forget_purchase_claims(soci::session& sql, core::Timestamp before, int limit);

// What claim_harvesting counts since an instant, each count stopping at `cap` (its threshold: no
// more is read than decides it); a count asked with a cap of 0 is not read.
struct ClaimCountCaps {
    int member_claims = 0;
    int member_failures = 0;
    int address_claims = 0;  // Credited and failed.
    int terminal_claims = 0;
};
struct ClaimCounts {
    long long member_claims = 0;
    long long member_failures = 0;
    long long address_claims = 0;
    long long terminal_claims = 0;
};
ClaimCounts count_claims(soci::session& sql, const PurchaseClaim& subject, core::Timestamp since,
                         const ClaimCountCaps& caps);

}  // namespace patron::store
