#include "api/audit_log_routes.h"

#include <nlohmann/json.hpp>

namespace patron::api {
namespace {

using nlohmann::json;

constexpr Roles kAuditReaders = service::kAuditReaders;

// The names of the fields an entry changed, as a list ("*" for all of them, as an export says).
json field_names(const std::string& fields) {
    json names = json::array();
    std::size_t at = 0;
    while (at < fields.size()) {
        const std::size_t comma = std::min(fields.find(',', at), fields.size());
        if (comma > at) names.push_back(fields.substr(at, comma - at));
        at = comma + 1;
    }
    return names;
}

json entry_document(const store::AuditRecord& entry) {
    return json{{"id", entry.id},
                {"at", time_or_null(entry.at)},
                {"actor", entry.actor},
                {"action", entry.action},
                {"entity", entry.entity},
                {"entity_id", entry.entity_id},
                {"member_id", entry.member_id ? json(*entry.member_id) : json(nullptr)},
                {"fields", field_names(entry.fields)}};
}

json page_document(const service::AuditPage& page) {
    json entries = json::array();
    for (const store::AuditRecord& entry : page.entries) entries.push_back(entry_document(entry));
    return json{{"entries", entries},
                {"next_cursor", page.next ? json(core::encode_audit_cursor(*page.next)) : json(nullptr)}};
}

}  // namespace

std::vector<Route> audit_log_routes(service::AuditLogService& audit_log) {
    return {
        {"GET", "/v1/audit-log", Caller::kStaff, kAuditReaders, true,
         [&audit_log](const HttpRequest& request, const CallContext& context) {
             const auto query = core::parse_audit_query(request.query_params);
             if (!query) return error_response(query.error());
             return answer(audit_log.search(*context.staff, *query), 200, page_document);
         }},
        {"GET", "/v1/audit-log/actions", Caller::kStaff, kAuditReaders, true,
         [](const HttpRequest&, const CallContext&) {
             json actions = json::array();
             for (const core::AuditAction action : core::kAuditActions) actions.push_back(core::to_string(action));
             return json_response(200, {{"actions", actions}});
         }},
    };
}

}  // namespace patron::api
