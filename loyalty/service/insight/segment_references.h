// Where the programme's rules and coupon campaigns name rule-based segments (core/segments.h) by
// code. A name must be of a segment the programme has when the rules or the campaign are saved (a
// code with no segment would quietly match nobody), and a segment something in force or in the
// making names is not deleted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/rule_set.h"

namespace soci {
class session;
}

namespace patron::service {

// VALIDATION_FAILED naming the path of every code no segment of the programme has. The named
// segments stay locked (shared) to the end of the caller's transaction, so that a delete of one
// waits and then finds the name (store::lock_segment_codes).
core::Result<void> check_segment_codes(soci::session& sql, long long program_id,
                                       const std::vector<core::ScopedSegment>& named);

// What names the segment, if anything does: the rules draft, the rules version in force at `now`
// or one scheduled later, a coupon campaign not ended or a trigger not ended ("draft:
// rules[0].scope.segments[0]", "version 5: rules[1].scope.segments[0]", "coupon campaign 7:
// scope.segments[0]", "trigger 3: action.segment"). The caller holds the segment's lock
// (store::lock_segment).
std::optional<std::string> segment_naming(soci::session& sql, long long program_id, const std::string& code,
                                          core::Timestamp now);
// Whether a trigger not ended adds members to the segment ("trigger 3: action.segment"); the
// caller holds the segment's lock, as for segment_naming.
std::optional<std::string> trigger_naming(soci::session& sql, long long program_id, const std::string& code);

}  // namespace patron::service
