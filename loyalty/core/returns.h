// Returns and voids, as arithmetic: which share of a purchase's earnings, redemption and
// amounts a return of some of its lines takes back. Pure: the service reads the original
// purchase and its lots, asks here, and writes what comes back.
//
// Every earning is split over the lines that earned it when the purchase is committed
// (allocate_earnings), so a return reverses exactly what its lines earned, with the rule version
// that gave it. Returned quantities accumulate per line, and each return takes the difference
// between the shares of what is returned after it and before it (rounded down), so several
// partial returns of a line add up to exactly one full return: never more than was earned,
// bought or paid with points.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/engine.h"
#include "loyalty/core/error.h"
#include "loyalty/core/points.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_set.h"

namespace patron::core {

// A line of the original purchase, with how much of it was returned before.
struct OriginalLine {
    int line;
    std::int64_t quantity_milli;
    std::int64_t net_amount;
    std::int64_t returned_milli;
    std::string sku = {};
};

// A returned line names the original line by number, or (line 0) by SKU: then the quantity is
// taken from that SKU's lines in line order, each up to what is left of it.
struct ReturnedLine {
    int line;
    std::int64_t quantity_milli;
    std::string sku = {};  // Set when `line` is 0.
};

struct ReturnRequest {
    ReceiptKey key;  // The return's own receipt.
    PosTime pos_time;
    Currency currency;
    ReceiptKey original;              // The purchase it returns goods of.
    std::vector<ReturnedLine> lines;  // Empty for a void.
    bool is_void = false;
    // A blind return names no original receipt (where the program allows it): the member's card
    // and the goods as purchase lines; it takes back what those goods earn under today's rules.
    bool blind = false;
    std::optional<std::string> card = {};
    std::vector<PurchaseLine> goods = {};
    std::int64_t total = 0;
};

// An earning lot of the original purchase, and which line put how many points into it.
struct LotShare {
    std::int64_t lot_id;
    int line;
    std::int64_t points;
};

struct ReturnPlan {
    std::vector<ReturnedLine> lines;                  // What this return takes back (a void: every remaining unit).
    std::vector<std::int64_t> line_amounts;           // Money per returned line, in the purchase's minor units.
    std::int64_t amount = 0;                          // Their sum.
    std::int64_t amount_before = 0;                   // Money of the purchase returned before this return.
    std::map<std::int64_t, std::int64_t> lot_points;  // Lot id -> points to reverse (only positive ones).
    std::int64_t refund_points = 0;                   // Points the purchase redeemed that go back to the member.
    std::int64_t refund_value = 0;                    // What those points had paid.
};

// Plans a return of `requested` (or, for a void, of everything not yet returned). LINE_NOT_IN_RECEIPT,
// RETURN_EXCEEDS_PURCHASE (naming lines[i].quantity), VALIDATION_FAILED for a line listed twice,
// ALREADY_VOIDED when a void finds nothing left.
Result<ReturnPlan> plan_return(const std::vector<OriginalLine>& original, const std::vector<ReturnedLine>& requested,
                               bool is_void, const std::vector<LotShare>& shares, std::int64_t points_redeemed,
                               std::int64_t redeemed_value, std::int64_t original_total);

// What a return does to the cashback of its purchase: per earning (LotShare::lot_id holds the
// earning's transfer id) the share of what the returned lines earned, and the part of what the
// wallet paid that comes back, in proportion to the money returned (like points paid).
struct CashbackReturnPlan {
    std::map<std::int64_t, std::int64_t> reverse;  // Earning transfer id -> amount to take back.
    std::int64_t refund = 0;
};
CashbackReturnPlan plan_cashback_return(const std::vector<OriginalLine>& original, const ReturnPlan& plan,
                                        const std::vector<LotShare>& shares, std::int64_t spent,
                                        std::int64_t original_total);

// The stamps a return takes back: per card, of what each returned line gave (a share per
// quantity), and the visit stamps of a purchase whose basket the return leaves below the
// card's threshold. `given` holds per card and line (line 0: a visit) the stamps still standing.
struct StampsGiven {
    std::string card_id;
    int line = 0;
    std::int64_t stamps = 0;
    std::int64_t threshold = 0;  // For a visit: the basket it needed.
    std::string item = {};       // For a collection: the item the line brought (off once the line is all returned).
};
// The answer: the stamps taken back per card and line.
std::vector<StampsGiven> plan_stamp_return(const std::vector<OriginalLine>& original, const ReturnPlan& plan,
                                           const std::vector<StampsGiven>& given);

// What one lot can give back when a return reverses `points` of it.
struct LotState {
    std::int64_t remaining = 0;         // Still in the lot (pending or available).
    std::int64_t spent_unclaimed = 0;   // Spent from the lot and not yet charged back by a return.
    bool pending = false;               // The lot is still on hold (its points are not in the available balance).
    std::int64_t member_available = 0;  // The member's available balance before this reversal.
};

struct LotReversal {
    std::int64_t from_lot = 0;   // Taken out of the lot.
    std::int64_t charged = 0;    // Spent points taken from the available balance instead (from the member's
                                 // other lots first; policy allow: the balance may go negative).
    std::int64_t shortfall = 0;  // Spent points not taken (policy clamp, beyond the balance): recorded.
    std::int64_t expired = 0;    // Points that had expired: already gone, nothing to take.
};

// Takes first what is still in the lot, then the spent part from the available balance (all of it
// under the allow policy; down to zero under clamp, recording the rest), and treats the rest as
// expired.
LotReversal plan_lot_reversal(std::int64_t points, const LotState& lot, NegativeBalancePolicy policy);

}  // namespace patron::core
