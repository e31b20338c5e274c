// The one place that maps business outcomes (error codes, what a POS operation came to) to HTTP
// statuses, and the error envelope every error response carries: {"error": {"code", "message", "field"}}.
#pragma once

#include <string>

#include "loyalty/core/answer_kind.h"
#include "loyalty/core/error.h"

namespace patron::api {

int http_status(core::ErrorCode code);
// 201 Created or 200 OK; a replay says its original's.
int http_status(core::AnswerKind kind);

// The JSON error envelope; an incident id is added for server-side failures.
std::string error_body(const core::Error& error, const std::string& incident_id = {});

}  // namespace patron::api
