// Who is in which rule-based segment: the programme's definitions read once, and each chunk of
// members' facts read and judged in memory. Shared by the insight refresh (which materialises the
// memberships) and the marketers' count preview (which only counts). Birth month and city are
// sealed in the member's profile: they are opened with the key ring only when a definition asks
// for them, and a profile that does not open (erased, or its master key gone) matches no such
// condition; the refresh reports how many did not open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/segments.h"
#include "loyalty/core/time_zone.h"

namespace soci {
class session;
}

namespace patron::service {

struct SegmentRule {
    long long id = 0;  // 0 for a definition not saved (a preview).
    std::string code;
    core::SegmentConditions conditions;
};

// The definitions one pass judges, and what they need read.
struct SegmentPlan {
    std::vector<SegmentRule> segments;
    std::vector<int> windows_days;
    bool needs_profile = false;
    bool needs_additions = false;  // A segment has the condition added_by_trigger.
};
SegmentPlan plan_segments(std::vector<SegmentRule> segments);
// Every segment of the programme (their stored conditions parsed again).
SegmentPlan programme_segment_plan(soci::session& sql, long long program_id);

struct ChunkMemberships {
    std::vector<std::pair<long long, long long>> pairs;  // (member id, segment id).
    std::vector<long long> members_per_segment;          // In the plan's order.
    long long profiles_unopened = 0;
};

// Judges `member_ids` (ascending) at `now` (a trigger's additions count until their days run
// out). `scores` gives each member's fresh RFM segment and churn band
// (the refresh's, in the order of member_ids); without it the last refresh's stored ones count.
ChunkMemberships judge_chunk(soci::session& sql, const crypto::KeyRing& keys, long long program_id,
                             const std::vector<long long>& member_ids, const SegmentPlan& plan, core::Timestamp now,
                             const core::TimeZone& zone,
                             const std::vector<std::pair<core::RfmSegment, core::ChurnBand>>* scores);

}  // namespace patron::service
