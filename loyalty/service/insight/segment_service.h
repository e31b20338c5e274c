// Marketers' rule-based segments (core/segments.h) as use cases: created, changed and deleted by
// admin and marketer staff (audited), read by analysts too, and counted before saving. Membership
// is materialised by the insight refresh, not here: a segment created or changed is evaluated at
// the next refresh, and a segment's view says when its membership was last computed.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/segments.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/insight/segment_membership.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/insight/segment_store.h"

namespace patron::service {

struct SegmentView {
    store::SegmentRecord record;
    // Whether the definition changed after its membership was last computed (or never was).
    bool pending() const { return !record.computed_at || *record.computed_at < record.changed_at; }
};

// How a count was made: every active member judged now, evenly spread samples of them judged now
// (too many to judge all within a preview's bound), or the last refresh's count of a stored
// segment whose definition no longer reads.
enum class CountBasis { kEveryMember, kSample, kLastRefresh };

struct SegmentCount {
    long long members = 0;  // Members the definition holds today (estimated from the sample when kSample).
    long long scanned = 0;  // Active members judged.
    core::LocalDate today;  // The programme's local date the windows end on.
    long long profiles_unopened = 0;
    long long active_members = 0;  // Active members of the programme (0 for kLastRefresh).
    CountBasis basis = CountBasis::kEveryMember;
    // kLastRefresh: when the count was made (none: never, and members is 0) and why it was not made now.
    std::optional<core::Timestamp> computed_at;
    std::optional<core::Error> definition_problem;
};

// At most this many members are judged by one count; beyond, runs of them spread over the members
// (100 runs of a thousand, or of fewer when the bound is smaller).
inline constexpr long long kSegmentCountMembersMax = 100'000;
inline constexpr long long kSegmentCountRuns = 100;
// At most this many counts run at once in a process; another is refused (OVERLOADED, retry).
inline constexpr int kSegmentCountsAtOnceMax = 2;

class SegmentService {
  public:
    SegmentService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                   long long count_members_max = kSegmentCountMembersMax);

    // VALIDATION_FAILED naming code when the programme has a segment with this code already.
    core::Result<SegmentView> create(const StaffIdentity& staff, const core::SegmentDocument& segment);
    core::Result<SegmentView> replace(const StaffIdentity& staff, const std::string& code,
                                      const core::SegmentDocument& segment);
    // Refused (VALIDATION_FAILED naming code) while the rules draft, the latest published rules, a
    // coupon campaign not ended or a trigger not ended name it; its memberships and a trigger's
    // additions to it go with it.
    core::Result<void> remove(const StaffIdentity& staff, const std::string& code);
    core::Result<SegmentView> get(const StaffIdentity& staff, const std::string& code);
    core::Result<std::vector<SegmentView>> list(const StaffIdentity& staff);
    // How many active members the conditions hold now, judged as the refresh judges them (RFM
    // segment and churn band from the last refresh); nothing written. With more active members
    // than the bound (kSegmentCountMembersMax), evenly spread runs of them are judged and the count is scaled.
    // `code`, when the programme has that segment, is the one whose trigger additions the condition
    // added_by_trigger counts (an editor's preview of a saved segment); otherwise nobody was added.
    core::Result<SegmentCount> count(const StaffIdentity& staff, const core::SegmentConditions& conditions,
                                     const std::string& code = {});
    // The count of a stored segment's definition; when it no longer reads (it was saved under
    // older rules), the last refresh's count with the problem instead of a refusal.
    core::Result<SegmentCount> count_of(const StaffIdentity& staff, const std::string& code);

  private:
    // Judges the members after `after` (at most `limit`, none above `through`) into `count`; the id
    // of the last one judged, or none when there were none.
    core::Result<std::optional<long long>> judge_run(const StaffIdentity& staff, const SegmentPlan& plan,
                                                     const core::TimeZone& zone, long long after, long long through,
                                                     std::size_t limit, SegmentCount& count);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    const long long count_members_max_;
    std::atomic<int> counts_running_ = 0;
};

}  // namespace patron::service
