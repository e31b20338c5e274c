#include "loyalty/core/events.h"

#include <algorithm>
#include <array>
#include <utility>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/stamps.h"

namespace patron::core {

namespace {

nlohmann::json optional_id(const std::optional<long long>& id) { return id ? nlohmann::json(*id) : nlohmann::json(); }

// An event about one member, version 1, whose data names her (member_id) beside `data`.
Event about_member(EventType type, long long program_id, long long member_id, Timestamp now, nlohmann::json data) {
    data["member_id"] = member_id;
    return Event{type, 1, program_id, member_id, now, std::move(data)};
}

// Points a ledger transfer moved for a member: data {member_id, transfer_id, points, points_available after}.
Event points_moved(EventType type, long long program_id, long long member_id, long long transfer_id,
                   std::int64_t points, std::int64_t points_available, Timestamp now) {
    return about_member(type, program_id, member_id, now,
                        {{"transfer_id", transfer_id}, {"points", points}, {"points_available", points_available}});
}

}  // namespace

std::string_view to_string(EventType type) {
    switch (type) {
        case EventType::kMemberEnrolled:
            return "member_enrolled";
        case EventType::kMemberUpdated:
            return "member_updated";
        case EventType::kMemberErased:
            return "member_erased";
        case EventType::kMemberMerged:
            return "member_merged";
        case EventType::kPurchaseCommitted:
            return "purchase_committed";
        case EventType::kPurchaseReturned:
            return "purchase_returned";
        case EventType::kPurchaseVoided:
            return "purchase_voided";
        case EventType::kPointsAdjusted:
            return "points_adjusted";
        case EventType::kPointsExpiring:
            return "points_expiring";
        case EventType::kPointsExpired:
            return "points_expired";
        case EventType::kTierChanged:
            return "tier_changed";
        case EventType::kRewardIssued:
            return "reward_issued";
        case EventType::kCouponIssued:
            return "coupon_issued";
        case EventType::kCouponRedeemed:
            return "coupon_redeemed";
        case EventType::kStampCardCompleted:
            return "stamp_card_completed";
        case EventType::kCashbackCredited:
            return "cashback_credited";
        case EventType::kPurchaseClaimed:
            return "purchase_claimed";
        case EventType::kFraudSignalRaised:
            return "fraud_signal_raised";
        case EventType::kDrawWon:
            return "draw_won";
    }
    return "unknown";
}

std::optional<EventType> parse_event_type(std::string_view name) {
    for (const EventType type : kEventTypes) {
        if (to_string(type) == name) return type;
    }
    return std::nullopt;
}

Event pos_event(const PosChange& change, const PurchaseResult& result, Timestamp now) {
    nlohmann::json coupons_redeemed = nlohmann::json::array();
    for (const CouponDiscount& coupon : result.coupons_redeemed) {
        coupons_redeemed.push_back({{"campaign_id", coupon.campaign_id},
                                    {"discount", coupon.discount},
                                    {"bonus_points", coupon.bonus_points}});
    }
    for (const CouponGivenBack& coupon : result.coupons_given_back) {
        coupons_redeemed.push_back({{"campaign_id", coupon.campaign_id},
                                    {"discount", -coupon.discount},
                                    {"bonus_points", -coupon.bonus_points}});
    }
    nlohmann::json coupons_issued = nlohmann::json::array();
    for (const CouponIssued& coupon : result.coupons_issued) {
        coupons_issued.push_back({{"campaign_id", coupon.campaign_id}, {"stamp_card", coupon.card_id}});
    }
    nlohmann::json stamps = nlohmann::json::array();
    for (const StampCardSummary& card : result.stamps) {
        stamps.push_back({{"stamp_card", card.card_id}, {"stamps", card.stamps}, {"rewards", card.rewards_earned}});
    }
    Event event{change.type, 1, change.program_id, change.member_id, now, nlohmann::json::object()};
    event.data = {{"purchase_id", result.purchase_id},
                  {"store", change.key.store},
                  {"terminal", change.key.terminal},
                  {"business_day", format_date(change.key.business_day)},
                  {"receipt", change.key.receipt},
                  {"currency", std::string(result.currency.code)},
                  {"total", change.total},
                  {"points_earned", result.points_earned},
                  {"points_redeemed", result.points_redeemed},
                  {"redeemed_value", result.redeemed_value},
                  {"cashback_earned", result.cashback_earned},
                  {"cashback_spent", result.cashback_spent},
                  {"points_available", result.points_available},
                  {"points_pending", result.points_pending},
                  {"cashback_balance", result.cashback_balance},
                  {"coupons_redeemed", std::move(coupons_redeemed)},
                  {"coupons_issued", std::move(coupons_issued)},
                  {"stamps", std::move(stamps)}};
    if (!change.member_id) {
        // A receipt's number and total are what a member shows to claim an anonymous purchase
        // (the portal's claims): whoever reads the event must not be able to claim it.
        event.data.erase("receipt");
        event.data.erase("total");
    }
    if (change.type == EventType::kPurchaseReturned || change.type == EventType::kPurchaseVoided) {
        event.data["original_purchase_id"] = optional_id(change.original_purchase_id);
    }
    return event;
}

Event member_event(EventType type, long long program_id, long long member_id, Timestamp now,
                   const std::vector<std::string>& fields_sent) {
    Event event{type, 1, program_id, member_id, now, {{"member_id", member_id}}};
    if (type == EventType::kMemberUpdated) event.data["fields"] = fields_sent;
    return event;
}

Event member_merged_event(long long program_id, long long merged_id, long long survivor_id, Timestamp now) {
    return about_member(EventType::kMemberMerged, program_id, merged_id, now, {{"into_member_id", survivor_id}});
}

Event points_adjusted_event(long long program_id, long long member_id, long long transfer_id, std::int64_t points,
                            std::int64_t points_available, Timestamp now) {
    return points_moved(EventType::kPointsAdjusted, program_id, member_id, transfer_id, points, points_available, now);
}

std::vector<Event> purchase_follow_on_events(const PosChange& change, const PurchaseResult& result,
                                             std::string_view tier_before, Timestamp now) {
    std::vector<Event> events;
    const auto add = [&](EventType type, nlohmann::json data) {
        data["purchase_id"] = result.purchase_id;
        events.push_back(Event{type, 1, change.program_id, change.member_id, now, std::move(data)});
    };
    const std::string currency(result.currency.code);
    for (const CouponDiscount& coupon : result.coupons_redeemed) {
        add(EventType::kCouponRedeemed, {{"campaign_id", coupon.campaign_id},
                                         {"currency", currency},
                                         {"discount", coupon.discount},
                                         {"bonus_points", coupon.bonus_points}});
    }
    if (!change.member_id) return events;  // An anonymous purchase earns nothing else.
    for (const StampCardSummary& card : result.stamps) {
        if (card.rewards_earned <= 0) continue;
        add(EventType::kStampCardCompleted,
            {{"stamp_card", card.card_id}, {"name", card.name}, {"goal", card.goal}, {"rewards", card.rewards_earned}});
    }
    for (const Effect& effect : result.effects) {
        const auto card = rewarded_card(effect);
        if (!card) continue;
        const bool coupon = effect.kind == EffectKind::kStampReward;
        add(EventType::kRewardIssued,
            {{"stamp_card", *card},
             {"kind", coupon ? "coupon" : "points"},
             {"points", coupon ? 0 : effect.amount},
             {"campaign_id", coupon ? nlohmann::json(effect.campaign_id) : nlohmann::json()}});
    }
    for (const CouponIssued& coupon : result.coupons_issued) {
        add(EventType::kCouponIssued,
            {{"campaign_id", coupon.campaign_id}, {"source", "stamp_card"}, {"stamp_card", coupon.card_id}});
    }
    if (result.cashback_earned > 0) {
        add(EventType::kCashbackCredited, {{"currency", currency},
                                           {"amount", result.cashback_earned},
                                           {"cashback_balance", result.cashback_balance}});
    }
    if (result.member && result.member->tier != tier_before) {
        const auto lift = std::ranges::find(result.effects, EffectKind::kTierChange, &Effect::kind);
        events.push_back(
            tier_changed_event({change.program_id, *change.member_id, std::string(tier_before), result.member->tier,
                                true, "purchase", lift == result.effects.end() ? 0 : lift->amount, result.purchase_id},
                               now));
    }
    return events;
}

Event tier_changed_event(const TierMove& move, Timestamp now) {
    return about_member(EventType::kTierChanged, move.program_id, move.member_id, now,
                        {{"from", move.from},
                         {"to", move.to},
                         {"direction", move.upgrade ? "upgrade" : "downgrade"},
                         {"cause", move.cause},
                         {"progress", move.progress},
                         {"purchase_id", optional_id(move.purchase_id)}});
}

Event coupon_issued_event(long long program_id, long long member_id, long long campaign_id, std::string_view source,
                          Timestamp now) {
    return about_member(
        EventType::kCouponIssued, program_id, member_id, now,
        {{"campaign_id", campaign_id}, {"source", source}, {"stamp_card", nullptr}, {"purchase_id", nullptr}});
}

Event points_expired_event(long long program_id, long long member_id, long long transfer_id, std::int64_t points,
                           std::int64_t points_available, Timestamp now) {
    return points_moved(EventType::kPointsExpired, program_id, member_id, transfer_id, points, points_available, now);
}

Event points_expiring_event(const PointsExpiring& expiring, Timestamp now) {
    return about_member(EventType::kPointsExpiring, expiring.program_id, expiring.member_id, now,
                        {{"points", expiring.points},
                         {"expires_at", format_utc(expiring.expires_at, TimeFormat::kRfc3339)},
                         {"last_day", format_date(expiring.last_day)},
                         {"lots", expiring.lots}});
}

Event fraud_signal_raised_event(const RaisedSignal& signal, Timestamp now) {
    nlohmann::json data{{"signal_id", signal.signal_id},
                        {"kind", signal.kind},
                        {"action", signal.action},
                        {"purchase_id", optional_id(signal.purchase_id)},
                        {"evidence", signal.evidence}};
    if (signal.member_id)
        return about_member(EventType::kFraudSignalRaised, signal.program_id, *signal.member_id, now, std::move(data));
    data["member_id"] = nullptr;
    return Event{EventType::kFraudSignalRaised, 1, signal.program_id, std::nullopt, now, std::move(data)};
}

Event draw_won_event(const DrawPlacing& placing, Timestamp now) {
    return about_member(
        EventType::kDrawWon, placing.program_id, placing.member_id, now,
        {{"draw_id", placing.draw_id},
         {"draw_name", placing.draw_name},
         {"place", placing.place + 1},
         {"prize", placing.prize ? nlohmann::json(*placing.prize) : nlohmann::json(nullptr)},
         {"state", placing.prize ? "won" : "reserve"},
         {"claim_by", placing.claim_by ? nlohmann::json(format_utc(*placing.claim_by, TimeFormat::kRfc3339))
                                       : nlohmann::json(nullptr)}});
}

}  // namespace patron::core
