// Tiers in the database: the program's policy document and its version, members' tiers with
// their secured and review dates, the progress measures over a window, and the tier history.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/tiers.h"

namespace soci {
class session;
}

namespace patron::store {

struct TierPolicyRecord {
    int version = 0;
    std::string document;
};

std::optional<TierPolicyRecord> find_tier_policy(soci::session& sql, long long program_id);
// Stores a new policy document (none: the program drops its tiers); its version (one more than
// the last, also for a removal, so caches keyed by version never see an old policy again).
int store_tier_policy(soci::session& sql, long long program_id, const std::optional<std::string>& document);

// The member's progress under `measure` over the window: points earned less returned, money spent
// less returned, or purchases neither voided nor fully returned.
long long tier_measure(soci::session& sql, long long member_id, core::TierMeasure measure, const core::Period& window);
// The same as a column of another read (json_rows.h).
std::string tier_measure_sql(long long member_id, core::TierMeasure measure, const core::Period& window);
// The value tier_measure_sql read, as tier_measure returns it (none read is 0).
long long tier_measure_of(const std::optional<std::string>& value);
// When the oldest activity counted in the window happened, if any.
std::optional<core::Timestamp> oldest_tier_activity(soci::session& sql, long long member_id, core::TierMeasure measure,
                                                    const core::Period& window);

struct MemberTier {
    std::string tier;
    std::optional<core::Timestamp> secured_until;
    std::optional<core::Timestamp> review_at;  // When the tier is next reviewed (none: never).
};
std::optional<MemberTier> find_member_tier(soci::session& sql, long long member_id);

struct TierChange {
    long long member_id = 0;
    std::string from;
    std::string to;
    std::string reason;  // "upgrade", "downgrade" or "kept".
    long long progress = 0;
    core::Timestamp secured_until;
    core::Timestamp review_at;
    int policy_version = 0;
    std::optional<long long> purchase_id;
};
// Sets the member's tier and dates and records the change in the history.
void record_tier(soci::session& sql, const TierChange& change, core::Timestamp now);

struct TierHistoryEntry {
    std::string from;
    std::string to;
    std::string reason;
    long long progress = 0;
    core::Timestamp secured_until;
    core::Timestamp at;
};
std::vector<TierHistoryEntry> tier_history(soci::session& sql, long long member_id);
// When the member last moved into the tier they hold (an upgrade or a downgrade to it), if the
// history says: a column of another read (json_rows.h), and what it gave.
std::string tier_reached_at_sql(long long member_id);
std::optional<core::Timestamp> tier_reached_at_of(const std::optional<std::string>& value);

// The member has nothing to be reviewed against (the program dropped its tiers).
void clear_tier_review(soci::session& sql, long long member_id);

// Members whose tier review is due by `now`, oldest first.
std::vector<long long> members_due_for_tier_review(soci::session& sql, core::Timestamp now, int limit);

// Members whose tier is due to be looked at for a warning by `now` (14 days before the period
// ends), oldest first; when the member's is due; done with it.
std::vector<long long> members_due_for_tier_warning(soci::session& sql, core::Timestamp now, int limit);
std::optional<core::Timestamp> tier_warn_at(soci::session& sql, long long member_id);
void clear_tier_warning(soci::session& sql, long long member_id);

}  // namespace patron::store
