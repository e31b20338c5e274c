// Patron's logger, the one global: one JSON object per line on standard error. Callers pass
// only what is safe to keep (route templates, ids, codes), never personal data.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace patron::api {

void log_line(const nlohmann::json& fields);

}  // namespace patron::api
