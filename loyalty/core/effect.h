// What a purchase, return or void did, one effect at a time: each names the rule (or campaign,
// cashback rule, stamp card) and version behind it, and carries its receipt line, so every
// point, stamp and unit of cashback can be explained.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/receipt_text.h"
#include "loyalty/core/time.h"

namespace patron::core {

// Earnings and redemptions come from evaluate(); reversals (a return taking back what its lines
// earned, amount negative) and refunds (a return giving back redeemed points) from returns.
// Coupons add a discount (amount and value_minor: minor units off the basket), a bonus (an
// earning under rule id "coupon:CAMPAIGN"), and on a return or void the discount given back.
enum class EffectKind {
    kEarnPoints,
    kRedeemPoints,
    kReversePoints,
    kRefundPoints,
    kTierChange,
    kCouponDiscount,
    kCouponGivenBack,
    kEarnCashback,     // amount: minor units credited to the wallet.
    kSpendCashback,    // amount: minor units of the wallet paying for the basket.
    kReverseCashback,  // A return taking back what its lines earned.
    kRefundCashback,   // A return giving back cashback the purchase spent.
    kStamps,           // amount: stamps given; count_after and goal: the card after them.
    kStampsExpired,    // amount: stamps of a card that ran out of time before this purchase.
    kStampReward,      // A filled card's coupon reward (a points reward is a kEarnPoints "stamps:ID").
    kStampsRemoved,    // A return taking back the stamps its lines gave.
    kStampRewardRevoked,
    kDrawEntries,         // amount: a prize draw's entries given (rule id "draw:ID"; count_after: hers after).
    kDrawEntriesRemoved,  // amount: entries a return took back before the draw.
};

inline constexpr std::array kEffectKinds{
    EffectKind::kEarnPoints,         EffectKind::kRedeemPoints,   EffectKind::kReversePoints,
    EffectKind::kRefundPoints,       EffectKind::kTierChange,     EffectKind::kCouponDiscount,
    EffectKind::kCouponGivenBack,    EffectKind::kEarnCashback,   EffectKind::kSpendCashback,
    EffectKind::kReverseCashback,    EffectKind::kRefundCashback, EffectKind::kStamps,
    EffectKind::kStampsExpired,      EffectKind::kStampReward,    EffectKind::kStampsRemoved,
    EffectKind::kStampRewardRevoked, EffectKind::kDrawEntries,    EffectKind::kDrawEntriesRemoved};

// The kind as a till reads it in an answer's effects ("earn_points", ...): the only place it is spelled.
std::string_view to_string(EffectKind kind);
// Never as a JSON number: nlohmann would write an enum as its integer, so an answer must spell it
// with to_string (writing one straight into JSON does not compile).
void to_json(nlohmann::json&, EffectKind) = delete;

// The kind spelled so (exactly, case included); nullopt for any other text.
std::optional<EffectKind> parse_effect_kind(std::string_view spelling);

// An item of a collection a purchase brought to its card, and the line that brought it.
struct CollectedItem {
    std::string item;
    int line = 0;
};

struct Effect {
    EffectKind kind;
    std::string rule_id;
    int rule_version;
    std::int64_t amount;           // Points for point effects (positive for both earning and redeeming).
    ReceiptLine receipt_line;      // At most 40 characters, ready to print.
    std::int64_t raw_milli = 0;    // For earnings: the exact points before rounding, in thousandths.
    bool capped = false;           // For earnings: a limit or budget cut the points.
    std::int64_t value_minor = 0;  // For a redemption: what the points paid, in the purchase's currency.
    std::string tier = {};         // For a tier change: the new tier (amount: the progress that reached it).
    std::int64_t count_after = 0;  // For stamps: the card's stamps (a collection's items) after this effect.
    std::int64_t goal = 0;         // For stamps: the stamps that fill the card.
    std::int64_t campaign_id = 0;  // For a coupon reward: the campaign whose code is issued.
    std::vector<CollectedItem> items = {};  // For a collection's stamps: the items this purchase brought.
};

// A stamp card being filled: its stamps (negative: a deficit a return left) and when its first
// stamp came (a card with a lifetime starts over once that has passed).
// A collection's progress also holds, per item of its set, 1 (on this card) or a negative number
// (owed: a return took the item back after the card it completed had paid a reward already used,
// and the next that many of it count for nothing); items at 0 are left out. Its stamps are then
// the sum of these: what its events less its rewards' goals come to.
struct StampProgress {
    std::int64_t stamps = 0;
    std::optional<Timestamp> started_at;
    std::map<std::string, std::int64_t> items = {};
};

}  // namespace patron::core
