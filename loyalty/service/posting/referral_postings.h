// Referrals (issue 24) inside the operations that decide them, in their transactions: an
// enrolment with a referral code writes the friend's pending referral; her first qualifying
// purchase (or a receipt claimed for her) gives her and the referrer their rewards; a return or
// void that leaves that purchase short of qualifying takes both back and leaves the referral
// pending again; a merge that shows the friend was a member already (or is the referrer) refuses
// it, taking back what it gave. Every movement is a balanced "referral" transfer of the points or
// cashback ledger under rule id "referral:ID" with no purchase of its own, so that a return of
// lines never touches it. A till's operation locks the friend's account, then (lock_referrer) her
// referral and the referrer's account, before anything else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/effect.h"
#include "loyalty/core/error.h"
#include "loyalty/core/money.h"
#include "loyalty/core/points.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/core/wording.h"
#include "loyalty/store/members/member_store.h"

namespace soci {
class session;
}

namespace patron::service {

// The friend's referral by the code she gave at enrolment (as read: core::read_referral_code):
// REFERRAL_CODE_UNKNOWN when no active member has it, REFERRALS_CLOSED while the programme's terms
// are paused or unset. The referral's id.
core::Result<long long> refer_friend(soci::session& sql, long long program_id, long long friend_id,
                                     const std::string& code, core::Timestamp now);

// Her pending referral's row and her referrer's account, locked right after her own account and
// before any row purchases share (coupons, budgets), so that every operation takes the accounts
// in one order: friend, then referrer. Nothing when she has none.
void lock_referrer(soci::session& sql, const store::AccountRecord& account);
// The same for a return or void: the referral the original purchase rewarded, and its referrer.
void lock_referrer_of_purchase(soci::session& sql, long long purchase_id);

// A purchase credited to a member whose account names a pending referral.
struct FriendPurchaseContext {
    long long program_id = 0;
    const store::AccountRecord* account = nullptr;  // Hers, locked, with her balances after the purchase.
    long long purchase_id = 0;
    long long store_id = 0;
    std::string terminal;
    long long total = 0;
    core::Timestamp received_at{};
    const core::PointsPolicy* points = nullptr;
    const core::TimeZone* zone = nullptr;
    core::Language language = core::Language::kEnglish;
    core::Currency currency;
};

// What the referral did to her account (written here already: the caller only tells it, never
// writes it again) and the effects her receipt tells.
struct ReferralPosted {
    long long points_available_delta = 0;
    long long points_pending_delta = 0;
    long long cashback_delta = 0;
    std::vector<core::Effect> effects;
};
ReferralPosted reward_friend_purchase(soci::session& sql, const FriendPurchaseContext& context, core::Timestamp now);

// After a return or void of `original_id`: when it rewarded a referral and no longer qualifies,
// both rewards are taken back (her points and wallet written here) and the referral is pending
// again. The effects her return's answer tells.
struct FriendReturnContext {
    long long program_id = 0;
    long long member_id = 0;
    long long original_id = 0;
    long long points_available = 0;  // Her balances before (after what the return itself took back).
    long long cashback_balance = 0;
    core::NegativeBalancePolicy policy = core::NegativeBalancePolicy::kAllow;
    core::Language language = core::Language::kEnglish;
    core::Currency currency;
};
ReferralPosted take_back_after_return(soci::session& sql, const FriendReturnContext& context, core::Timestamp now);

// Before `absorbed` is merged into `survivor` (both accounts locked): a referral between the two
// is refused (same_member), and so is one whose friend either of them is (existing_member),
// their rewards taken back; the absorbed record's invitations become the survivor's.
void settle_referrals_before_merge(soci::session& sql, long long program_id, long long survivor, long long absorbed,
                                   core::Timestamp now);

}  // namespace patron::service
