// The audit log for admins and support (issue 18): GET /v1/audit-log searches it by actor,
// member, action and local dates, newest first, a page at a time (core/audit_query.h reads the
// query); GET /v1/audit-log/actions lists the actions it can find. Read-only.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/access/audit_log_service.h"

namespace patron::api {

std::vector<Route> audit_log_routes(service::AuditLogService& audit_log);

}  // namespace patron::api
