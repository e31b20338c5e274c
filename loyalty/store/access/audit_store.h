// The append-only audit log of what staff changed: who, what, when, which entity and the
// names of the fields changed, never their personal values.
#pragma once

#include <string>

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct AuditEntry {
    long long program_id = 0;
    std::string actor;   // The staff member (their token's label until staff accounts exist).
    std::string action;  // "points.adjust"
    std::string entity;  // "member"
    long long entity_id = 0;
    std::string fields;  // Comma-separated names of the fields changed.
};

void insert_audit(soci::session& sql, const AuditEntry& entry, core::Timestamp now);

}  // namespace patron::store
