// The member_scores table and what the refresh reads to fill it. Reads are plain consistent reads
// (no FOR UPDATE, no table of member accounts), chunked by member id; writes are multi-row
// statements into member_scores only, so neither side ever waits on a till's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/member_scores.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace soci {
class session;
}

namespace patron::store {

// The instants [from, until) a refresh reads.
struct ScoreWindow {
    core::Timestamp from;
    core::Timestamp until;
};

// How many active members the programme has (what a refresh scores).
long long count_active_members(soci::session& sql, long long program_id);
// Up to `limit` ids of the programme's members (not erased) after `after_id`, in id order.
std::vector<long long> member_ids_after(soci::session& sql, long long program_id, long long after_id,
                                        std::size_t limit);

// What each of `member_ids` (ascending) did in the window, in that order, dates local to `zone`.
std::vector<core::MemberActivity> read_activities(soci::session& sql, long long program_id,
                                                  const std::vector<long long>& member_ids, const ScoreWindow& window,
                                                  const core::TimeZone& zone);

// Inserts or replaces the scores in one multi-row statement.
void write_scores(soci::session& sql, long long program_id, core::Timestamp refreshed_at, int window_days,
                  const std::vector<core::MemberScore>& scores);

// Deletes up to `limit` of the programme's scores older than `before` (members gone since); how many.
long long delete_scores_before(soci::session& sql, long long program_id, core::Timestamp before, std::size_t limit);

struct RefreshRecord {
    long long program_id = 0;
    core::Timestamp refreshed_at;
    int window_days = 0;
    core::LocalDate today;
    long long members = 0;
    long long took_ms = 0;
};
void record_refresh(soci::session& sql, const RefreshRecord& record);
std::optional<RefreshRecord> last_refresh(soci::session& sql, long long program_id);

struct StoredScore {
    core::MemberScore score;
    core::Timestamp refreshed_at;
    int window_days = 0;
};
std::optional<StoredScore> find_score(soci::session& sql, long long program_id, long long member_id);

// Members and value totals per (segment, band) pair.
struct SegmentCell {
    core::RfmSegment segment = core::RfmSegment::kNone;
    core::ChurnBand band = core::ChurnBand::kNone;
    long long members = 0;
    long long spend_minor = 0;
    long long reward_cost_minor = 0;
    long long net_value_minor = 0;
};
std::vector<SegmentCell> segment_cells(soci::session& sql, long long program_id);

enum class ValueOrder { kNetValue, kSpend };
struct ValueRow {
    StoredScore stored;
    std::optional<std::string> card;  // The member's primary card; none when no card is active.
};
// The programme's members by value, highest first (ties: higher member id first), at most `limit`.
std::vector<ValueRow> members_by_value(soci::session& sql, long long program_id, ValueOrder order, std::size_t limit);

}  // namespace patron::store
