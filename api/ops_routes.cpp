#include "api/ops_routes.h"

#include <nlohmann/json.hpp>

namespace patron::api {

std::vector<Route> ops_routes(service::Readiness& readiness, Metrics& metrics) {
    return {
        {"GET", "/healthz", Caller::kAnyone, kNoRoles, false,
         [](const HttpRequest&, const CallContext&) {
             return json_response(200, {{"status", "ok"}});
         }},
        {"GET", "/readyz", Caller::kAnyone, kNoRoles, true,
         [&readiness](const HttpRequest&, const CallContext&) {
             auto ready = readiness.check();
             if (!ready) return error_response(ready.error());
             return json_response(200, {{"status", "ready"}});
         }},
        {"GET", "/metrics", Caller::kOperator, kNoRoles, false,
         [&metrics](const HttpRequest&, const CallContext&) {
             return HttpResponse{200, metrics.render(), "text/plain; version=0.0.4", {}, {}};
         }},
    };
}

}  // namespace patron::api
