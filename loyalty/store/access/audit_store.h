// The append-only audit log of what staff (and members themselves, in the portal) changed: who,
// what, when, which entity and the names of the fields changed, never their personal values; and
// its search (issue 18), newest first, each filter read through an index of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/audit_action.h"
#include "loyalty/core/audit_query.h"
#include "loyalty/core/time.h"

namespace patron::crypto {
class KeyRing;
}

namespace soci {
class session;
}

namespace patron::store {

// The actor of what members do themselves in the portal (the entry's entity names which member).
inline constexpr const char* kMemberActor = "member";

struct AuditActor {
    std::string name;                             // The staff member's name (or a token's label), or kMemberActor.
    std::optional<long long> staff_user_id = {};  // The staff user's account, when one acted.
};

struct AuditEntry {
    long long program_id = 0;
    AuditActor actor;
    core::AuditAction action;
    std::string entity;  // "member"
    long long entity_id = 0;
    std::string fields;  // Comma-separated names of the fields changed.
    // The member the entry is about, when its entity is not the member itself (a claimed purchase,
    // an assigned coupon code, the other member of a merge); otherwise an entry whose entity is
    // "member" is about that member.
    std::optional<long long> member_id = {};
};

// Writes the entry and seals it as the next link of its programme's chain (audit_chain.h), which
// holds the chain's head locked until the transaction ends.
void insert_audit(soci::session& sql, const crypto::KeyRing& keys, const AuditEntry& entry, core::Timestamp now);

// An entry as the log keeps it; its action as written (a newer version may know more of them).
struct AuditRecord {
    long long id = 0;
    core::Timestamp at;
    std::string actor;
    std::string action;
    std::string entity;
    long long entity_id = 0;
    std::optional<long long> member_id;
    std::string fields;
};

// What a search asks of the programme's entries; every filter is optional, at most one of actor
// and staff_user_id is set.
struct AuditSearch {
    long long program_id = 0;
    std::optional<std::string> actor;  // Compared as the column's collation compares: without regard to case.
    std::optional<long long> staff_user_id;
    std::optional<long long> member_id;
    std::optional<core::AuditAction> action;
    std::optional<core::Timestamp> from;   // Inclusive.
    std::optional<core::Timestamp> until;  // Exclusive.
    std::optional<core::AuditPosition> after;
    int limit = core::kAuditPageDefault;
};

// At most `limit` entries, newest first (by instant, then id), after `after` when set.
std::vector<AuditRecord> search_audit_log(soci::session& sql, const AuditSearch& search);

// The statement search_audit_log runs, with `:actor` where the actor is bound (for EXPLAIN in tests).
std::string audit_search_statement(const AuditSearch& search);

}  // namespace patron::store
