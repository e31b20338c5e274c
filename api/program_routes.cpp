#include "api/program_routes.h"

#include <nlohmann/json.hpp>

namespace patron::api {

std::vector<Route> program_routes(service::ProgramSettingsService& settings) {
    return {
        {"GET", "/v1/program/settings", Caller::kStaff, kAllStaff, true,
         [&settings](const HttpRequest&, const CallContext& context) {
             return answer(settings.get(context.staff->program_id), 200, service::settings_document);
         }},
        {"PATCH", "/v1/program/settings", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&settings](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             return answer(settings.update(*context.staff, *document), 200, service::settings_document);
         }},
    };
}

}  // namespace patron::api
