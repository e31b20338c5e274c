#include "loyalty/core/coupons.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "loyalty/core/document_reader.h"

namespace patron::core {
namespace {

constexpr std::int64_t kCouponAmountMax = 1'000'000'000'000'000LL;  // Keeps sums far from int64 overflow.

const std::vector<std::pair<std::string_view, CouponType>> kTypes = {
    {"percent_off_basket", CouponType::kPercentOffBasket},
    {"amount_off_basket", CouponType::kAmountOffBasket},
    {"percent_off_items", CouponType::kPercentOffItems},
    {"amount_off_items", CouponType::kAmountOffItems},
    {"free_item", CouponType::kFreeItem},
    {"bonus_points", CouponType::kBonusPoints},
};

bool is_percent(CouponType type) {
    return type == CouponType::kPercentOffBasket || type == CouponType::kPercentOffItems;
}
bool on_items(CouponType type) {
    return type == CouponType::kPercentOffItems || type == CouponType::kAmountOffItems || type == CouponType::kFreeItem;
}

void read_rules(Reader& reader, CouponCampaign& campaign) {
    if (auto conditions = reader.child("conditions", {"min_basket", "skus", "categories"})) {
        campaign.min_basket = conditions->integer("min_basket", 0).value_or(0);
        campaign.skus = conditions->names("skus");
        campaign.categories = conditions->names("categories");
    }
    if (auto limits = reader.child("limits", {"redemptions", "per_member", "budget"})) {
        campaign.redemptions_max = limits->integer("redemptions", 1);
        campaign.per_member_max = limits->integer("per_member", 1);
        campaign.budget = limits->integer("budget", 1);
        if (campaign.budget && *campaign.budget > kCouponAmountMax) {
            // Money in minor units: a page shows amounts in major ones, so the bound is in the message only.
            limits->problem(limits->field("budget"), "must be at most " + std::to_string(kCouponAmountMax));
        }
    }
    if (const json* stacking = reader.find("stacking")) {
        const auto mode = named<bool>({{"combinable", false}, {"exclusive", true}}, *stacking);
        if (!mode)
            reader.problem(reader.field("stacking"), "must be combinable or exclusive", reason(ReasonKind::kOneOf));
        campaign.exclusive = mode.value_or(false);
    }
    if (const json* policy = reader.find("partial_return")) {
        const auto mode = named<PartialReturnPolicy>(
            {{"keep", PartialReturnPolicy::kKeep}, {"revoke_below_minimum", PartialReturnPolicy::kRevokeBelowMinimum}},
            *policy);
        if (!mode)
            reader.problem(reader.field("partial_return"), "must be keep or revoke_below_minimum",
                           reason(ReasonKind::kOneOf));
        campaign.partial_return = mode.value_or(PartialReturnPolicy::kRevokeBelowMinimum);
    }
}

bool matches(const CouponCampaign& campaign, const PurchaseLine& line) {
    if (campaign.skus.empty() && campaign.categories.empty()) return true;
    return listed(campaign.skus, line.sku) || listed(campaign.categories, line.category);
}

std::int64_t net_of(const Purchase& purchase, const CouponCampaign* items_of) {
    std::int64_t sum = 0;
    for (const PurchaseLine& line : purchase.lines) {
        if (items_of == nullptr || matches(*items_of, line)) sum += line.net_amount();
    }
    return sum;
}

// What the campaign takes off this basket (before the cap by what is left to pay).
std::int64_t discount_of(const CouponCampaign& campaign, const Purchase& purchase) {
    const std::int64_t base = net_of(purchase, on_items(campaign.type) ? &campaign : nullptr);
    switch (campaign.type) {
        case CouponType::kPercentOffBasket:
        case CouponType::kPercentOffItems:
            return static_cast<std::int64_t>(static_cast<__int128>(base) * campaign.percent / 100);
        case CouponType::kAmountOffBasket:
        case CouponType::kAmountOffItems:
            return std::min(campaign.amount, base);
        case CouponType::kFreeItem: {
            std::optional<std::int64_t> cheapest;
            for (const PurchaseLine& line : purchase.lines) {
                if (!matches(campaign, line) || line.net_amount() <= 0) continue;
                const std::int64_t unit = std::min(line.unit_price, line.net_amount());
                cheapest = cheapest ? std::min(*cheapest, unit) : unit;
            }
            return cheapest.value_or(0);
        }
        case CouponType::kBonusPoints:
            return 0;
    }
    return 0;
}

Error refused(ErrorCode code, std::string message, std::size_t index) {
    return Error{code, std::move(message), "coupons[" + std::to_string(index) + "]"};
}

// Why this code cannot be used on this basket, if it cannot; checks in the order a cashier
// would want to hear them.
std::optional<Error> refusal(const PresentedCoupon& coupon, const Purchase& purchase, const CouponMember& member,
                             std::size_t index) {
    const CouponCampaign* campaign = coupon.campaign;
    if (campaign == nullptr) return refused(ErrorCode::kCouponNotFound, "no such coupon", index);
    if (coupon.assigned_member && (!member.identified || *coupon.assigned_member != member.id)) {
        return refused(ErrorCode::kCouponNotForMember, "this coupon belongs to another member", index);
    }
    if (coupon.single_use && coupon.code_redemptions > 0) {
        return refused(ErrorCode::kCouponAlreadyUsed, "this coupon was used already", index);
    }
    const Timestamp at = purchase.pos_time.utc;
    if (campaign->valid_from && at < *campaign->valid_from) {
        return refused(ErrorCode::kCouponNotYetValid, "this coupon is not valid yet", index);
    }
    if (campaign->valid_until && at >= *campaign->valid_until) {
        return refused(ErrorCode::kCouponExpired, "this coupon has expired", index);
    }
    if (!campaign->schedule.allows(local_time(purchase.pos_time))) {
        return refused(ErrorCode::kCouponNotValidNow, "this coupon is not valid at this day or hour", index);
    }
    if (!campaign->stores.empty() && !listed(campaign->stores, purchase.key.store)) {
        return refused(ErrorCode::kCouponWrongStore, "this coupon is not valid in this store", index);
    }
    // A code given to this member passed the hold-out when it was assigned.
    if (campaign->holdout && !coupon.assigned_member && coupon.held_out) {
        return refused(ErrorCode::kCouponNotForMember, "this coupon is not for this member", index);
    }
    const bool member_only = campaign->members_only || !campaign->tiers.empty() || !campaign->segments.empty() ||
                             campaign->per_member_max || campaign->holdout;
    if ((member_only && !member.identified) || (!campaign->tiers.empty() && !listed(campaign->tiers, member.tier))) {
        return refused(ErrorCode::kCouponNotForMember, "this coupon is for other members (tier or card)", index);
    }
    if (!in_any_segment(campaign->segments, member.segments)) {
        return refused(ErrorCode::kCouponNotForMember, "this coupon is for members of other segments", index);
    }
    if (net_of(purchase, nullptr) < campaign->min_basket) {
        return refused(
            ErrorCode::kCouponBasketTooSmall,
            "the basket is below the coupon's minimum of " + format_money({campaign->min_basket, purchase.currency}),
            index);
    }
    if (on_items(campaign->type) && net_of(purchase, campaign) <= 0) {
        return refused(ErrorCode::kCouponNoMatchingItems, "no item in the basket is one this coupon is for", index);
    }
    const bool spent = (campaign->redemptions_max && coupon.campaign_redemptions >= *campaign->redemptions_max) ||
                       (campaign->per_member_max && coupon.member_redemptions >= *campaign->per_member_max);
    if (spent) return refused(ErrorCode::kCouponLimitReached, "this coupon's limit is reached", index);
    if (campaign->budget) {
        const std::int64_t cost =
            campaign->type == CouponType::kBonusPoints ? campaign->amount : discount_of(*campaign, purchase);
        if (coupon.budget_used + cost > *campaign->budget) {
            return refused(ErrorCode::kCouponLimitReached, "this coupon campaign's budget is spent", index);
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view coupon_type_name(CouponType type) {
    for (const auto& [name, value] : kTypes) {
        if (value == type) return name;
    }
    return "";
}

Result<CouponCampaign> parse_coupon_campaign(const nlohmann::json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    CouponCampaign campaign;
    if (!reader.is_object({"name", "type", "percent", "amount", "valid_from", "valid_until", "schedule", "scope",
                           "conditions", "limits", "stacking", "partial_return", "members_only", "holdout"})) {
        return std::unexpected(all_problems(problems));
    }
    campaign.name = reader.text("name", true);
    const json* type = reader.find("type");
    const auto parsed_type = type ? named(kTypes, *type) : std::nullopt;
    if (!parsed_type)
        reader.problem(reader.field("type"), "must be one of the coupon types", reason(ReasonKind::kOneOf));
    campaign.type = parsed_type.value_or(CouponType::kAmountOffBasket);
    if (parsed_type && is_percent(campaign.type)) {
        campaign.percent = reader.integer("percent", 1).value_or(0);
        if (campaign.percent < 1 || campaign.percent > 100)
            reader.problem(reader.field("percent"), "must be 1 to 100", reason(ReasonKind::kRange, 1, 100));
    } else if (parsed_type && campaign.type != CouponType::kFreeItem) {
        campaign.amount = reader.integer("amount", 1).value_or(0);
        if (campaign.amount < 1 || campaign.amount > kCouponAmountMax) {
            reader.problem(reader.field("amount"), "must be a positive whole amount (minor units, or points)");
        }
    }
    reader.validity(campaign.valid_from, campaign.valid_until);
    campaign.schedule = read_schedule(reader);
    if (auto scope = reader.child("scope", {"stores", "tiers", "segments"})) {
        campaign.stores = scope->names("stores");
        campaign.tiers = scope->names("tiers");
        campaign.segments = scope->names("segments");
    }
    read_rules(reader, campaign);
    campaign.members_only = reader.flag("members_only");
    campaign.holdout = read_holdout(reader);
    if (parsed_type && campaign.type == CouponType::kFreeItem && campaign.skus.empty() && campaign.categories.empty()) {
        reader.problem(reader.field("conditions.skus"), "a free item names its SKUs or categories",
                       reason(ReasonKind::kAtLeastOne));
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return campaign;
}

std::vector<ScopedSegment> scoped_segments(const CouponCampaign& campaign) {
    std::vector<ScopedSegment> named;
    for (std::size_t i = 0; i < campaign.segments.size(); ++i) {
        named.push_back({campaign.segments[i], "scope.segments[" + std::to_string(i) + "]"});
    }
    return named;
}

Result<std::vector<CouponDiscount>> price_coupons(const Purchase& purchase, const std::vector<PresentedCoupon>& coupons,
                                                  const CouponMember& member, Language language) {
    std::vector<CouponDiscount> priced;
    std::set<std::string> seen;
    std::int64_t left = net_of(purchase, nullptr);
    for (std::size_t i = 0; i < coupons.size(); ++i) {
        const PresentedCoupon& coupon = coupons[i];
        if (!seen.insert(coupon.code).second) {
            return std::unexpected(refused(ErrorCode::kValidationFailed, "the same coupon twice", i));
        }
        if (auto why = refusal(coupon, purchase, member, i)) return std::unexpected(*why);
        if (coupon.campaign->exclusive && coupons.size() > 1) {
            return std::unexpected(
                refused(ErrorCode::kCouponNotCombinable, "this coupon cannot be combined with others", i));
        }
        const CouponCampaign& campaign = *coupon.campaign;
        CouponDiscount discount{coupon.code, campaign.id, campaign.version, 0, 0, {}};
        const std::string label = std::string(language == Language::kPersian ? "کوپن " : "Coupon ") + coupon.code;
        if (campaign.type == CouponType::kBonusPoints) {
            discount.bonus_points = campaign.amount;
            discount.receipt_line =
                receipt_line(label, localized_digits("+" + std::to_string(campaign.amount), language) +
                                        (language == Language::kPersian ? " امتیاز" : " pts"));
        } else {
            discount.discount = std::min(discount_of(campaign, purchase), left);
            left -= discount.discount;
            discount.receipt_line =
                receipt_line(label, signed_money_text('-', {discount.discount, purchase.currency}, language));
        }
        priced.push_back(std::move(discount));
    }
    return priced;
}

std::string normalise_coupon_code(std::string code) {
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return code;
}

bool coupon_survives_partial_return(const CouponCampaign& campaign, std::int64_t net_after) {
    return campaign.partial_return == PartialReturnPolicy::kKeep || net_after >= campaign.min_basket;
}

}  // namespace patron::core
