// The one place that maps business error codes to HTTP statuses, and the error envelope
// every error response carries: {"error": {"code", "message", "field"}}.
#pragma once

#include <string>

#include "loyalty/core/error.h"

namespace patron::api {

int http_status(core::ErrorCode code);

// The JSON error envelope; an incident id is added for server-side failures.
std::string error_body(const core::Error& error, const std::string& incident_id = {});

}  // namespace patron::api
