// Coupons: campaigns marketers define (what a coupon gives, when and where it is good, how often
// it may be used, whether it combines with others) and the pure pricing of the codes a basket
// presents. Each refusal has its own code a cashier can act on; a code that passes gives a
// discount in the purchase's minor units (or bonus points) with its receipt line.
//
// Campaign document:
//   name, type ("percent_off_basket" | "amount_off_basket" | "percent_off_items" |
//   "amount_off_items" | "free_item" | "bonus_points"), percent (1..100, percent types),
//   amount (minor units of the program's currency, or points for bonus_points),
//   valid_from / valid_until (RFC 3339), schedule {days, from, until} (the POS's local time),
//   scope {stores, tiers, segments} (segments: codes of rule-based segments, core/segments.h; a
//   member in any of them as last materialised, so a scoped campaign is for members only),
//   conditions {min_basket, skus, categories} (items: a line matches by
//   SKU or category; none named: every line), limits {redemptions, per_member, budget (money,
//   or points for bonus_points)}, stacking ("combinable" | "exclusive"), partial_return ("keep" |
//   "revoke_below_minimum"), members_only (bool), holdout {percent} (rule_set.h's Holdout: the
//   held-out members are never assigned a code, and refused its codes that are not assigned to
//   them; a campaign with a hold-out is for members only).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/wording.h"

namespace patron::core {

enum class CouponType {
    kPercentOffBasket,
    kAmountOffBasket,
    kPercentOffItems,
    kAmountOffItems,
    kFreeItem,
    kBonusPoints
};
enum class PartialReturnPolicy { kKeep, kRevokeBelowMinimum };

struct CouponCampaign {
    std::int64_t id = 0;
    int version = 1;
    std::string name;
    CouponType type = CouponType::kAmountOffBasket;
    std::int64_t percent = 0;
    std::int64_t amount = 0;
    std::optional<Timestamp> valid_from;
    std::optional<Timestamp> valid_until;
    Schedule schedule;
    std::vector<std::string> stores;
    std::vector<std::string> tiers;
    std::vector<std::string> segments;
    std::int64_t min_basket = 0;
    std::vector<std::string> skus;
    std::vector<std::string> categories;
    std::optional<std::int64_t> redemptions_max;
    std::optional<std::int64_t> per_member_max;
    std::optional<std::int64_t> budget;
    bool exclusive = false;
    PartialReturnPolicy partial_return = PartialReturnPolicy::kRevokeBelowMinimum;
    bool members_only = false;
    std::optional<Holdout> holdout;
};

// A campaign document, or every problem in it by JSON path (VALIDATION_FAILED).
Result<CouponCampaign> parse_coupon_campaign(const nlohmann::json& document);

// The segment codes the campaign's scope names, with their JSON paths ("scope.segments[0]").
std::vector<ScopedSegment> scoped_segments(const CouponCampaign& campaign);

// One code the basket presents, with what the database knows of it at commit time.
struct PresentedCoupon {
    std::string code;
    const CouponCampaign* campaign = nullptr;  // Null: no published campaign has this code.
    bool single_use = true;
    std::int64_t code_redemptions = 0;
    std::optional<std::int64_t> assigned_member = {};
    std::int64_t campaign_redemptions = 0;
    std::int64_t member_redemptions = 0;  // Of this campaign, by the purchase's member.
    std::int64_t budget_used = 0;
    bool held_out = false;  // The purchase's member is in the campaign's hold-out.
};

struct CouponMember {
    bool identified = false;
    std::int64_t id = 0;
    std::string tier;
    // Codes of the member's rule-based segments; read only when a presented campaign names one.
    std::vector<std::string> segments = {};
};

struct CouponDiscount {
    std::string code;
    std::int64_t campaign_id = 0;
    int campaign_version = 0;
    std::int64_t discount = 0;      // Minor units off the basket.
    std::int64_t bonus_points = 0;  // For bonus_points coupons.
    ReceiptLine receipt_line;
};

// Prices the presented codes in order (errors name "coupons[i]"): refused with
// COUPON_NOT_FOUND, COUPON_NOT_FOR_MEMBER, COUPON_ALREADY_USED, COUPON_NOT_YET_VALID,
// COUPON_EXPIRED, COUPON_NOT_VALID_NOW, COUPON_WRONG_STORE, COUPON_BASKET_TOO_SMALL,
// COUPON_NO_MATCHING_ITEMS, COUPON_LIMIT_REACHED or COUPON_NOT_COMBINABLE. Discounts never add up
// to more than the basket; percentages round down to the minor unit.
Result<std::vector<CouponDiscount>> price_coupons(const Purchase& purchase, const std::vector<PresentedCoupon>& coupons,
                                                  const CouponMember& member, Language language);

// Whether a redemption survives a partial return that leaves a basket of `net_after`: a campaign
// that says so revokes it when the basket falls below its minimum.
bool coupon_survives_partial_return(const CouponCampaign& campaign, std::int64_t net_after);

std::string_view coupon_type_name(CouponType type);

// A code as stored and compared: upper case (a cashier may type summer25 for SUMMER25).
std::string normalise_coupon_code(std::string code);

// At most this many coupons on one basket.
inline constexpr std::size_t kCouponsPerPurchaseMax = 10;

}  // namespace patron::core
