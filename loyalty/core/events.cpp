#include "loyalty/core/events.h"

#include <array>
#include <utility>

#include "loyalty/core/member_profile.h"

namespace patron::core {

namespace {

nlohmann::json optional_id(const std::optional<long long>& id) { return id ? nlohmann::json(*id) : nlohmann::json(); }

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
    if (change.type != EventType::kPurchaseCommitted) {
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
    return Event{EventType::kMemberMerged,
                 1,
                 program_id,
                 merged_id,
                 now,
                 {{"member_id", merged_id}, {"into_member_id", survivor_id}}};
}

Event points_adjusted_event(long long program_id, long long member_id, long long transfer_id, std::int64_t points,
                            std::int64_t points_available, Timestamp now) {
    return Event{EventType::kPointsAdjusted,
                 1,
                 program_id,
                 member_id,
                 now,
                 {{"member_id", member_id},
                  {"transfer_id", transfer_id},
                  {"points", points},
                  {"points_available", points_available}}};
}

}  // namespace patron::core
