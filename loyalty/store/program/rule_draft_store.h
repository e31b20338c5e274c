// The marketer's working draft of a rule set, and the list of published versions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct RuleDraft {
    std::string document;
    std::optional<int> based_on_version;
    std::string updated_by;
    core::Timestamp updated_at;
};

// The draft, locked when `for_update` (edits of one draft run one after another).
std::optional<RuleDraft> find_rule_draft(soci::session& sql, long long program_id, bool for_update);
// Locks the programme's row for the rest of the transaction, so that changes of its rules draft
// and publications of its rules follow each other (the draft row may not exist yet to lock).
// Tills only read the row, without locking: they are not held up.
void lock_program_rules(soci::session& sql, long long program_id);
void save_rule_draft(soci::session& sql, long long program_id, const RuleDraft& draft);
void delete_rule_draft(soci::session& sql, long long program_id);

struct RuleSetSummary {
    int version = 0;
    core::Timestamp effective_from;
    core::Timestamp published_at;
    std::string published_by;
    std::string note;
};
// Newest first.
std::vector<RuleSetSummary> list_rule_sets(soci::session& sql, long long program_id);
void describe_rule_set(soci::session& sql, long long program_id, int version, const std::string& published_by,
                       const std::string& note);

}  // namespace patron::store
