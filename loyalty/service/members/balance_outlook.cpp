#include "loyalty/service/members/balance_outlook.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>

#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/program/coupon_store.h"
#include "loyalty/store/program/tier_store.h"

namespace patron::service {
namespace {

// Instants of lots read per list: far more than the dates listed need; a list the limit cuts
// loses only its last date, which may lack lots.
constexpr int kLotInstantsMax = 500;
// Codes read to list kMemberCouponsMax: the unused ones of live campaigns come first, so a cut
// only ever leaves out old used or expired codes.
constexpr int kCouponCodesRead = 200;

TierStanding tier_standing(soci::session& sql, const core::TierPolicy* policy, long long member_id,
                           const store::MemberTier& held, core::Timestamp now, const core::TimeZone& zone) {
    TierStanding standing;
    standing.since = store::tier_reached_at(sql, member_id, held.tier);
    if (held.secured_until) standing.secured_until = core::last_local_date(zone, *held.secured_until);
    if (!policy || policy->empty()) return standing;
    standing.measure = policy->measure;
    standing.qualifying =
        store::tier_measure(sql, member_id, policy->measure, core::progress_window(*policy, now, zone));
    standing.window = core::progress_days(*policy, now, zone);
    const core::TierProgress progress =
        core::tier_progress(*policy, held.tier, held.secured_until, standing.qualifying, std::nullopt, now, zone);
    if (progress.next_tier) {
        standing.next = core::Tier{*progress.next_tier, progress.next_threshold};
        standing.needed = progress.missing;
    }
    return standing;
}

std::vector<core::MemberCoupon> member_coupons(soci::session& sql, long long member_id, core::Timestamp now) {
    const std::vector<store::MemberCouponCode> codes = store::member_coupon_codes(sql, member_id, kCouponCodesRead);
    std::vector<long long> campaign_ids;
    for (const store::MemberCouponCode& code : codes) campaign_ids.push_back(code.campaign_id);
    std::sort(campaign_ids.begin(), campaign_ids.end());
    campaign_ids.erase(std::unique(campaign_ids.begin(), campaign_ids.end()), campaign_ids.end());
    std::map<long long, core::CouponCampaign> campaigns;
    for (const auto& [id, record] : store::published_or_ended_coupon_campaigns(sql, campaign_ids)) {
        if (auto campaign = stored_coupon_campaign(record)) campaigns.emplace(id, std::move(*campaign));
    }
    std::vector<core::MemberCoupon> coupons;
    for (const store::MemberCouponCode& code : codes) {
        const auto campaign = campaigns.find(code.campaign_id);
        if (campaign == campaigns.end()) continue;
        const bool ended = code.campaign_status == "ended";
        coupons.push_back(
            core::MemberCoupon{code.id, code.code, campaign->second,
                               core::member_coupon_state(campaign->second, ended, code.redemptions, now)});
    }
    core::order_member_coupons(coupons, kMemberCouponsMax);
    return coupons;
}

std::optional<CardView> primary_card(soci::session& sql, long long member_id) {
    const std::vector<CardView> cards = member_cards(sql, member_id);
    if (cards.empty() || !cards.front().primary) return std::nullopt;
    return cards.front();
}

}  // namespace

BalanceOutlook balance_outlook(soci::session& sql, const core::RuleSet& rules, long long member_id,
                               const store::MemberTier& tier, core::Timestamp now) {
    const core::TimeZone& zone = *rules.time_zone;
    BalanceOutlook outlook;
    outlook.time_zone = zone.name();
    const store::LotInstants lots = store::lot_instants(sql, member_id, kLotInstantsMax);
    const auto cut = [](const std::vector<core::PointsAt>& list) {
        return list.size() == static_cast<std::size_t>(kLotInstantsMax);
    };
    outlook.pending = core::pending_by_date(lots.pending, zone, cut(lots.pending));
    outlook.held = lots.held;
    outlook.expiring = core::expiring_by_date(lots.expiring, zone, kExpiryDatesMax, cut(lots.expiring));
    const core::Timestamp soon = now + std::chrono::days(kExpiringSoonDays);
    if (cut(lots.expiring) && lots.expiring.back().at <= soon) {
        outlook.expiring_soon = store::available_points_expiring_by(sql, member_id, soon);  // Beyond the list.
    } else {
        for (const core::PointsAt& sum : lots.expiring) {
            if (sum.at <= soon) outlook.expiring_soon += sum.points;
        }
    }
    outlook.tier = tier_standing(sql, rules.tiers.get(), member_id, tier, now, zone);
    outlook.coupons = member_coupons(sql, member_id, now);
    outlook.card = primary_card(sql, member_id);
    return outlook;
}

}  // namespace patron::service
