// Referrals (issue 24): the programme's terms (admins and marketers set them, audited as
// referral_terms.change; support and analysts read them), a member's own referral page (her code,
// drawn the first time she asks, the terms, the friends she invited and what they gave her, and
// her own welcome when she joined with someone's code), and the same for staff on her member
// page. The till's side is in posting/referral_postings.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/referrals.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/members/referral_store.h"

namespace patron::service {

inline constexpr int kReferralFriendsShown = 50;

struct ReferralView {
    std::string code;           // Empty: a record erased or merged before it had one.
    core::ReferralTerms terms;  // version 0: the programme never set any.
    std::string currency;
    std::string program_name;
    std::string time_zone;  // The programme's: dates as its members read them.
    store::ReferralCounts counts;
    long long rewarded_this_month = 0;           // The referrer's rewards in this calendar month.
    std::vector<store::ReferralRecord> friends;  // Newest first.
    std::optional<store::ReferralRecord> referred_by;
    core::Timestamp now{};
};

class ReferralService {
  public:
    ReferralService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                    crypto::RandomSource& random);

    core::Result<core::ReferralTerms> terms(const StaffIdentity& staff);
    // Admins and marketers; in force for the next enrolment and qualifying purchase.
    core::Result<core::ReferralTerms> set_terms(const StaffIdentity& staff, const core::ReferralTerms& terms);

    core::Result<ReferralView> mine(const MemberIdentity& member);
    // Admin, support and marketer staff; any record of the programme, erased and merged too.
    core::Result<ReferralView> of_member(const StaffIdentity& staff, long long member_id);

  private:
    // `own`: her page, only while she is a member; staff read an erased or merged record's too.
    core::Result<ReferralView> view(long long program_id, long long member_id, bool own);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
