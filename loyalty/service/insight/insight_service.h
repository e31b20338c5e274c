// Member scores (core/member_scores.h): the refresh that materialises them per programme, with
// each member's rule-based segments (core/segments.h), and the reads staff make of them. The refresh reads each chunk
// of members with plain reads, scores the whole programme at once (quintiles need everyone), and writes each chunk in
// one short transaction of multi-row statements; it never touches a member's account row, so the till never waits for
// it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/member_scores.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/work_progress.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/insight/member_score_store.h"

namespace patron::service {

inline constexpr int kInsightWindowDaysDefault = 365;
inline constexpr int kInsightWindowDaysMax = 3660;
inline constexpr std::size_t kInsightChunkMembers = 1000;
inline constexpr std::size_t kCustomerValueLimitMax = 1000;

// How hard a refresh may press on the database. kShared rests after each chunk as long as the chunk
// took, so a refresh in patrond leaves the database at least half its time for the tills (a
// refresh at full pace cut a till's commit rate by more than half in bench/scores_bench);
// kFull is for an operator who runs it by hand.
enum class RefreshPace { kFull, kShared };

struct RefreshReport {
    long long programs = 0;
    long long members = 0;
    long long memberships = 0;        // Rule-based segment memberships materialised.
    long long profiles_unopened = 0;  // Profiles a birthday or city condition could not open.
    std::chrono::milliseconds took{0};
};

struct SegmentSummary {
    std::optional<store::RefreshRecord> refresh;  // None: never refreshed.
    std::vector<store::SegmentCell> cells;
};

class InsightService {
  public:
    // The key ring opens birth dates and cities, only for segments whose conditions name them.
    InsightService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    // Scores every member of the programme over the last `window_days` local days up to today.
    // `progress` (when given) counts each member twice, as read and as written.
    core::Result<RefreshReport> refresh(long long program_id, int window_days, RefreshPace pace = RefreshPace::kFull,
                                        WorkProgress* progress = nullptr);
    // Refreshes every programme whose last refresh is older than `interval` (or that has none).
    core::Result<RefreshReport> refresh_due(int window_days, std::chrono::seconds interval,
                                            RefreshPace pace = RefreshPace::kFull, WorkProgress* progress = nullptr);

    core::Result<store::StoredScore> member_insight(long long program_id, long long member_id);
    core::Result<SegmentSummary> segments(long long program_id);
    // At most kCustomerValueLimitMax rows; VALIDATION_FAILED (field limit) beyond.
    core::Result<std::vector<store::ValueRow>> customer_values(long long program_id, store::ValueOrder order,
                                                               std::size_t limit);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
