#include "api/program_routes.h"

#include <nlohmann/json.hpp>

namespace patron::api {

std::vector<Route> program_routes(service::ProgramSettingsService& settings) {
    return {
        {"GET", "/v1/program/settings", Caller::kStaff, true,
         [&settings](const HttpRequest&, const CallContext& context) {
             auto found = settings.get(context.staff->program_id);
             if (!found) return error_response(found.error());
             return json_response(200, service::settings_document(*found));
         }},
        {"PATCH", "/v1/program/settings", Caller::kStaff, true,
         [&settings](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             auto changed = settings.update(*context.staff, *document);
             if (!changed) return error_response(changed.error());
             return json_response(200, service::settings_document(*changed));
         }},
    };
}

}  // namespace patron::api
