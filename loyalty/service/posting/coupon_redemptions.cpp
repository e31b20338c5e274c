#include "loyalty/service/posting/coupon_redemptions.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "loyalty/service/posting/holdout_assignment.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/program/coupon_store.h"

namespace patron::service {

std::optional<core::CouponCampaign> stored_coupon_campaign(const store::CouponCampaignRecord& record) {
    auto parsed = core::parse_coupon_campaign(nlohmann::json::parse(record.document, nullptr, false));
    if (!parsed) return std::nullopt;
    parsed->id = record.id;
    parsed->version = record.version;
    return *parsed;
}

namespace {

// Whether a campaign's redemptions or budget limit it: counts that only its row's lock keeps exact.
bool counted_campaign(const store::CouponCampaignRecord& record) {
    const auto campaign = stored_coupon_campaign(record);
    return campaign && (campaign->redemptions_max || campaign->budget);
}

}  // namespace

CouponBasket load_coupons(soci::session& sql, long long program_id, std::optional<long long> member_id,
                          const std::vector<std::string>& codes, bool lock) {
    CouponBasket basket;
    std::vector<std::string> wanted;
    for (const std::string& code : codes) wanted.push_back(core::normalise_coupon_code(code));
    auto found = store::find_coupon_codes(sql, program_id, wanted, false);
    std::vector<long long> campaign_ids;
    for (const store::CouponCodeRecord& code : found) campaign_ids.push_back(code.campaign_id);
    std::sort(campaign_ids.begin(), campaign_ids.end());
    campaign_ids.erase(std::unique(campaign_ids.begin(), campaign_ids.end()), campaign_ids.end());
    auto records = store::published_coupon_campaigns(sql, campaign_ids, false);
    if (lock) {
        // A commit reads again, under their rows' locks until it ends, only what a count decides:
        // single-use codes, and campaigns with a redemptions or budget limit (per-member limits are
        // kept by the member's account lock, which every commit of theirs takes first). A public
        // code of a campaign without such limits is shared by every till at once and is not locked:
        // its counters grow by increments sent with each commit's COMMIT.
        std::vector<std::string> single_use;
        for (const store::CouponCodeRecord& code : found) {
            if (code.single_use) single_use.push_back(core::normalise_coupon_code(code.code));
        }
        if (!single_use.empty()) {
            const auto locked = store::find_coupon_codes(sql, program_id, single_use, true);
            std::erase_if(found, [](const store::CouponCodeRecord& code) { return code.single_use; });
            found.insert(found.end(), locked.begin(), locked.end());
        }
        std::vector<long long> counted;
        for (const auto& [id, record] : records) {
            if (counted_campaign(record)) counted.push_back(id);
        }
        if (!counted.empty()) {
            for (const long long id : counted) records.erase(id);
            records.merge(store::published_coupon_campaigns(sql, counted, true));
        }
    }
    std::map<long long, const core::CouponCampaign*> campaigns;
    for (const auto& [id, record] : records) {
        if (auto campaign = stored_coupon_campaign(record))
            campaigns[id] = &basket.campaigns.emplace_back(std::move(*campaign));
    }
    for (const std::string& code : wanted) {
        const auto record = std::find_if(found.begin(), found.end(), [&](const store::CouponCodeRecord& r) {
            return core::normalise_coupon_code(r.code) == code;
        });
        core::PresentedCoupon presented{code};
        long long code_id = 0;
        if (record != found.end() && campaigns.contains(record->campaign_id)) {
            const auto& campaign = records.at(record->campaign_id);
            const core::CouponCampaign& terms = *campaigns.at(record->campaign_id);
            // Counted only where a limit reads it.
            const long long member_redemptions =
                member_id && terms.per_member_max ? store::member_coupon_redemptions(sql, campaign.id, *member_id) : 0;
            presented = core::PresentedCoupon{code,
                                              &terms,
                                              record->single_use,
                                              record->redemptions,
                                              record->member_id,
                                              campaign.redemptions,
                                              member_redemptions,
                                              campaign.budget_used};
            code_id = record->id;
            presented.held_out =
                terms.holdout && member_id &&
                is_held_out(*terms.holdout, core::CampaignKind::kCoupon, std::to_string(terms.id), *member_id);
        }
        basket.presented.push_back(std::move(presented));
        basket.code_ids.push_back(code_id);
    }
    return basket;
}

core::CouponMember coupon_member(soci::session& sql, std::optional<long long> member_id, const core::MemberState& state,
                                 const CouponBasket& basket) {
    core::CouponMember member{member_id.has_value(), member_id.value_or(0), state.tier, state.segments};
    const bool scoped = std::any_of(basket.campaigns.begin(), basket.campaigns.end(),
                                    [](const core::CouponCampaign& campaign) { return !campaign.segments.empty(); });
    if (member_id && scoped && !state.segments_read) member.segments = store::member_segment_codes(sql, *member_id);
    return member;
}

void record_coupon_redemptions(soci::session& sql, const CouponBasket& basket,
                               const std::vector<core::CouponDiscount>& priced, std::optional<long long> member_id,
                               long long purchase_id, core::Timestamp now) {
    std::vector<store::CouponRedemptionRecord> redemptions;
    for (std::size_t i = 0; i < priced.size(); ++i) {
        const core::CouponDiscount& coupon = priced[i];
        redemptions.push_back(store::CouponRedemptionRecord{0, basket.code_ids[i], coupon.campaign_id,
                                                            coupon.campaign_version, member_id, purchase_id,
                                                            coupon.discount, coupon.bonus_points, coupon.code});
    }
    store::insert_coupon_redemptions(sql, redemptions, now);
}

std::vector<store::CouponRedemptionRecord> give_back_coupons(soci::session& sql, long long program_id,
                                                             long long original_id, long long return_id,
                                                             std::int64_t net_left, core::Timestamp now) {
    std::vector<store::CouponRedemptionRecord> given_back;
    for (const store::CouponRedemptionRecord& redemption : store::live_redemptions_of_purchase(sql, original_id)) {
        bool undo = net_left <= 0;
        if (!undo) {
            const auto record = store::find_coupon_campaign(sql, program_id, redemption.campaign_id, false);
            const auto campaign = record ? stored_coupon_campaign(*record) : std::nullopt;
            undo = campaign && !core::coupon_survives_partial_return(*campaign, net_left);
        }
        if (!undo) continue;
        store::give_back_coupon_redemption(sql, redemption, return_id, now);
        given_back.push_back(redemption);
    }
    return given_back;
}

std::int64_t net_left_after(const std::vector<core::OriginalLine>& original,
                            const std::vector<core::ReturnedLine>& returned) {
    std::int64_t left = 0;
    for (const core::OriginalLine& line : original) {
        std::int64_t gone = line.returned_milli;
        for (const core::ReturnedLine& now : returned) {
            if (now.line == line.line) gone += now.quantity_milli;
        }
        if (line.quantity_milli <= 0) continue;
        const std::int64_t kept = std::max<std::int64_t>(0, line.quantity_milli - gone);
        left += static_cast<std::int64_t>(static_cast<__int128>(line.net_amount) * kept / line.quantity_milli);
    }
    return left;
}

}  // namespace patron::service
