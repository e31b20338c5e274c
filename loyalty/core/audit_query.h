// How staff search the audit log (issue 18): the query parameters of GET /v1/audit-log read and
// checked by form, every refusal VALIDATION_FAILED naming its parameter; other parameters are
// ignored, as every GET route of the API ignores them. Newest first, a page at a time:
//   actor    a staff user's email, or the actor as entries name it (a name, a token's label, member)
//   member   a member id: every entry about that member
//   action   one of kAuditActions' spellings
//   from, to local dates of the programme's time zone, both inclusive (read as the reports read them)
//   limit    1 to kAuditPageMax, default kAuditPageDefault
//   cursor   the previous page's next_cursor: the page goes on after the entry it names
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/audit_action.h"
#include "loyalty/core/error.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

inline constexpr int kAuditPageDefault = 50;
inline constexpr int kAuditPageMax = 200;
// The longest actor worth asking for: an email's (an entry's own actor is at most 100 characters).
inline constexpr std::size_t kAuditActorMax = 254;

// Where a page ends: the entry's instant and id, newest first (ids break ties within an instant).
struct AuditPosition {
    Timestamp at;
    long long id = 0;
};

// The cursor is opaque to clients ("<microseconds since 1970>-<id>" today); nullopt for text no
// position was written as.
std::string encode_audit_cursor(const AuditPosition& position);
std::optional<AuditPosition> decode_audit_cursor(std::string_view cursor);

struct AuditQuery {
    std::optional<std::string> actor;
    std::optional<long long> member_id;
    std::optional<AuditAction> action;
    std::optional<LocalDate> from;
    std::optional<LocalDate> to;
    int limit = kAuditPageDefault;
    std::optional<AuditPosition> after;
};

Result<AuditQuery> parse_audit_query(const std::map<std::string, std::string>& parameters);

}  // namespace patron::core
