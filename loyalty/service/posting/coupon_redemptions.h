// Coupons inside a purchase's transaction: the presented codes read with what pricing needs (for
// a commit, single-use codes and campaigns with counted limits locked, codes in id order after the
// member's account, then their campaigns; see load_coupons), the redemptions written with the
// purchase, and on a void or return given back as the
// campaign says, with the counters moving in the same transaction.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/coupons.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/returns.h"
#include "loyalty/store/program/coupon_store.h"

namespace soci {
class session;
}

namespace patron::service {

struct CouponBasket {
    std::deque<core::CouponCampaign> campaigns;  // A deque: `presented` points into it.
    std::vector<core::PresentedCoupon> presented;
    std::vector<long long> code_ids;  // Parallel to `presented`; 0 for a code that does not exist.
};

// A stored campaign as the core reads it, with its id and version; none if its document does not
// parse (published documents were checked when saved, so none fails).
std::optional<core::CouponCampaign> stored_coupon_campaign(const store::CouponCampaignRecord& record);

CouponBasket load_coupons(soci::session& sql, long long program_id, std::optional<long long> member_id,
                          const std::vector<std::string>& codes, bool lock);

// The member as coupon pricing judges them (none: an anonymous basket). Their segments are those
// the rating read with the account, or, when the rules scope nothing by segment, read here once
// if a presented campaign names a segment: one read per basket, never one per code.
core::CouponMember coupon_member(soci::session& sql, std::optional<long long> member_id, const core::MemberState& state,
                                 const CouponBasket& basket);

void record_coupon_redemptions(soci::session& sql, const CouponBasket& basket,
                               const std::vector<core::CouponDiscount>& priced, std::optional<long long> member_id,
                               long long purchase_id, core::Timestamp now);

// Gives back the original purchase's redemptions that this return or void undoes: all of them
// when nothing of the purchase is left, else those whose campaign revokes below its minimum.
std::vector<store::CouponRedemptionRecord> give_back_coupons(soci::session& sql, long long program_id,
                                                             long long original_id, long long return_id,
                                                             std::int64_t net_left, core::Timestamp now);

// What is left of a purchase's lines (net, minor units) once `returned` is taken back too.
std::int64_t net_left_after(const std::vector<core::OriginalLine>& original,
                            const std::vector<core::ReturnedLine>& returned);

}  // namespace patron::service
