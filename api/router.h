// The route table: every route Patron serves, with the template clients and metrics see, who
// may call it, and whether its work goes to the worker pool (anything touching the database).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "loyalty/service/access_service.h"

namespace patron::api {

enum class Caller { kAnyone, kStaff, kTerminal };

struct CallContext {
    std::optional<service::StaffIdentity> staff;
    std::optional<service::TerminalIdentity> terminal;
};

using Handler = std::function<HttpResponse(const HttpRequest&, const CallContext&)>;

struct Route {
    std::string method;  // "GET", "POST", ...
    std::string path;    // Pistache template, e.g. "/v1/members/:id"
    Caller caller;
    bool on_worker;
    Handler handler;
};

}  // namespace patron::api
