// Events other systems hear about (issue 21): what changed, as the outbox keeps it in the same
// transaction as the change, so that an event exists if and only if its change committed. Each
// type's data is versioned: a change that would break a reader is a new version of the type.
// Members are named by id only; the data holds ids, amounts, currencies and campaign ids, never
// personal data in clear and never a coupon's code (a code is worth money to whoever reads it).
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/purchase.h"
#include "loyalty/core/purchase_result.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

enum class EventType {
    kMemberEnrolled,
    kMemberUpdated,
    kMemberErased,
    kMemberMerged,
    kPurchaseCommitted,
    kPurchaseReturned,
    kPurchaseVoided,
    kPointsAdjusted,
    kPointsExpiring,
    kPointsExpired,
    kTierChanged,
    kRewardIssued,
    kCouponIssued,
    kCouponRedeemed,
    kStampCardCompleted,
    kCashbackCredited,
    kPurchaseClaimed,
    kFraudSignalRaised,
    kDrawWon,
};

inline constexpr std::array<EventType, 19> kEventTypes = {
    EventType::kMemberEnrolled,   EventType::kMemberUpdated,     EventType::kMemberErased,
    EventType::kMemberMerged,     EventType::kPurchaseCommitted, EventType::kPurchaseReturned,
    EventType::kPurchaseVoided,   EventType::kPointsAdjusted,    EventType::kPointsExpiring,
    EventType::kPointsExpired,    EventType::kTierChanged,       EventType::kRewardIssued,
    EventType::kCouponIssued,     EventType::kCouponRedeemed,    EventType::kStampCardCompleted,
    EventType::kCashbackCredited, EventType::kPurchaseClaimed,   EventType::kFraudSignalRaised,
    EventType::kDrawWon,
};

std::string_view to_string(EventType type);  // "purchase_committed", ...
std::optional<EventType> parse_event_type(std::string_view name);

struct Event {
    EventType type;
    int version = 1;
    long long program_id = 0;
    std::optional<long long> member_id;
    Timestamp occurred_at{};
    nlohmann::json data = nlohmann::json::object();
};

// A committed purchase, return or void, from the answer the till was given: data {purchase_id,
// store, terminal, business_day, receipt, currency, total (minor units; negative for what a return
// or void gave back), points_earned, points_redeemed, redeemed_value, cashback_earned,
// cashback_spent, the member's points_available, points_pending and cashback_balance after it (0
// for an anonymous purchase), coupons_redeemed and coupons_issued (campaign ids), stamps (card id
// and stamps given)}, and for a return or void original_purchase_id. A member's claim of an anonymous
// purchase (kPurchaseClaimed) has the purchase's id, receipt and total and what the claim gave her. Without a member,
// not the receipt's number nor its total: with them anyone could claim the purchase.
struct PosChange {
    EventType type = EventType::kPurchaseCommitted;  // Or kPurchaseReturned, kPurchaseVoided, kPurchaseClaimed.
    long long program_id = 0;
    ReceiptKey key;
    std::int64_t total = 0;
    std::optional<long long> member_id;
    std::optional<long long> original_purchase_id;
};
Event pos_event(const PosChange& change, const PurchaseResult& result, Timestamp now);

// The events a committed purchase raises after its purchase_committed, each with the purchase's
// id: coupon_redeemed for each coupon it redeemed {campaign_id, currency, discount, bonus_points};
// stamp_card_completed for each card it filled {stamp_card, name, goal, rewards (cards filled)};
// reward_issued for each filled card's reward {stamp_card, kind "points" or "coupon", points,
// campaign_id}; coupon_issued for each coupon it won {campaign_id, source "stamp_card",
// stamp_card}; cashback_credited {currency, amount, cashback_balance} when it earned cashback; and
// tier_changed {from, to, direction "upgrade", cause "purchase", progress} when it lifted the
// member's tier from `tier_before`.
std::vector<Event> purchase_follow_on_events(const PosChange& change, const PurchaseResult& result,
                                             std::string_view tier_before, Timestamp now);

// A member's tier changed: data {member_id, from, to, direction ("upgrade" or "downgrade"), cause
// ("purchase" or "review", the end of a qualifying period), progress (the measure that decided
// it), purchase_id (the purchase that lifted it, or null)}.
struct TierMove {
    long long program_id = 0;
    long long member_id = 0;
    std::string from;
    std::string to;
    bool upgrade = true;
    std::string_view cause = "review";
    std::int64_t progress = 0;
    std::optional<long long> purchase_id;
};
Event tier_changed_event(const TierMove& move, Timestamp now);

// A coupon given to a member by staff ("staff"), a campaign's issue to a segment ("segment") or a
// marketer's trigger ("trigger"): data {member_id, campaign_id, source, stamp_card null, purchase_id
// null}. Never the code. A filled stamp card's coupon (source "stamp_card") is not raised here but
// by purchase_follow_on_events, with its stamp_card and purchase_id and without member_id.
Event coupon_issued_event(long long program_id, long long member_id, long long campaign_id, std::string_view source,
                          Timestamp now);

// Points that expired at their time: data {member_id, transfer_id, points, points_available after}.
Event points_expired_event(long long program_id, long long member_id, long long transfer_id, std::int64_t points,
                           std::int64_t points_available, Timestamp now);

// Points that will expire soon, raised once for each lot (lots expiring at the same instant
// together): data {member_id, points, expires_at (RFC 3339), last_day (the last day to spend them in
// the programme's time zone, YYYY-MM-DD), lots}.
struct PointsExpiring {
    long long program_id = 0;
    long long member_id = 0;
    std::int64_t points = 0;
    Timestamp expires_at{};
    LocalDate last_day{};
    int lots = 0;
};
Event points_expiring_event(const PointsExpiring& expiring, Timestamp now);
// A member enrolled, updated (data: the names of the fields the update sent, never their values)
// or erased.
Event member_event(EventType type, long long program_id, long long member_id, Timestamp now,
                   const std::vector<std::string>& fields_sent = {});

// A member's record merged into another's (support merges duplicates): her personal data is gone,
// her points, cashback, purchases and cards are the survivor's. data {member_id, into_member_id}.
Event member_merged_event(long long program_id, long long merged_id, long long survivor_id, Timestamp now);

// Points staff added or took away: data {member_id, transfer_id, points (signed), points_available
// after}. Not the reason: staff write it as free text, which may name the member.
Event points_adjusted_event(long long program_id, long long member_id, long long transfer_id, std::int64_t points,
                            std::int64_t points_available, Timestamp now);

// A fraud signal raised (fraud.h): data {signal_id, kind, action ("flag", "hold" or "block"),
// purchase_id (the operation that raised it, or null), evidence (as the review queue shows it:
// ids, counts, times, a card's last four digits; never personal data)}.
struct RaisedSignal {
    long long program_id = 0;
    long long signal_id = 0;
    std::optional<long long> member_id;
    std::optional<long long> purchase_id;
    std::string_view kind;
    std::string_view action;
    nlohmann::json evidence;
};
Event fraud_signal_raised_event(const RaisedSignal& signal, Timestamp now);

// A prize draw placed a member (draws.h): data {member_id, draw_id, draw_name, place (1-based),
// prize (its name; null for a reserve place), state ("won" or "reserve"), claim_by (RFC 3339, or
// null for a reserve)}. Raised when the draw is run, for every place, in its transaction.
struct DrawPlacing {
    long long program_id = 0;
    long long member_id = 0;
    long long draw_id = 0;
    std::string draw_name;
    std::int64_t place = 0;  // 0-based, as drawn.
    std::optional<std::string> prize;
    std::optional<Timestamp> claim_by;
};
Event draw_won_event(const DrawPlacing& placing, Timestamp now);

}  // namespace patron::core
