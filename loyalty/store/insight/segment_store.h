// Rule-based segments (core/segments.h): their definitions, the memberships the insight refresh
// materialises per member, and what the refresh reads of each chunk of members to decide them.
// Like member_score_store, reads are plain consistent reads and writes touch only the segments
// and member_segments tables, so neither side ever waits on a till's transaction.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "loyalty/core/segments.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/store/insight/member_score_store.h"
#include "loyalty/store/members/member_store.h"

namespace soci {
class session;
}

namespace patron::store {

struct SegmentRecord {
    long long id = 0;
    std::string code;
    std::string name;
    std::string conditions;  // The JSON as the marketer wrote it.
    core::Timestamp created_at;
    core::Timestamp changed_at;
    std::string changed_by;
    std::optional<core::Timestamp> computed_at;  // None: never computed yet.
    std::optional<long long> members;            // At computed_at.
};

// False when the programme has a segment with this code already.
bool insert_segment(soci::session& sql, long long program_id, const core::SegmentDocument& segment,
                    const std::string& by, core::Timestamp now);
void update_segment(soci::session& sql, long long segment_id, const core::SegmentDocument& segment,
                    const std::string& by, core::Timestamp now);
std::optional<SegmentRecord> find_segment(soci::session& sql, long long program_id, const std::string& code);
std::vector<SegmentRecord> list_segments(soci::session& sql, long long program_id);
void delete_segment(soci::session& sql, long long segment_id);
// The two sides of "nothing names a deleted segment": whatever saves a name writes the named
// segments (their write mark), a delete locks its segment exclusively and writes it. Either then
// waits for the other's commit and sees it, or on Galera, where locks hold on one node only, the
// two conflict at certification and one runs again. Which of `codes` the programme has a segment for.
std::vector<std::string> lock_segment_codes(soci::session& sql, long long program_id,
                                            const std::vector<std::string>& codes);
// The segment read FOR UPDATE; false when it is gone.
bool lock_segment(soci::session& sql, long long segment_id);

// How many active members the programme has, and the lowest and highest of their ids (0 when none).
struct ActiveMemberSpan {
    long long count = 0;
    long long first_id = 0;
    long long last_id = 0;
};
ActiveMemberSpan active_member_span(soci::session& sql, long long program_id);

// The codes of the member's segments, as the last refresh materialised them (the till's read).
std::vector<std::string> member_segment_codes(soci::session& sql, long long member_id);
// The same for many members in one statement (the backtest's read), by member id; a member in no
// segment is left out.
std::map<long long, std::vector<std::string>> members_segment_codes(soci::session& sql,
                                                                    std::span<const long long> member_ids);

// Inserts the (member, segment) pairs or renews them to this refresh (never to an earlier instant
// than a trigger's firing wrote), in one multi-row statement.
void write_memberships(soci::session& sql, long long program_id, core::Timestamp refreshed_at,
                       const std::vector<std::pair<long long, long long>>& member_segment_pairs);
// Deletes up to `limit` memberships older than `before` (left since); how many.
long long delete_memberships_before(soci::session& sql, long long program_id, core::Timestamp before,
                                    std::size_t limit);
// Deletes up to `limit` memberships of a segment; how many.
long long delete_memberships_of(soci::session& sql, long long segment_id, std::size_t limit);
// Records when each segment's membership was computed and how many members it held.
void record_segment_counts(soci::session& sql, core::Timestamp computed_at,
                           const std::map<long long, long long>& members_by_segment);

// What the conditions need to know of each of `member_ids` (ascending), in that order: tier,
// consents, the last purchase ever, and spend, visits and stores per window in `windows_days`
// up to `today`; the RFM segment and churn band too when `stored_scores` (the last refresh's),
// otherwise left for the caller. Birth month and city are not read here: they are sealed.
std::vector<core::SegmentFacts> read_segment_facts(soci::session& sql, long long program_id,
                                                   const std::vector<long long>& member_ids,
                                                   const std::vector<int>& windows_days, core::LocalDate today,
                                                   const core::TimeZone& zone, bool stored_scores);

// The sealed data key, birth date and details of each member (other fields left empty), by id.
std::map<long long, MemberRecord> sealed_birth_and_details(soci::session& sql,
                                                           const std::vector<long long>& member_ids);

}  // namespace patron::store
