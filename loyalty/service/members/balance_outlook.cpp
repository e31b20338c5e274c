#include "loyalty/service/members/balance_outlook.h"

#include <soci/soci.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/ledger/stamp_store.h"
#include "loyalty/store/members/member_store.h"
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

// held_read's columns, in order: lot_instants_sql's from kLots on; the tier measure last, when read.
enum Column : std::size_t {
    kStamps,
    kLots,
    kTierReached = kLots + store::kLotInstantsColumns,
    kCouponCodes,
    kCards,
    kTierMeasure
};

// The tier policy's measure and window now, if the rules have tiers.
std::optional<std::pair<core::TierMeasure, core::Period>> measured(const core::RuleSet& rules, core::Timestamp now) {
    const core::TierPolicy* policy = rules.tiers.get();
    if (!policy || policy->empty()) return std::nullopt;
    return std::pair(policy->measure, core::progress_window(*policy, now, *rules.time_zone));
}

TierStanding tier_standing(soci::session& sql, const core::RuleSet& rules, long long member_id,
                           const store::MemberTier& held, const HeldRead& read,
                           std::span<const std::optional<std::string>> values, core::Timestamp now) {
    const core::TimeZone& zone = *rules.time_zone;
    const core::TierPolicy* policy = rules.tiers.get();
    TierStanding standing;
    standing.since = store::tier_reached_at_of(values[kTierReached]);
    if (held.secured_until) standing.secured_until = core::last_local_date(zone, *held.secured_until);
    const auto measure = measured(rules, now);
    if (!measure) return standing;
    standing.measure = measure->first;
    // Read with the member when the guess was right (the same measure over the same window).
    standing.qualifying = read.tier_measure == measure
                              ? store::tier_measure_of(values[kTierMeasure])
                              : store::tier_measure(sql, member_id, measure->first, measure->second);
    standing.window = core::progress_days(*policy, now, zone);
    const core::TierProgress progress =
        core::tier_progress(*policy, held.tier, held.secured_until, standing.qualifying, std::nullopt, now, zone);
    if (progress.next_tier) {
        standing.next = core::Tier{*progress.next_tier, progress.next_threshold};
        standing.needed = progress.missing;
    }
    return standing;
}

std::vector<core::MemberCoupon> member_coupons(soci::session& sql, const std::optional<std::string>& read,
                                               core::Timestamp now) {
    const std::vector<store::MemberCouponCode> codes = store::member_coupon_codes_of(read);
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

std::optional<CardView> primary_card(const std::optional<std::string>& read) {
    const std::vector<CardView> cards = card_views(store::cards_of_member_of(read));
    if (cards.empty() || !cards.front().primary) return std::nullopt;
    return cards.front();
}

}  // namespace

HeldRead held_read(long long member_id, const core::RuleSet* guessed, core::Timestamp now) {
    HeldRead read;
    read.columns.push_back(store::stamp_progress_sql(member_id));
    std::ranges::move(store::lot_instants_sql(member_id, kLotInstantsMax), std::back_inserter(read.columns));
    read.columns.push_back(store::tier_reached_at_sql(member_id));
    read.columns.push_back(store::member_coupon_codes_sql(member_id, kCouponCodesRead));
    read.columns.push_back(store::cards_of_member_sql(member_id));
    if (guessed) read.tier_measure = measured(*guessed, now);
    if (read.tier_measure) {
        read.columns.push_back(store::tier_measure_sql(member_id, read.tier_measure->first, read.tier_measure->second));
    }
    return read;
}

std::map<std::string, core::StampProgress> stamp_progress_read(std::span<const std::optional<std::string>> values) {
    return store::stamp_progress_of(values[kStamps]);
}

BalanceOutlook balance_outlook(soci::session& sql, const core::RuleSet& rules, long long member_id,
                               const store::MemberTier& tier, const HeldRead& read,
                               std::span<const std::optional<std::string>> values, core::Timestamp now) {
    const core::TimeZone& zone = *rules.time_zone;
    BalanceOutlook outlook;
    outlook.time_zone = zone.name();
    const store::LotInstants lots = store::lot_instants_of(values.subspan<kLots, store::kLotInstantsColumns>());
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
    outlook.tier = tier_standing(sql, rules, member_id, tier, read, values, now);
    outlook.coupons = member_coupons(sql, values[kCouponCodes], now);
    outlook.card = primary_card(values[kCards]);
    return outlook;
}

}  // namespace patron::service
