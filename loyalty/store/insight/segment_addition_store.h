// Members a trigger added to a segment (the "segment" action, core/triggers.h), for the segment
// condition added_by_trigger (core/segments.h): written by the firing, read by the refresh and
// the counts with each chunk of members, forgotten once their days have run out.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <vector>

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// Adds her to the segment until `until`, or keeps a later `until` she has already.
void add_to_segment(soci::session& sql, long long program_id, long long segment_id, long long member_id,
                    long long trigger_id, core::Timestamp now, core::Timestamp until);

// The segments each of `member_ids` was added to for days not run out at `now`, by member id; a
// member added to none is left out.
std::map<long long, std::set<long long>> segments_added(soci::session& sql, const std::vector<long long>& member_ids,
                                                        core::Timestamp now);

// A merge: the additions of the record merged in become the survivor's (the later end kept).
void move_segment_additions(soci::session& sql, long long from, long long into);

// Deletes up to `limit` additions whose days ran out before `before`; how many.
long long forget_ended_additions(soci::session& sql, core::Timestamp before, std::size_t limit);
// Deletes up to `limit` additions to a segment (deleted); how many.
long long delete_additions_of(soci::session& sql, long long segment_id, std::size_t limit);

}  // namespace patron::store
