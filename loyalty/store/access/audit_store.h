// The append-only audit log of what staff (and members themselves, in the portal) changed: who,
// what, when, which entity and the names of the fields changed, never their personal values.
#pragma once

#include <string>

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct AuditEntry {
    long long program_id = 0;
    std::string actor;   // The staff member (their label), or kMemberActor.
    std::string action;  // "points.adjust"
    std::string entity;  // "member"
    long long entity_id = 0;
    std::string fields;  // Comma-separated names of the fields changed.
};

// The actor of what members do themselves in the portal (the entry's entity names which member).
inline constexpr const char* kMemberActor = "member";

void insert_audit(soci::session& sql, const AuditEntry& entry, core::Timestamp now);

}  // namespace patron::store
