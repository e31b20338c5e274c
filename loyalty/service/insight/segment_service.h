// Marketers' rule-based segments (core/segments.h) as use cases: created, changed and deleted by
// admin and marketer staff (audited), read by analysts too, and counted before saving. Membership
// is materialised by the insight refresh, not here: a segment created or changed is evaluated at
// the next refresh, and a segment's view says when its membership was last computed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/segments.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/insight/segment_store.h"

namespace patron::service {

struct SegmentView {
    store::SegmentRecord record;
    // Whether the definition changed after its membership was last computed (or never was).
    bool pending() const { return !record.computed_at || *record.computed_at < record.changed_at; }
};

struct SegmentCount {
    long long members = 0;  // Members the definition holds today.
    long long scanned = 0;  // Active members judged.
    core::LocalDate today;  // The programme's local date the windows end on.
    long long profiles_unopened = 0;
};

class SegmentService {
  public:
    SegmentService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    // VALIDATION_FAILED naming code when the programme has a segment with this code already.
    core::Result<SegmentView> create(const StaffIdentity& staff, const core::SegmentDocument& segment);
    core::Result<SegmentView> replace(const StaffIdentity& staff, const std::string& code,
                                      const core::SegmentDocument& segment);
    // Refused (VALIDATION_FAILED naming code) while the rules draft or the latest published rules
    // scope a rule by it; its memberships go with it.
    core::Result<void> remove(const StaffIdentity& staff, const std::string& code);
    core::Result<SegmentView> get(const StaffIdentity& staff, const std::string& code);
    core::Result<std::vector<SegmentView>> list(const StaffIdentity& staff);
    // How many active members the conditions hold now, judged as the refresh judges them (RFM
    // segment and churn band from the last refresh); nothing written.
    core::Result<SegmentCount> count(const StaffIdentity& staff, const core::SegmentConditions& conditions);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
