// A member's history as the member reads it: each ledger movement of their points and of their
// cashback wallet, and each change of their stamp cards, with the purchase it belongs to and one
// sentence in the member's language saying what happened ("Earned +330 points on receipt 1532 at
// Tehran Central", "Cashback +4,500 IRR on receipt 1532 at Tehran Central", "+2 stamps on Coffee
// card", "Coupon SUMMER25: 100,000 IRR off on receipt 1532 at Tehran Central"; Persian with
// Persian digits). A store is named as its members know it, by its name, not its code.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "loyalty/core/money.h"
#include "loyalty/core/time.h"
#include "loyalty/core/wording.h"

namespace patron::core {

struct HistoryPurchase {
    std::string kind;  // "purchase" or "return".
    std::string store;  // Its code, as the till sends it.
    std::string receipt;
    std::string business_day;
    std::int64_t total = 0;
    std::string currency;
    std::string store_name = {};  // As the programme named the store; empty: the sentences name its code.
};

// Which ledger a movement is in.
enum class HistoryBook { kPoints, kCashback };

struct HistoryItem {
    HistoryBook book = HistoryBook::kPoints;
    std::int64_t transfer_id = 0;
    std::string kind;  // The ledger transfer's kind: earn, release, redeem, refund, reverse, expire, adjust, merge.
    std::string rule_id;
    int rule_version = 0;
    Timestamp at{};
    std::int64_t available = 0;  // What the movement did to the member's available points (or wallet).
    std::int64_t pending = 0;    // ... and to their points on hold.
    std::optional<HistoryPurchase> purchase;
    std::string note;  // A support adjustment's reason.
};

// The lists a member's history can be narrowed to (?kind=): points earned, spent, expired,
// returned and adjusted (each some kinds of ledger transfer), the cashback wallet's movements,
// the stamp cards' changes, the coupons used and the prize draws' entries.
enum class HistoryList { kEarned, kSpent, kExpired, kReturned, kAdjusted, kCashback, kStamps, kCoupons, kDraws };

// "earned", "spent", ... as the query names them; nullopt for any other text.
std::optional<HistoryList> parse_history_list(std::string_view name);
std::string_view to_string(HistoryList list);
// The list names in order, for messages and documentation: "earned, spent, ..., coupons".
std::string history_list_names();
// The points ledger's transfer kinds a points list holds (earned: earn, release, bonus and referral, the points
// becoming available; returned: reverse, refund and referral_back; adjusted: adjust and merge); empty for the
// cashback, stamp and coupon lists.
std::span<const char* const> transfer_kinds(HistoryList list);

// `currency`: the program's, for cashback movements without a purchase.
std::string describe(const HistoryItem& item, Language language, const Currency& currency = Currency{"IRR", 0});

// A change of a stamp card: stamps given, taken back by a return, expired, forgiven, moved by a
// merge; or a reward the card paid ("reward") or that a return revoked ("revoked").
struct StampHistoryItem {
    std::int64_t id = 0;  // Its own number in the member's stamp list, which pages it.
    std::string card_id;
    std::string card_name;  // The card's name in the rules in force (its id when it is gone).
    std::string item = {};  // A collection's item the change brought or took back.
    std::string item_name = {};  // Its name in the rules in force (its id when it is gone).
    std::string kind;
    std::int64_t stamps = 0;
    Timestamp at{};
    std::optional<HistoryPurchase> purchase;
};

std::string describe(const StampHistoryItem& item, Language language);

// A coupon the member used: its discount (or bonus points), and whether a return gave it back.
struct CouponHistoryItem {
    std::int64_t id = 0;
    std::string code;
    std::int64_t campaign_id = 0;
    int campaign_version = 0;
    std::int64_t discount = 0;
    std::int64_t bonus_points = 0;
    bool given_back = false;
    Timestamp at{};
    std::optional<HistoryPurchase> purchase;
};

std::string describe(const CouponHistoryItem& item, Language language, const Currency& currency);

// Entries a prize draw gave the member, for a purchase or a packaging code she entered, and what
// a return took back of them.
struct DrawHistoryItem {
    std::int64_t id = 0;  // The entry's own number, which pages the list.
    std::int64_t draw_id = 0;
    std::string draw_name;
    std::string code;  // The packaging code as printed ("XXXX-XXXX-XXXX"); empty for a purchase's.
    std::int64_t earned = 0;
    std::int64_t entries = 0;  // What is left of them after returns.
    Timestamp at{};
    std::optional<HistoryPurchase> purchase;
};

// "+3 entries in Summer draw on receipt 1532 at S001", "+2 entries in Summer draw for code
// ABCD-EFGH-JKLM", with "; 1 taken back by a return" when one was.
std::string describe(const DrawHistoryItem& item, Language language);

}  // namespace patron::core
