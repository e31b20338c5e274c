#include "loyalty/core/audit_query.h"

#include <charconv>

#include "loyalty/core/report_query.h"

namespace patron::core {
namespace {

// A decimal integer of digits alone, and nothing else, at least `least`.
std::optional<long long> whole_number(std::string_view text, long long least) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || text.front() == '-' || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    if (value < least) return std::nullopt;
    return value;
}

const std::string* parameter(const std::map<std::string, std::string>& parameters, const std::string& name) {
    const auto found = parameters.find(name);
    return found == parameters.end() ? nullptr : &found->second;
}

}  // namespace

std::string encode_audit_cursor(const AuditPosition& position) {
    return std::to_string(position.at.time_since_epoch().count()) + "-" + std::to_string(position.id);
}

std::optional<AuditPosition> decode_audit_cursor(std::string_view cursor) {
    const std::size_t dash = cursor.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto microseconds = whole_number(cursor.substr(0, dash), 0);
    const auto id = whole_number(cursor.substr(dash + 1), 1);
    if (!microseconds || !id) return std::nullopt;
    const Timestamp at{std::chrono::microseconds{*microseconds}};
    // Patron's instants lie in the years 2000 to 2999; no entry is written outside them.
    using std::chrono::sys_days;
    using std::chrono::year;
    if (at < sys_days{year{2000} / 1 / 1} || at >= sys_days{year{3000} / 1 / 1}) return std::nullopt;
    return AuditPosition{at, *id};
}

Result<AuditQuery> parse_audit_query(const std::map<std::string, std::string>& parameters) {
    AuditQuery query;
    if (const std::string* actor = parameter(parameters, "actor")) {
        if (actor->empty() || actor->size() > kAuditActorMax) {
            return fail(ErrorCode::kValidationFailed,
                        "actor is a staff user's email or an entry's actor, 1 to " + std::to_string(kAuditActorMax) +
                            " characters",
                        "actor");
        }
        query.actor = *actor;
    }
    if (const std::string* member = parameter(parameters, "member")) {
        query.member_id = whole_number(*member, 1);
        if (!query.member_id) return fail(ErrorCode::kValidationFailed, "member is a member id", "member");
    }
    if (const std::string* action = parameter(parameters, "action")) {
        query.action = parse_audit_action(*action);
        if (!query.action) {
            return fail(ErrorCode::kValidationFailed, "action is one of GET /v1/audit-log/actions", "action");
        }
    }
    for (auto [name, date] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
        auto read = parse_date_parameter(parameters, name);
        if (!read) return std::unexpected(read.error());
        // The log holds nothing before 1970, and years the database's DATETIME does not hold must
        // not reach its query.
        if (*read && (int{(*read)->year()} < 1970 || int{(*read)->year()} > 9998)) {
            return fail(ErrorCode::kValidationFailed, std::string(name) + " is a date from 1970 to 9998", name);
        }
        *date = *read;
    }
    if (query.from && query.to && std::chrono::sys_days{*query.from} > std::chrono::sys_days{*query.to}) {
        return fail(ErrorCode::kValidationFailed, "from is after to", "from");
    }
    if (const std::string* limit = parameter(parameters, "limit")) {
        const auto count = whole_number(*limit, 1);
        if (!count || *count > kAuditPageMax) {
            return fail(ErrorCode::kValidationFailed, "limit is 1 to " + std::to_string(kAuditPageMax), "limit");
        }
        query.limit = static_cast<int>(*count);
    }
    if (const std::string* cursor = parameter(parameters, "cursor")) {
        query.after = decode_audit_cursor(*cursor);
        if (!query.after) {
            return fail(ErrorCode::kValidationFailed, "cursor is a next_cursor of an earlier page", "cursor");
        }
    }
    return query;
}

}  // namespace patron::core
