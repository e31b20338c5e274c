// Marketers' side of coupons: campaigns as drafts (decoded and checked like rule sets, every
// problem by JSON path, by core/coupon_requests.h), published to the tills, ended; codes added to
// a campaign in bulk (unguessable, from an alphabet without 0/O/1/I, by the cryptographic random
// source) or as one public code; codes listed for export and assigned to members. Every change is
// audited.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/posting/coupon_codes.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/work_progress.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/coupon_store.h"

namespace patron::service {

// Codes written per statement batch between two counts of add_codes' progress.
inline constexpr std::size_t kCodesPerStep = 20000;

struct SegmentIssued {
    long long issued = 0;
    long long held_out = 0;  // Members of the segment found held out by this request.
    bool more = false;
    std::optional<core::Timestamp> membership_computed_at;  // None: the segment was never computed.
};

class CouponCampaignService {
  public:
    CouponCampaignService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                          crypto::RandomSource& random);

    core::Result<store::CouponCampaignRecord> create(const StaffIdentity& staff,
                                                     const core::CouponCampaignDocument& campaign);
    // Only a draft changes; a published campaign is ended and a new one made.
    core::Result<store::CouponCampaignRecord> replace(const StaffIdentity& staff, long long id,
                                                      const core::CouponCampaignDocument& campaign);
    core::Result<store::CouponCampaignRecord> publish(const StaffIdentity& staff, long long id);
    core::Result<store::CouponCampaignRecord> end(const StaffIdentity& staff, long long id);
    core::Result<store::CouponCampaignRecord> get(const StaffIdentity& staff, long long id);
    core::Result<std::vector<store::CouponCampaignRecord>> list(const StaffIdentity& staff);

    // Drawn single-use codes, or one chosen code. Answers how many codes were added. `progress`
    // (when given) counts the codes written, kCodesPerStep at a time, in the one transaction.
    core::Result<long long> add_codes(const StaffIdentity& staff, long long id, const core::CouponCodesRequest& request,
                                      WorkProgress* progress = nullptr);
    core::Result<std::vector<store::CouponCodeRecord>> codes(const StaffIdentity& staff, long long id);
    // One drawn single-use code for each member of the segment who has none of the campaign yet,
    // skipping the campaign's held-out members (recorded as such, as assign records them). At most
    // `limit` codes, in short transactions; `more` says members are left for another request.
    // VALIDATION_FAILED naming segment when the programme has no such segment.
    core::Result<SegmentIssued> issue_to_segment(const StaffIdentity& staff, long long id,
                                                 const core::SegmentIssuance& issuance);
    // A member id gives the code to that member (only they may use it); none makes it a bearer code.
    core::Result<store::CouponCodeRecord> assign(const StaffIdentity& staff, const std::string& code,
                                                 const core::CouponAssignment& assignment);

  private:
    // Draws and stores a single-use code for each of `members`; how many were given.
    long long give_drawn_codes(soci::session& sql, long long program_id, long long campaign_id,
                               std::vector<long long> members, const core::SegmentIssuance& issuance,
                               core::Timestamp now);
    core::Result<store::CouponCampaignRecord> change_status(const StaffIdentity& staff, long long id,
                                                            const std::string& status);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
