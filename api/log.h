// Patron's logger, the one global: one JSON object per line on standard error. Callers pass
// only what is safe to keep (route templates, ids, codes, the class of a failure), never personal
// data nor an exception's text. The log is readable by its owner alone (mode 0600).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "loyalty/core/error.h"

namespace patron::api {

void log_line(const nlohmann::json& fields);

// Points the log (standard error) at `path`, appended to, created with mode 0600 or narrowed to
// it. With no path the log stays on standard error, which is narrowed to 0600 when it is a file
// (a shell's `2>>patrond.log` creates it readable by everyone); a terminal or a pipe is left alone.
core::Result<void> open_log(const std::string& path);

}  // namespace patron::api
