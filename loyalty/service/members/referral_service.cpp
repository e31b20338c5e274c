#include "loyalty/service/members/referral_service.h"

#include <soci/soci.h>

#include "loyalty/core/tenure.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr int kCodeDraws = 8;  // 40 bits each: a collision even once is rare.

}  // namespace

ReferralService::ReferralService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                 crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<core::ReferralTerms> ReferralService::terms(const StaffIdentity& staff) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kMarketer, core::StaffRole::kSupport,
                     core::StaffRole::kAnalyst})) {
        return fail(ErrorCode::kForbidden, "only admin, marketer, support and analyst staff read the referral terms");
    }
    return database_.run_for<core::ReferralTerms>([&](soci::session& sql) -> core::Result<core::ReferralTerms> {
        return store::find_referral_terms(sql, staff.program_id);
    });
}

core::Result<core::ReferralTerms> ReferralService::set_terms(const StaffIdentity& staff,
                                                             const core::ReferralTerms& terms) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kMarketer})) {
        return fail(ErrorCode::kForbidden, "only admin and marketer staff set the referral terms");
    }
    return database_.transact_for<core::ReferralTerms>([&](soci::session& sql) -> core::Result<core::ReferralTerms> {
        const core::Timestamp now = clock_.now();
        core::ReferralTerms written = terms;
        written.version = store::store_referral_terms(sql, staff.program_id, core::encode_referral_terms(terms).dump());
        store::insert_audit(
            sql, keys_,
            {staff.program_id, audit_actor(staff), core::AuditAction::kReferralTermsChange, "program", staff.program_id,
             "state,friend_reward,referrer_reward,within_days,min_spend,per_referrer_per_month,"
             "same_till_minutes"},
            now);
        return written;
    });
}

core::Result<ReferralView> ReferralService::mine(const MemberIdentity& member) {
    return view(member.program_id, member.member_id, true);
}

core::Result<ReferralView> ReferralService::of_member(const StaffIdentity& staff, long long member_id) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport, core::StaffRole::kMarketer})) {
        return fail(ErrorCode::kForbidden, "only admin, support and marketer staff read a member's referrals");
    }
    return view(staff.program_id, member_id, false);
}

core::Result<ReferralView> ReferralService::view(long long program_id, long long member_id, bool own) {
    return database_.transact_for<ReferralView>([&](soci::session& sql) -> core::Result<ReferralView> {
        const auto member = store::find_member(sql, member_id);
        const bool active = member && member->status == core::MemberStatus::kActive;
        if (!member || member->program_id != program_id || (own && !active)) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        const auto program = store::find_program_profile(sql, program_id, false);
        if (!program) return fail(ErrorCode::kInternal, "the member's programme is gone");
        ReferralView view;
        view.now = clock_.now();
        view.currency = program->currency;
        view.program_name = program->name;
        view.time_zone = program->time_zone;
        auto terms = store::find_referral_terms(sql, program_id);
        if (!terms) return std::unexpected(terms.error());
        view.terms = *terms;
        // Her code, drawn the first time anyone asks for it while she is a member (an erased or
        // merged record keeps what it had, for staff to read).
        auto code = store::referral_code_of(sql, member_id);
        for (int draw = 0; active && !code && draw < kCodeDraws; ++draw) {
            const crypto::Bytes random = random_.bytes(core::kReferralCodeBytes);
            const std::string drawn = core::referral_code_from(random);
            if (store::insert_referral_code(sql, program_id, member_id, drawn, view.now)) code = drawn;
        }
        if (!code) code = store::referral_code_of(sql, member_id);  // Drawn meanwhile by another request.
        if (!code && active) return fail(ErrorCode::kUnavailable, "no referral code could be drawn; try again");
        view.code = code.value_or("");
        view.counts = store::referral_counts(sql, member_id, view.now);
        const auto zone = locate_time_zone(program->time_zone);
        const core::ReferralMonth month =
            core::referral_month(*zone, core::calendar_of(core::language_from_code(program->language)), view.now);
        view.rewarded_this_month = store::referrer_rewards_between(sql, member_id, month.from, month.until);
        view.friends = store::referrals_by(sql, member_id, kReferralFriendsShown);
        view.referred_by = store::referral_of_friend(sql, member_id, false);
        return view;
    });
}

}  // namespace patron::service
