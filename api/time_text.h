// Instants as RFC 3339 text for API documents.
#pragma once

#include <string>

#include "loyalty/core/time.h"

namespace patron::api {

// "2026-11-22T14:33:40.123456Z"
std::string rfc3339_utc(core::Timestamp time);

}  // namespace patron::api
