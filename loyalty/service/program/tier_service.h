// Tiers as a use case: marketers set the program's tier policy (validated, every problem listed,
// audited), staff read a member's tier with their progress and history, and the review job
// lowers or keeps tiers whose secured period (plus grace) has ended. Upgrades happen at the till,
// in the purchase commit.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/tiers.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/tier_store.h"

namespace patron::service {

struct MemberTierView {
    core::TierMeasure measure = core::TierMeasure::kPoints;
    core::TierProgress progress;
    std::vector<store::TierHistoryEntry> history;
};

struct TierReviewReport {
    int reviewed = 0;
    int lowered = 0;
};

// The program's tier policy as stored, or none.
std::optional<core::TierPolicy> load_tier_policy(soci::session& sql, long long program_id);

// What a tier warning to the member would say now (core::tier_at_risk_data), or nullopt when her
// tier is not at risk in the period she holds it for: none to lose, enough in her window, or no
// period. Reads; takes no lock.
std::optional<nlohmann::json> tier_warning_now(soci::session& sql, long long member_id, const core::TierPolicy& policy,
                                               const core::TimeZone& zone, const std::string& currency,
                                               core::Timestamp now);

class TierService {
  public:
    TierService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    // NOT_FOUND when the program has no tiers.
    core::Result<core::TierPolicy> policy(long long program_id);
    // Admin and marketer only. The policy as decoded (core::decode_tier_policy); the stored one,
    // with its version.
    core::Result<core::TierPolicy> set_policy(const StaffIdentity& staff, const core::TierPolicy& policy);
    // Drops the program's tiers (admin and marketer): no more upgrades or reviews; members keep
    // the tier name they hold until a new policy places them.
    core::Result<void> remove_policy(const StaffIdentity& staff);
    core::Result<MemberTierView> member_tier(long long program_id, long long member_id);
    // Reviews up to `members_max` members whose review is due; run until it reviews fewer.
    core::Result<TierReviewReport> review_due(int members_max);
    core::Result<TierReviewReport> review_all_due();
    // Members 14 days before their period ends whose review, on their window so far, would lower
    // their tier: each is queued a tier_at_risk message, once a period. How many were looked at
    // (`reviewed`) and told (`lowered`).
    core::Result<TierReviewReport> warn_due(int members_max);
    core::Result<TierReviewReport> warn_all_due();

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
