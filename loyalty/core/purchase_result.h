// What a committed purchase did for the member, as the POS is told: points and cashback moved,
// the balances after it, each effect with its rule, and the lines to print on the receipt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/engine.h"
#include "loyalty/core/money.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/time.h"
#include "loyalty/core/wording.h"

namespace patron::core {

struct MemberSummary {
    std::int64_t id;
    std::string masked_name;
    std::string tier;
};

// The signed link a till prints as a QR code for the customer to rate the visit (no member identity in it).
struct FeedbackInvite {
    std::string token;
    std::string link;  // The public base URL's /portal/#rate=TOKEN, or the path alone without one.
    Timestamp expires_at{};
};

// The points a quote set aside for its commit.
struct QuoteHoldSummary {
    std::string quote_id;
    std::int64_t points = 0;
    Timestamp expires_at{};
};

// A commit measured against the quote it names: whether it gave what the quote said, and if not why.
struct QuoteCheck {
    struct Difference {
        std::string field;  // "points.earned", "points.redeemed".
        std::int64_t quoted = 0;
        std::int64_t committed = 0;
    };
    std::string quote_id;
    std::vector<Difference> differences;
    std::vector<std::string> reasons;
    bool matches() const { return differences.empty(); }
};

// A coupon redemption a return or void gave back (the code is usable again if still valid).
struct CouponGivenBack {
    std::string code;
    std::int64_t campaign_id = 0;
    std::int64_t discount = 0;
    std::int64_t bonus_points = 0;
};

// An anonymous purchase's receipt as a member claims it: the till prints it as a QR code that the
// member portal reads, so nobody types the store, till, day, number and total.
struct ClaimInvitation {
    ReceiptKey key;
    std::int64_t total = 0;
};

// The QR code's text: JSON naming the receipt, {"patron": "receipt", "store", "terminal",
// "business_day", "receipt", "total"}.
std::string claim_code(const ClaimInvitation& invitation);

struct PurchaseResult {
    std::int64_t purchase_id = 0;
    std::optional<MemberSummary> member;
    std::int64_t points_earned = 0;
    std::int64_t points_redeemed = 0;
    std::int64_t redeemed_value = 0;  // What the redeemed points paid, in `currency`'s minor units.
    std::int64_t points_available = 0;
    std::int64_t points_pending = 0;
    std::int64_t cashback_earned = 0;
    std::int64_t cashback_spent = 0;
    std::int64_t cashback_balance = 0;
    std::int64_t cashback_available = 0;  // The wallet before the purchase: what it could pay.
    Currency currency{"IRR", 0};
    std::vector<CouponDiscount> coupons_redeemed;
    std::vector<CouponGivenBack> coupons_given_back;
    std::vector<CouponIssued> coupons_issued;
    std::vector<StampCardSummary> stamps;
    std::vector<Effect> effects;
    std::vector<std::string> receipt_lines;
    Language language = Language::kEnglish;  // The program's: the receipt's words.
    bool quote = false;                      // Nothing was written (purchase_id is null in the answer).
    std::optional<QuoteHoldSummary> hold;    // A quote's hold.
    std::optional<QuoteCheck> quote_check;   // A commit that named a quote.
    std::optional<ClaimInvitation> claim;    // An anonymous purchase a member can still claim.
    std::optional<FeedbackInvite> feedback;  // A committed purchase the customer may rate.
    // The receipt invites the customer to rate the visit: a commit with its link, and the quote of
    // one, which shows the receipt as the commit will print it.
    bool feedback_invited = false;
};

// The receipt lines for a result: each effect's line, then the member's new balance, then the
// invitation to rate the visit.
std::vector<std::string> receipt_lines_for(const PurchaseResult& result);

}  // namespace patron::core
