// Marketers' side of coupons: campaigns as drafts (decoded and checked like rule sets, every
// problem by JSON path, by core/coupon_requests.h), published to the tills, ended; codes added to
// a campaign in bulk (unguessable, from an alphabet without 0/O/1/I, by the cryptographic random
// source) or as one public code; codes listed for export and assigned to members. Every change is
// audited.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/secure_random.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/posting/coupon_codes.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/coupon_store.h"

namespace patron::service {

class CouponCampaignService {
  public:
    CouponCampaignService(store::Database& database, const Clock& clock, crypto::RandomSource& random);

    core::Result<store::CouponCampaignRecord> create(const StaffIdentity& staff,
                                                     const core::CouponCampaignDocument& campaign);
    // Only a draft changes; a published campaign is ended and a new one made.
    core::Result<store::CouponCampaignRecord> replace(const StaffIdentity& staff, long long id,
                                                      const core::CouponCampaignDocument& campaign);
    core::Result<store::CouponCampaignRecord> publish(const StaffIdentity& staff, long long id);
    core::Result<store::CouponCampaignRecord> end(const StaffIdentity& staff, long long id);
    core::Result<store::CouponCampaignRecord> get(const StaffIdentity& staff, long long id);
    core::Result<std::vector<store::CouponCampaignRecord>> list(const StaffIdentity& staff);

    // Drawn single-use codes, or one chosen code. Answers how many codes were added.
    core::Result<long long> add_codes(const StaffIdentity& staff, long long id,
                                      const core::CouponCodesRequest& request);
    core::Result<std::vector<store::CouponCodeRecord>> codes(const StaffIdentity& staff, long long id);
    // A member id gives the code to that member (only they may use it); none makes it a bearer code.
    core::Result<store::CouponCodeRecord> assign(const StaffIdentity& staff, const std::string& code,
                                                 const core::CouponAssignment& assignment);

  private:
    core::Result<store::CouponCampaignRecord> change_status(const StaffIdentity& staff, long long id,
                                                            const std::string& status);

    store::Database& database_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
